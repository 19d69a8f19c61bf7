"""Counts in Arabic text: digits, number words, duals, hedges, ranges, and what is not a count."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document
from rasid.extract.numbers import NumberValue, find_numbers, parse_number

# --------------------------------------------------------------------------- a small int -> words writer

_UNITS_TA = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"]
_UNITS_NO_TA = ["", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر"]
_TEENS_TA = ["أحد عشر", "اثنا عشر"] + [f"{u} عشر" for u in _UNITS_TA[3:10]]
_TEENS_NO_TA = ["إحدى عشرة", "اثنتا عشرة"] + [f"{u} عشرة" for u in _UNITS_NO_TA[3:10]]
_TENS = ["", "", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
_TENS_GEN = ["", "", "عشرين", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين"]
_HUNDREDS = ["", "مئة", "مئتان", "ثلاثمئة", "أربعمئة", "خمسمئة", "ستمئة", "سبعمئة", "ثمانمئة", "تسعمئة"]


def _below_1000(n: int, ta: bool, genitive: bool, maia: bool) -> str:
    """1..999 in words: units before tens (خمسة وعشرون), hundreds first (مئة وخمسة)."""
    units = _UNITS_TA if ta else _UNITS_NO_TA
    parts = []
    h, r = divmod(n, 100)
    if h:
        word = _HUNDREDS[h]
        parts.append(word.replace("مئة", "مائة").replace("مئتان", "مائتان") if maia else word)
    if 1 <= r <= 10:
        parts.append(units[r])
    elif 11 <= r <= 19:
        parts.append((_TEENS_TA if ta else _TEENS_NO_TA)[r - 11])
    elif r >= 20:
        u, t = r % 10, (_TENS_GEN if genitive else _TENS)[r // 10]
        parts.append(f"{units[u]} و{t}" if u else t)
    return " و".join(parts)


def arabic_words(n: int, ta: bool = True, genitive: bool = False, maia: bool = False) -> str:
    """0..999,999 written out the way a news wire would."""
    if n == 0:
        return "صفر"
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        parts.append("ألف")
    elif thousands == 2:
        parts.append("ألفين" if genitive else "ألفان")
    elif thousands:
        head = _below_1000(thousands, ta, genitive, maia)
        last_two = thousands % 100
        scale = "آلاف" if 3 <= last_two <= 10 else "ألفا" if 11 <= last_two <= 99 else "ألف"
        parts.append(f"{head} {scale}")
    if rest:
        parts.append(_below_1000(rest, ta, genitive, maia))
    return " و".join(parts)


@settings(max_examples=400, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=999_999),
    ta=st.booleans(),
    genitive=st.booleans(),
    maia=st.booleans(),
)
def test_number_words_round_trip(n: int, ta: bool, genitive: bool, maia: bool) -> None:
    words = arabic_words(n, ta, genitive, maia)
    got = parse_number(words)
    assert got is not None, words
    assert got.value == n, words


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("خمسة وعشرين", 25),
        ("ثلاث مئة", 300),
        ("مائتي", 200),
        ("اثنتي عشرة", 12),
        ("مئتا ألف", 200_000),
        ("مليون", 1_000_000),
        ("ثلاثة ملايين", 3_000_000),
        ("عشرة آلاف", 10_000),
    ],
)
def test_number_word_forms(words: str, value: int) -> None:
    assert parse_number(words) == NumberValue(value)


_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10_000_000), eastern=st.booleans(), grouped=st.booleans())
def test_digits_round_trip(n: int, eastern: bool, grouped: bool) -> None:
    text = f"{n:,}" if grouped else str(n)
    if eastern:
        text = text.translate(_EASTERN)
    got = parse_number(f"قتل {text} شخصا")
    assert got is not None and got.value == n


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5 مليون", 1_500_000), ("3 آلاف", 3000), ("١٥٠ ألف", 150_000), ("1,200", 1200)],
)
def test_digits_with_scales(text: str, value: int) -> None:
    assert parse_number(text) == NumberValue(value)


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("أكثر من 100 مقاتل", "more_than", 100),
        ("ما يزيد عن خمسين عنصرا", "more_than", 50),
        ("نحو 500 مسلح", "about", 500),
        ("قرابة ثلاثين مدنيا", "about", 30),
        ("حوالي 40 شخصا", "about", 40),
        ("زهاء ألف عنصر", "about", 1000),
        ("ما يقارب 70 عائلة", "about", 70),
        ("ما لا يقل عن عشرة أشخاص", "at_least", 10),
        ("على الأقل 6 مدنيين", "at_least", 6),
        ("12 شخصا على الأقل", "at_least", 12),
        ("أقل من عشرين", "less_than", 20),
        ("بنحو 15 قذيفة", "about", 15),
    ],
)
def test_qualifiers(text: str, qualifier: str, value: int) -> None:
    got = parse_number(text)
    assert got is not None
    assert (got.qualifier, got.value) == (qualifier, value)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("بين 10 و15 قتيلا", 10, 15),
        ("ما بين عشرة وعشرين", 10, 20),
        ("10 إلى 15 عنصرا", 10, 15),
        ("10-15 مدنيا", 10, 15),
        ("٢٠ – ٣٠ شخصا", 20, 30),
        ("ثلاثة أو أربعة أشخاص", 3, 4),
    ],
)
def test_ranges(text: str, low: int, high: int) -> None:
    got = parse_number(text)
    assert got is not None
    assert (got.value, got.value_high) == (low, high)


@pytest.mark.parametrize(
    "word",
    [
        "دبابتين",
        "شرطيين",
        "مدنيان",
        "عنصرين",
        "طفلين",
        "امرأتين",
        "والشاحنتين",
        "قتيلين",
        "صاروخين",
        "جنديان",
    ],
)
def test_dual_nouns_count_two(word: str) -> None:
    assert parse_number(word) == NumberValue(2)


def test_plural_that_looks_like_a_dual_is_not_two() -> None:
    assert parse_number("مدنيين") is None
    assert parse_number("عسكريين") is None


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("عشرات القتلى", "dozens"),
        ("العشرات من الجرحى", "dozens"),
        ("مئات العائلات", "hundreds"),
        ("آلاف النازحين", "thousands"),
        ("عدد من العناصر", "several"),
        ("العديد من المسلحين", "several"),
        ("عدة مواقع", "several"),
        ("بضعة أيام", "several"),
    ],
)
def test_vague_quantities(text: str, qualifier: str) -> None:
    assert parse_number(text) == NumberValue(None, qualifier=qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "في عام 2016",
        "منذ العام ٢٠١١",
        "في 17 آذار",
        "17 من الشهر الجاري",
        "داخل اللواء 93",
        "عناصر الفرقة 17",
        "على طريق M4",
        "عند الساعة 10:30",
        "بتاريخ 2024-12-09",
        "في 9/12/2024",
        "حتى آذار 2018",
    ],
)
def test_not_counts(text: str) -> None:
    assert parse_number(text) is None, text


def test_percent_is_marked() -> None:
    assert parse_number("ارتفع بنسبة 25%") == NumberValue(25, unit="percent")
    assert parse_number("نحو 40 بالمئة من السكان") == NumberValue(40, qualifier="about", unit="percent")


def test_short_word_after_preposition_is_not_a_number() -> None:
    assert parse_number("لست متأكدا من الرواية") is None


def _doc(text: str) -> Document:
    doc = Document(Article("t", text))
    find_numbers(doc)
    return doc


def test_mentions_slice_original_text() -> None:
    text = "أكدت المصادر مقتل خمـسة وعشـرين عنصراً ونحو ٣٠ مدنياً، وتدمير دبابتين في عام 2016."
    doc = _doc(text)
    got = [(m.text, m.data["value"], m.data["qualifier"]) for m in doc.mentions_of("number")]
    assert got == [
        ("خمـسة وعشـرين", 25, "exact"),
        ("نحو ٣٠", 30, "about"),
        ("دبابتين", 2, "exact"),
    ]
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text


def test_boilerplate_is_skipped() -> None:
    text = "قتل 5 مدنيين. التعليقات (3)"
    doc = Document(Article("t", text))
    doc.boilerplate = [(text.index("التعليقات"), len(text))]
    find_numbers(doc)
    assert [m.data["value"] for m in doc.mentions_of("number")] == [5]


def test_range_mention_carries_high_value() -> None:
    doc = _doc("وتراوح عدد القتلى بين 10 و15 عنصرا.")
    (m,) = doc.mentions_of("number")
    assert (m.text, m.data["value"], m.data["value_high"]) == ("بين 10 و15", 10, 15)


@pytest.mark.parametrize(("text", "value"), [("و5 آخرين", 5), ("و12 عنصرا", 12), ("ف3 منهم", 3)])
def test_digits_after_a_one_letter_conjunction(text: str, value: int) -> None:
    """``و5 آخرين``: a conjunction written onto the digits."""
    got = parse_number(text)
    assert got is not None and got.value == value


@pytest.mark.parametrize(
    "text",
    ["وأعدم التنظيم مقاتليْن في الساحة.", "وأصيب مدنيَيْن بالقصف.", "واعتقلت الدورية شابيْن من البلدة."],
)
def test_dual_told_by_its_vowels(text: str) -> None:
    """``مقاتليْن`` (the sukun marks a dual; plain مقاتلين is a plural) counts two."""
    doc = Document(Article("t", text))
    find_numbers(doc)
    (m,) = doc.mentions_of("number")
    assert m.data["value"] == 2 and text[m.start : m.end] == m.text


def test_plain_plural_is_no_dual() -> None:
    doc = Document(Article("t", "وقتل مقاتلين من الفصيل."))
    find_numbers(doc)
    assert doc.mentions_of("number") == []
