"""Fuzzing (issue #20): readers, the text layer, the number and date parsers and the whole extraction
with hypothesis. No exception escapes, every offset stays inside the text, and work stays linear in
the length of the text (counted in function calls, never timed).

The texts are built from pieces a hostile or broken page contains: event words, places, tolls and
dates, digits of three scripts, punctuation and none, bidi and zero-width controls, tatweel and
diacritics, Latin, emoji, stray markup and control characters.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document
from rasid.extract.dates import resolve_relative
from rasid.extract.numbers import parse_number
from rasid.extract.record import public
from rasid.pipeline import COMPONENTS, annotate_article, components, load_knowledge
from rasid.readers import ReadError, iter_articles
from rasid.text.fold import fold
from rasid.text.tokens import tokenize

WORDS = (
    "قصفت قوات النظام السوري بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي ما أدى إلى مقتل ثلاثة "
    "مدنيين وإصابة خمسة آخرين بحسب المرصد السوري لحقوق الإنسان شنت طائرات حربية روسية غارات على مدينة "
    "سراقب مساء أمس الاثنين اشتباكات عنيفة بين فصائل المعارضة وهيئة تحرير الشام قتل عشرات عشرين مئة "
    "ألفين أكثر من نحو حوالي يوم الأحد 10 كانون الأول ديسمبر 2024 انفجار عبوة ناسفة سيارة مفخخة منبج "
    "الرقة دير الزور حلب دمشق نفى لم تقصف مظاهرة احتجاج اغتيال اعتقال الجيش التركي قسد داعش"
).split()
ODD = [
    "،", ".", "؛", "؟", "!", ":", "(", ")", "«", "»", '"', "-", "\n", "\n\n", "\t", " ", "  ",
    "١٢٣", "۴۵", "3", "0", "1,000", "٫", "ـ", "\u064e", "\u0651", "\u0670",
    "\u202e", "\u202d", "\u202c", "\u2067", "\u2069", "\u200f", "\u200e", "\u200b", "\u200c", "\u200d", "\ufeff",
    "\x00", "\x07", "\r", "\u2028", "\ufffd", "<script>", "</p>", "&amp;", "İ", "ﻻ", "\ufdfa", "😀", "Idlib", "x" * 40,
]  # fmt: skip
piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=3))
joiner = st.sampled_from([" ", " ", " ", "", "، ", ". ", "\n", "ـ"])


@st.composite
def news(draw: st.DrawFn, max_pieces: int = 60) -> str:
    parts = draw(st.lists(piece, max_size=max_pieces))
    return "".join(p + draw(joiner) for p in parts)


_published = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))


@pytest.fixture(scope="module", autouse=True)
def _knowledge() -> None:
    load_knowledge()


def _check_document(doc: Document) -> None:
    text = doc.text
    for m in doc.mentions:
        assert 0 <= m.start <= m.end <= len(text), m
        assert text[m.start : m.end] == m.text, m
    for a, b in doc.boilerplate:
        assert 0 <= a <= b <= len(text)
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= len(text)
    for record in doc.events:
        out = public(record)
        json.dumps(out, ensure_ascii=False)
        for ev in out["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"], ev


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=news(), published=_published)
@example(text="", published=None)
@example(text="\u202eقصفت قوات النظام بلدة كفرنبل\u202c، ما أدى إلى مقتل ثلاثة مدنيين", published=None)
@example(text="ـ" * 500, published=None)
@example(text="قتل " * 200, published=dt.date(2024, 12, 10))
def test_extraction_never_raises_and_offsets_stay_inside(text: str, published: dt.date | None) -> None:
    _check_document(annotate_article(Article(id="fuzz", text=text, published=published)))


@settings(max_examples=300, deadline=None)
@given(text=news(max_pieces=12), published=_published)
def test_number_and_date_parsers_never_raise(text: str, published: dt.date | None) -> None:
    number = parse_number(text)
    if number is not None and number.value is not None:
        assert number.value >= 0
    date = resolve_relative(text, published)
    if date is not None and date.start is not None and date.end is not None:
        assert date.start <= date.end


@settings(max_examples=300, deadline=None)
@given(text=news())
def test_fold_and_tokens_stay_inside(text: str) -> None:
    folded = fold(text)
    assert all(0 <= o < len(text) for o in folded.offsets)
    for tok in tokenize(folded):
        assert 0 <= tok.start <= tok.end <= len(folded.text)


# --- readers: JSONL with any JSON, and pages of tag soup ------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | news(8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
_line = st.one_of(
    st.fixed_dictionaries(
        {"id": _json, "text": _json},
        optional={"html": _json, "published": _json, "url": _json, "outlet": _json, "title": _json},
    ),
    _json,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=6), raw=st.lists(st.binary(max_size=40), max_size=2))
def test_jsonl_reader_yields_one_result_per_line(
    tmp_path: Path, lines: list[object], raw: list[bytes]
) -> None:
    body = [json.dumps(x, ensure_ascii=False).encode() for x in lines] + [r.replace(b"\n", b" ") for r in raw]
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(body) + b"\n")
    out = list(iter_articles([str(path)]))
    real_lines = [b for b in body if b.strip()]
    assert len(out) == (len(real_lines) or 1)
    for item in out:
        assert isinstance(item, ReadError | Article)
        if isinstance(item, ReadError):
            assert item.path == str(path) and "\n" not in item.reason


_tag = st.sampled_from(
    ["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "<br/>", "<html>"]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(_tag, news(6)), max_size=30), suffix=st.sampled_from([".html", ".txt"]))
def test_tag_soup_reads_or_is_one_error(tmp_path: Path, parts: list[str], suffix: str) -> None:
    path = tmp_path / f"soup{suffix}"
    path.write_text("".join(parts), encoding="utf-8")
    (item,) = iter_articles([str(path)])
    if isinstance(item, Article):
        _check_document(annotate_article(item))
    else:
        assert item.path == str(path)


# --- linear work: function calls for a text and for the same text four times over ------------------

FILLER = (
    "وقال المتحدث إن الاجتماع ناقش الأوضاع الاقتصادية والخدمية في المنطقة وسبل تحسين الواقع المعيشي للسكان "
)
EVENTS = (
    "قصفت قوات النظام السوري بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي ما أدى إلى مقتل ثلاثة مدنيين "
    "وإصابة خمسة آخرين بحسب المرصد السوري لحقوق الإنسان "
)


def _calls(work: Callable[[], object]) -> int:
    n = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal n
        if event in ("call", "c_call"):
            n += 1

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return n


def _component_calls(text: str) -> dict[str, int]:
    doc = Document(Article(id="linear", text=text))
    out = {}
    for name, component in zip(COMPONENTS, components(), strict=True):
        out[name.split(":")[1]] = _calls(lambda c=component: c(doc))  # type: ignore[misc]
    return out


# Four times the text may cost at most this many times the calls (4 and some slack for fixed costs).
MAX_RATIO = 5.0
# The text layer, mentions and values; triggers and events are checked end to end below.
MENTION_STAGES = (
    "mark_boilerplate", "segment", "find_actors", "find_places", "resolve_short_forms",
    "find_numbers", "find_dates", "find_casualties",
)  # fmt: skip


@pytest.mark.parametrize("unit", [FILLER, EVENTS], ids=["filler", "events"])
@pytest.mark.parametrize("punctuated", [True, False], ids=["sentences", "no-punctuation"])
def test_mention_stages_are_linear(unit: str, punctuated: bool) -> None:
    unit = unit.rstrip() + ("، وأضاف.\n" if punctuated else " ")
    small, large = _component_calls(unit * 15), _component_calls(unit * 60)
    for stage in MENTION_STAGES:
        assert large[stage] <= MAX_RATIO * max(small[stage], 1), (stage, small[stage], large[stage])


def test_readers_are_linear(tmp_path: Path) -> None:
    def read(n: int) -> int:
        path = tmp_path / f"r{n}.jsonl"
        path.write_text(
            "".join(json.dumps({"id": f"a{i}", "text": EVENTS}, ensure_ascii=False) + "\n" for i in range(n)),
            encoding="utf-8",
        )
        return _calls(lambda: list(iter_articles([str(path)])))

    assert read(400) <= MAX_RATIO * read(100)


def test_whole_pipeline_is_linear_on_plain_prose() -> None:
    small = _calls(lambda: annotate_article(Article(id="s", text=FILLER * 15)))
    large = _calls(lambda: annotate_article(Article(id="l", text=FILLER * 60)))
    assert large <= MAX_RATIO * small, (small, large)


def test_whole_pipeline_is_linear_without_punctuation() -> None:
    """A page with no punctuation at all is cut into bounded sentences (segmentation.yaml's
    ``max_sentence_tokens``), and event building asks indexes, not the whole article, per trigger."""
    small = _calls(lambda: annotate_article(Article(id="s", text=EVENTS * 15)))
    large = _calls(lambda: annotate_article(Article(id="l", text=EVENTS * 60)))
    assert large <= MAX_RATIO * small, (small, large)


# --- the readers' own patterns on adversarial input -------------------------------------------------

_ADVERSARIAL = [
    b"<!---->",
    b"<!-- a --> ",
    b"<!--",
    b"<a ",
    b"<div",
    b"<meta charset",
    b"\xef\xbb\xbf",
    b" ",
    b"\x00\x06",
]


@pytest.mark.parametrize("unit", _ADVERSARIAL)
def test_reader_patterns_do_not_backtrack(tmp_path: Path, unit: bytes) -> None:
    """``<!----><!---->…`` once made the HTML sniffer backtrack exponentially (found while testing).

    Not a speed test: the budget is a hang detector, a hundred times what the work takes.
    """
    from rasid.budget import time_limit
    from rasid.readers.common import looks_like_html, utf16_codec

    data = unit * 20_000 + "قصفت قوات النظام بلدة كفرنبل".encode()
    with time_limit(30):
        looks_like_html(data)
        utf16_codec(data)
        path = tmp_path / "adversarial.txt"
        path.write_bytes(data)
        list(iter_articles([str(path)]))
