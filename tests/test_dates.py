"""Dates resolved against the article date (a Tuesday: 2024-12-10 unless said otherwise)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document
from rasid.extract.dates import DateValue, find_dates, resolve_relative

TUESDAY = dt.date(2024, 12, 10)
D = dt.date


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("الثلاثاء", D(2024, 12, 10), D(2024, 12, 10), "day"),
        ("يوم الأحد", D(2024, 12, 8), D(2024, 12, 8), "day"),
        ("مساء أمس الاثنين", D(2024, 12, 9), D(2024, 12, 9), "day"),
        ("أمس الأحد", D(2024, 12, 9), D(2024, 12, 9), "day"),  # disagreement: trust أمس
        ("اليوم السبت", D(2024, 12, 10), D(2024, 12, 10), "day"),
        ("فجر الجمعة", D(2024, 12, 6), D(2024, 12, 6), "day"),
        ("الإثنين الماضي", D(2024, 12, 9), D(2024, 12, 9), "day"),
        ("الأربعاء", D(2024, 12, 4), D(2024, 12, 4), "day"),
        ("أمس", D(2024, 12, 9), D(2024, 12, 9), "day"),
        ("البارحة", D(2024, 12, 9), D(2024, 12, 9), "day"),
        ("اليوم", D(2024, 12, 10), D(2024, 12, 10), "day"),
        ("الليلة", D(2024, 12, 10), D(2024, 12, 10), "day"),
        ("أول أمس", D(2024, 12, 8), D(2024, 12, 8), "day"),
        ("ليل الاثنين الثلاثاء", D(2024, 12, 9), D(2024, 12, 10), "day"),
        ("الأسبوع الماضي", D(2024, 12, 3), D(2024, 12, 9), "week"),
        ("الشهر الماضي", D(2024, 11, 1), D(2024, 11, 30), "month"),
        ("العام الماضي", D(2023, 1, 1), D(2023, 12, 31), "year"),
        ("قبل يومين", D(2024, 12, 8), D(2024, 12, 8), "day"),
        ("قبل 3 أيام", D(2024, 12, 7), D(2024, 12, 7), "day"),
        ("قبل ثلاثة أيام", D(2024, 12, 7), D(2024, 12, 7), "day"),
        ("قبل أسبوع", D(2024, 11, 30), D(2024, 12, 6), "week"),
        ("17 آذار 2018", D(2018, 3, 17), D(2018, 3, 17), "day"),
        ("١٧ آذار ٢٠١٨", D(2018, 3, 17), D(2018, 3, 17), "day"),
        ("السبت 17 آذار 2018", D(2018, 3, 17), D(2018, 3, 17), "day"),
        ("في آذار 2018", D(2018, 3, 1), D(2018, 3, 31), "month"),
        ("عام 2016", D(2016, 1, 1), D(2016, 12, 31), "year"),
        ("2024-12-09", D(2024, 12, 9), D(2024, 12, 9), "day"),
        ("9/12/2024", D(2024, 12, 9), D(2024, 12, 9), "day"),
        ("5 ديسمبر", D(2024, 12, 5), D(2024, 12, 5), "day"),
        ("3 تشرين الثاني", D(2024, 11, 3), D(2024, 11, 3), "day"),
        ("في كانون الثاني/يناير 2019", D(2019, 1, 1), D(2019, 1, 31), "month"),
        ("22 من الشهر الماضي", D(2024, 11, 22), D(2024, 11, 22), "day"),
        ("شهر آب", D(2024, 8, 1), D(2024, 8, 31), "month"),
        ("في العاشر من أيلول 2023", D(2023, 9, 10), D(2023, 9, 10), "day"),
        ("الحادي والعشرين من آذار", D(2024, 3, 21), D(2024, 3, 21), "day"),
        ("الخامس عشر من الشهر الماضي", D(2024, 11, 15), D(2024, 11, 15), "day"),
    ],
)
def test_phrases(phrase: str, start: dt.date, end: dt.date, precision: str) -> None:
    got = resolve_relative(phrase, TUESDAY)
    assert got is not None, phrase
    assert (got.start, got.end, got.precision) == (start, end, precision)


def test_relative_flag() -> None:
    assert resolve_relative("أمس", TUESDAY).relative is True
    assert resolve_relative("17 آذار 2018", TUESDAY).relative is False


def test_past_weekday_is_strictly_before_the_article_day() -> None:
    monday = D(2024, 12, 9)
    assert resolve_relative("الاثنين", monday).start == monday
    assert resolve_relative("الاثنين الماضي", monday).start == D(2024, 12, 2)


@pytest.mark.parametrize(
    ("published", "phrase", "start"),
    [
        (D(2024, 2, 10), "في تشرين الثاني", D(2023, 11, 1)),  # no year: the latest not after the article
        (D(2024, 12, 10), "في تشرين الثاني", D(2024, 11, 1)),
        (D(2024, 3, 10), "في 17 آذار", D(2023, 3, 17)),
        (D(2024, 3, 20), "في 17 آذار", D(2024, 3, 17)),
    ],
)
def test_year_guess(published: dt.date, phrase: str, start: dt.date) -> None:
    assert resolve_relative(phrase, published).start == start


@pytest.mark.parametrize("a", ["كانون الثاني", "يناير", "جانفي"])
def test_month_systems_agree(a: str) -> None:
    assert resolve_relative(f"في 4 {a} 2020", TUESDAY).start == D(2020, 1, 4)


@pytest.mark.parametrize(
    "phrase", ["مساء أمس الاثنين", "الأسبوع الماضي", "قبل يومين", "اليوم السبت", "17 آذار"]
)
def test_no_article_date_gives_unknown(phrase: str) -> None:
    assert resolve_relative(phrase, None) == DateValue(None, None, "unknown", True)


def test_explicit_date_needs_no_article_date() -> None:
    assert resolve_relative("17 آذار 2018", None).start == D(2018, 3, 17)


@pytest.mark.parametrize("text", ["مارس الجيش ضغوطا على الفصائل", "قال أب لثلاثة أطفال", "قتل 5 أشخاص"])
def test_ambiguous_words_are_not_dates(text: str) -> None:
    assert resolve_relative(text, TUESDAY) is None


@settings(max_examples=100, deadline=None)
@given(published=st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)), weekday=st.integers(0, 6))
def test_weekday_is_never_after_the_article(published: dt.date, weekday: int) -> None:
    names = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
    got = resolve_relative(f"يوم {names[weekday]}", published)
    assert got.start.weekday() == weekday
    assert 0 <= (published - got.start).days < 7


def _doc(text: str, published: dt.date | None = TUESDAY) -> Document:
    doc = Document(Article("t", text, published=published))
    find_dates(doc)
    return doc


def test_mentions_slice_original_text() -> None:
    text = (
        "وقال مصدران أمنيان مساءَ أمسِ الاثنين إن الطائرات قصفت المطار، بعد غارة مماثلة في ١٧ آذار/مارس ٢٠١٨."
    )
    doc = _doc(text)
    got = [(m.text, m.data["start"], m.data["precision"]) for m in doc.mentions_of("date")]
    assert got == [("مساءَ أمسِ الاثنين", "2024-12-09", "day"), ("١٧ آذار/مارس ٢٠١٨", "2018-03-17", "day")]
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text


def test_month_pair_is_one_mention() -> None:
    doc = _doc("وفي كانون الثاني (يناير) الماضي شنت الطائرات غارات.")
    (m,) = doc.mentions_of("date")
    assert m.text == "كانون الثاني (يناير) الماضي"
    assert (m.data["start"], m.data["end"], m.data["precision"]) == ("2024-01-01", "2024-01-31", "month")


def test_same_month_follows_the_last_named_month() -> None:
    doc = _doc("بدأت العملية في 3 آذار 2018، وفي 22 من الشهر ذاته سيطرت القوات على البلدة.")
    assert [m.data["start"] for m in doc.mentions_of("date")] == ["2018-03-03", "2018-03-22"]


def test_same_month_without_context_uses_article_month() -> None:
    doc = _doc("وفي 5 من الشهر نفسه انسحبت القوات.")
    assert [m.data["start"] for m in doc.mentions_of("date")] == ["2024-12-05"]


def test_unknown_keeps_mention() -> None:
    doc = _doc("قصفت الطائرات مواقع الفصيل الأسبوع الماضي.", published=None)
    (m,) = doc.mentions_of("date")
    assert m.text == "الأسبوع الماضي"
    assert (m.data["start"], m.data["end"], m.data["precision"]) == (None, None, "unknown")


def test_boilerplate_is_skipped() -> None:
    text = "قصف الطيران البلدة أمس. نشر يوم الأحد"
    doc = Document(Article("t", text, published=TUESDAY))
    doc.boilerplate = [(text.index("نشر"), len(text))]
    find_dates(doc)
    assert [m.text for m in doc.mentions_of("date")] == ["أمس"]
