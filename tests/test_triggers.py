"""Trigger words, context modifiers and cue words (rasid.extract.triggers).

All sentences are written for these tests in the style of Syrian conflict news.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document, Mention, Sentence
from rasid.extract.triggers import classify, find_triggers, trigger_lexicon, verb_forms
from rasid.knowledge.loader import load_yaml

TAXONOMY = {
    "battles": {"armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"},
    "explosions_remote_violence": {
        "air_drone_strike",
        "shelling_artillery_missile_attack",
        "remote_explosive_landmine_ied",
        "suicide_bomb",
        "grenade",
        "chemical_weapon",
    },
    "violence_against_civilians": {"attack", "abduction_forced_disappearance", "sexual_violence"},
    "protests": {"peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"},
    "riots": {"violent_demonstration", "mob_violence"},
    "strategic_developments": {
        "agreement",
        "arrests",
        "change_to_group_activity",
        "disrupted_weapons_use",
        "headquarters_or_base_established",
        "looting_property_destruction",
        "non_violent_transfer_of_territory",
        "other",
    },
}


def run(text: str, sentences: list[Sentence] | None = None, boilerplate=None) -> Document:
    doc = Document(Article("t", text))
    if sentences:
        doc.sentences = sentences
    if boilerplate:
        doc.boilerplate = boilerplate
    find_triggers(doc)
    return doc


def triggers(text: str, **kw) -> list[Mention]:
    return run(text, **kw).mentions_of("trigger")


def only(text: str, lemma: str) -> Mention:
    found = [m for m in triggers(text) if m.data["lemma"] == lemma]
    assert len(found) == 1, [(m.text, m.data["lemma"]) for m in triggers(text)]
    return found[0]


# --------------------------------------------------------------------------- every sub-event type

SUBTYPE_CASES = [
    ("اندلعت اشتباكات عنيفة بين قوات النظام ومقاتلي الفصائل على محور كبانة.", "battles", "armed_clash"),
    (
        "استعادت قوات الجيش السيطرة على بلدة خان شيخون بعد معارك استمرت أياما.",
        "battles",
        "government_regains_territory",
    ),
    (
        "سيطر مقاتلو الفصائل على قرية تل عرن بعد اشتباكات مع قوات النظام.",
        "battles",
        "non_state_actor_overtakes_territory",
    ),
    (
        "شن الطيران الحربي الروسي غارات على أطراف مدينة سراقب.",
        "explosions_remote_violence",
        "air_drone_strike",
    ),
    (
        "قصفت قوات النظام بالمدفعية الثقيلة قرية الفطيرة في جبل الزاوية.",
        "explosions_remote_violence",
        "shelling_artillery_missile_attack",
    ),
    (
        "انفجرت عبوة ناسفة بسيارة عسكرية على طريق الباب.",
        "explosions_remote_violence",
        "remote_explosive_landmine_ied",
    ),
    ("فجر انتحاري نفسه عند حاجز أمني في مدينة أعزاز.", "explosions_remote_violence", "suicide_bomb"),
    ("ألقى مجهولون قنبلة يدوية على محل تجاري في مدينة الباب.", "explosions_remote_violence", "grenade"),
    (
        "وثقت المنظمة هجوما كيميائيا بغاز الكلور على بلدة اللطامنة.",
        "explosions_remote_violence",
        "chemical_weapon",
    ),
    ("اغتال مسلحون مجهولون مختار قرية الحصين بريف درعا الغربي.", "violence_against_civilians", "attack"),
    (
        "اختطفت مجموعة مسلحة طبيبا من منزله في مدينة السويداء.",
        "violence_against_civilians",
        "abduction_forced_disappearance",
    ),
    ("وثق التقرير حالات اغتصاب في مراكز الاحتجاز.", "violence_against_civilians", "sexual_violence"),
    ("تظاهر المئات في ساحة الكرامة بمدينة السويداء.", "protests", "peaceful_protest"),
    (
        "خرجت مظاهرة في مدينة جاسم وقامت قوات الأمن بتفريق المتظاهرين.",
        "protests",
        "protest_with_intervention",
    ),
    (
        "خرجت مظاهرة في بلدة الصنمين وأطلقت قوات الأمن الرصاص الحي على المحتجين.",
        "protests",
        "excessive_force_against_protesters",
    ),
    ("شهدت المدينة أعمال شغب بعد مقتل شاب عند الحاجز.", "riots", "violent_demonstration"),
    ("هاجم أهالي غاضبون مقر البلدية في القرية.", "riots", "mob_violence"),
    ("توصلت اللجنة المركزية والجانب الروسي إلى اتفاق في درعا البلد.", "strategic_developments", "agreement"),
    ("اعتقلت قوات الأمن ثلاثة شبان في مدينة الرقة.", "strategic_developments", "arrests"),
    (
        "أعلن فصيل لواء الشمال حل نفسه والانضمام إلى الفيلق الثالث.",
        "strategic_developments",
        "change_to_group_activity",
    ),
    ("أسقطت الدفاعات الجوية طائرة مسيرة في ريف اللاذقية.", "strategic_developments", "disrupted_weapons_use"),
    (
        "أنشأت القوات التركية نقطة عسكرية جديدة قرب بلدة النيرب.",
        "strategic_developments",
        "headquarters_or_base_established",
    ),
    (
        "نهب عناصر الميليشيا محتويات المنازل في القرية.",
        "strategic_developments",
        "looting_property_destruction",
    ),
    (
        "انسحبت قوات سوريا الديمقراطية من مدينة منبج.",
        "strategic_developments",
        "non_violent_transfer_of_territory",
    ),
    ("وصلت تعزيزات عسكرية تركية إلى قاعدة في ريف إدلب.", "strategic_developments", "other"),
]


@pytest.mark.parametrize(("text", "etype", "stype"), SUBTYPE_CASES)
def test_every_sub_event_type(text: str, etype: str, stype: str) -> None:
    assert (etype, stype) in classify(text)


def test_cases_cover_the_whole_taxonomy() -> None:
    covered = {(e, s) for _, e, s in SUBTYPE_CASES}
    assert covered == {(e, s) for e, subs in TAXONOMY.items() for s in subs}


def test_lexicon_types_are_in_the_taxonomy() -> None:
    data = load_yaml("triggers.yaml")
    used: set[tuple[str, str]] = set()
    for e in data["triggers"]:
        assert e["event_type"] in TAXONOMY, e["lemma"]
        if e["default"]:
            used.add((e["event_type"], e["default"]))
        for r in e.get("modifiers") or ():
            if r["sub_event_type"]:
                used.add((r.get("event_type") or e["event_type"], r["sub_event_type"]))
    for etype, stype in used:
        assert stype in TAXONOMY[etype], (etype, stype)
    assert {s for _, s in used} == set().union(*TAXONOMY.values())


# --------------------------------------------------------------------------- forms and offsets


@pytest.mark.parametrize(
    ("text", "word", "lemma"),
    [
        ("قصفت الطائرات الحربية بلدة كفرنبل.", "قصفت", "قصف"),
        ("يقصفون القرى الآمنة منذ الصباح بحسب الأهالي.", "يقصفون", "قصف"),
        ("قال الناشطون إن عناصر النظام قصفوا المنطقة ليلا.", "قصفوا", "قصف"),
        ("أعلنت الوزارة أن مسيرة تركية استهدفتها قرب عين عيسى.", "استهدفتها", "استهدف"),
        ("تصدوا لمسيرات أطلقت نحو القاعدة فجر اليوم.", "تصدوا", "تصدى"),
        ("استعادوا السيطرة على التلال المحيطة بالبلدة.", "استعادوا", "استعاد"),
        ("اشتبكت دورية مع مسلحين في حي الكرامة.", "اشتبكت", "اشتبك"),
        ("أعدموا ثلاثة مدنيين بعد اقتحام القرية.", "أعدموا", "أعدم"),
    ],
)
def test_conjugated_verbs(text: str, word: str, lemma: str) -> None:
    m = only(text, lemma)
    assert (m.start, m.end) == (text.index(word), text.index(word) + len(word))
    assert m.data["pos"] == "verb"
    assert m.data["passive"] is None


@pytest.mark.parametrize(
    ("text", "word", "lemma"),
    [
        ("قتل مدنيان بقصف مدفعي على أريحا.", "قصف مدفعي", "قصف"),
        ("تضررت المنازل وبالقصف العنيف على الحي.", "القصف", "قصف"),
        ("تعرضت البلدة للغارات الجوية طوال الليل.", "غارات الجوية", "غارة"),
        ("وأسفرت الغارتين عن دمار كبير في السوق.", "الغارتين", "غارة"),
        ("نفذ الطيران غاراته على مواقع التنظيم في البادية.", "غاراته", "غارة"),
    ],
)
def test_nouns_with_clitics_and_suffixes(text: str, word: str, lemma: str) -> None:
    m = only(text, lemma)
    start = text.index(word)
    assert (m.start, m.end) == (start, start + len(word))
    assert m.data["pos"] == "noun"


def test_obfuscated_triggers_keep_exact_offsets() -> None:
    text = "وجرى تبادل القصـ.ف المدفـ.عي بعد الاشـ.تباكات التي شنت فيها الفصائل هجـ.وما على البلدة."
    found = {m.text: m for m in triggers(text)}
    assert found["تبادل القصـ.ف"].data["sub_event_type"] == "armed_clash"
    clash = found["الاشـ.تباكات"]
    assert (clash.start, clash.end) == (text.index("الاشـ.تباكات"), text.index("الاشـ.تباكات") + 12)
    assert clash.data["sub_event_type"] == "armed_clash"
    attack = found["هجـ.وما"]
    assert (attack.start, attack.end) == (text.index("هجـ.وما"), text.index("هجـ.وما") + 7)
    # المدفعي belongs to the exchange of fire, not to the assault after it
    assert attack.data["sub_event_type"] == "armed_clash"


def test_obfuscated_shelling_noun() -> None:
    text = "تواصل القصـ.ف المدفـ.عي على قرى سهل الغاب."
    m = only(text, "قصف")
    assert text[m.start : m.end] == "القصـ.ف المدفـ.عي"
    assert m.data["sub_event_type"] == "shelling_artillery_missile_attack"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=3))
def test_tatweel_anywhere_inside_a_trigger(cuts: list[int]) -> None:
    word = "اشتباكات"
    broken = word
    for c in sorted(set(cuts), reverse=True):
        broken = broken[:c] + "ـ" + broken[c:]
    text = f"تجددت {broken} على محور تل تمر."
    m = only(text, "اشتباك")
    assert text[m.start : m.end] == broken


# --------------------------------------------------------------------------- modifiers


def test_air_versus_artillery() -> None:
    air = only("قصفت طائرات حربية روسية مواقع في جبل التركمان.", "قصف")
    assert air.data["sub_event_type"] == "air_drone_strike"
    assert air.data["modifier"] == "طائرات"
    art = only("قصفت قوات النظام بقذائف الهاون بلدة كنصفرة.", "قصف")
    assert art.data["sub_event_type"] == "shelling_artillery_missile_attack"
    assert art.data["modifier"] in {"قذائف الهاون", "بقذائف", "قذائف"}
    plain = only("قصفت قوات النظام بلدة كنصفرة.", "قصف")
    assert plain.data["modifier"] is None and plain.data["defaulted"] is True


def test_nearest_modifier_wins() -> None:
    m = only("قصفت المدفعية التركية قاعدة جوية سابقة قرب منغ.", "قصف")
    assert m.data["sub_event_type"] == "shelling_artillery_missile_attack"


def test_air_base_is_not_an_air_cue() -> None:
    m = only("استهدفت قوات النظام القاعدة الجوية في كويرس.", "استهدف")
    assert m.data["sub_event_type"] == "shelling_artillery_missile_attack"


def test_modifier_does_not_cross_a_sentence() -> None:
    text = "قصفت قوات النظام بلدة البارة. وفي سياق آخر حلقت طائرات استطلاع فوق المنطقة."
    assert only(text, "قصف").data["sub_event_type"] == "shelling_artillery_missile_attack"
    # the same with the segmenter's sentences
    cut = text.index("وفي")
    sents = [Sentence(0, cut), Sentence(cut, len(text))]
    m = [t for t in triggers(text, sentences=sents) if t.data["lemma"] == "قصف"][0]
    assert m.data["sub_event_type"] == "shelling_artillery_missile_attack"


def test_targeting_by_weapon() -> None:
    drone = only("استهدفت طائرة مسيرة سيارة على طريق القامشلي.", "استهدف")
    assert drone.data["sub_event_type"] == "air_drone_strike"
    ied = only("استهدفت عبوة ناسفة دورية للشرطة العسكرية في عفرين.", "استهدف")
    assert ied.data["sub_event_type"] == "remote_explosive_landmine_ied"
    rocket = only("هجوم بصاروخ موجه على آلية عسكرية قرب سراقب.", "هجوم")
    assert rocket.data["sub_event_type"] == "shelling_artillery_missile_attack"


def test_kamikaze_drone_is_air_not_suicide() -> None:
    assert classify("ضربت مسيرة انتحارية مستودعا للذخيرة في ريف حلب.") == [
        ("explosions_remote_violence", "air_drone_strike")
    ]


# --------------------------------------------------------------------------- interception


def test_interception_is_disrupted_weapons_use() -> None:
    text = "تصدت الدفاعات الجوية لصواريخ أطلقت من الجولان المحتل."
    types = classify(text)
    assert ("strategic_developments", "disrupted_weapons_use") in types
    # the missiles it stopped are absorbed, not a second shelling event
    assert ("explosions_remote_violence", "shelling_artillery_missile_attack") not in types


def test_repelling_an_assault_is_a_clash() -> None:
    m = only("تصدت فصائل المعارضة لمحاولة تسلل على محور الملاجة.", "تصدى")
    assert (m.data["event_type"], m.data["sub_event_type"]) == ("battles", "armed_clash")


def test_destroyed_by_air_defence_or_by_aircraft() -> None:
    d = only("ودمرت وسائط الدفاع الجوي معظم الصواريخ المعادية.", "دمر")
    assert d.data["sub_event_type"] == "disrupted_weapons_use"
    a = only("دمر الطيران التركي مستودعات ذخيرة للوحدات الكردية.", "دمر")
    assert a.data["sub_event_type"] == "air_drone_strike"
    p = only("دمرت الميليشيا منازل المهجرين في القرية.", "دمر")
    assert p.data["sub_event_type"] == "looting_property_destruction"


# --------------------------------------------------------------------------- raids, territory


def test_raid_without_fire_is_arrests() -> None:
    m = only("داهمت قوات الأمن منازل في حي الشعار واعتقلت خمسة أشخاص.", "داهم")
    assert (m.data["event_type"], m.data["sub_event_type"]) == ("strategic_developments", "arrests")


def test_raid_with_fire_is_a_clash() -> None:
    m = only("داهمت دورية منزلا في بلدة الصور وتبادلت إطلاق النار مع مطلوبين.", "داهم")
    assert (m.data["event_type"], m.data["sub_event_type"]) == ("battles", "armed_clash")
    assert "إطلاق" in m.data["modifier"]


def test_territory_with_and_without_fighting() -> None:
    calm = only("دخلت قوات الحكومة مدينة البوكمال دون قتال بعد انسحاب الميليشيات.", "دخل")
    assert calm.data["sub_event_type"] == "non_violent_transfer_of_territory"
    took = only("سيطرت قوات الحكومة على حقل العمر دون قتال بعد انسحاب قسد منه.", "سيطر")
    assert took.data["without_fighting"] and took.data["after_withdrawal"]
    fought = only("سيطرت الفصائل على بلدة تادف بعد معارك عنيفة إثر انسحاب القوات.", "سيطر")
    assert fought.data["with_fighting"]
    assert not fought.data["without_fighting"] and not fought.data["after_withdrawal"]
    plain = only("سيطرت الفصائل على بلدة تادف.", "سيطر")
    assert not (plain.data["without_fighting"] or plain.data["after_withdrawal"])


def test_handover_needs_a_place() -> None:
    m = only("سلمت قسد مواقعها في تل رفعت إلى قوات النظام.", "سلم")
    assert m.data["sub_event_type"] == "non_violent_transfer_of_territory"
    assert classify("سلم الوفد رسالة إلى الأمين العام.") == []


# --------------------------------------------------------------------------- state, agreements, guards


def test_control_as_a_state_is_marked() -> None:
    ms = triggers("تقع البلدة في المناطق التي تسيطر عليها وحدات حماية الشعب.")
    assert ms and all(m.data["state"] for m in ms)
    ms = triggers("تخضع المدينة تحت سيطرة هيئة تحرير الشام منذ سنوات.")
    assert ms and all(m.data["state"] for m in ms)
    assert classify("تقع البلدة في المناطق التي تسيطر عليها وحدات حماية الشعب.") == []


def test_agreement_only_when_reached() -> None:
    assert classify("ناقش الوزيران إمكانية التوصل لوقف إطلاق النار في الشمال.") == []
    m = only("أبرمت الأطراف اتفاقا يقضي بخروج المقاتلين من البلدة.", "اتفاق")
    assert m.data["reached"] is True
    named = only("اتهم الوزير موسكو بخرق اتفاق سوتشي.", "اتفاق")
    assert named.data["named_agreement"] is True
    plural = only("قال إن البلدين لم يلتزما بالاتفاقات الموقعة.", "اتفاق")
    assert plural.data["named_agreement"] is True


@pytest.mark.parametrize(
    "text",
    [
        "قتل شاب برصاص مجهولين فجر اليوم في ريف درعا.",  # فجر = dawn
        "وصلت تعزيزات إلى مدينة تدمر.",  # تدمر = Palmyra (only the تعزيزات trigger)
        "أعلنت هيئة تحرير الشام تعيين قائد جديد.",  # group name
        "ضبطت الجمارك شاحنة محملة بصواريخ وأسلحة.",  # cargo, not a launch
        "شاركت النساء في مسيرة احتجاجية وسط المدينة.",  # a march, not a drone
        "دعا الشيخ إلى الحفاظ على السلم الأهلي.",  # peace, not hand-over
    ],
)
def test_false_trigger_guards(text: str) -> None:
    types = classify(text)
    assert ("explosions_remote_violence", "remote_explosive_landmine_ied") not in types
    assert ("explosions_remote_violence", "shelling_artillery_missile_attack") not in types
    assert ("explosions_remote_violence", "air_drone_strike") not in types
    assert ("battles", "non_state_actor_overtakes_territory") not in types
    assert ("strategic_developments", "looting_property_destruction") not in types
    assert ("strategic_developments", "non_violent_transfer_of_territory") not in types


def test_metaphorical_battle_is_still_a_noun_trigger() -> None:
    m = only("قال الرئيس إن معركتنا ضد الإرهاب مستمرة.", "معركة")
    assert m.data["pos"] == "noun"


def test_named_attack_is_fine() -> None:
    assert only("وذلك بعد أسبوع على هجوم أنقرة.", "هجوم").data["event_type"] == "battles"


def test_boilerplate_is_skipped() -> None:
    text = "اقرأ أيضا: غارات على ريف إدلب\nقصفت المدفعية بلدة البارة."
    cut = text.index("\n")
    ms = triggers(text, boilerplate=[(0, cut)])
    assert [m.data["lemma"] for m in ms] == ["قصف"]


def test_future_tense_is_a_hypothesis() -> None:
    doc = run("قال المسؤول إن قواته ستقصف مواقع الإرهابيين.")
    (t,) = doc.mentions_of("trigger")
    assert t.text == "تقصف" and t.data["future"] is True
    (h,) = doc.mentions_of("hypothetical")
    assert h.text == "س" and h.end == t.start


# --------------------------------------------------------------------------- cue words


def cues(text: str, kind: str) -> list[str]:
    return [m.text for m in run(text).mentions_of(kind)]


def test_denial_cues() -> None:
    text = "ونفت وزارة الدفاع هذه المزاعم ووصفتها بأنها عارية عن الصحة، وفق زعمها."
    found = cues(text, "denial")
    assert "نفت" in found and "المزاعم" in found
    assert any("عارية عن الصحة" in c for c in found)
    assert "وفق زعمها" in found


def test_negation_cues_and_blocks() -> None:
    assert cues("ولم تشهد المنطقة أي قصف خلال الليل.", "negation") == ["لم تشهد"]
    assert cues("ونفى وجود قوات روسية في المنطقة.", "negation") == ["نفى وجود"]
    assert cues("لا تزال الاشتباكات مستمرة على أطراف البلدة.", "negation") == []
    assert cues("قتل ما لا يقل عن عشرة مقاتلين في المعارك.", "negation") == []
    assert cues("ولم تسفر الغارة عن إصابات.", "negation") == []


def test_negation_offsets_skip_the_conjunction() -> None:
    text = "ولم تسجل أي إصابات."
    doc = run(text)
    (neg,) = doc.mentions_of("negation")
    assert text[neg.start : neg.end] == "لم تسجل"


def test_threat_cues() -> None:
    text = "وتوعدت أنقرة بشن عملية عسكرية جديدة في حال استمرت الهجمات."
    found = cues(text, "hypothetical")
    assert "توعدت" in found and "في حال" in found
    assert cues("قد تشن القوات هجوما جديدا.", "hypothetical") == ["قد"]
    assert cues("وكانت الطائرات قد قصفت المدينة.", "hypothetical") == []
    assert cues("يعتزم الجيش التركي إنشاء قاعدة جديدة.", "hypothetical") == ["يعتزم"]


def test_background_cues() -> None:
    text = "وتصنف تركيا الوحدات الكردية منظمة إرهابية، وتعد المدينة المعقل الأخير للتنظيم منذ عام 2019."
    found = cues(text, "background")
    assert "وتصنف" not in found and "تصنف" in found
    assert "المعقل الأخير" in found and "منذ عام" in found


def test_cue_data_is_the_lemma() -> None:
    doc = run("نفوا أن تكون الطائرات قد قصفت القرية.")
    (d,) = doc.mentions_of("denial")
    assert d.data["cue"] == "نفى"


# --------------------------------------------------------------------------- mechanism


def test_verb_forms_cover_the_paradigm() -> None:
    from rasid.extract.triggers import _conjugation

    conj = _conjugation(load_yaml("triggers.yaml"))
    forms = {f for f, _, _ in verb_forms("استعاد", "يستعيد", conj)}
    assert {"استعاد", "استعادت", "استعادوا", "استعدنا", "يستعيد", "تستعيد", "يستعيدون", "ستستعيد"} <= forms
    weak = {f for f, _, _ in verb_forms("تصدى", "يتصدى", conj)}
    assert {"تصدت", "تصدوا", "يتصدي", "يتصدون", "تتصدي"} <= weak


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="قصفتاليونبهمـ. \n،", max_size=60))
def test_spans_are_original_text(text: str) -> None:
    doc = run(text)
    for m in doc.mentions:
        assert 0 <= m.start <= m.end <= len(text)
        assert m.text == text[m.start : m.end]


def test_lexicon_is_cached() -> None:
    assert trigger_lexicon() is trigger_lexicon()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("قطع سكان القرية الطريق احتجاجا على الاعتقالات.", True),
        ("قطع أهالي قرية المشيرفة بريف عين عيسى الطريق أمام الدورية.", True),
        ("قطع الأهالي الطريق العام.", True),
        # punctuation ends the clause before the road is named
        ("قطع سكان القرية، ثم سلكوا الطريق نحو المدينة.", False),
        # too far: the road is no longer this verb's object
        ("قطع والد الطفل المصاب مسافة طويلة في البرد القارس حتى وصل إلى الطريق.", False),
        ("قطعت الشركة التيار الكهربائي عن الأحياء.", False),
    ],
)
def test_verb_with_tail_after_its_subject(text: str, expected: bool) -> None:
    assert (("protests", "peaceful_protest") in classify(text)) is expected


# --------------------------------------------------------------------------- triggers branch additions


@pytest.mark.parametrize(
    "text",
    [
        "ألقت المروحيات براميل متفجرة على بلدة كفرزيتا صباح اليوم.",
        "قُتل ثلاثة مدنيين بقصف بالبراميل المتفجرة على حي الشعار.",
        "ألقى الطيران المروحي أربعة براميل على أطراف بلدة اللطامنة.",
    ],
)
def test_barrel_bombs_are_air_strikes(text: str) -> None:
    found = classify(text)
    assert ("explosions_remote_violence", "air_drone_strike") in found
    assert ("explosions_remote_violence", "shelling_artillery_missile_attack") not in found


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("يقصف الطيران الحربي أحياء المدينة بانتظام منذ أشهر.", "بانتظام"),
        ("وتتواصل عمليات الاغتيال في ريف المحافظة بشكل شبه يومي.", "بشكل شبه يومي"),
        ("قتل عشرات الأشخاص في هجمات التنظيم على البادية منذ مطلع العام.", "منذ مطلع العام"),
    ],
)
def test_habit_and_period_cues_count_after_the_trigger(text: str, cue: str) -> None:
    doc = run(text)
    found = [m for m in doc.mentions_of("background") if m.data.get("after")]
    assert [text[m.start : m.end] for m in found] == [cue]


@pytest.mark.parametrize(
    "text",
    [
        "أطلقت الوزارة حملة لمواجهة ارتفاع الأسعار في الأسواق.",
        "دعا المحافظ إلى تشكيل لجنة لمواجهتها قبل الشتاء.",
        "تحتاج البلديات إلى معدات لمواجهة الحرائق في الغابات.",
    ],
)
def test_purpose_of_confronting_is_no_clash(text: str) -> None:
    assert classify(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "أغلق التجار محالهم احتجاجاً على رفع الضرائب.",
        "امتنع الطلاب عن حضور الدروس احتجاجا على سوء المعاملة.",
        "أعلن الموظفون التوقف عن العمل احتجاجا على تأخر الرواتب.",
    ],
)
def test_in_protest_at_is_no_protest_word(text: str) -> None:
    assert ("protests", "peaceful_protest") not in classify(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أغارت مجموعة من المقاتلين على نقاط الجيش في محور التلال.", ("battles", "armed_clash")),
        ("نفذ الانغماسيون عملية إغارة على مواقع الميليشيا قرب البلدة.", ("battles", "armed_clash")),
        ("تمكنت الفصائل خلال إغارة ليلية من قتل عدد من العناصر.", ("battles", "armed_clash")),
        (
            "أغارت مقاتلات حربية على أطراف البلدة فجر اليوم.",
            ("explosions_remote_violence", "air_drone_strike"),
        ),
    ],
)
def test_ground_raid_versus_air_raid(text: str, expected: tuple[str, str]) -> None:
    assert classify(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "قصفت الفصائل بالصواريخ مبنى فرع المخابرات الجوية في المدينة.",
        "استهدفت الفصائل بقذائف الهاون حاجزا للمخابرات الجوية عند مدخل البلدة.",
        "قصف مقاتلو المعارضة مقر الأمن الجوي بالمدفعية.",
    ],
)
def test_air_force_intelligence_is_no_air_cue(text: str) -> None:
    found = classify(text)
    assert ("explosions_remote_violence", "shelling_artillery_missile_attack") in found
    assert ("explosions_remote_violence", "air_drone_strike") not in found


@pytest.mark.parametrize(
    "text",
    [
        "أجبر مسلحون عشرات العائلات على مغادرة منازلهم في القرية.",
        "طرد عناصر الميليشيا الأهالي من بيوتهم تحت تهديد السلاح.",
        "أجبرت الميليشيا السكان على ترك أراضيهم بقوة السلاح.",
    ],
)
def test_families_forced_out_at_gunpoint(text: str) -> None:
    assert ("violence_against_civilians", "attack") in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "نقل الجرحى إلى المشفى وسط استنفار كبير لقوات الأمن.",
        "أعلنت الشرطة حالة استنفار في المدينة بعد التهديدات.",
        "تعيش الأحياء الشرقية حالة من الاستنفار منذ الصباح.",
    ],
)
def test_state_of_alert_is_no_event(text: str) -> None:
    assert classify(text) == []


@pytest.mark.parametrize(
    ("text", "advance"),
    [
        ("تقدمت قوات الجيش في حي الصناعة صباح اليوم.", True),
        ("وتتقدم قوات المعارضة نحو أطراف البلدة من الجهة الشرقية.", True),
        ("تقدمت فصائل المعارضة باتجاه التلال المحيطة بالقرية.", True),
        ("تقدم الأهالي بشكوى إلى المحافظ بشأن انقطاع المياه.", False),
        ("وتابعت القوات تقدمها في المنطقة الجبلية.", False),
    ],
)
def test_forces_advancing(text: str, advance: bool) -> None:
    found = [
        (m.data["event_type"], m.data["sub_event_type"]) for m in triggers(text) if m.data["lemma"] == "تقدم"
    ]
    assert found == ([("battles", "armed_clash")] if advance else [])


@pytest.mark.parametrize(
    "text",
    [
        "أعادت وحدات الجيش الأمن والاستقرار إلى قرية الخربة بعد القضاء على المسلحين.",
        "تمكن الجيش من إعادة الأمن والاستقرار إلى بلدات الريف الشرقي.",
        "وأعاد الجيش الأمن والأمان إلى حي الوعر.",
    ],
)
def test_restoring_security_to_places_is_a_takeover(text: str) -> None:
    assert ("battles", "government_regains_territory") in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "سقط ثلاثة قتلى خلال تفريق قوات الأمن مظاهرة في بلدة الحراك.",
        "فرقت الشرطة الاعتصام بالقوة وسقط شهيدان من المعتصمين.",
        "قُتل شاب برصاص الأجهزة الأمنية خلال تفريق تظاهرة في حي الخالدية.",
    ],
)
def test_deaths_at_a_dispersed_protest_are_excessive_force(text: str) -> None:
    found = classify(text)
    assert ("protests", "excessive_force_against_protesters") in found
    assert ("protests", "protest_with_intervention") not in found


@pytest.mark.parametrize(
    "text",
    [
        "وتابعت القوات تقدمها نحو التلال.",
        "لم يتوقف تقدمهم رغم الخسائر.",
        "وواصلت الفصائل تقدمه على هذا المحور.",
    ],
)
def test_intransitive_verbs_have_no_object_forms(text: str) -> None:
    assert [m for m in triggers(text) if m.data["lemma"] == "تقدم"] == []


@pytest.mark.parametrize(
    "text",
    [
        "أصيب شاب بجروح خطيرة، إثر تعرضه لإطلاق نار من قبل مجهولين قرب منزله.",
        "فارق طفل الحياة، بعد إطلاق النار عليه من مسلحين على الطريق العام.",
        "نجا مختار البلدة من الموت، جراء إطلاق الرصاص على سيارته من قبل ملثمين.",
    ],
)
def test_shooting_a_civilian_named_before_the_comma(text: str) -> None:
    assert ("violence_against_civilians", "attack") in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "نفذ التنظيم حكم الإعدام بحق ثلاثة رجال في ساحة البلدة.",
        "رجم عناصر التنظيم امرأة حتى الموت في مدينة الرقة.",
        "ذبح مسلحون عائلة كاملة في منزلها بالقرية.",
    ],
)
def test_executions_told_by_their_manner(text: str) -> None:
    assert ("violence_against_civilians", "attack") in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "أفرجت العصابة عن الطبيب مقابل فدية مالية كبيرة.",
        "عثر الأهالي على طفل مخطوف منذ يومين قرب البلدة.",
        "وثقت الرابطة حالة اختفاء قسري جديدة في المدينة.",
    ],
)
def test_kidnapping_phrasings(text: str) -> None:
    assert ("violence_against_civilians", "abduction_forced_disappearance") in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "تزايد عدد القتلى جراء القصف المدفعي على البلدة.",
        "يتعرض الحي لقصف عنيف منذ بدء الهجوم صباح اليوم.",
        "ارتفعت حصيلة الغارة على السوق إلى عشرة قتلى.",
    ],
)
def test_a_rising_toll_is_no_trend(text: str) -> None:
    doc = run(text)
    assert doc.mentions_of("background") == []


@pytest.mark.parametrize(
    "text",
    [
        "بدأت الطائرات المروحية، صباح اليوم، بشن هجمات على قرى الريف الغربي.",
        "واصل الطيران الحربي، لليوم الثالث، هجماته على أطراف المدينة.",
        "نفذت المقاتلات الحربية، بحسب المرصد، هجوما على مواقع التنظيم.",
    ],
)
def test_aircraft_as_the_doer_of_an_attack(text: str) -> None:
    assert classify(text) == [("explosions_remote_violence", "air_drone_strike")]


@pytest.mark.parametrize(
    "text",
    [
        "سمع الأهالي أصوات انفجارات متتالية من جهة المطار.",
        "وتحدث السكان عن أصوات الانفجارات وتحليق الطائرات طوال الليل.",
        "أفاد شهود بسماع صوت انفجار قرب الحاجز دون معرفة أسبابه.",
        "حلقت الطائرات فوق المنطقة وأعقب ذلك سماع دوي انفجارات في محيط العاصمة.",
    ],
)
def test_sounds_of_explosions_are_no_blast(text: str) -> None:
    assert ("explosions_remote_violence", "remote_explosive_landmine_ied") not in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "وافقت الفصائل المسلحة على تسليم البلدات للجيش مقابل خروج المقاتلين.",
        "وافق وجهاء المدينة على تسوية أوضاع المطلوبين وتسليم السلاح.",
        "ووافقت اللجنة المركزية على انسحاب المسلحين من الحي.",
    ],
)
def test_terms_agreed_to_are_an_agreement_not_a_handover(text: str) -> None:
    found = classify(text)
    assert ("strategic_developments", "agreement") in found
    doc = run(text)
    assert cues_of(doc, "hypothetical")


def cues_of(doc: Document, kind: str) -> list[str]:
    return [doc.text[m.start : m.end] for m in doc.mentions_of(kind)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "هز تفجير عنيف وسط المدينة. وقال مصدر إن الانتحاري فجر نفسه عند مدخل السوق.",
            "suicide_bomb",
        ),
        (
            "وقع انفجار في ساحة البلدة. وأفادت مصادر بأن مهاجما يرتدي حزاما ناسفا نفذ الهجوم.",
            "suicide_bomb",
        ),
        ("وقع انفجار في ساحة البلدة، ولم تعرف أسبابه.", "remote_explosive_landmine_ied"),
    ],
)
def test_bombing_in_an_article_telling_a_suicide_attack(text: str, expected: str) -> None:
    first = triggers(text)[0]
    assert first.data["sub_event_type"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("فرقت قوات الأمن المحتجين بالغاز المسيل للدموع.", [("protests", "protest_with_intervention")]),
        ("فرق عناصر الأمن المعتصمين أمام مبنى المحافظة.", [("protests", "protest_with_intervention")]),
        (
            "فرقت الشرطة المتظاهرين بالرصاص الحي وسقط قتيلان.",
            [("protests", "excessive_force_against_protesters")],
        ),
        ("فرق الجيش بين المدنيين والمسلحين عند الحاجز.", []),
    ],
)
def test_breaking_up_protesters_with_no_protest_word(text: str, expected: list[tuple[str, str]]) -> None:
    assert classify(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "تعرض رتل عسكري لكمين على طريق البادية.",
        "استهدفت طائرة مسيرة رتلا عسكريا قرب المعبر.",
        "انفجرت عبوة ناسفة بأرتال عسكرية على الطريق الدولي.",
    ],
)
def test_a_convoy_hit_is_no_troop_movement(text: str) -> None:
    assert ("strategic_developments", "other") not in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "وتتعهد الحكومة في هذا الإطار بتعليق غاراتها الجوية على المدينة.",
        "تعهد الجانب الروسي بوقف القصف على البلدات.",
        "ويتعهد الطرفان بعدم استهداف المدنيين.",
    ],
)
def test_a_pledge_is_no_event(text: str) -> None:
    assert cues(text, "hypothetical") or cues(text, "negation")


@pytest.mark.parametrize(
    "text",
    [
        "شنت قوات الأمن حملات دهم استهدفت أوكارا للمطلوبين في البلدة.",
        "هاجمت مجموعات مسلحة نقاط الأمن العام، واستهدفت عددا من الدوريات في المنطقة.",
        "اندلعت اشتباكات عنيفة استهدف خلالها المسلحون حاجزا للجيش.",
    ],
)
def test_targeted_after_a_raid_or_assault_tells_what_it_hit(text: str) -> None:
    assert ("explosions_remote_violence", "shelling_artillery_missile_attack") not in classify(text)


def test_targeted_with_a_weapon_after_an_assault_is_its_own_strike() -> None:
    text = "هاجمت الفصائل مواقع الجيش، واستهدفت بالمدفعية الثقيلة مقرات له في البلدة."
    assert ("explosions_remote_violence", "shelling_artillery_missile_attack") in classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "دعا الوزير إلى التركيز على مواجهة ارتفاع الأسعار في الأسواق.",
        "تعمل الحكومة على مواجهة الفساد في المؤسسات.",
        "أعلنت الوزارة خطة مواجهة فيروس كورونا في المحافظة.",
    ],
)
def test_confronting_a_problem_is_no_clash(text: str) -> None:
    assert ("battles", "armed_clash") not in classify(text)


def test_clashes_are_still_clashes() -> None:
    assert classify("اندلعت مواجهات مسلحة بين الطرفين في الحي.") == [("battles", "armed_clash")]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), max_size=8),
    st.integers(0, 7),
    st.tuples(st.integers(0, 30), st.integers(1, 3)),
)
def test_trigger_between_by_bisection_equals_the_scan(
    gaps: list[tuple[int, int]], pick: int, hit: tuple[int, int]
) -> None:
    # a sentence's matches run left to right without overlap; the bisection must agree with the scan
    from rasid.extract.triggers import Hit, _trigger_between
    from rasid.knowledge.matcher import Match

    matches, pos = [], 0
    for gap, size in gaps:
        pos += gap
        matches.append(Match(pos, pos + size, 0, 0, ("x",), (), 0, False))
        pos += size
    if not matches:
        return
    m = matches[pick % len(matches)]
    h = Hit("g", hit[0], hit[0] + hit[1], 0, 0)
    lo, hi = (m.last, h.first) if h.first >= m.last else (h.last, m.first)
    expected = any(o is not m and lo <= o.first and o.last <= hi for o in matches)
    assert _trigger_between(m, h, matches) == expected
    assert _trigger_between(m, h, list(reversed(matches))) == expected  # unordered: the scan
