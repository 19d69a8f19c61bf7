"""A compiled dictionary matcher over folded tokens (spaCy's PhraseMatcher idea).

Actors, places, claim sources and trigger words are all lists of phrases. They
are folded and indexed once; :meth:`PhraseMatcher.find` then walks a
document's tokens and reports, at each position, the longest phrase that
matches, reading each token with and without its clitics
(:func:`rasid.text.tokens.clitic_variants`). Matches carry folded offsets;
:meth:`Match.original_span` turns them into offsets into the original text.

Speed: a document is scanned by dozens of matchers, token by token, and almost
every token starts no phrase of a given matcher. Each matcher therefore keeps,
per token text, the readings of that token that begin one of its phrases
(:meth:`PhraseMatcher.readings`); a token that begins none is rejected with a
single dictionary lookup, and :class:`MatcherSet` answers "which of these
matchers can start here" for a whole group of matchers at once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

from rasid.knowledge import scan
from rasid.knowledge.scan import Entry
from rasid.text.fold import Folded, fold
from rasid.text.tokens import Token, Variant, clitic_variants, tokenize

# A token's readings that begin a phrase, with the phrase lengths to try (longest first).
Readings = tuple[tuple[Variant, tuple[int, ...]], ...]

_TEXT = attrgetter("text")

# Per-matcher cache of token texts; emptied when full so memory stays bounded on any corpus.
_READINGS_CACHE_SIZE = 20_000


@dataclass(slots=True, unsafe_hash=True)
class Match:
    """A phrase found in the tokens. Treat as immutable (use :func:`dataclasses.replace`); it is
    not frozen only because frozen dataclasses are slow to create."""

    first: int  # token index of the first token
    last: int  # token index after the last token
    start: int  # folded offsets of the matched name (clitics excluded)
    end: int
    key: tuple[str, ...]  # the folded phrase that matched
    payloads: tuple[Any, ...]
    stripped: int
    no_article: bool

    # Written out, not generated: see rasid.document.Mention.__init__.
    def __init__(
        self,
        first: int,
        last: int,
        start: int,
        end: int,
        key: tuple[str, ...],
        payloads: tuple[Any, ...],
        stripped: int,
        no_article: bool,
    ) -> None:
        self.first = first
        self.last = last
        self.start = start
        self.end = end
        self.key = key
        self.payloads = payloads
        self.stripped = stripped
        self.no_article = no_article

    def original_span(self, folded: Folded) -> tuple[int, int]:
        return folded.span(self.start, self.end)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The token tuple a phrase is indexed under."""
    return tuple(t.text for t in tokenize(fold(phrase)))


@lru_cache(maxsize=4096)
def _lookup_key(phrase: str) -> tuple[str, ...]:
    """:func:`phrase_key` for run-time lookups, which repeat the same few names."""
    return phrase_key(phrase)


class StartIndex:
    """Where the matchers that scan whole documents may begin a phrase, for all of them at once.

    A matcher that scans a document's tokens for the few where one of its
    phrases can begin costs one dictionary lookup per token; a dozen matchers
    do that for every document. This index asks each token text once which of
    them can begin there (cached per text, as a tuple of matcher numbers) and
    files the token under those matchers: one pass over the tokens for all of
    them. ``pipeline`` hands it each document's tokens before the components run
    (:func:`index_tokens`); a matcher joins the next documents' index the first
    time it scans such a list, and scans any other list (a slice, a copy) as before.
    """

    __slots__ = (
        "matchers", "wanted", "starters", "tokens", "positions", "automaton", "hits", "hit_starts", "serial",
    )  # fmt: skip

    def __init__(self) -> None:
        self.matchers: list[PhraseMatcher] = []  # a matcher's number is its place here
        self.wanted: list[int] = []  # the numbers of the matchers indexed, in order
        self.starters: dict[str, tuple[int, ...]] = {}
        self.tokens: list[Token] | None = None  # the document's list (compared by identity)
        self.positions: dict[int, list[int]] = {}
        # The one automaton over every scanned matcher's phrases (rasid.knowledge.scan), None until
        # build_scan(); the document's hits per matcher number and their first tokens, in order.
        self.automaton: scan.Scanner | None = None
        self.hits: list[dict[int, list[Entry]]] = []
        self.hit_starts: list[list[int] | None] = []
        self.serial = 0  # counts the documents scanned, for the per-document memos of MatcherSet

    def register(self, matcher: PhraseMatcher) -> int:
        self.matchers.append(matcher)
        return len(self.matchers) - 1

    def forget(self) -> None:
        """A matcher was changed: what was known of texts no longer holds."""
        self.starters.clear()
        self.positions = {}
        self.serial += 1  # (MatcherSet's memo of the document's hits, which asks whether all are scanned)

    def want(self, number: int) -> None:
        """Index this matcher from the next document on."""
        if number not in self.wanted:
            self.wanted.append(number)
            self.wanted.sort()
            self.starters.clear()

    def starting(self, text: str) -> tuple[int, ...]:
        found = self.starters.get(text)
        if found is None:
            matchers = self.matchers
            found = tuple(k for k in self.wanted if matchers[k].readings(text))
            if len(self.starters) >= _READINGS_CACHE_SIZE:
                self.starters.clear()
            self.starters[text] = found
        return found

    def starts_of(self, number: int) -> list[int]:
        """The tokens of the scanned document where a phrase of matcher ``number`` begins, in order."""
        found = self.hit_starts[number]
        if found is None:
            found = self.hit_starts[number] = sorted(self.hits[number])
        return found

    def build_scan(self) -> None:
        """Build the automaton over every registered matcher's phrases; they answer from its hits."""
        self.automaton = scan.build_automaton(self.matchers)
        for m in self.matchers:
            m._scanned = True
        # the next document is scanned; the token-by-token index is kept only for matchers made later
        self.tokens = None
        self.hits, self.hit_starts, self.positions = [], [], {}
        self.wanted = []
        self.starters.clear()

    def index(self, tokens: list[Token]) -> None:
        """Scan a document once with the automaton, and file every token under the matchers that may
        begin a phrase there (for the matchers not in the automaton)."""
        if self.automaton is not None:
            hits = self.hits = self.automaton.scan(tokens, len(self.matchers))
            self.serial += 1
            self.hit_starts = [None] * len(hits)  # sorted on first use (most matchers are never asked)
            if not self.wanted:  # every matcher is in the automaton
                self.tokens = tokens
                return
        positions: dict[int, list[int]] = {k: [] for k in self.wanted}
        get = self.starters.get
        starting = self.starting
        for i, tok in enumerate(tokens):
            ks = get(tok.text)
            if ks is None:
                ks = starting(tok.text)
            for k in ks:
                positions[k].append(i)
        self.positions = positions
        self.tokens = tokens

    def candidates(self, number: int) -> list[int] | None:
        """The indexed positions of a matcher, or None when it is not indexed yet (it joins)."""
        found = self.positions.get(number)
        if found is None:
            self.want(number)
        return found


_INDEX = StartIndex()


def index_tokens(tokens: list[Token]) -> None:
    """Index a document's tokens for every matcher (see :class:`StartIndex`); the last list wins."""
    _INDEX.index(tokens)


def build_scan() -> None:
    """Build the one automaton over every matcher made so far (``pipeline.load_knowledge`` calls it
    once every lexicon is loaded); from the next document on they answer from its hits."""
    _INDEX.build_scan()


def scan_built() -> bool:
    """Whether the automaton is built (a matcher made later matches token by token)."""
    return _INDEX.automaton is not None


class PhraseMatcher:
    """Phrases -> payloads, matched longest-first over folded tokens."""

    def __init__(self, allow_article_drop: bool = False) -> None:
        self._phrases: dict[tuple[str, ...], list[Any]] = {}
        self._payloads: dict[tuple[str, ...], tuple[Any, ...]] = {}  # _phrases as tuples, for Match
        self._lengths: dict[str, list[int]] = {}
        self._readings: dict[str, Readings] = {}
        self.allow_article_drop = allow_article_drop
        self._number = _INDEX.register(self)
        self._scanned = False  # in the automaton (StartIndex.build_scan), and not changed since

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
        self._payloads[key] = tuple(bucket)
        lengths = self._lengths.setdefault(key[0], [])
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)
        self._readings.clear()
        self._scanned = False
        _INDEX.forget()

    def add_many(self, items: Iterable[tuple[str, Any]]) -> None:
        for phrase, payload in items:
            self.add(phrase, payload)

    def phrase_keys(self) -> list[tuple[str, ...]]:
        """Every phrase key, in the order they were added (for the automaton)."""
        return list(self._payloads)

    def lookup(self, phrase: str) -> list[Any]:
        return list(self._phrases.get(_lookup_key(phrase), ()))

    def readings(self, token: str) -> Readings:
        """The clitic readings of ``token`` that are the first word of some phrase (cached).

        Empty for most tokens, which is what makes scanning cheap.
        """
        found = self._readings.get(token)
        if found is None:
            found = tuple(
                (v, tuple(self._lengths[v.text]))
                for v in clitic_variants(token)
                if (self.allow_article_drop or not v.no_article) and v.text in self._lengths
            )
            if len(self._readings) >= _READINGS_CACHE_SIZE:
                self._readings.clear()
            self._readings[token] = found
        return found

    def may_start(self, token: str) -> bool:
        """Whether some phrase can begin at a token with this text."""
        return bool(self.readings(token))

    def start_positions(self, tokens: list[Token]) -> list[int]:
        """Indexes of the tokens where some phrase may begin (where :meth:`match_at` can match):
        on the scanned document, exactly those where one does."""
        if self._scanned and tokens is _INDEX.tokens:
            return _INDEX.starts_of(self._number)
        readings = self.readings
        return [i for i in self._candidates(tokens) if readings(tokens[i].text)]

    def _candidates(self, tokens: list[Token]) -> list[int]:
        """Indexes of the tokens whose text is not known to begin no phrase, in order.

        A superset of the start positions, found without a Python loop: a token whose
        text is not cached yet counts as a candidate (the caller computes its readings).
        The document's own token list is answered from the :class:`StartIndex` (exact;
        the caller must not change the list).
        """
        if tokens is _INDEX.tokens:
            found = _INDEX.candidates(self._number)
            if found is not None:
                return found
        get = self._readings.get
        return [i for i, tok in enumerate(tokens) if get(tok.text, True)]

    def match_at(self, tokens: list[Token], i: int) -> Match | None:
        """Best match starting at token ``i``: longest, then fewest clitics stripped."""
        if self._scanned and tokens is _INDEX.tokens:
            entries = _INDEX.hits[self._number].get(i)
            return None if entries is None else self._from_hits(tokens, i, entries, len(tokens), 0)
        readings = self._readings.get(tokens[i].text)
        if readings is None:
            readings = self.readings(tokens[i].text)
        if not readings:
            return None
        return self._best(tokens, i, readings, len(tokens), 0)

    def match_read_as(self, tokens: list[Token], i: int, text: str) -> Match | None:
        """:meth:`match_at` with token ``i``'s text read as ``text`` (``قامشلي`` as ``القامشلي``):
        the same as a copy of ``tokens`` with that token replaced, without copying a long
        article's token list per token (:meth:`_best` reads token ``i`` only for its start)."""
        readings = self.readings(text)
        if not readings:
            return None
        return self._best(tokens, i, readings, len(tokens), 0)

    def _from_hits(
        self, tokens: list[Token], i: int, entries: list[Entry], size: int, shift: int
    ) -> Match | None:
        """:meth:`_best` from the automaton's hits at token ``i`` (sorted best first): the first
        that fits in ``tokens[:size]``."""
        for n, _reading, skip, stripped, no_article, key in entries:
            if n == 1 or i + n <= size:
                return Match(
                    i - shift,
                    i + n - shift,
                    tokens[i].start + skip,
                    tokens[i + n - 1].end,
                    key,
                    self._payloads[key],
                    stripped,
                    no_article,
                )
        return None

    def _best(self, tokens: list[Token], i: int, readings: Readings, size: int, shift: int) -> Match | None:
        """The best match at ``tokens[i]`` within ``tokens[:size]``, its token indexes less ``shift``."""
        best: Match | None = None
        best_n = 0
        phrases = self._payloads
        run = 1  # tokens[i : i + run] are joined by spaces only (grown on demand)
        for v, lengths in readings:
            for n in lengths:  # longest first: once n is no longer than the best, none is
                if n <= best_n:
                    break
                if n == 1:
                    key: tuple[str, ...] = (v.text,)
                else:
                    if i + n > size:
                        continue
                    while run < n and tokens[i + run].joined:
                        run += 1
                    if run < n:
                        continue
                    key = (v.text, *map(_TEXT, tokens[i + 1 : i + n]))
                payloads = phrases.get(key)
                if payloads:
                    best = Match(
                        i - shift,
                        i + n - shift,
                        tokens[i].start + v.skip,
                        tokens[i + n - 1].end,
                        key,
                        payloads,
                        v.stripped,
                        v.no_article,
                    )
                    best_n = n
                    break
        return best

    def find(self, tokens: list[Token]) -> list[Match]:
        """Non-overlapping matches, scanning left to right, longest at each point."""
        if self._scanned and tokens is _INDEX.tokens:
            return self._find_hits(tokens, _INDEX.starts_of(self._number), len(tokens), 0)
        return self._find(tokens, self._candidates(tokens), len(tokens), 0)

    def find_in(self, tokens: list[Token], lo: int, hi: int) -> list[Match]:
        """``find(tokens[lo:hi])`` (token indexes relative to ``lo``), without the slice's scan when
        ``tokens`` is the indexed document (a sentence's matches)."""
        if self._scanned and tokens is _INDEX.tokens:
            starts = _INDEX.starts_of(self._number)
            return self._find_hits(tokens, starts[bisect_left(starts, lo) : bisect_left(starts, hi)], hi, lo)
        found = _INDEX.candidates(self._number) if tokens is _INDEX.tokens else None
        if found is None:
            part = tokens[lo:hi]
            return self._find(part, self._candidates(part), len(part), 0)
        return self._find(tokens, found[bisect_left(found, lo) : bisect_left(found, hi)], hi, lo)

    def _find_hits(self, tokens: list[Token], starts: list[int], size: int, shift: int) -> list[Match]:
        """:meth:`_find` from the automaton's hits (``starts``: the tokens where some begin, in order)."""
        out: list[Match] = []
        found = _INDEX.hits[self._number]
        pos = 0  # tokens before pos are inside the last match
        for i in starts:
            if i < pos:
                continue
            m = self._from_hits(tokens, i, found[i], size, shift)
            if m is not None:
                out.append(m)
                pos = m.last + shift
        return out

    def _find(self, tokens: list[Token], candidates: list[int], size: int, shift: int) -> list[Match]:
        out: list[Match] = []
        cache = self._readings
        pos = 0  # tokens before pos are inside the last match
        for i in candidates:
            if i < pos:
                continue
            text = tokens[i].text
            readings = cache.get(text)
            if readings is None:
                readings = self.readings(text)
            if readings:
                m = self._best(tokens, i, readings, size, shift)
                if m is not None:
                    out.append(m)
                    pos = m.last + shift
        return out


class MatcherSet:
    """Several matchers asked at every token: which of them can start a phrase here?

    The answer depends only on the token text, so it is cached per text: one
    dictionary lookup per token replaces one call per token and matcher.
    """

    def __init__(self, matchers: Sequence[PhraseMatcher]) -> None:
        self.matchers = tuple(matchers)
        self._starting: dict[str, tuple[int, ...]] = {}
        # the scanned document's hits of these matchers, by token: (matcher index, token) pairs sorted by
        # token, and their tokens for bisection; made once per document (StartIndex.serial)
        self._serial = -1
        self._scanned = False  # (of that document) every matcher is in the automaton
        self._hits: list[tuple[int, int]] = []
        self._hit_tokens: list[int] = []

    def _document_hits(self) -> bool:
        """Whether every matcher answers from the scanned document's hits; files them the first time
        it is asked for a document."""
        if self._serial == _INDEX.serial:
            return self._scanned
        self._serial = _INDEX.serial
        self._scanned = all(m._scanned for m in self.matchers)
        hits = _INDEX.hits
        pairs = (
            [(i, k) for k, m in enumerate(self.matchers) for i in hits[m._number]] if self._scanned else []
        )
        pairs.sort()
        self._hit_tokens = [i for i, _k in pairs]
        self._hits = [(k, i) for i, k in pairs]
        return self._scanned

    def starting(self, token: str) -> tuple[int, ...]:
        """Indexes (into :attr:`matchers`) of the matchers that may start at ``token``."""
        found = self._starting.get(token)
        if found is None:
            found = tuple(k for k, m in enumerate(self.matchers) if m.may_start(token))
            if len(self._starting) >= _READINGS_CACHE_SIZE:
                self._starting.clear()
            self._starting[token] = found
        return found

    def matches_in(self, tokens: list[Token], lo: int, hi: int) -> list[tuple[int, Match]]:
        """``(matcher index, match)`` for every ``(k, i)`` of ``starts(tokens[lo:hi])`` where
        ``matchers[k].match_at(tokens[lo:hi], i)`` matches, in that order (token indexes relative
        to ``lo``); from the automaton's hits when ``tokens`` is the scanned document."""
        if tokens is _INDEX.tokens and self._document_hits():
            at, pairs, matchers = self._hit_tokens, self._hits, self.matchers
            out: list[tuple[int, Match]] = []
            for k, i in sorted(pairs[bisect_left(at, lo) : bisect_left(at, hi)]):
                m = matchers[k]
                found = m._from_hits(tokens, i, _INDEX.hits[m._number][i], hi, lo)
                if found is not None:
                    out.append((k, found))
            return out
        part = tokens[lo:hi]
        slow: list[tuple[int, Match]] = []
        for k, i in self.starts(part):
            found = self.matchers[k].match_at(part, i)
            if found is not None:
                slow.append((k, found))
        return slow

    def starts(self, tokens: list[Token]) -> list[tuple[int, int]]:
        """Every ``(matcher index, token index)`` where a phrase may begin, sorted.

        The order is that of a loop over the matchers, then over the tokens.
        """
        cache = self._starting
        starting = self.starting
        out: list[tuple[int, int]] = []
        # tokens whose text is known to start no matcher (most) are skipped with one lookup each
        for i, tok in enumerate(tokens):
            if cache.get(tok.text, True):
                for k in starting(tok.text):
                    out.append((k, i))
        out.sort()
        return out
