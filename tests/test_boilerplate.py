"""Boilerplate: page furniture of scraped Arabic news is marked, article content is not."""

from __future__ import annotations

import pytest

from rasid.document import Article, Document
from rasid.text.boilerplate import mark_boilerplate, split_lines, words

PAGE = """\
اشترك مجانا بقناة الشرق اليوم على يوتيوب
قصف مدفعي يستهدف بلدات في ريف حماة الشمالي
قصف مدفعي يستهدف بلدات في ريف حماة الشمالي
الشرق اليوم – متابعات:
قصفت قوات النظام بالمدفعية الثقيلة بلدتي اللطامنة وكفرزيتا في ريف حماة الشمالي صباح اليوم الأربعاء.

وقال مراسلنا إن القصف أدى إلى إصابة ثلاثة مدنيين بجروح متفاوتة، ونقلوا إلى مشفى ميداني قريب.
إقرأ أيضاً: مقتل عنصرين من قوات النظام بانفجار لغم في ريف إدلب
وأضاف المراسل أن الفصائل ردت باستهداف مواقع للنظام في محيط بلدة صوران بقذائف الهاون.
شارك    فيسبوك    تويتر    واتساب
تابعونا على تلغرام للمزيد من الأخبار العاجلة
وكانت المنطقة قد شهدت تصعيدا مماثلا خلال الأسبوع الماضي أسفر عن نزوح عشرات العائلات باتجاه الحدود التركية.
🔴🔴
التعليقات (3)

    3

الأكثر قراءة

غارات روسية على جبل الزاوية
💡 أهم المواضيع
✨ أهم التصنيفات
"""


def marked(text: str) -> list[str]:
    doc = Document(Article("t", text))
    mark_boilerplate(doc)
    assert doc.boilerplate == sorted(doc.boilerplate)
    for a, b in doc.boilerplate:
        # whole lines: a range starts at a line start and ends at a line end
        assert a == 0 or text[a - 1] == "\n"
        assert b == len(text) or text[b] == "\n"
    return [text[a:b] for a, b in doc.boilerplate]


def content(text: str) -> str:
    doc = Document(Article("t", text))
    mark_boilerplate(doc)
    return "".join(ch for i, ch in enumerate(text) if not doc.in_boilerplate(i))


def test_scraped_page() -> None:
    got = marked(PAGE)
    kept = content(PAGE)
    assert got[0] == "اشترك مجانا بقناة الشرق اليوم على يوتيوب"
    # headline kept once, the repeat marked
    assert kept.count("قصف مدفعي يستهدف بلدات في ريف حماة الشمالي") == 1
    assert PAGE.index("قصف مدفعي") < len(got[0]) + 2  # the first copy is the one kept
    assert "الشرق اليوم – متابعات:" in kept  # desk line is harmless, kept
    assert "بلدتي اللطامنة وكفرزيتا" in kept
    assert "إصابة ثلاثة مدنيين" in kept
    assert "انفجار لغم" not in kept  # the linked headline is not content
    assert "صوران بقذائف الهاون" in kept
    assert "واتساب" not in kept
    assert "تابعونا" not in kept
    assert "نزوح عشرات العائلات" in kept
    for junk in ("🔴", "التعليقات", "الأكثر قراءة", "جبل الزاوية", "أهم المواضيع", "أهم التصنيفات"):
        assert junk not in kept, junk
    assert kept.strip().endswith("باتجاه الحدود التركية.")


def test_spelling_variants_match() -> None:
    # hamza, ta marbuta, tatweel and tanween variants of the data phrases
    text = (
        "قصفت طائرات حربية مواقع في محيط مدينة سراقب شرقي إدلب صباح اليوم.\n"
        "اقرا ايضا: الدفاع المدني يخمد حرائق في ريف اللاذقية\n"
        "الاكثر قراءه\n"
        "إقـــرأ أيضًا - تصعيد في درعا البلد\n"
    )
    got = marked(text)
    assert "الاكثر قراءه" in got[0]
    assert "الدفاع المدني" in got[0] and "تصعيد في درعا" in got[0]  # three lines merged into one range
    assert "سراقب" in content(text)


def test_read_also_heading_on_its_own_line_takes_the_next_headline() -> None:
    text = (
        "استهدفت مسيرة سيارة عسكرية على طريق الرقة الحسكة ما أدى إلى مقتل عنصرين.\n"
        "اقرأ أيضاً:\n"
        "\n"
        "انفجار عبوة ناسفة في مدينة الباب بريف حلب\n"
        "وأوضح المصدر أن المسيرة أطلقت صاروخين على السيارة قرب قرية تل السمن.\n"
    )
    kept = content(text)
    assert "عبوة ناسفة" not in kept
    assert "مقتل عنصرين" in kept and "تل السمن" in kept


def test_counters_emoji_and_share_lines() -> None:
    text = (
        "اندلعت اشتباكات عنيفة بين فصائل محلية في ريف درعا الغربي مساء أمس.\n"
        "١٢\n"
        "(0)\n"
        "⭐️ ✨\n"
        "طباعة\n"
        "Facebook Twitter WhatsApp\n"
        "مشاركة على فيسبوك\n"
        "وأكد ناشطون سقوط قتيلين في الاشتباكات.\n"
    )
    got = marked(text)
    assert got == ["١٢\n(0)\n⭐️ ✨\nطباعة\nFacebook Twitter WhatsApp\nمشاركة على فيسبوك"]


def test_news_sentences_that_start_like_boilerplate_are_kept() -> None:
    text = (
        "شارك عشرات المقاتلين في الهجوم على مواقع قوات النظام قرب بلدة كفرنبل.\n"
        "تابعت الطائرات الحربية غاراتها على ريف إدلب الجنوبي حتى ساعات المساء.\n"
        "وقال الجيش الوطني على معرفاته في التلغرام إن قواته سيطرت على قريتين.\n"
        "2019\n"
    )
    got = marked(text)
    assert got == ["2019"]


def test_most_read_near_top_does_not_swallow_the_article() -> None:
    text = (
        "الأكثر قراءة\n"
        "قصفت قوات النظام بالمدفعية الثقيلة قرى في جبل الزاوية جنوبي إدلب صباح اليوم الخميس.\n"
        "وأفاد الدفاع المدني بإصابة طفلين بجروح جراء القصف على بلدة البارة.\n"
    )
    assert marked(text) == ["الأكثر قراءة"]
    assert "بلدة البارة" in content(text)


def test_repeat_far_below_is_content() -> None:
    para = "قصفت طائرات مسيرة تركية موقعا لقوات سوريا الديمقراطية قرب مدينة القامشلي."
    filler = "\n".join(f"وأضاف المصدر في السطر {i} أن الطائرات حلقت فوق المنطقة لساعات." for i in range(6))
    text = f"{para}\n{filler}\n{para}\n"
    assert marked(text) == []


def test_clean_text_has_no_boilerplate() -> None:
    text = "قتل مدني برصاص مجهولين في مدينة طفس بريف درعا الغربي، بحسب ناشطين محليين."
    assert marked(text) == []
    assert marked("") == []


@pytest.mark.parametrize(
    "text",
    [
        "معـ.ارك\nالقصـ.ف المدفـ.عي\n\n",
        "اشتباكات.\n.قوات ـ\nـ.ـ هجوم\ufefb",
        "\n\nقال \ufdfa في حلب\nİstanbul 12\n",
    ],
)
def test_split_lines_words_come_from_one_fold_of_the_text(text: str) -> None:
    # split_lines tokenizes the whole text once; each line must get what folding it alone gives
    assert [ln.words for ln in split_lines(text)] == [words(raw) for raw in text.split("\n")]


def test_most_read_list_near_top_is_boilerplate_up_to_the_article() -> None:
    text = (
        "الأكثر قراءة\n\n"
        "غارات روسية على جسر الشغور\n\n"
        "اعتقالات في ريف درعا\n\n"
        "قصفت قوات النظام بالمدفعية الثقيلة قرى في جبل الزاوية جنوبي إدلب صباح اليوم الخميس، "
        "وأفاد الدفاع المدني بإصابة طفلين بجروح جراء القصف على بلدة البارة.\n"
    )
    assert marked(text) == ["الأكثر قراءة\n\nغارات روسية على جسر الشغور\n\nاعتقالات في ريف درعا"]
    kept = content(text)
    assert "جسر الشغور" not in kept and "ريف درعا" not in kept
    assert "بلدة البارة" in kept
