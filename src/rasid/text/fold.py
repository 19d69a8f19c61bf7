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
from dataclasses import dataclass
from functools import lru_cache

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


def obfuscation_positions(text: str) -> set[int]:
    """Indices of marks that split a word on purpose (``معـ.ارك``, ``الاشـ.تباكات``).

    A mark right after a tatweel is always a break: real sentences never end in
    tatweel. Without tatweel, a mark is a break only when the left piece is too
    short to be a word, so ``الوكالة.قوات`` (a missing space) stays two words.
    """
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
    table = _one_to_one()
    if not irregular:
        return Folded(text.translate(table), tuple(range(len(text))), text)
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for i in irregular:
        if i > pos:
            pieces.append(text[pos:i].translate(table))
            offsets.extend(range(pos, i))
        pos = i + 1
        if i in broken:
            continue
        rep = _replacement(text[i])
        pieces.append(rep)
        offsets.extend([i] * len(rep))
    if pos < len(text):
        pieces.append(text[pos:].translate(table))
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
