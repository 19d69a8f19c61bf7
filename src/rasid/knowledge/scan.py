"""One Aho-Corasick automaton for every phrase lexicon, one scan per document (issue #19).

Why: every lexicon the pipeline matches (actors, claim sources, the gazetteer,
trigger words, cues, number and date words, casualty words...) is a
:class:`rasid.knowledge.matcher.PhraseMatcher`, and each used to be asked, token
by token, "does one of your phrases begin here?" (hundreds of ``match_at`` calls
per article, each trying the token's clitic readings and phrase lengths). A
single automaton (pyahocorasick, a C extension) holding the phrases of all
matchers, and the longer phrases indexed by first word, find every phrase
occurrence of a document in one pass over its tokens; each matcher then answers ``match_at``/``find``/``find_in`` with a
dictionary lookup in the hits filed under its number.

How a document is read. Every token text is read by the automaton once (and
then remembered, bounded: the words of a language repeat from article to
article, so after a few hundred articles almost every token is a dictionary
lookup): on ``newline + text + end mark``, with every one-word phrase keyed as
``word + end mark``, the hits are the phrases the token ends with. A clitic
reading of a token (``والقامشلي`` read as ``القامشلي``) is a suffix of the
token, so its phrase is among those hits; the one reading that is not a suffix,
``لل`` read as ``لـ + ال`` (``للقامشلي`` -> ``القامشلي``), gets a second key
spelled with ``لل``. A hit counts when its phrase is one of
:func:`rasid.text.tokens.clitic_variants` of the token, exactly the readings
``PhraseMatcher`` tries (``محلب`` ends with ``حلب`` but does not read as it),
and for each matcher that holds the phrase and accepts the reading (the
article dropped only where allowed). Phrases of several words are kept by
first word, with their lengths and second words: a token whose reading is such
a first word and whose next token, joined by spaces only, is one of the second
words is looked up for each length, as ``PhraseMatcher`` does. Among the
phrases at a token the longest wins, then the reading listed first (fewest
clitics), which is :meth:`PhraseMatcher._best`'s order; ``tests/test_scan.py``
holds the two to the same answers.

Measured (bench/RESULTS.md, #19): running the automaton over each whole
document's token stream instead (the first version) cost about 0.27 ms per
3 KB article, 0.18 ms of it pyahocorasick's own pass over the ~2,000
characters; remembering per token text brings the scan to about 0.18 ms in all.

The automaton is built once from the registered matchers
(:func:`build_automaton`, called by ``rasid.pipeline.load_knowledge`` once every
lexicon is loaded) and pickles with the matcher registry into the knowledge
cache. A matcher changed or made after the build is not in it and matches as
before, token by token.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import ahocorasick

from rasid.text.tokens import Token, clitic_variants

# A hit that a matcher may use: (phrase length in tokens, reading index, skip, clitics stripped,
# article dropped, the phrase key). Sorted per token so that the first one that fits is the best.
Entry = tuple[int, int, int, int, bool, tuple[str, ...]]
# An automaton value: (its number, the words in it, the phrase keys spelled by this key string, each
# with the matchers that hold it: (matcher number, whether it may drop the article)).
Payload = tuple[int, int, tuple[tuple[tuple[str, ...], tuple[tuple[int, bool], ...]], ...]]
# What a payload gives at a token with a given text: (matcher number, entry) pairs.
Found = tuple[tuple[int, Entry], ...]

_TEXT = attrgetter("text")
_START = "\n"  # what the automaton reads before a token text
_END = "\x1f"  # and after it (a control character: never in a token), the end of every key
_JOIN = _END + " "  # between two words of a phrase: the first one's end, then only spaces
_ARTICLE = "ال"
_LAM_LAM = "لل"


def key_strings(key: tuple[str, ...]) -> list[str]:
    """The strings the automaton holds for a phrase key: its words as they stand in the token stream
    (each followed by the end mark, joined by single spaces), and the same with the ``لل`` spelling of
    a first word that begins with the article (the one clitic reading that is not a suffix)."""
    out = [_JOIN.join(key) + _END]
    if key[0].startswith(_ARTICLE):
        out.append(_JOIN.join((_LAM_LAM + key[0][2:], *key[1:])) + _END)
    return out


def build_automaton(matchers: Sequence[Any]) -> Scanner:
    """The scanner of ``matchers`` (``PhraseMatcher``s, numbered by their place): one automaton over
    every one-word phrase, and the phrases of several words by their first word."""
    by_string: dict[str, dict[tuple[str, ...], list[tuple[int, bool]]]] = {}
    multi: dict[tuple[str, ...], list[tuple[int, bool]]] = {}
    for number, matcher in enumerate(matchers):
        allow = bool(matcher.allow_article_drop)
        for key in matcher.phrase_keys():
            if len(key) > 1:
                multi.setdefault(key, []).append((number, allow))
                continue
            for s in key_strings(key):
                by_string.setdefault(s, {}).setdefault(key, []).append((number, allow))
    # one tuple object per distinct set of matchers (a few dozen for ~60,000 phrases): smaller and
    # faster to unpickle from the knowledge cache
    shared: dict[tuple[tuple[int, bool], ...], tuple[tuple[int, bool], ...]] = {}

    def one(numbers: list[tuple[int, bool]]) -> tuple[tuple[int, bool], ...]:
        found = tuple(numbers)
        return shared.setdefault(found, found)

    automaton = ahocorasick.Automaton()
    for number, (s, keys) in enumerate(by_string.items()):
        spelled = tuple((key, one(numbers)) for key, numbers in keys.items())
        payload: Payload = (number, s.count(_END), spelled)
        automaton.add_word(s, payload)
    automaton.make_automaton()
    lengths: dict[str, list[int]] = {}
    seconds: dict[str, set[str]] = {}
    for key in multi:
        found = lengths.setdefault(key[0], [])
        if len(key) not in found:
            found.append(len(key))
        seconds.setdefault(key[0], set()).add(key[1])
    return Scanner(
        automaton,
        {key: one(numbers) for key, numbers in multi.items()},
        {
            first: (tuple(sorted(found, reverse=True)), frozenset(seconds[first]))
            for first, found in lengths.items()
        },
    )


def _found(text: str, payload: Payload) -> Found:
    """What a hit of ``payload`` means at a token with this text: for each phrase it spells whose
    first word is a clitic reading of the token (:func:`clitic_variants`, in their order), an entry
    for each matcher that holds the phrase and accepts that reading."""
    out: list[tuple[int, Entry]] = []
    variants = clitic_variants(text)
    for key, numbers in payload[2]:
        first = key[0]
        for k, v in enumerate(variants):
            if v.text != first:
                continue
            entry: Entry = (len(key), k, v.skip, v.stripped, v.no_article, key)
            out.extend((number, entry) for number, allow in numbers if allow or not v.no_article)
    return tuple(out)


# The phrases of several words that begin with a word: their lengths (longest first) and second words.
Longer = tuple[tuple[int, ...], frozenset[str]]
# What a token text begins: the one-word phrases it reads as, and its readings (index, variant, Longer)
# that are the first word of longer phrases; None for a text that begins nothing.
Begins = tuple[Found, tuple[tuple[int, Any, Longer], ...]] | None
_MEMORY_SIZE = 50_000  # token texts a Scanner remembers, then forgets


class Scanner:
    """The automaton over every one-word phrase of every matcher, the longer phrases by first word,
    and what each token text seen so far begins (:meth:`begins`; the texts of a language repeat, so
    the automaton reads a text once, not once per document). Pickles without that memory."""

    __slots__ = ("automaton", "multi", "lengths", "memory")

    def __init__(
        self,
        automaton: Any,
        multi: dict[tuple[str, ...], tuple[tuple[int, bool], ...]],
        lengths: dict[str, Longer],
    ) -> None:
        self.automaton = automaton
        self.multi = multi  # phrase of several words -> (matcher number, may drop the article)
        self.lengths = lengths  # first word of such phrases -> their lengths (longest first), second words
        self.memory: dict[str, Begins] = {}

    def __getstate__(self) -> Any:
        return (self.automaton, self.multi, self.lengths)

    def __setstate__(self, state: Any) -> None:
        self.automaton, self.multi, self.lengths = state
        self.memory = {}

    def begins(self, text: str) -> Begins:
        """What a token with this text begins: the automaton's one-word hits on the token alone,
        confirmed by its clitic readings, and the readings that start longer phrases."""
        found: list[tuple[int, Entry]] = []
        for _end, payload in self.automaton.iter(_START + text + _END):
            found.extend(_found(text, payload))
        lengths = self.lengths
        longer = tuple(
            (k, v, lengths[v.text]) for k, v in enumerate(clitic_variants(text)) if v.text in lengths
        )
        return (tuple(found), longer) if found or longer else None

    def scan(self, tokens: list[Token], matchers: int) -> list[dict[int, list[Entry]]]:
        """Every phrase of every matcher in ``tokens``: per matcher number (``matchers`` of them),
        first token -> entries, best first."""
        out: list[dict[int, list[Entry]]] = [{} for _ in range(matchers)]
        memory = self.memory
        texts = list(map(_TEXT, tokens))
        known = memory.get
        # tokens whose text is known to begin nothing (most) are skipped without a Python call each
        starts = [i for i, text in enumerate(texts) if known(text, True) is not None]
        unsorted: list[list[Entry]] = []
        for i in starts:
            text = texts[i]
            if text in memory:
                begins = memory[text]
            else:
                begins = self.begins(text)
                if len(memory) >= _MEMORY_SIZE:
                    memory.clear()
                memory[text] = begins
            if begins is None:
                continue
            found, longer = begins
            for number, entry in found:
                at = out[number]
                entries = at.get(i)
                if entries is None:
                    at[i] = [entry]
                else:
                    entries.append(entry)
                    unsorted.append(entries)
            if longer:
                self._longer(tokens, texts, i, longer, out, unsorted)
        for entries in unsorted:
            entries.sort(key=_rank)
        return out

    def _longer(
        self,
        tokens: list[Token],
        texts: list[str],
        i: int,
        longer: tuple[tuple[int, Any, Longer], ...],
        out: list[dict[int, list[Entry]]],
        unsorted: list[list[Entry]],
    ) -> None:
        """The phrases of several words at token ``i``: a reading of it, then the next tokens'
        texts, all joined by spaces only (what ``PhraseMatcher._best`` asks)."""
        size = len(tokens)
        if i + 1 >= size or not tokens[i + 1].joined:
            return
        second = texts[i + 1]
        run = 1  # tokens[i : i + run] are joined by spaces only (grown on demand)
        multi = self.multi
        for k, v, (lengths, seconds) in longer:
            if second not in seconds:  # (every phrase of this reading needs it next)
                continue
            for n in lengths:
                if i + n > size:
                    continue
                while run < n and tokens[i + run].joined:
                    run += 1
                if run < n:
                    continue
                key = (v.text, *texts[i + 1 : i + n])
                numbers = multi.get(key)
                if numbers is None:
                    continue
                entry: Entry = (n, k, v.skip, v.stripped, v.no_article, key)
                for number, allow in numbers:
                    if v.no_article and not allow:
                        continue
                    at = out[number]
                    entries = at.get(i)
                    if entries is None:
                        at[i] = [entry]
                    else:
                        entries.append(entry)
                        unsorted.append(entries)


def _rank(entry: Entry) -> tuple[int, int]:
    """Longest phrase first, then the reading clitic_variants lists first (PhraseMatcher._best)."""
    return (-entry[0], entry[1])
