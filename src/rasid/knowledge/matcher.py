"""A compiled dictionary matcher over folded tokens (spaCy's PhraseMatcher idea).

Actors, places, claim sources and trigger words are all lists of phrases. They
are folded and indexed once; :meth:`PhraseMatcher.find` then walks a
document's tokens and reports, at each position, the longest phrase that
matches, reading each token with and without its clitics
(:func:`rasid.text.tokens.clitic_variants`). Matches carry folded offsets;
:meth:`Match.original_span` turns them into offsets into the original text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rasid.text.fold import Folded, fold
from rasid.text.tokens import Token, clitic_variants, tokenize


@dataclass(frozen=True, slots=True)
class Match:
    first: int  # token index of the first token
    last: int  # token index after the last token
    start: int  # folded offsets of the matched name (clitics excluded)
    end: int
    key: tuple[str, ...]  # the folded phrase that matched
    payloads: tuple[Any, ...]
    stripped: int
    no_article: bool

    def original_span(self, folded: Folded) -> tuple[int, int]:
        return folded.span(self.start, self.end)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token tuple a phrase is indexed under."""
    return tuple(t.text for t in tokenize(fold(phrase)))


class PhraseMatcher:
    """Phrases -> payloads, matched longest-first over folded tokens."""

    def __init__(self, allow_article_drop: bool = False) -> None:
        self._phrases: dict[tuple[str, ...], list[Any]] = {}
        self._lengths: dict[str, list[int]] = {}
        self.allow_article_drop = allow_article_drop

    def __len__(self) -> int:
        return len(self._phrases)

    def add(self, phrase: str, payload: Any) -> None:
        key = phrase_key(phrase)
        if not key:
            return
        self.add_key(key, payload)

    def add_key(self, key: tuple[str, ...], payload: Any) -> None:
        bucket = self._phrases.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)
        lengths = self._lengths.setdefault(key[0], [])
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)

    def add_many(self, items: Iterable[tuple[str, Any]]) -> None:
        for phrase, payload in items:
            self.add(phrase, payload)

    def lookup(self, phrase: str) -> list[Any]:
        return list(self._phrases.get(phrase_key(phrase), ()))

    def match_at(self, tokens: Sequence[Token], i: int) -> Match | None:
        """Best match starting at token ``i``: longest, then fewest clitics stripped."""
        best: Match | None = None
        for v in clitic_variants(tokens[i].text):
            if v.no_article and not self.allow_article_drop:
                continue
            lengths = self._lengths.get(v.text)
            if not lengths:
                continue
            for n in lengths:
                if i + n > len(tokens) or (best is not None and n <= best.last - best.first):
                    continue
                if any(not tokens[j].joined for j in range(i + 1, i + n)):
                    continue
                key = (v.text, *(tokens[j].text for j in range(i + 1, i + n)))
                payloads = self._phrases.get(key)
                if payloads:
                    best = Match(
                        i,
                        i + n,
                        tokens[i].start + v.skip,
                        tokens[i + n - 1].end,
                        key,
                        tuple(payloads),
                        v.stripped,
                        v.no_article,
                    )
                    break
        return best

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Non-overlapping matches, scanning left to right, longest at each point."""
        out: list[Match] = []
        i = 0
        while i < len(tokens):
            m = self.match_at(tokens, i)
            if m is None:
                i += 1
            else:
                out.append(m)
                i = m.last
        return out
