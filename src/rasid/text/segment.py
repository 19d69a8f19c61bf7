"""Split article content into sentences (and sentences into clauses), as original offsets.

Event extraction works sentence by sentence, so a boundary in the wrong place
either glues two events together or cuts a trigger from its place. Arabic
news text makes the easy rule ("split at a period") wrong in several ways
handled here: decimals (``3.5``), abbreviations (``د.``, ``م.``), words broken
by a dot to dodge moderation (``معـ.ارك``, see
:func:`rasid.text.fold.obfuscation_positions`), and quoted statements whose
inner periods should not cut the "he said" from what was said. A period with
no space after it (``الوكالة.قوات``) still ends a sentence. Newlines always do.

Word lists are in ``rasid/data/segmentation.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from rasid.document import Document, Sentence
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold, fold_set, obfuscation_positions
from rasid.text.tokens import tokenize

_ARABIC_WORD_CHAR = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc\u0640\u064b-\u065f\u0670]")
_BLANK_LINE = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_ALNUM = re.compile(r"[^\W_]")
_TEXT = attrgetter("text")


@dataclass(frozen=True)
class SegmentRules:
    sentence_end: frozenset[str]
    closers: frozenset[str]
    abbreviations: frozenset[str]  # folded
    single_letter_abbreviations: bool
    quote_pairs: dict[str, str]
    max_quote_chars: int
    clause_marks: frozenset[str]
    clause_starts: tuple[tuple[str, ...], ...]  # folded word tuples, longest first
    not_clause_starts: tuple[tuple[str, ...], ...]
    # a sentence of more tokens than this is cut (at a clause boundary when there is one)
    max_sentence_tokens: int = 240
    # derived: character sets as regexes (to jump to the next candidate), and the two
    # phrase lists by first word (a token is compared only with the phrases it can begin)
    sentence_end_re: re.Pattern[str] = field(init=False, repr=False)
    quote_open_re: re.Pattern[str] = field(init=False, repr=False)
    clause_mark_re: re.Pattern[str] = field(init=False, repr=False)
    starts_by_word: dict[str, tuple[tuple[str, ...], ...]] = field(init=False, repr=False)
    not_starts_by_word: dict[str, tuple[tuple[str, ...], ...]] = field(init=False, repr=False)
    # tokens that begin a phrase of either list, alone or after a glued و
    opener_tokens: frozenset[str] = field(init=False, repr=False)
    # first word -> the second words of its phrases (None when one of them is that word alone)
    second_words: dict[str, frozenset[str] | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sentence_end_re", _char_class(self.sentence_end))
        openers = [q for q, close in self.quote_pairs.items() if len(q) == 1 and close]
        object.__setattr__(self, "quote_open_re", _char_class(openers))
        object.__setattr__(self, "clause_mark_re", _char_class(self.clause_marks))
        object.__setattr__(self, "starts_by_word", _by_first_word(self.clause_starts))
        object.__setattr__(self, "not_starts_by_word", _by_first_word(self.not_clause_starts))
        first = set(self.starts_by_word) | set(self.not_starts_by_word)
        object.__setattr__(self, "opener_tokens", frozenset(first | {"و" + w for w in first}))
        second: dict[str, frozenset[str] | None] = {}
        for w in first:
            phrases = self.starts_by_word.get(w, ()) + self.not_starts_by_word.get(w, ())
            second[w] = None if any(len(p) == 1 for p in phrases) else frozenset(p[1] for p in phrases)
        object.__setattr__(self, "second_words", second)


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(fold(phrase)))


@lru_cache(maxsize=1)
def rules() -> SegmentRules:
    data = load_yaml("segmentation.yaml")
    starts = {w for w in map(_words, data.get("clause_starts") or []) if w}
    not_starts = tuple(w for w in map(_words, data.get("not_clause_starts") or []) if w)
    return SegmentRules(
        sentence_end=frozenset(data["sentence_end"]),
        closers=frozenset(data["closers"]),
        abbreviations=fold_set(data.get("abbreviations") or []),
        single_letter_abbreviations=bool(data.get("single_letter_abbreviations", True)),
        quote_pairs=dict(data.get("quote_pairs") or {}),
        max_quote_chars=int(data.get("max_quote_chars", 300)),
        clause_marks=frozenset(data["clause_marks"]),
        clause_starts=tuple(sorted(starts, key=len, reverse=True)),
        not_clause_starts=not_starts,
        max_sentence_tokens=int(data.get("max_sentence_tokens", 240)),
    )


def _char_class(chars: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any one of ``chars`` (never matching when there are none)."""
    body = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"[{body}]" if body else "(?!)")


def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


# --- sentences ------------------------------------------------------------------------------------


def segment(doc: Document) -> None:
    """Set ``doc.sentences``: the content outside ``doc.boilerplate``, sentence by sentence."""
    r = rules()
    text = doc.text
    broken = obfuscation_positions(text)
    sentences: list[Sentence] = []
    for para, (a, b) in enumerate(_paragraphs(text, doc.boilerplate)):
        for line_a, line_b in _lines(text, a, b):
            for s, e in split_sentences(text, line_a, line_b, r, broken):
                for x, y in bounded(doc, s, e, r):
                    sentences.append(Sentence(x, y, para))
    doc.sentences = sentences


def _content_pieces(text: str, boilerplate: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The text minus the boilerplate ranges."""
    out: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(boilerplate):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _paragraphs(text: str, boilerplate: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraph ranges of the content, in order, each with some non-space text.

    Pages that separate paragraphs with blank lines get one paragraph per
    block; pages without blank lines (one paragraph per line) get one per line.
    Boilerplate between two pieces also separates paragraphs.
    """
    pieces = _content_pieces(text, boilerplate)
    by_blank = any(_BLANK_LINE.search(text, a, b) for a, b in pieces)
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        splitter = _BLANK_LINE if by_blank else re.compile(r"\n")
        pos = a
        for m in splitter.finditer(text, a, b):
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, b))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _lines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = a
    while True:
        nl = text.find("\n", pos, b)
        if nl < 0:
            out.append((pos, b))
            return out
        out.append((pos, nl))
        pos = nl + 1


def split_sentences(
    text: str, a: int, b: int, r: SegmentRules | None = None, broken: set[int] | None = None
) -> list[tuple[int, int]]:
    """Sentence spans of one line ``text[a:b]`` (no newline inside), stripped, non-empty."""
    r = r or rules()
    broken = obfuscation_positions(text) if broken is None else broken
    quotes = _quote_spans(text, a, b, r)
    spans: list[tuple[int, int]] = []
    start = a
    i = a
    while i < b:
        found = r.sentence_end_re.search(text, i, b)  # the characters before it end nothing
        if found is None:
            break
        i = found.start()
        if not _is_false_end(text, i, a, b, r, broken):
            end = i + 1
            while end < b and (text[end] in r.sentence_end or text[end] in r.closers):
                end += 1
            if not any(qa < i and qb >= end for qa, qb in quotes):
                spans.append((start, end))
                start = end
            i = end
        else:
            i += 1
    spans.append((start, b))
    return [s for s in (_strip(text, x, y) for x, y in spans) if s is not None]


def _is_false_end(text: str, i: int, a: int, b: int, r: SegmentRules, broken: set[int]) -> bool:
    """A sentence-end character that is really a decimal point, abbreviation or broken word."""
    ch = text[i]
    if ch != ".":
        return False
    if i in broken:
        return True
    before = text[i - 1] if i > a else ""
    after = text[i + 1] if i + 1 < b else ""
    if before.isdigit() and after.isdigit():
        return True  # 3.5, ١٢.٥
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return True  # example.com, U.S.
    j = i
    while j > a and _ARABIC_WORD_CHAR.match(text[j - 1]):
        j -= 1
    word = _folded_word(text[j:i])
    if not word:
        return False
    if j > a and text[j - 1].isalnum():
        return False
    return word in r.abbreviations or (r.single_letter_abbreviations and len(word) == 1)


@lru_cache(maxsize=4096)
def _folded_word(word: str) -> str:
    return fold(word).text


def _quote_spans(text: str, a: int, b: int, r: SegmentRules) -> list[tuple[int, int]]:
    """``(open, close)`` indices of short quotes that close on the same line."""
    out: list[tuple[int, int]] = []
    i = a
    while i < b:
        found = r.quote_open_re.search(text, i, b)  # the next opening quote
        if found is None:
            break
        i = found.start()
        close = r.quote_pairs[text[i]]
        j = text.find(close, i + 1, min(b, i + 1 + r.max_quote_chars))
        if j >= 0:
            out.append((i, j))
            i = j
        i += 1
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int] | None:
    """Trim whitespace; None when nothing that reads as text (a letter or digit) is left."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if _ALNUM.search(text, a, b) is None:  # [^\W_] is exactly str.isalnum
        return None
    return a, b


def bounded(doc: Document, a: int, b: int, r: SegmentRules | None = None) -> list[tuple[int, int]]:
    """The sentence ``a..b`` cut into pieces of at most ``max_sentence_tokens`` tokens.

    A page with no sentence punctuation (a scraped list, a feed flattened to one line) is
    one "sentence" however long it is, and event building pairs every trigger of a
    sentence with every actor, place and toll of it: its cost grows with the square of
    the sentence (issue #20: 2 MB without punctuation ran 11 minutes). No sentence of
    real news comes near the limit (the longest of the dev sets has 170 tokens), so
    only such runs are cut: each piece ends at the last clause boundary (a clause mark
    or a clause opener, as :func:`clauses` cuts) in the second half of its allowance,
    else at the limit itself, between two tokens.
    """
    r = r or rules()
    limit = r.max_sentence_tokens
    if b - a <= limit:
        return [(a, b)]  # (a token takes a character at least: most sentences need no counting)
    starts = doc.token_starts
    lo = bisect_left(starts, doc.to_folded(a))
    hi = bisect_left(starts, doc.to_folded(b))
    if hi - lo <= limit:
        return [(a, b)]
    boundaries = sorted(set(_clause_boundaries(doc, a, b, r)))  # token indices a clause starts at
    tokens, span = doc.tokens, doc.folded.span
    out: list[tuple[int, int]] = []
    pos, first = a, lo
    while hi - first > limit:
        k = bisect_right(boundaries, first + limit) - 1
        cut = boundaries[k] if k >= 0 and boundaries[k] > first + limit // 2 else first + limit
        at = span(tokens[cut].start, tokens[cut].end)[0]
        out.append((pos, at))
        pos, first = at, cut
    out.append((pos, b))
    return [x for x in (_strip(doc.text, p, q) for p, q in out) if x is not None]


def _clause_boundaries(doc: Document, a: int, b: int, r: SegmentRules) -> list[int]:
    """Token indices (``doc.tokens``) where a clause of the sentence ``a..b`` begins."""
    text, starts, to_folded = doc.text, doc.token_starts, doc.to_folded
    cuts = [m.end() for m in r.clause_mark_re.finditer(text, a, b)]
    cuts += _clause_start_cuts(doc, a, b, r)
    return [bisect_left(starts, to_folded(c)) for c in cuts]


# --- clauses --------------------------------------------------------------------------------------


def clauses(doc: Document, sentence: Sentence) -> list[tuple[int, int]]:
    """Split a sentence at ``،`` ``,`` ``؛`` ``;`` and before clause openers (في حين، فيما، بينما).

    Later stages use clauses to keep a place or a casualty count with the
    trigger it belongs to when one sentence reports two incidents.
    """
    r = rules()
    text = doc.text
    a, b = sentence.start, sentence.end
    cuts: set[int] = set()
    for m in r.clause_mark_re.finditer(text, a, b):
        i = m.start()
        if not (i > a and i + 1 < b and text[i - 1].isdigit() and text[i + 1].isdigit()):
            cuts.add(i + 1)
    cuts.update(_clause_start_cuts(doc, a, b, r))
    out: list[tuple[int, int]] = []
    pos = a
    for c in sorted(cuts):
        if a < c < b:
            out.append((pos, c))
            pos = c
    out.append((pos, b))
    return [s for s in (_strip(text, x, y) for x, y in out) if s is not None]


def _clause_start_cuts(doc: Document, a: int, b: int, r: SegmentRules) -> list[int]:
    """Original offsets where a clause opener word starts (not the first word of the sentence)."""
    folded = doc.folded
    fa, fb = doc.to_folded(a), doc.to_folded(b)
    all_toks = doc.tokens
    token_starts = doc.token_starts
    lo = bisect_left(token_starts, fa)
    hi = bisect_left(token_starts, fb)
    # the sentence's tokens are all_toks[lo:hi] without one that runs past its end (only the
    # last can: tokens are sorted and disjoint)
    if hi > lo and all_toks[hi - 1].end > fb:
        hi -= 1
    cuts: list[int] = []
    cut_at: set[int] = set()  # token indices cut before
    nots, starts, second_words = r.not_starts_by_word, r.starts_by_word, r.second_words
    # neither the token nor the token without و begins a phrase: most tokens, skipped in C
    openers = r.opener_tokens
    for k in range(lo + 1, hi):
        if all_toks[k].text not in openers:
            continue
        if k - 1 in cut_at:
            continue  # inside an opener just cut ("في حين" holds the opener "حين")
        t = all_toks[k].text
        for variant in _with_conjunction(t):
            if variant not in nots and variant not in starts:
                continue  # no phrase begins with this word (most tokens)
            seconds = second_words[variant]
            if seconds is not None and (k + 1 >= hi or all_toks[k + 1].text not in seconds):
                continue  # no phrase of this word goes on with the next one (most "في")
            window = (variant, *map(_TEXT, all_toks[k + 1 : min(k + 6, hi)]))
            if any(window[: len(p)] == p for p in nots.get(variant, ())):
                break
            if any(window[: len(p)] == p for p in starts.get(variant, ())):
                cuts.append(folded.span(all_toks[k].start, all_toks[k].end)[0])
                cut_at.add(k)
                break
    return cuts


def _with_conjunction(tok: str) -> list[str]:
    """The token itself, then without a glued و (وفيما -> فيما)."""
    return [tok, tok[1:]] if tok.startswith("و") and len(tok) > 2 else [tok]
