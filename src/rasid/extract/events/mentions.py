"""Mentions as event building reads them: sentences, clauses, and mentions sorted for bisection."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from rasid.document import Document, Mention, Sentence
from rasid.text.segment import clauses


def sentences_of(doc: Document) -> list[Sentence]:
    if doc.sentences:
        return doc.sentences
    # the segmenter did not run: fall back to lines
    out, pos = [], 0
    for line in doc.text.split("\n"):
        if line.strip():
            out.append(Sentence(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def clauses_of(doc: Document, sent: Sentence) -> list[tuple[int, int]]:
    return clauses(doc, sent) or [(sent.start, sent.end)]


def inside(m: Mention, a: int, b: int) -> bool:
    return a <= m.start and m.end <= b


class Containers:
    """Mentions sorted by start, asked whether any of them contains a given mention."""

    def __init__(self, items: list[Mention]) -> None:
        self.starts = [m.start for m in items]
        # the furthest end among the first k items: some item starting at or before
        # m.start contains m exactly when that furthest end reaches m.end
        self.reach = list(accumulate((m.end for m in items), max))

    def contains(self, m: Mention) -> bool:
        """``any(p.start <= m.start and m.end <= p.end for p in items)``."""
        k = bisect_right(self.starts, m.start)
        return k > 0 and self.reach[k - 1] >= m.end


class ByStart:
    """Mentions sorted by start, so the ones inside a span are found by bisection, in order."""

    def __init__(self, items: list[Mention]) -> None:
        self.items = items
        self.starts = [m.start for m in items]

    def inside(self, a: int, b: int) -> list[Mention]:
        """``[m for m in items if inside(m, a, b)]``, looking only at mentions that start in [a, b]
        (so only their ends are left to test)."""
        lo, hi = bisect_left(self.starts, a), bisect_right(self.starts, b)
        return [m for m in self.items[lo:hi] if m.end <= b]


def clause_at(clauses: list[tuple[int, int]], pos: int, sent: Sentence) -> tuple[int, int]:
    return next(((a, b) for a, b in clauses if a <= pos < b), (sent.start, sent.end))


def title_index(doc: Document, sentences: list[Sentence]) -> int | None:
    """The index of the article's title: its first content line, when it has no full stop."""
    first = next((i for i, s in enumerate(sentences) if not doc.in_boilerplate(s.start)), None)
    if first is None:
        return None
    text = doc.text[sentences[first].start : sentences[first].end].rstrip()
    return None if text.endswith((".", "؟", "!")) else first


def nearest(items: list[Mention], pos: int, a: int, b: int, after_first: bool = True) -> Mention | None:
    here = [m for m in items if inside(m, a, b)]
    if not here:
        return None
    if after_first:
        following = [m for m in here if m.start >= pos]
        if following:
            return following[0]
    return min(here, key=lambda m: abs(m.start - pos))
