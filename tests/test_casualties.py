"""Casualty counts: cue words paired with counts on either side, spans over the whole expression."""

from __future__ import annotations

import pytest

from rasid.document import Article, Document
from rasid.extract.casualties import find_casualties
from rasid.extract.numbers import find_numbers


def _doc(text: str) -> Document:
    doc = Document(Article("t", text))
    find_numbers(doc)
    find_casualties(doc)
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text  # offsets slice the original exactly
    return doc


def _cas(text: str) -> list[tuple[str, int | None, str]]:
    return [
        (m.data["casualty"], m.data["value"], m.data["qualifier"]) for m in _doc(text).mentions_of("casualty")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أعلنت مصادر محلية مقتل 3 عناصر من قوات النظام بقصف على ريف حماة.", [("killed", 3, "exact")]),
        ("وقُتل 5 مدنيين جراء غارة جوية على السوق.", [("killed", 5, "exact")]),
        ("وأسفرت المداهمة عن مقتل شخص واعتقال رجل وزوجته.", [("killed", 1, "exact")]),
        ("وأدى القصف إلى سقوط قتيلين في البلدة.", [("killed", 2, "exact")]),
        ("وأفادت مصادر طبية باستشهاد طفلين في القصف.", [("killed", 2, "exact")]),
        ("لقي 4 أشخاص حتفهم بانفجار دراجة مفخخة.", [("killed", 4, "exact")]),
        ("ولقي شاب حتفه برصاص مجهولين.", [("killed", 1, "exact")]),
        ("وتحدثت الوزارة عن إصابة 25 من القوات الموالية بالقصف.", [("injured", 25, "exact")]),
        ("وجرح 7 آخرون في الاشتباكات.", [("injured", 7, "exact")]),
        ("وأدت القذائف إلى سقوط جرحى بين المدنيين.", [("injured", None, "several")]),
        ("وأسفر القصف عن عدد من القتلى في صفوف الفصيل.", [("killed", None, "several")]),
        ("وسقط قتلى وجرحى في صفوف المدنيين.", [("killed", None, "several"), ("injured", None, "several")]),
        (
            "وأسفر الانفجار عن مقتل 12 شخصا وإصابة العشرات.",
            [("killed", 12, "exact"), ("injured", None, "dozens")],
        ),
        ("وقتلت قوات النظام ثلاثة مدنيين في ريف إدلب.", [("killed", 3, "exact")]),
        ("وقال المرصد إن ما لا يقل عن عشرة أشخاص قتلوا في الغارة.", [("killed", 10, "at_least")]),
        ("وأصيب شرطيان بجروح طفيفة.", [("injured", 2, "exact")]),
        ("وأعلنت الفصائل مقتل أحد عناصرها بنيران قناص.", [("killed", 1, "exact")]),
        ("وأسفر القصف عن مقتل نحو 40 مسلحا.", [("killed", 40, "about")]),
        ("وأسفرت الاشتباكات عن مقتل بين 10 و15 عنصرا.", [("killed", 10, "exact")]),
        ("وأدى القصف المدفعي إلى إصابة مدنيين اثنين.", [("injured", 2, "exact")]),
        ("وأعدم التنظيم أربعة شبان في ساحة البلدة.", [("killed", 4, "exact")]),
        ("وارتفعت حصيلة القتلى جراء الغارة على البلدة إلى سبعة.", [("killed", 7, "exact")]),
        ("وارتفع عدد الجرحى إلى 30 شخصا.", [("injured", 30, "exact")]),
        # idioms of dying that take the count after them
        ("وأودت الغارة بحياة سبعة مدنيين في القرية.", [("killed", 7, "exact")]),
        ("انفجرت عبوة في السوق راح ضحيتها 12 شخصا.", [("killed", 12, "exact")]),
        ("وقضى ثلاثة أطفال جراء القصف المدفعي.", [("killed", 3, "exact")]),
        ("وارتقى شهيدان في قصف على الحي.", [("killed", 2, "exact")]),
        ("وأدت الغارة إلى ارتقاء 9 مدنيين بينهم نساء.", [("killed", 9, "exact")]),
        ("وقضت المحكمة بسجنه خمس سنوات.", []),
        # "and another": one more victim
        ("وقتل مقاتل من الفصيل وجرح آخر بانفجار لغم.", [("killed", 1, "exact"), ("injured", 1, "exact")]),
        ("وقتلت امرأة وأصيبت أخرى برصاص قناص.", [("killed", 1, "exact"), ("injured", 1, "exact")]),
        ("ووصلت أعداد الجرحى إلى 45 بحسب المشفى.", [("injured", 45, "exact")]),
        # a second figure of the same kind joined to a toll
        (
            "وقتل 3 عناصر في البلدة و7 آخرون في القرية المجاورة.",
            [("killed", 3, "exact"), ("killed", 7, "exact")],
        ),
        (
            "وأسفر الهجوم عن مقتل أربعة عناصر من الشرطة، بالإضافة إلى مدنيين اثنين.",
            [("killed", 4, "exact"), ("killed", 2, "exact")],
        ),
        (
            "وأسفرت الغارة عن مقتل خمسة مدنيين و3 عناصر من الدفاع المدني.",
            [("killed", 5, "exact"), ("killed", 3, "exact")],
        ),
        ("وأسفر القصف عن مقتل 3 مدنيين وتدمير 5 منازل.", [("killed", 3, "exact")]),
        ("وبلغت الحصيلة 7 قتلى و12 جريحا.", [("killed", 7, "exact"), ("injured", 12, "exact")]),
        # one more victim joined by و after a toll
        ("وأسفر القصف عن مقتل 3 مدنيين وطفل.", [("killed", 3, "exact"), ("killed", 1, "exact")]),
        ("وقتل شاب في البلدة وعنصر من الشرطة عند الحاجز.", [("killed", 1, "exact"), ("killed", 1, "exact")]),
        ("وأصيب رجل وامرأة بشظايا القذيفة.", [("injured", 1, "exact"), ("injured", 1, "exact")]),
        # فقد ... حياته: a toll only after its verb
        ("فقد شخصان حياتهما جراء اشتباكات بين عائلتين.", [("killed", 2, "exact")]),
        ("وفقدت امرأة حياتها بانفجار لغم أرضي.", [("killed", 1, "exact")]),
        ("وفقد 5 مدنيين حياتهم في القصف.", [("killed", 5, "exact")]),
        ("وعاش الرجل 80 عاما قضى معظم حياته في القرية.", []),
        # a singular passive verb, then a time word or a cause, no count after it
        ("وكان قائد الكتيبة في ريف حماة قتل أمس الأربعاء بانفجار عبوة ناسفة.", [("killed", 1, "exact")]),
        ("وكان المسؤول المحلي أصيب صباح اليوم برصاص مجهولين.", [("injured", 1, "exact")]),
        ("وكانت الناشطة قتلت جراء قصف على منزلها.", [("killed", 1, "exact")]),
        ("وقتل جراء القصف 5 مدنيين.", [("killed", 5, "exact")]),
        # a singular person noun with a possessive pronoun
        ("وأطلق مسلحون النار على شاب ما أدى إلى إصابة صديقه.", [("injured", 1, "exact")]),
        ("وأسفر القصف عن مقتل زوجته في المنزل.", [("killed", 1, "exact")]),
        ("وأصيب شقيقها بشظايا القذيفة.", [("injured", 1, "exact")]),
        # a range after ما (ما بين 10 و15): the low figure, the high one kept
        ("وأسفرت الاشتباكات عن مقتل ما بين 10 و15 مسلحا.", [("killed", 10, "exact")]),
        ("وتحدثت مصادر عن إصابة ما بين 20 و30 مدنيا.", [("injured", 20, "exact")]),
        # a joined figure of one side after the other (attackers and guards)
        (
            "وأسفر الهجوم عن مقتل 3 من المهاجمين و2 من عناصر الحراسة.",
            [("killed", 3, "exact"), ("killed", 2, "exact")],
        ),
        ("وقتل 3 مدنيين و5 من السيارات المتوقفة.", [("killed", 3, "exact")]),
        # a verb's count of "others" a few words on
        ("وأعدم التنظيم أيضا 4 آخرين في ساحة البلدة.", [("killed", 4, "exact")]),
        ("وقتلت الغارة كذلك 3 آخرين كانوا في السوق.", [("killed", 3, "exact")]),
        ("وأصاب القناص لاحقا اثنين آخرين.", [("injured", 2, "exact")]),
        # a singular person just before a verb cue: one victim, and no killed-and-injured total
        (
            "وقال الدفاع المدني إن رجلا قتل وأصيب ثلاثة أطفال بالقصف.",
            [("killed", 1, "exact"), ("injured", 3, "exact")],
        ),
        ("وأفاد ناشطون بأن طفلا قتل برصاص قناص.", [("killed", 1, "exact")]),
        ("وامرأة أصيبت بشظايا القذيفة.", [("injured", 1, "exact")]),
        # a dual possessive names two victims
        ("أطلق مسلحون النار على شابين، ما أسفر عن مقتلهما على الفور.", [("killed", 2, "exact")]),
        ("استهدف قناص رجلين ما أدى إلى إصابتهما بجروح.", [("injured", 2, "exact")]),
        ("وعثر على جثتي الأخوين بعد استشهادهما تحت التعذيب.", [("killed", 2, "exact")]),
        # "between killed and wounded": a total of both kinds, no killed figure
        (
            "وأسفر القصف عن سقوط 12 بين قتيل وجريح.",
            [("killed", None, "several"), ("injured", None, "several")],
        ),
        (
            "وسقط العشرات بين قتيل وجريح في الغارات.",
            [("killed", None, "several"), ("injured", None, "several")],
        ),
        ("وأحصى المرصد 30 شخصا بين شهيد وجريح.", [("killed", None, "several"), ("injured", None, "several")]),
    ],
)
def test_forms(text: str, expected: list[tuple[str, int | None, str]]) -> None:
    assert _cas(text) == expected


def test_count_long_before_a_passive_plural_verb() -> None:
    text = "وقال مسؤول إن أكثر من 100 مقاتل من المتحالفين مع القوات الحكومية قُتلوا بعد صد الهجوم."
    (m,) = _doc(text).mentions_of("casualty")
    assert (m.data["casualty"], m.data["value"], m.data["qualifier"]) == ("killed", 100, "more_than")
    assert m.text.startswith("أكثر من 100") and m.text.endswith("قُتلوا")
    assert m.data["who"].startswith("مقاتل")


def test_dual_verb_counts_two() -> None:
    (m,) = _doc("وقالت السلطات إن المهاجمين اللذين قتلا في الهجوم دخلا من الحدود.").mentions_of("casualty")
    assert (m.data["value"], m.data["who"]) == (2, "المهاجمين")
    assert m.text == "المهاجمين اللذين قتلا"


def test_killed_and_injured_total_is_not_split() -> None:
    ms = _doc("وأسفر التفجير عن مقتل وإصابة 12 من عناصر الأمن.").mentions_of("casualty")
    assert [(m.data["casualty"], m.data["value"], m.data.get("total")) for m in ms] == [
        ("killed", None, 12),
        ("injured", None, 12),
    ]


def test_range_keeps_high_value() -> None:
    (m,) = _doc("وأسفرت الاشتباكات عن مقتل بين 10 و15 عنصرا.").mentions_of("casualty")
    assert (m.data["value"], m.data["value_high"]) == (10, 15)


@pytest.mark.parametrize(
    "text",
    [
        "وأعلنت وزارة الدفاع تحييد 26 مسلحا في غارات جوية.",
        "وقالت الوزارة إن الجيش «حيّد» 26 مسلحا شمال البلاد.",
    ],
)
def test_neutralised_is_not_killed(text: str) -> None:
    ms = _doc(text).mentions_of("casualty")
    assert [(m.data["casualty"], m.data["value"]) for m in ms] == [("neutralised", 26)]


@pytest.mark.parametrize(
    "text",
    [
        "ودمرت الطائرات 12 شاحنة ومستودعات للذخيرة.",
        "وقتل في عام 2016 مدير المكتب.",
        "وانسحبت القوات إلى داخل اللواء 93 بعد اشتباكات.",
        "وقصفت 3 طائرات مواقع الفصيل.",
        "وأكد المصدر إصابة الهدف بدقة.",
    ],
)
def test_no_casualty_from_other_numbers(text: str) -> None:
    assert all(m.data["value"] in {None, 1} for m in _doc(text).mentions_of("casualty"))
    assert not any(m.data["value"] in {12, 2016, 93, 3} for m in _doc(text).mentions_of("casualty"))


def test_years_are_not_counts() -> None:
    assert _cas("وقتل خلال عام 2016 أكثر من ألف مدني.") == [("killed", 1000, "more_than")]


def test_obfuscated_and_tatweel_words() -> None:
    text = "وأسفر القصـ.ف عن مقـ.تل خمـسة عنـاصر وإصـابة ٣ آخرين."
    ms = _doc(text).mentions_of("casualty")
    assert [(m.data["casualty"], m.data["value"]) for m in ms] == [("killed", 5), ("injured", 3)]
    assert ms[0].text == "مقـ.تل خمـسة عنـاصر"
    assert ms[1].text == "إصـابة ٣ آخرين"


def test_who_phrase() -> None:
    (m,) = _doc("وأفادت الوزارة بإصابة 25 من القوات الموالية في القصف.").mentions_of("casualty")
    assert m.data["who"] == "القوات الموالية"
    assert m.text == "إصابة 25 من القوات الموالية"


def test_runs_without_number_mentions() -> None:
    doc = Document(Article("t", "وقتل 4 مدنيين في القصف."))
    find_casualties(doc)
    assert [m.data["value"] for m in doc.mentions_of("casualty")] == [4]


def test_boilerplate_is_skipped() -> None:
    text = "قتل 5 مدنيين. اقرأ أيضا: مقتل 3 عناصر في درعا"
    doc = Document(Article("t", text))
    doc.boilerplate = [(text.index("اقرأ"), len(text))]
    find_numbers(doc)
    find_casualties(doc)
    assert [m.data["value"] for m in doc.mentions_of("casualty")] == [5]


@pytest.mark.parametrize(
    "text",
    [
        "أدى القصف إلى مقتل 50 شخصا على الأقل.وأضافت المصادر أن القصف مستمر.",
        "وأسفرت الغارة عن مقتل 7 مدنيين.وقال الدفاع المدني إن فرقه تبحث عن ناجين.",
        "وأصيب 12 عنصرا.ولم تعلق الوزارة على الهجوم.",
    ],
)
def test_victims_stop_at_a_sentence_end_without_space(text: str) -> None:
    """A toll ends with its sentence even when no space follows the full stop."""
    (m,) = _doc(text).mentions_of("casualty")
    assert "." not in m.text
