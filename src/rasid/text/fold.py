"""Fold Arabic text for matching while remembering where each character came from.

Matching needs one spelling per word: hamza and alef forms, alef maqsura and
ta marbuta, diacritics, tatweel, Eastern digits, Persian letters and curly
quotes all fold to one form, and words broken to dodge moderation
(``معـ.ارك``) are joined again. Reporting needs the opposite: every span must
point into the text as given. :func:`fold` does both: it returns the folded
string and, for every folded character, the index of the original character
it came from, so a folded span maps back with :meth:`Folded.span`.

The character tables live in ``rasid/data/folding.yaml`` so that a linguist can
change them without touching this code.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat

from rasid.knowledge.loader import load_yaml

_ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc"
_TATWEEL = "\u0640"


@dataclass(frozen=True)
class FoldTables:
    """The folding policy, read from data."""

    mapping: dict[str, str]  # one original character -> replacement ('' deletes)
    obfuscation_marks: str  # characters that break a word when set between letters
    short_fragment: int  # a broken word's left piece up to this length joins without tatweel


@lru_cache(maxsize=1)
def tables() -> FoldTables:
    data = load_yaml("folding.yaml")
    mapping: dict[str, str] = {}
    for target, sources in data["letters"].items():
        for ch in sources:
            mapping[ch] = target
    for group in ("diacritics", "tatweel", "invisible", "phrase_ligatures"):
        for spec in data["delete"][group]:
            for ch in _expand_range(spec):
                mapping[ch] = ""
    for target, sources in data["punctuation"].items():
        for ch in sources:
            mapping[ch] = target
    for ch in data["spaces"]:
        mapping[ch] = " "
    for i in range(10):
        mapping[chr(0x0660 + i)] = str(i)  # Eastern Arabic digits
        mapping[chr(0x06F0 + i)] = str(i)  # Persian/Urdu digits
    return FoldTables(
        mapping=mapping,
        obfuscation_marks=data["obfuscation"]["marks"],
        short_fragment=int(data["obfuscation"]["short_fragment"]),
    )


def _expand_range(spec: str) -> list[str]:
    """``"064B-065F"`` -> the characters of that range; ``"0640"`` -> one character."""
    if "-" in spec:
        a, b = spec.split("-")
        return [chr(c) for c in range(int(a, 16), int(b, 16) + 1)]
    return [chr(int(spec, 16))]


@dataclass(frozen=True)
class Folded:
    """A folded string with, for each of its characters, the original index."""

    text: str
    offsets: tuple[int, ...]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map folded ``[start, end)`` to original offsets.

        The end is pushed over marks the folding deleted right after the last
        character (a tanween, a tatweel) so a highlight covers the whole word.
        """
        n = len(self.offsets)
        if start >= end:
            pos = self.offsets[start] if start < n else len(self.original)
            return pos, pos
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1
        limit = self.offsets[end] if end < n else len(self.original)
        while o_end < limit and self.original[o_end] in _TRAILING_MARKS:
            o_end += 1
        return o_start, o_end

    def to_folded(self, pos: int) -> int:
        """First folded index whose original index is ``>= pos``."""
        return bisect_left(self.offsets, pos)

    def to_folded_table(self) -> list[int]:
        """``[self.to_folded(p) for p in range(len(self.original) + 1)]``, built without a Python loop.

        ``to_folded(p)`` counts the offsets below ``p``, so the table is the running
        sum of how many folded characters each original character became (mostly
        one, none for a deleted mark, two for a ligature): ``accumulate`` over a
        ``map`` of dictionary lookups, all in C. A per-character Python loop cost
        about a thirtieth of an article's extraction (issue #19).
        """
        offsets = self.offsets
        counts = dict.fromkeys(offsets, 1)
        if len(counts) != len(offsets):  # a character that became several: count them
            for o in offsets:
                counts[o] = 0
            for o in offsets:
                counts[o] += 1
        # offsets never point past the original, so len(original) + 1 entries
        return list(accumulate(map(counts.get, range(len(self.original)), repeat(0)), initial=0))


_TRAILING_MARKS = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640", "\u200c", "\u200d", "\u200b"]
)


@lru_cache(maxsize=1)
def _obfuscation_re() -> re.Pattern[str]:
    marks = re.escape(tables().obfuscation_marks)
    # a mark between two Arabic letters, tatweel and zero-width allowed on either side
    return re.compile(
        rf"(?<=[{_ARABIC_LETTER}])([{_TATWEEL}\u200b-\u200d]*)([{marks}])(?=[{_TATWEEL}\u200b-\u200d]*[{_ARABIC_LETTER}])"
    )


def _is_letter(ch: str) -> bool:
    """``re.match(f"[{_ARABIC_LETTER}]", ch)`` (tatweel is inside the first range)."""
    return "\u0621" <= ch <= "\u064a" or "\u0671" <= ch <= "\u06d3" or "\u06fa" <= ch <= "\u06fc"


_STRETCH = _TATWEEL + "\u200b\u200c\u200d"  # what may sit between a letter and a mark


@lru_cache(maxsize=1)
def _mark_re() -> re.Pattern[str]:
    return re.compile(f"[{re.escape(tables().obfuscation_marks)}]")


def obfuscation_positions(text: str) -> set[int]:
    """Indices of marks that split a word on purpose (``معـ.ارك``, ``الاشـ.تباكات``).

    A mark right after a tatweel is always a break: real sentences never end in
    tatweel. Without tatweel, a mark is a break only when the left piece is too
    short to be a word, so ``الوكالة.قوات`` (a missing space) stays two words.

    This is what :func:`_obfuscation_positions_re` finds with one regex, found
    from the marks outward: the regex tries every position of the text, while
    marks are few.
    """
    found: set[int] = set()
    short = tables().short_fragment
    n = len(text)
    for m in _mark_re().finditer(text):
        k = m.start()
        # the regex's group 1: tatweel/zero-width characters right before the mark, starting
        # right after a letter; the leftmost such start wins
        j = k
        while j > 0 and text[j - 1] in _STRETCH:
            j -= 1
        if j > 0 and _is_letter(text[j - 1]):
            left = j
        else:
            left = next((q for q in range(j + 1, k + 1) if text[q - 1] == _TATWEEL), -1)
            if left < 0:
                continue
        # the lookahead: tatweel/zero-width characters, then a letter (tatweel is one)
        r = k + 1
        while r < n and text[r] in "\u200b\u200c\u200d":
            r += 1
        if r >= n or not _is_letter(text[r]):
            continue
        if _TATWEEL in text[left:k]:
            found.add(k)
            continue
        i = left
        while i > 0 and _is_letter(text[i - 1]):
            i -= 1
        if left - i <= short:
            found.add(k)
    return found


def _obfuscation_positions_re(text: str) -> set[int]:
    """:func:`obfuscation_positions` with the regex (the reference the fast version must agree with)."""
    found: set[int] = set()
    short = tables().short_fragment
    for m in _obfuscation_re().finditer(text):
        mark_pos = m.start(2)
        if _TATWEEL in m.group(1):
            found.add(mark_pos)
            continue
        left = mark_pos - len(m.group(1))
        i = left
        while i > 0 and re.match(f"[{_ARABIC_LETTER}]", text[i - 1]):
            i -= 1
        if left - i <= short:
            found.add(mark_pos)
    return found


def fold(text: str) -> Folded:
    """Fold ``text`` for matching; see the module docstring.

    Most characters fold to exactly one character, so the folded string is made
    with :meth:`str.translate` and the offsets with :func:`range`; only the few
    characters that are deleted or expand (diacritics, tatweel, ligatures, the
    marks of a broken word) are handled one by one.
    """
    if len(text.lower()) != len(text):
        # a character whose lower case is longer (İ): keep the plain loop
        return _fold_chars(text)
    broken = _broken(text)
    irregular = [m.start() for m in _irregular_re().finditer(text)]
    if broken:
        irregular = sorted(set(irregular) | set(broken))
    translated = _translate_one_to_one(text)
    if not irregular:
        return Folded(translated, tuple(range(len(text))), text)
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for i in irregular:
        if i > pos:
            pieces.append(translated[pos:i])
            offsets.extend(range(pos, i))
        pos = i + 1
        if i in broken:
            continue
        rep = _replacement(text[i])
        pieces.append(rep)
        offsets.extend([i] * len(rep))
    if pos < len(text):
        pieces.append(translated[pos:])
        offsets.extend(range(pos, len(text)))
    return Folded("".join(pieces), tuple(offsets), text)


def _broken(text: str) -> set[int]:
    return obfuscation_positions(text) if any(c in text for c in tables().obfuscation_marks) else set()


def _replacement(ch: str) -> str:
    """What one character folds to ('' when it is deleted)."""
    mapping = tables().mapping
    rep = mapping.get(ch)
    if rep is not None:
        return rep
    if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefc":
        # presentation forms (ligatures such as lam-alef) expand to letters
        return "".join(mapping.get(c, c) for c in unicodedata.normalize("NFKC", ch))
    if ch.isupper():
        return ch.lower()
    return ch


class _OneToOne(dict[int, str]):
    """A :meth:`str.translate` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        rep = _replacement(chr(code))
        self[code] = rep
        return rep


@lru_cache(maxsize=1)
def _one_to_one() -> _OneToOne:
    return _OneToOne()


def _translate_one_to_one(text: str) -> str:
    """``text`` with every character that folds to one other character replaced, the same length.

    Characters that are deleted or expand are left as they are (the caller cuts
    them out). Equal to ``text.translate(table)`` on the one-to-one stretches, but
    :meth:`str.translate` looks every character up in a Python dict, which is slow
    on Arabic text; here a regex finds the few characters that change and each
    distinct one is replaced with :meth:`str.replace`.
    """
    found = set(_changing_re().findall(text))
    if not found:
        return text
    table = _one_to_one()
    changes = {}
    for ch in found:
        rep = table[ord(ch)]
        if rep != ch and len(rep) == 1:
            changes[ch] = rep
    if any(rep in changes for rep in changes.values()):
        # a chain (a -> b, b -> c) would be replaced twice: translate the safe way
        return "".join(ch if len(rep := table[ord(ch)]) != 1 else rep for ch in text)
    for ch, rep in changes.items():
        text = text.replace(ch, rep)
    return text


@lru_cache(maxsize=1)
def _changing_re() -> re.Pattern[str]:
    """Characters of the Basic Multilingual Plane that fold to one other character, and every
    character beyond it (rare; :func:`_translate_one_to_one` checks each one it meets)."""
    # only a mapped, presentation-form or upper-case character can change (see _replacement)
    maybe = {ord(ch) for ch in tables().mapping if len(ch) == 1}
    maybe |= {*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)}
    maybe |= {c for c in range(0x10000) if chr(c).isupper()}
    codes = sorted(c for c in maybe if c < 0x10000 and not 0xD800 <= c < 0xE000 and _changes_alone(chr(c)))
    ranges: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        ranges.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return re.compile("[" + "".join(ranges) + "\U00010000-\U0010ffff]")


def _changes_alone(ch: str) -> bool:
    rep = _replacement(ch)
    return len(rep) == 1 and rep != ch


@lru_cache(maxsize=1)
def _irregular_re() -> re.Pattern[str]:
    """Characters that do not fold to exactly one character (deleted, or expanded ligatures)."""
    chars = "".join(re.escape(ch) for ch, rep in tables().mapping.items() if len(rep) != 1)
    return re.compile(f"[{chars}\ufb50-\ufdff\ufe70-\ufefc]")


def _fold_chars(text: str) -> Folded:
    """:func:`fold` character by character (the reference the fast path must agree with)."""
    mapping = tables().mapping
    broken = _broken(text)
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if i in broken:
            continue
        rep = mapping.get(ch)
        if rep is None:
            if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefc":
                # presentation forms (ligatures such as lam-alef) expand to letters
                rep = "".join(mapping.get(c, c) for c in unicodedata.normalize("NFKC", ch))
            elif ch.isupper():
                rep = ch.lower()
            else:
                out.append(ch)
                offsets.append(i)
                continue
        for c in rep:
            out.append(c)
            offsets.append(i)
    return Folded("".join(out), tuple(offsets), text)


@lru_cache(maxsize=100_000)
def fold_phrase(text: str) -> str:
    """Fold a lexicon entry (no offsets needed), collapsing runs of spaces."""
    return " ".join(fold(text).text.split())


def fold_set(words: Iterable[object]) -> frozenset[str]:
    """A data file's word list folded for lookups against folded text (numbers read as text)."""
    return frozenset(fold_phrase(str(w)) for w in words)
