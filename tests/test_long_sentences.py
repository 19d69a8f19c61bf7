"""Over-long "sentences" (issue #20): a page with no sentence punctuation is cut into pieces of at
most ``max_sentence_tokens`` tokens, at a clause boundary where there is one, so that event
building, which pairs each trigger with the mentions of its sentence, stays linear."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document
from rasid.pipeline import extract_article, load_knowledge
from rasid.text.segment import SegmentRules, bounded, rules, segment, split_sentences

UNIT = "قصفت قوات النظام بلدة كفرنبل في ريف إدلب ما أدى إلى مقتل ثلاثة مدنيين بحسب المرصد "


def _doc(text: str) -> Document:
    doc = Document(Article("t", text))
    segment(doc)
    return doc


def _tokens(doc: Document, a: int, b: int) -> int:
    """How many tokens lie in the original span a..b."""
    starts = doc.token_starts
    return bisect_left(starts, doc.to_folded(b)) - bisect_left(starts, doc.to_folded(a))


def _small(limit: int) -> SegmentRules:
    return dataclasses.replace(rules(), max_sentence_tokens=limit)


def test_the_limit_is_above_real_sentences() -> None:
    # the longest sentence of the dev sets has 170 tokens: real news is never cut
    assert rules().max_sentence_tokens >= 200


def test_a_long_run_without_punctuation_is_cut_into_bounded_sentences() -> None:
    text = UNIT * 60  # 960 tokens, no punctuation, no line break
    doc = _doc(text)
    limit = rules().max_sentence_tokens
    assert len(doc.sentences) >= -(-len(doc.tokens) // limit) >= 4
    assert all(_tokens(doc, s.start, s.end) <= limit for s in doc.sentences)
    # every token is in exactly one sentence, in order
    assert sum(_tokens(doc, s.start, s.end) for s in doc.sentences) == len(doc.tokens)
    for s, t in zip(doc.sentences, doc.sentences[1:], strict=False):
        assert s.end <= t.start


def test_a_short_sentence_is_left_alone() -> None:
    text = UNIT.strip()
    doc = _doc(text)
    assert [(s.start, s.end) for s in doc.sentences] == split_sentences(text, 0, len(text))


def test_the_cut_falls_after_a_clause_mark() -> None:
    text = "قصفت قوات النظام بلدة كفرنبل وبلدة حاس، واستهدفت الطائرات مدينة سراقب ومعرة النعمان"
    doc = Document(Article("t", text))
    pieces = bounded(doc, 0, len(text), _small(8))
    assert [text[a:b] for a, b in pieces] == [
        "قصفت قوات النظام بلدة كفرنبل وبلدة حاس،",
        "واستهدفت الطائرات مدينة سراقب ومعرة النعمان",
    ]


def test_the_cut_falls_before_a_clause_opener() -> None:
    text = "اشتبكت فصائل المعارضة مع قوات النظام في محيط البلدة بينما قصفت الطائرات الروسية القرى المجاورة"
    doc = Document(Article("t", text))
    pieces = bounded(doc, 0, len(text), _small(12))
    assert [text[a:b] for a, b in pieces] == [
        "اشتبكت فصائل المعارضة مع قوات النظام في محيط البلدة",
        "بينما قصفت الطائرات الروسية القرى المجاورة",
    ]


def test_with_no_boundary_the_cut_falls_at_the_limit_between_words() -> None:
    text = " ".join(["قصف"] * 25)
    doc = Document(Article("t", text))
    pieces = bounded(doc, 0, len(text), _small(10))
    assert [_tokens(doc, a, b) for a, b in pieces] == [10, 10, 5]
    assert all(text[a:b] == " ".join(["قصف"] * _tokens(doc, a, b)) for a, b in pieces)


_WORDS = ["قصفت", "قوات", "النظام", "بلدة", "كفرنبل", "بينما", "في حين", "فيما يتعلق", "،", "و", "3.5", "x"]


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), max_size=120), limit=st.integers(min_value=1, max_value=30))
def test_pieces_are_ordered_bounded_and_keep_every_token(words: list[str], limit: int) -> None:
    text = " ".join(words)
    doc = Document(Article("t", text))
    pieces = [p for s, e in split_sentences(text, 0, len(text)) for p in bounded(doc, s, e, _small(limit))]
    for a, b in pieces:
        assert 0 <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        assert _tokens(doc, a, b) <= limit
    for (_, b), (a, _) in zip(pieces, pieces[1:], strict=False):
        assert b <= a
    # every word is in one piece (a piece of punctuation alone is no sentence)
    words_in = sum(_tokens(doc, a, b) for a, b in pieces)
    assert words_in >= sum(1 for t in doc.tokens if any(c.isalnum() for c in t.text))


def test_events_of_a_long_unpunctuated_page_stay_in_their_piece() -> None:
    load_knowledge()
    text = UNIT * 40
    records = extract_article(Article("flat", text))
    assert records
    for r in records:
        for ev in r["evidence"]:
            assert ev["end"] - ev["start"] < len(text) // 2  # no event spans the whole page
