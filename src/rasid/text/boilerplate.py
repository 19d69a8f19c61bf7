"""Mark the lines of a scraped page that are not article content.

Plain text copied from news sites keeps the page furniture: "subscribe to our
channel" lines, "read also: <another headline>", share bars, comment counters,
"most read" lists at the bottom, emoji section markers, and the headline
printed twice. None of it may produce events (SPEC section 1), yet a "read
also" headline looks exactly like news. :func:`mark_boilerplate` sets
``doc.boilerplate`` to whole-line ranges of the original text; later stages
skip them.

The phrases live in ``rasid/data/boilerplate.yaml`` and are compared on folded
words (see :mod:`rasid.text.fold`), so hamza, ta marbuta and tatweel spellings
all match.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from operator import attrgetter

from rasid.document import Document
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import Folded, fold
from rasid.text.tokens import Token, tokenize

Words = tuple[str, ...]


@dataclass(frozen=True)
class BoilerplateRules:
    """The phrase lists of boilerplate.yaml as folded word tuples."""

    line_prefixes: tuple[Words, ...]
    whole_lines: frozenset[Words]
    share_words: frozenset[str]
    tail_headings: frozenset[Words]
    tail_min_position: float
    heading_takes_next: frozenset[Words]
    linked_headline_max_words: int
    repeat_window: int
    # derived: line_prefixes by first word, so a line is compared only with those it can start with
    prefixes_by_word: dict[str, tuple[Words, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_word: dict[str, list[Words]] = {}
        for p in self.line_prefixes:
            by_word.setdefault(p[0], []).append(p)
        object.__setattr__(self, "prefixes_by_word", {k: tuple(v) for k, v in by_word.items()})


def words(text: str) -> Words:
    """Folded word tokens of ``text`` (punctuation, emoji and spacing dropped)."""
    return tuple(t.text for t in tokenize(fold(text)))


@lru_cache(maxsize=1)
def rules() -> BoilerplateRules:
    data = load_yaml("boilerplate.yaml")

    def phrases(key: str) -> list[Words]:
        return [w for w in (words(p) for p in data.get(key) or []) if w]

    return BoilerplateRules(
        line_prefixes=tuple(sorted(set(phrases("line_prefixes")), key=len, reverse=True)),
        whole_lines=frozenset(phrases("whole_lines")),
        share_words=frozenset(w for p in phrases("share_words") for w in p),
        tail_headings=frozenset(phrases("tail_headings")),
        tail_min_position=float(data.get("tail_min_position", 0.5)),
        heading_takes_next=frozenset(phrases("heading_takes_next")),
        linked_headline_max_words=int(data.get("linked_headline_max_words", 25)),
        repeat_window=int(data.get("repeat_window", 5)),
    )


@dataclass(frozen=True)
class Line:
    start: int  # original offsets, newline excluded
    end: int
    words: Words  # folded words
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str, folded: Folded | None = None, tokens: list[Token] | None = None) -> list[Line]:
    """Every line of ``text`` with its original offsets and folded words.

    The words come from folding and tokenizing the whole text once (pass the
    document's ``folded`` and ``tokens`` to reuse them): folding works character
    by character and neither a broken word nor a token crosses a newline, so a
    line's tokens are exactly :func:`words` of that line.
    """
    if folded is None or tokens is None:
        folded = fold(text)
        tokens = tokenize(folded)
    out: list[Line] = []
    pos = 0
    k = 0
    # each token's original start (increasing): a line's tokens are found by bisection, not one by one
    starts = list(map(folded.offsets.__getitem__, map(_START, tokens)))
    texts = list(map(_TEXT, tokens))
    for raw in text.split("\n"):
        end = pos + len(raw)
        first = k
        k = bisect_left(starts, end, first)
        out.append(Line(pos, end, tuple(texts[first:k]), raw))
        pos = end + 1
    return out


_START = attrgetter("start")
_TEXT = attrgetter("text")


def _without_numbers(w: Words) -> Words:
    return tuple(filterfalse(str.isdigit, w))


def line_kind(line: Line, r: BoilerplateRules) -> str | None:
    """Why a single line is boilerplate on its own, or None when it may be content."""
    if line.blank:
        return None
    w = line.words
    if not w:
        return "symbols"  # emoji-only, separators, lone punctuation
    core = _without_numbers(w)
    if not core:
        return "number"  # a bare counter such as "0" or "(12)"
    if core in r.whole_lines:
        return "heading"
    if any(w[: len(p)] == p for p in r.prefixes_by_word.get(w[0], ())):
        return "prefix"
    if all(x in r.share_words for x in core):
        return "share"
    return None


def mark_boilerplate(doc: Document) -> None:
    """Set ``doc.boilerplate`` to sorted, merged whole-line ranges that are not content."""
    r = rules()
    lines = split_lines(doc.text, doc.folded, doc.tokens)
    marked = [line_kind(line, r) is not None for line in lines]
    _mark_linked_headlines(lines, marked, r)
    _mark_repeated_headline(lines, marked, r)
    _mark_tail(lines, marked, r, len(doc.text))
    doc.boilerplate = _merge([(ln.start, ln.end) for ln, m in zip(lines, marked, strict=True) if m], doc.text)


def _mark_linked_headlines(lines: list[Line], marked: list[bool], r: BoilerplateRules) -> None:
    """``اقرأ أيضا:`` alone on its line: the next non-blank line is the linked headline."""
    for i, line in enumerate(lines):
        if _without_numbers(line.words) not in r.heading_takes_next:
            continue
        j = _next_nonblank(lines, i + 1)
        if j is not None and len(lines[j].words) <= r.linked_headline_max_words:
            marked[j] = True


def _mark_repeated_headline(lines: list[Line], marked: list[bool], r: BoilerplateRules) -> None:
    """The headline printed again right below itself: keep the first copy."""
    seen: set[Words] = set()
    count = 0
    for i, line in enumerate(lines):
        if line.blank or marked[i]:
            continue
        count += 1
        if count > r.repeat_window:
            return
        if line.words in seen:
            marked[i] = True
        elif line.words:
            seen.add(line.words)


def _mark_tail(lines: list[Line], marked: list[bool], r: BoilerplateRules, size: int) -> None:
    """A "most read" / "related" heading: the list of other articles under it.

    Late in the page everything after the heading is other articles. Earlier (a
    sidebar printed before the article) only the run of short headline lines right
    under it is: the list ends at the first line that reads like article text (long,
    or ending a sentence with a full stop).
    """
    for i, line in enumerate(lines):
        if _without_numbers(line.words) not in r.tail_headings:
            continue
        if line.start >= r.tail_min_position * size:
            for j in range(i, len(lines)):
                marked[j] = marked[j] or not lines[j].blank
            return
        marked[i] = True
        for j in range(i + 1, len(lines)):
            if lines[j].blank:
                continue
            if not _headline_like(lines[j], r):
                break
            marked[j] = True


def _headline_like(line: Line, r: BoilerplateRules) -> bool:
    """A short line that does not end a sentence: a linked headline, not a paragraph."""
    text = line.text.rstrip()
    return 0 < len(line.words) <= r.linked_headline_max_words and not text.endswith((".", "؟", "!", ":"))


def _next_nonblank(lines: list[Line], i: int) -> int | None:
    while i < len(lines):
        if not lines[i].blank:
            return i
        i += 1
    return None


def _merge(ranges: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join ranges that touch or are separated only by whitespace."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and not text[out[-1][1] : a].strip():
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
