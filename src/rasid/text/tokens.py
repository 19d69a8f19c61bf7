"""Word tokens over the folded text, and the clitic forms of a token.

A token is a run of letters and digits in the folded view. Arabic glues
conjunctions, prepositions and the article to the word (``وبحلب``,
``والقامشلي``, ``لإدلب``, ``للقوات``); :func:`clitic_variants` lists the ways to
read a token with those stripped, each with how many folded characters were
taken off the front, so a match can still report where the name itself starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasid.text.fold import Folded

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Token:
    start: int  # folded offsets
    end: int
    text: str
    joined: bool  # True when only spaces separate it from the previous token


def tokenize(folded: Folded) -> list[Token]:
    tokens: list[Token] = []
    text = folded.text
    prev_end = -1
    for m in _WORD.finditer(text):
        start, end = m.span()
        # joined: only spaces and tabs in the gap (never empty: the word pattern is greedy)
        joined = prev_end >= 0 and not text[prev_end:start].strip(" \t")
        tokens.append(Token(start, end, m.group(), joined))
        prev_end = end
    return tokens


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
