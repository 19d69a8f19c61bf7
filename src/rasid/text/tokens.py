"""Word tokens over the folded text, and the clitic forms of a token.

A token is a run of letters and digits in the folded view. Arabic glues
conjunctions, prepositions and the article to the word (``وبحلب``,
``والقامشلي``, ``لإدلب``, ``للقوات``); :func:`clitic_variants` lists the ways to
read a token with those stripped, each with how many folded characters were
taken off the front, so a match can still report where the name itself starts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from rasid.text.fold import Folded

_WORD_GAPS = re.compile(r"([^\W_]+)")  # a word, captured: split keeps the words between the gaps
_SPACES = re.compile(r"(\s+)")  # \s is exactly what str.split() splits at


@dataclass(slots=True, unsafe_hash=True)
class Token:
    """A word of the folded view. Treat as immutable: it is not frozen only because a frozen
    dataclass is several times slower to create, and a document makes hundreds of tokens."""

    start: int  # folded offsets
    end: int
    text: str
    joined: bool  # True when only spaces separate it from the previous token

    # Written out, not generated: see rasid.document.Mention.__init__.
    def __init__(self, start: int, end: int, text: str, joined: bool) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.joined = joined


def tokenize(folded: Folded) -> list[Token]:
    """The words of the folded view, each with whether only spaces or tabs separate it from the last.

    One ``split`` on a capturing pattern gives gap, word, gap, word, ..., gap:
    the offsets are running sums of their lengths, with no match object per
    word, and the lists are made by ``map`` and slicing, without a Python loop
    per word (a document has hundreds).
    """
    pieces = _WORD_GAPS.split(folded.text)
    if len(pieces) < 3:
        return []
    # piece k starts at offsets[k]; words are the odd pieces, gaps the even ones
    offsets = list(accumulate(map(len, pieces), initial=0))
    words = pieces[1::2]
    starts = offsets[1:-1:2]
    ends = offsets[2::2]
    # the gap before a word is never empty (the word pattern is greedy); the first word is not joined
    joined = [False]
    joined.extend(map(_joins, pieces[2:-1:2]))
    return list(map(Token, starts, ends, words, joined))


def _joins(gap: str) -> bool:
    """Only spaces or tabs in the gap between two words."""
    return gap == " " or not gap.strip(" \t")


@dataclass(frozen=True, slots=True)
class Variant:
    text: str  # the token read without its clitics
    skip: int  # folded characters before the name starts in the token
    stripped: int  # how many clitics were taken off (ranking: fewer is better)
    no_article: bool  # the article ال was also dropped to find it


_MIN_STEM = 2


@lru_cache(maxsize=200_000)
def clitic_variants(tok: str) -> tuple[Variant, ...]:
    """Readings of ``tok`` without leading clitics, most literal first (cached: every matcher asks)."""
    out = [Variant(tok, 0, 0, False)]
    base = [(tok, 0, 0)]
    if tok[0] in "وف" and len(tok) - 1 >= _MIN_STEM + 1:
        base.append((tok[1:], 1, 1))
    for v, skip, n in list(base):
        if v.startswith("لل") and len(v) - 2 >= _MIN_STEM:
            # لل = لـ + ال: "للقامشلي" reads "القامشلي", the name starts after لل
            base.append(("ال" + v[2:], skip + 2, n + 1))
        elif v[0] in "بلك" and len(v) - 1 >= _MIN_STEM + 1:
            base.append((v[1:], skip + 1, n + 1))
    for v, skip, n in base[1:]:
        out.append(Variant(v, skip, n, False))
    for v, skip, n in base:
        if v.startswith("ال") and len(v) - 2 >= _MIN_STEM + 1:
            out.append(Variant(v[2:], skip, n + 1, True))
    return tuple(out)


class FoldedWords:
    """The whitespace-separated words of a folded text, quotes and brackets read as spaces.

    :meth:`between` answers "the words of ``text[a:b]``" with two bisections and a
    slice instead of copying and splitting the text each time; a word cut by ``a``
    or ``b`` gives its piece inside, exactly as splitting the slice would.
    """

    __slots__ = ("text", "starts", "ends", "words")

    def __init__(self, text: str) -> None:
        self.text = text = text.replace('"', " ").replace("(", " ").replace(")", " ")
        # one split on captured whitespace gives word, space, word, ..., word (only the first and
        # the last word may be empty); offsets are running sums of their lengths (no loop per word)
        pieces = _SPACES.split(text)
        offsets = list(accumulate(map(len, pieces), initial=0))
        words = pieces[0::2]
        starts = offsets[0:-1:2]
        ends = offsets[1::2]
        first, last = (0 if words[0] else 1), (len(words) if words[-1] else len(words) - 1)
        if first or last < len(words):
            words, starts, ends = words[first:last], starts[first:last], ends[first:last]
        self.starts: list[int] = starts
        self.ends: list[int] = ends
        self.words: list[str] = words

    def between(self, a: int, b: int) -> list[str]:
        """``text[a:b].split()`` of the quote-free text (a new list)."""
        if a >= b:
            return []
        i = bisect_right(self.ends, a)  # first word that ends after a
        j = bisect_left(self.starts, b)  # words before j start before b
        out = self.words[i:j]
        if out:
            if self.starts[i] < a:
                out[0] = self.text[a : min(self.ends[i], b)]
            if self.ends[j - 1] > b:
                out[-1] = self.text[max(self.starts[j - 1], a) : b]
        return out


class StartFilter:
    """Which tokens can begin something, for a scanner that looks at every token.

    ``may_start(text)`` is asked once per token text and remembered (at most
    ``size`` texts, then forgotten), and :meth:`candidates` walks a token list
    skipping, without a Python call each, the tokens already known to begin
    nothing: what is left is a superset of the starts, in order, which the
    scanner tests with :meth:`__call__`.
    """

    __slots__ = ("may_start", "known", "size")

    def __init__(self, may_start: Callable[[str], bool], size: int = 20_000) -> None:
        self.may_start = may_start
        self.known: dict[str, bool] = {}
        self.size = size

    def __call__(self, text: str) -> bool:
        found = self.known.get(text)
        if found is None:
            found = self.may_start(text)
            if len(self.known) >= self.size:
                self.known.clear()
            self.known[text] = found
        return found

    def candidates(self, tokens: list[Token]) -> Iterator[int]:
        """Indexes of the tokens not known to begin nothing (lazily, so later answers count)."""
        get = self.known.get
        return (i for i, tok in enumerate(tokens) if get(tok.text, True))
