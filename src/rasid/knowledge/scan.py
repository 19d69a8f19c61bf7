"""One Aho-Corasick pass over a document for every phrase lexicon (issue #19).

Why: every lexicon the pipeline matches (actors, claim sources, the gazetteer,
trigger words, cues, number and date words, casualty words...) is a
:class:`rasid.knowledge.matcher.PhraseMatcher`, and each used to be asked, token
by token, "does one of your phrases begin here?" (hundreds of ``match_at`` calls
per article, each trying the token's clitic readings and phrase lengths). A
single automaton (pyahocorasick, a C extension) holding the phrases of all
matchers finds every phrase occurrence of a document in one pass over its
tokens; each matcher then answers ``match_at``/``find``/``find_in`` with a
dictionary lookup in the hits filed under its number.

What the automaton reads is the document's *token stream*: the token texts,
each preceded by a space when only spaces or tabs separate it from the previous
token (:attr:`Token.joined`) and by a newline otherwise, and followed by an end
mark. A phrase of several words is keyed with its words' end marks and single
spaces, so it can only match tokens that a ``PhraseMatcher`` would join,
whatever the spacing in the text, and every key ends with an end mark, so a hit
always ends where a token ends. Keys are the folded phrases themselves: a
clitic reading of a token (``والقامشلي`` read as ``القامشلي``) is a suffix of
the token, so the phrase begins inside it; the one reading that is not a
suffix, ``لل`` read as ``لـ + ال`` (``للقامشلي`` -> ``القامشلي``), gets a second
key spelled with ``لل``. A hit is only a candidate: it counts when its first
word is one of :func:`rasid.text.tokens.clitic_variants` of the token it starts
in, exactly the readings ``PhraseMatcher`` tries (``محلب`` ends with ``حلب`` but
does not read as it). Among the hits at a
token the longest phrase wins, then the reading listed first (fewest clitics),
which is :meth:`PhraseMatcher._best`'s order; ``tests/test_scan.py`` holds the
two to the same answers.

The automaton is built once from the registered matchers
(:func:`build_automaton`, called by ``rasid.pipeline.load_knowledge`` once every
lexicon is loaded) and pickles with the matcher registry into the knowledge
cache. A matcher changed or made after the build is not in it and matches as
before, token by token.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
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
_JOINED = attrgetter("joined")
_SEPARATOR = {True: " ", False: "\n"}  # before a token: only spaces before it, or anything else
_END = "\x1f"  # after each token in the stream (a control character: never in a token)
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
    """One automaton over the phrase keys of ``matchers`` (``PhraseMatcher``s, numbered by their place)."""
    by_string: dict[str, dict[tuple[str, ...], list[tuple[int, bool]]]] = {}
    for number, matcher in enumerate(matchers):
        allow = bool(matcher.allow_article_drop)
        for key in matcher.phrase_keys():
            for s in key_strings(key):
                by_string.setdefault(s, {}).setdefault(key, []).append((number, allow))
    automaton = ahocorasick.Automaton()
    for number, (s, keys) in enumerate(by_string.items()):
        spelled = tuple((key, tuple(numbers)) for key, numbers in keys.items())
        payload: Payload = (number, s.count(_END), spelled)
        automaton.add_word(s, payload)
    automaton.make_automaton()
    return Scanner(automaton)


def token_stream(tokens: list[Token]) -> tuple[str, list[int]]:
    """The text the automaton reads, and the stream offset of each token's end mark.

    Each token is its separator (a space when only spaces or tabs come before it, else a newline),
    its text and an end mark (``_END``), so that a key, which ends with that mark, can only end
    where a token ends: hits inside a word are not even reported. Built with ``map``, slices and
    running sums, without a Python loop per token."""
    n = len(tokens)
    pieces: list[str] = [_END] * (3 * n)
    pieces[0::3] = map(_SEPARATOR.__getitem__, map(_JOINED, tokens))
    pieces[1::3] = map(_TEXT, tokens)
    offsets = list(accumulate(map(len, pieces), initial=0))
    return "".join(pieces), offsets[2::3][:n]


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


_FOUND_SIZE = 100_000  # (token text, payload number) pairs a Scanner remembers, then forgets


class Scanner:
    """The automaton, and what its payloads meant at the token texts seen so far (per automaton:
    payload numbers are its own). Pickles without that memory (the knowledge cache holds it)."""

    __slots__ = ("automaton", "found")

    def __init__(self, automaton: Any) -> None:
        self.automaton = automaton
        self.found: dict[tuple[str, int], Found] = {}

    def __getstate__(self) -> Any:
        return self.automaton

    def __setstate__(self, state: Any) -> None:
        self.automaton = state
        self.found = {}

    def scan(self, tokens: list[Token], matchers: int) -> list[dict[int, list[Entry]]]:
        """Every phrase of every matcher in ``tokens``: per matcher number (``matchers`` of them),
        first token -> entries, best first."""
        out: list[dict[int, list[Entry]]] = [{} for _ in range(matchers)]
        if not tokens:
            return out
        stream, marks = token_stream(tokens)
        # every hit ends at a token's end mark: its stream offset -> the token's index
        ends_get = dict(zip(marks, range(len(marks)), strict=True)).get
        memory = self.found
        memory_get = memory.get
        unsorted: list[list[Entry]] = []
        for end, payload in self.automaton.iter(stream):
            i = ends_get(end) - payload[1] + 1
            text = tokens[i].text
            pair = (text, payload[0])
            found = memory_get(pair)
            if found is None:
                found = _found(text, payload)
                if len(memory) >= _FOUND_SIZE:
                    memory.clear()
                memory[pair] = found
            for number, entry in found:
                at = out[number]
                entries = at.get(i)
                if entries is None:
                    at[i] = [entry]
                else:
                    entries.append(entry)
                    unsorted.append(entries)
        for entries in unsorted:
            entries.sort(key=_rank)
        return out


def _rank(entry: Entry) -> tuple[int, int]:
    """Longest phrase first, then the reading clitic_variants lists first (PhraseMatcher._best)."""
    return (-entry[0], entry[1])
