"""Folding: one spelling per word for matching, and an offset map back to the original."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rasid.text.fold import (
    Folded,
    _fold_chars,
    _obfuscation_positions_re,
    fold,
    fold_phrase,
    obfuscation_positions,
)
from rasid.text.tokens import FoldedWords, tokenize


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(fold(text))]


# --- what folds to what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("أحمد إدلب آمنة ٱلله", "احمد ادلب امنه الله"),  # hamza on/under alef, madda, wasla
        ("مستشفى الهدى", "مستشفي الهدي"),  # alef maqsura
        ("مدينة الرقة", "مدينه الرقه"),  # ta marbuta
        ("مسؤول سوريّة بِئر", "مسوول سوريه بير"),  # hamza on waw / on ya, shadda, kasra
        ("قُتِلَ شخصٌ", "قتل شخص"),  # harakat and tanween
        ("الاشتـــباكات", "الاشتباكات"),  # tatweel
        ("٢٠٢٤ و۱۲", "2024 و12"),  # Eastern Arabic and Persian digits
        ("کرکوک گروه پیام چه ژاله", "كركوك كروه بيام جه زاله"),  # Persian letters
        ("“قسد” و«داعش» ‹ي›", '"قسد" و"داعش" "ي"'),  # curly quotes and guillemets
        ("قصف، ثم؛ هل؟ ٪٥", "قصف, ثم; هل? %5"),  # Arabic punctuation
        ("Idlib ISIS", "idlib isis"),  # Latin lower-cased
    ],
)
def test_fold_table(original: str, folded: str) -> None:
    assert fold(original).text == folded


def test_zero_width_and_direction_marks_are_removed() -> None:
    assert fold("ال\u200cمعارك\u200f في\u200b حلب").text == "المعارك في حلب"
    assert words("مع\u200bارك") == ["معارك"]


def test_presentation_forms_expand() -> None:
    # lam-alef ligature and isolated/final forms from old PDFs
    assert fold("\ufefb").text == "لا"
    assert fold("\ufe8d\ufedf\ufeae\ufed8\ufe94").text == "الرقه"


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("بعد معـ.ارك عنيفة", ["بعد", "معارك", "عنيفه"]),
        ("تبادل القصـ.ف المدفـ.عي", ["تبادل", "القصف", "المدفعي"]),
        ("شنت هجـ.وما عنـ.يفاً", ["شنت", "هجوما", "عنيفا"]),
        ("في الاشـ.تباكات الأخيرة", ["في", "الاشتباكات", "الاخيره"]),
        ("مجـ*ـزرة", ["مجزره"]),
        ("مع.ارك", ["معارك"]),  # short left piece without tatweel
        ("أضـ\u200b.رار", ["اضرار"]),  # zero-width next to the mark
    ],
)
def test_deobfuscation(original: str, expected: list[str]) -> None:
    assert words(original) == expected


def test_missing_space_after_period_stays_two_words() -> None:
    assert words("نقلت الوكالة.قوات النظام") == ["نقلت", "الوكاله", "قوات", "النظام"]
    assert obfuscation_positions("الوكالة.قوات") == set()


def test_decimal_point_is_not_obfuscation() -> None:
    assert obfuscation_positions("بلغت 3.5 كيلومتر") == set()
    assert words("3.5") == ["3", "5"]


def test_fold_phrase_collapses_spaces() -> None:
    assert fold_phrase("  الأكثر\u00a0  قراءة ") == "الاكثر قراءه"


def test_span_covers_trailing_marks() -> None:
    text = "شنّت هجوماً عنيفاً"
    f = fold(text)
    i = f.text.index("هجوما")
    a, b = f.span(i, i + len("هجوما"))
    assert text[a:b] == "هجوماً"


def test_span_maps_deobfuscated_word_to_whole_original() -> None:
    text = "بعد معـ.ارك عنيفة"
    f = fold(text)
    i = f.text.index("معارك")
    a, b = f.span(i, i + 5)
    assert text[a:b] == "معـ.ارك"


def test_empty_span_and_to_folded() -> None:
    f = fold("قصف إدلب")
    assert f.span(3, 3) == (3, 3)
    assert f.span(len(f.text), len(f.text)) == (len("قصف إدلب"), len("قصف إدلب"))
    assert f.to_folded(4) == 4


# --- the offset guarantee, for any text -----------------------------------------------------------

_ARABIC = [chr(c) for c in range(0x0621, 0x064B)]
_MARKS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]
_EXTRA = list("ٱیکگپچژۀةىئؤآأإ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789")
_PRESENTATION = [chr(c) for c in range(0xFE70, 0xFEFD) if chr(c).isprintable()] + [
    chr(c) for c in (0xFB50, 0xFB56, 0xFB8A, 0xFBFC, 0xFDF2, 0xFDF3, 0xFDF4)
]
# Ligatures of whole phrases (ﷺ ﷻ ﷽): folding deletes them.
_PHRASE_LIGATURES = ["\ufdfa", "\ufdfb", "\ufdfd"]
_PUNCT = list(" .  *_·•،,؛;؟?!:-–—\"“”«»‹›'‘’()\n\t") + [
    "\u00a0",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200f",
    "\ufeff",
]
_OTHER = list("abcXYZéİß") + ["\u00ad", "\u061c", "\u0640", "🙂", "✨"]

arabicish = st.text(
    alphabet=st.sampled_from(
        _ARABIC * 4
        + _MARKS
        + _EXTRA
        + _PRESENTATION
        + _PHRASE_LIGATURES
        + _PUNCT * 2
        + _OTHER
        + ["\u0640"] * 4
    ),
    max_size=80,
)
anything = st.text(max_size=40)
texts = st.one_of(arabicish, arabicish, anything)


def _check_offsets(text: str, f: Folded) -> None:
    assert len(f.offsets) == len(f.text)
    assert list(f.offsets) == sorted(f.offsets)  # non-decreasing
    assert all(0 <= o < len(text) for o in f.offsets)
    assert f.original == text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("معـ.ارك")
@example("الوكالة.قوات")
@example("\ufefb\ufef5")
@example("ـ.ـ")
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    _check_offsets(text, fold(text))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("القصـ.ف المدفـ.عي")
@example("هجـ.وماً")
@example("لا\ufefbلا")
@example("İstanbul")
def test_token_spans_refold_to_the_token(text: str) -> None:
    folded = fold(text)
    for t in tokenize(folded):
        a, b = folded.span(t.start, t.end)
        assert 0 <= a < b <= len(text)
        refolded = [x.text for x in tokenize(fold(text[a:b]))]
        assert refolded == [t.text], (text, t, text[a:b])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, st.lists(texts, max_size=6).map("".join)))
@example("İstanbul قصف")
@example("ΣΑΣ ﻻ معـ.ارك")
@example("\ufdfa\u0640.\u0640")
def test_fast_fold_equals_the_character_loop(text: str) -> None:
    # fold() translates runs of one-to-one characters at once; it must agree with the plain loop
    assert fold(text) == _fold_chars(text)


def _tokens_by_matching(text: str) -> list[tuple[int, int, str, bool]]:
    """The reference tokeniser: every word match, joined when only spaces and tabs precede it."""
    out: list[tuple[int, int, str, bool]] = []
    prev_end = -1
    for m in re.finditer(r"[^\W_]+", text):
        joined = prev_end >= 0 and not text[prev_end : m.start()].strip(" \t")
        out.append((m.start(), m.end(), m.group(), joined))
        prev_end = m.end()
    return out


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, st.text(alphabet="قصف _\t\n،.1٢", max_size=20)))
@example("")
@example("  قصف\t\tمدفعي،\nعلى 12 موقعاً ")
@example("_قصف_")
def test_tokenize_splits_like_matching_every_word(text: str) -> None:
    folded = fold(text)
    got = [(t.start, t.end, t.text, t.joined) for t in tokenize(folded)]
    assert got == _tokens_by_matching(folded.text)


_MARKS_AND_STRETCH = st.text(alphabet="بتـ\u200b\u200c\u200d.*_·• a\u0671\u06fc\u06fd\u0620", max_size=16)


@settings(max_examples=600, deadline=None)
@given(st.one_of(texts, _MARKS_AND_STRETCH))
@example("معـ.ارك")
@example("\u200bـ.\u200cب")
@example("ب\u200b\u200c.ـ")
def test_broken_word_marks_agree_with_the_regex(text: str) -> None:
    # obfuscation_positions looks outward from each mark; the one-regex version is the reference
    assert obfuscation_positions(text) == _obfuscation_positions_re(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='ab ب"()\n\u00a0\x1c', max_size=24), st.integers(0, 26), st.integers(0, 26))
@example('a"b(c) d', 2, 6)
def test_folded_words_between_is_split_of_the_slice(text: str, a: int, b: int) -> None:
    clean = text.replace('"', " ").replace("(", " ").replace(")", " ")
    assert FoldedWords(text).between(a, b) == clean[a:b].split()


@settings(max_examples=200, deadline=None)
@given(texts)
def test_fold_is_idempotent_on_tokens(text: str) -> None:
    once = [t.text for t in tokenize(fold(text))]
    twice = [t.text for t in tokenize(fold(" ".join(once)))]
    assert twice == once


def test_phrase_ligatures_fold_away() -> None:
    # ﷺ is one character for four words: folding drops it rather than invent tokens
    # whose original span is one shared character.
    for text in _PHRASE_LIGATURES:
        assert tokenize(fold(text)) == []
    f = fold("قال \ufdfa في حلب")
    assert [t.text for t in tokenize(f)] == ["قال", "في", "حلب"]


@pytest.mark.parametrize(
    "cls_path",
    [
        "rasid.document:Mention",
        "rasid.text.tokens:Token",
        "rasid.knowledge.matcher:Match",
        "rasid.knowledge.actors:_Cand",
        "rasid.geo.places:Cand",
        "rasid.extract.triggers:Hit",
    ],
)
def test_written_out_init_takes_the_fields_in_order_with_their_defaults(cls_path: str) -> None:
    """These dataclasses spell out __init__ (the compiled build compiles it); it must match the fields."""
    import dataclasses
    import importlib
    import inspect

    module, name = cls_path.split(":")
    cls = getattr(importlib.import_module(module), name)
    if not inspect.isfunction(cls.__init__):
        pytest.skip("compiled: the pure-Python run of the tests checks the source")
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert p.default is None, f.name  # None stands for a fresh default_factory() value
        else:
            assert p.default is inspect.Parameter.empty, f.name
    # and it sets every field: build one from its own values and compare
    some = {f.name: f"value-{k}" for k, f in enumerate(fields)}
    made = cls(**some)
    assert {f.name: getattr(made, f.name) for f in fields} == some


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, st.text(alphabet='قصف "()\t\n\u00a0ـ.', max_size=24)))
@example("")
@example(' "قصف" (مدفعي)\t\n')
def test_folded_words_offsets_are_those_of_every_non_space_run(text: str) -> None:
    words = FoldedWords(text)
    clean = text.replace('"', " ").replace("(", " ").replace(")", " ")
    runs = list(re.finditer(r"\S+", clean))
    assert words.starts == [m.start() for m in runs]
    assert words.ends == [m.end() for m in runs]
    assert words.words == clean.split()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("القصـ.ف المدفـ.عي")
@example("")
@example("\ufefb\ufef5 مُحَمَّدٌ")  # ligatures that expand, marks that vanish
def test_document_to_folded_table_agrees_with_bisection(text: str) -> None:
    from rasid.document import Article, Document

    doc = Document(Article(id="t", text=text))
    for pos in range(-2, len(text) + 3):
        assert doc.to_folded(pos) == doc.folded.to_folded(pos), pos


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(texts, st.text(alphabet='قصف "()\t\nـ.ﻻ', max_size=24)),
    st.integers(-3, 30),
    st.integers(-3, 30),
)
@example("القصـ.ف المدفـ.عي", 2, 9)
def test_document_words_between_is_the_words_of_the_folded_span(text: str, start: int, end: int) -> None:
    from rasid.document import Article, Document

    doc = Document(Article(id="t", text=text))
    expected = doc.words.between(doc.to_folded(max(start, 0)), doc.to_folded(max(end, start)))
    assert doc.words_between(start, end) == expected
