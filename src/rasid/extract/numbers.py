"""Counts in Arabic news text: digits, number words, duals, qualifiers, ranges.

Casualty figures and materiel counts are written every way Arabic allows:
Western or Eastern digits (``25``, ``٢٥``, ``1,200``, ``1.5 مليون``), number
words in both genders and cases (``خمسة وعشرين``, ``ثلاثمئة``, ``ألفين``), a
dual noun that is itself the count (``دبابتين`` = 2), a hedge (``أكثر من``،
``نحو``، ``ما لا يقل عن``), a range (``بين 10 و15``) or no figure at all
(``عشرات``، ``عدد من``). :func:`find_numbers` turns each into a ``number``
mention whose value is the *lowest stated* figure, as the SPEC asks for
fatalities, and leaves years, brigade numbers, road names and date parts
alone so they never become casualty counts.

All word lists live in ``rasid/data/numbers.yaml``; matching runs on the folded
view so tatweel, diacritics, hamza spellings and Eastern digits do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rasid.document import Document
from rasid.knowledge.loader import load_yaml
from rasid.knowledge.matcher import PhraseMatcher
from rasid.text.fold import fold, fold_phrase
from rasid.text.tokens import StartFilter, Token, clitic_variants, tokenize

_DIGITS = re.compile(r"\d{1,3}(?:[,\u066c]\d{3})+(?!\d)|\d+(?:\.\d+)?")
_DATE_OR_TIME = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}|\d{4}/\d{1,2}/\d{1,2}"
)
_YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class NumberValue:
    """A parsed count: ``value`` is the lowest stated figure, None when vague."""

    value: int | None
    value_high: int | None = None
    qualifier: str = "exact"
    unit: str | None = None


@dataclass(frozen=True)
class Found:
    """A number found in a folded text: token range, folded span, value."""

    first: int  # token index of the first token
    last: int  # token index after the last token
    start: int  # folded offsets
    end: int
    number: NumberValue
    conj: bool = False  # written with a leading و (the second end of a range)
    dual_noun: str | None = None  # the singular noun when a dual gave the count
    digits: bool = False


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, int]
    teen_first: dict[str, int]
    teen_second: frozenset[str]
    tens: dict[str, int]
    hundreds: dict[str, int]
    scales: dict[str, tuple[int | None, int | None]]  # word -> (multiplier, value alone)
    vague: PhraseMatcher
    before: PhraseMatcher
    after: PhraseMatcher
    percent: PhraseMatcher
    blocked_before: frozenset[str]
    blocked_after: PhraseMatcher
    months: PhraseMatcher
    duals: dict[str, str]  # dual form -> singular
    nouns: frozenset[str]  # singular and plural countable nouns
    people: frozenset[str]  # singular nouns for a person (مقتل شخص = 1 killed)
    persons: frozenset[str]  # every form of a person noun (singular, dual, plural)
    number_words: frozenset[str] = field(init=False)  # every word _atom can read

    def __post_init__(self) -> None:
        words = {*self.units, *self.teen_first, *self.tens, *self.hundreds, *self.scales}
        object.__setattr__(self, "number_words", frozenset(words))


def _fold_all(words: list[Any]) -> list[str]:
    return [fold_phrase(str(w)) for w in words]


def _value_map(section: dict[Any, list[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for value, words in section.items():
        for w in _fold_all(words):
            out.setdefault(w, int(value))
    return out


def _matcher(section: dict[str, list[str]] | list[str], payload: Any = True) -> PhraseMatcher:
    m = PhraseMatcher()
    if isinstance(section, dict):
        for key, words in section.items():
            for w in words:
                m.add(str(w), key)
    else:
        for w in section:
            m.add(str(w), payload)
    return m


def dual_forms(singular: str) -> list[str]:
    stem = singular[:-1] + "ت" if singular.endswith("ه") else singular
    return [stem + "ان", stem + "ين"]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled word lists of ``numbers.yaml`` (and month names of ``calendar.yaml``)."""
    data = load_yaml("numbers.yaml")
    cal = load_yaml("calendar.yaml")
    scales: dict[str, tuple[int | None, int | None]] = {}
    for entry in data["scales"]:
        for w in _fold_all(entry["words"]):
            scales.setdefault(w, (entry["multiplier"], entry["alone"]))
    duals: dict[str, str] = {}
    nouns: set[str] = set()
    people: set[str] = set()
    persons: set[str] = set()
    for entry in data["countable"]:
        singular = fold_phrase(entry["singular"])
        if not entry.get("thing"):
            people.add(singular)
            persons.add(singular)
            persons.update(_fold_all(entry.get("plurals", [])))
        plurals = set(_fold_all(entry.get("plurals", [])))
        nouns.add(singular)
        nouns.update(plurals)
        forms = _fold_all(entry["duals"]) if "duals" in entry else dual_forms(singular)
        for form in forms:
            if form not in plurals:
                duals[form] = singular
    months = PhraseMatcher()
    for month, words in cal["months"].items():
        for w in words:
            months.add(str(w), int(month))
    return Lexicon(
        units=_value_map(data["units"]),
        teen_first=_value_map(data["teen_first"]),
        teen_second=frozenset(_fold_all(data["teen_second"])),
        tens=_value_map(data["tens"]),
        hundreds=_value_map(data["hundreds"]),
        scales=scales,
        vague=_matcher(data["vague"]),
        before=_matcher(data["qualifiers_before"]),
        after=_matcher(data["qualifiers_after"]),
        percent=_matcher(data["percent_after"]),
        blocked_before=frozenset(_fold_all(data["blocked_before"])),
        blocked_after=_matcher(data["blocked_after"]),
        months=months,
        duals=duals,
        nouns=frozenset(nouns),
        people=frozenset(people),
        persons=frozenset(persons | {d for d, sing in duals.items() if sing in people}),
    )


# --------------------------------------------------------------------------- word numbers


def _prefixes(tok: str) -> list[tuple[str, int, bool]]:
    """Readings of a token with a leading conjunction/preposition: (text, skip, has_wa).

    ب/ل/ك are only stripped from longer words so that ``لست`` ("I am not")
    never reads as ``ست`` (six).
    """
    out = [(tok, 0, False)]
    rest, skip, wa = tok, 0, False
    if tok[:1] in ("و", "ف") and (len(tok) > 2 or tok[1:].isdigit()):  # و5 آخرين
        rest, skip, wa = tok[1:], 1, tok[0] == "و"
        out.append((rest, skip, wa))
    if len(rest) > 1 and rest[0] in "بلك" and (rest[1].isdigit() or len(rest) >= 5):
        out.append((rest[1:], skip + 1, wa))
    return out


def _atom(lex: Lexicon, tokens: list[Token], j: int, text: str) -> tuple[str, int, int] | None:
    """One number item at token ``j`` read as ``text``: (kind, value, tokens used)."""
    nxt = tokens[j + 1].text if j + 1 < len(tokens) and tokens[j + 1].joined else None
    if nxt in lex.teen_second and text in lex.teen_first:
        return "teen", 10 + lex.teen_first[text], 2
    if text in lex.units:
        u = lex.units[text]
        if nxt is not None and 3 <= u <= 9 and lex.hundreds.get(nxt) == 100:
            return "hundred", u * 100, 2
        return "unit", u, 1
    if text in lex.tens:
        return "ten", lex.tens[text], 1
    if text in lex.hundreds:
        return "hundred", lex.hundreds[text], 1
    if text in lex.scales and lex.scales[text][1] is not None:
        return "scale", lex.scales[text][1] or 0, 1
    return None


# which items already in a group forbid the next one (units come before tens: خمسة وعشرون)
_BLOCKS = {
    "unit": {"unit", "teen", "ten"},
    "teen": {"unit", "teen", "ten"},
    "ten": {"ten", "teen"},
    "hundred": {"unit", "teen", "ten", "hundred"},
}


def _scale_after(lex: Lexicon, tokens: list[Token], j: int, group: int, below: int | None) -> int | None:
    """Multiplier of a scale word at token ``j`` that can follow ``group`` (ثلاثة آلاف، مئة ألف)."""
    if j >= len(tokens) or not tokens[j].joined:
        return None
    entry = lex.scales.get(tokens[j].text)
    if entry is None or entry[0] is None:
        return None
    mult = entry[0]
    if below is not None and mult >= below:
        return None
    if entry[1] is None and group < 3:
        return None  # آلاف / ملايين need a count of three or more (ثلاثة آلاف، مئة وخمسة آلاف)
    return mult


def _word_number(lex: Lexicon, tokens: list[Token], i: int, text: str) -> tuple[int, int] | None:
    """Read a compound number word starting at token ``i``: (value, token index after)."""
    total, group = 0, 0
    state: set[str] = set()
    below: int | None = None  # scales must shrink: مليون وألف
    j, consumed = i, None
    while j < len(tokens):
        atom = _atom(lex, tokens, j, text)
        if atom is None:
            break
        kind, value, n = atom
        if kind == "scale":
            if state or group or (below is not None and value >= below):
                break
            total += value
            below = 10 ** (len(str(value)) - 1)  # ألفين -> nothing from 1000 up may follow
            state = set()
            j += n
        else:
            if state & _BLOCKS[kind] or (kind == "ten" and group % 100 >= 10):
                break
            group += value
            state.add(kind)
            j += n
            mult = _scale_after(lex, tokens, j, group, below)
            if mult is not None:
                total += group * mult
                group, state, below = 0, set(), mult
                j += 1
        consumed = j
        if (
            j < len(tokens)
            and tokens[j].joined
            and tokens[j].text.startswith("و")
            and len(tokens[j].text) > 2
        ):
            text = tokens[j].text[1:]
            continue
        break
    if consumed is None:
        return None
    return total + group, consumed


# --------------------------------------------------------------------------- scanning


def _read_at(lex: Lexicon, folded: str, tokens: list[Token], i: int) -> tuple[Found | None, int]:
    """A number starting at token ``i`` and the token index to resume at."""
    tok = tokens[i]
    for text, skip, wa in _prefixes(tok.text):
        start = tok.start + skip
        if text[:1].isdecimal():
            return _read_digits(lex, folded, tokens, i, start, wa)
        word = _word_number(lex, tokens, i, text)
        if word is not None:
            value, last = word
            return Found(i, last, start, tokens[last - 1].end, NumberValue(value), conj=wa), last
    for v in clitic_variants(tok.text):
        singular = lex.duals.get(v.text)
        if singular is not None:
            found = Found(i, i + 1, tok.start + v.skip, tok.end, NumberValue(2), dual_noun=singular)
            return found, i + 1
    m = lex.vague.match_at(tokens, i)
    if m is not None:
        number = NumberValue(None, qualifier=m.payloads[0])
        return Found(i, m.last, m.start, m.end, number), m.last
    return None, i + 1


def _token_after(tokens: list[Token], pos: int, i: int) -> int:
    while i < len(tokens) and tokens[i].start < pos:
        i += 1
    return i


def _read_digits(
    lex: Lexicon, folded: str, tokens: list[Token], i: int, start: int, wa: bool
) -> tuple[Found | None, int]:
    dt = _DATE_OR_TIME.match(folded, start)
    if dt is not None:
        return None, _token_after(tokens, dt.end(), i)
    m = _DIGITS.match(folded, start)
    assert m is not None
    raw = m.group().replace(",", "").replace("\u066c", "")
    value = float(raw) if "." in raw else int(raw)
    last = _token_after(tokens, m.end(), i + 1)
    end = m.end()
    if last < len(tokens) and tokens[last].joined:
        entry = lex.scales.get(tokens[last].text)
        if entry is not None and entry[0] is not None:
            value *= entry[0]
            end = tokens[last].end
            last += 1
    found = Found(i, last, start, end, NumberValue(int(value)), conj=wa, digits=True)
    return found, last


def noun_forms(word: str) -> set[str]:
    """A folded word read without clitics and without accusative alif (شخصا -> شخص)."""
    out = {v.text for v in clitic_variants(word)}
    return out | {w[:-1] for w in out if w.endswith("ا") and len(w) > 3}


def _variants(tok: Token) -> set[str]:
    return noun_forms(tok.text)


def _is_blocked(lex: Lexicon, folded: str, tokens: list[Token], f: Found, month_at: dict[int, int]) -> bool:
    """True when the number is a year, a unit or road name, or part of a date."""
    if f.dual_noun is not None or f.number.value is None:
        return False
    if f.first > 0 and tokens[f.first].joined and _variants(tokens[f.first - 1]) & lex.blocked_before:
        return True
    if f.first in month_at.values() and f.first > 0:
        return True  # آذار 2018: the year of a date
    if f.last in month_at:
        return True  # 17 آذار
    if f.last + 1 in month_at and f.last < len(tokens) and tokens[f.last].text == "من":
        return True  # 17 من آذار
    if f.last < len(tokens) and lex.blocked_after.match_at(tokens, f.last) is not None:
        return True
    if f.digits and f.end - f.start == 4 and _YEAR_RANGE[0] <= (f.number.value or 0) <= _YEAR_RANGE[1]:
        return not (f.last < len(tokens) and _variants(tokens[f.last]) & lex.nouns)
    return folded[f.end : f.end + 1] == "/" or folded[max(0, f.start - 1) : f.start] in {"/", ":"}


def _month_positions(lex: Lexicon, tokens: list[Token]) -> dict[int, int]:
    """Token index where a month name starts -> token index after it."""
    return {m.first: m.last for m in lex.months.find(tokens)}


def _gap(folded: str, a: Found, b: Found) -> str:
    return folded[a.end : b.start].strip()


def _merge_ranges(folded: str, tokens: list[Token], found: list[Found]) -> list[Found]:
    """``بين 10 و15``، ``10 - 15``، ``10 إلى 15``، ``10 أو 15`` -> one number with value_high."""
    out: list[Found] = []
    k = 0
    while k < len(found):
        a = found[k]
        b = found[k + 1] if k + 1 < len(found) else None
        merged = _range(folded, tokens, a, b) if b is not None else None
        if merged is not None:
            out.append(merged)
            k += 2
        else:
            out.append(a)
            k += 1
    return out


def _range(folded: str, tokens: list[Token], a: Found, b: Found) -> Found | None:
    if a.number.value is None or b.number.value is None or b.number.value <= a.number.value:
        return None
    if a.dual_noun or b.dual_noun:
        return None
    start = a.start
    between = _gap(folded, a, b)
    prev = tokens[a.first - 1].text if a.first > 0 else ""
    if b.conj and b.first == a.last and prev in {"بين", "وبين"}:
        start = tokens[a.first - 1].start
    elif between == "-" and b.first == a.last:
        pass
    elif b.first == a.last + 1 and between in {"الي", "حتي", "او"}:
        pass
    else:
        return None
    number = NumberValue(a.number.value, b.number.value, "exact")
    return Found(a.first, b.last, start, b.end, number, digits=a.digits)


def _qualify(lex: Lexicon, folded: str, tokens: list[Token], f: Found, before: dict[int, Any]) -> Found:
    """Attach a hedge before (أكثر من 100) or after (10 على الأقل), and a percent sign."""
    number, start, end, last = f.number, f.start, f.end, f.last
    m = before.get(f.first)
    if m is not None and number.value is not None and number.qualifier == "exact":
        number = replace(number, qualifier=m.payloads[0])
        start = m.start
    # the first character after the spaces that follow (not a copy of the rest of a long text)
    at = end
    while at < len(folded) and folded[at] == " ":
        at += 1
    if folded.startswith("%", at):
        end = at + 1
        number = replace(number, unit="percent")
    elif last < len(tokens) and (p := lex.percent.match_at(tokens, last)) is not None:
        end, last = p.end, p.last
        number = replace(number, unit="percent")
    for at in (last, last + 1):
        if at >= len(tokens) or number.value is None or number.qualifier != "exact":
            break
        q = lex.after.match_at(tokens, at)
        if q is not None and (at == last or _variants(tokens[last]) & lex.nouns):
            number = replace(number, qualifier=q.payloads[0])
            end = q.end
            break
    return replace(f, start=start, end=end, number=number)


def _merge_dual_two(found: list[Found]) -> list[Found]:
    """``قتيلين اثنين``: the number word repeats the dual, keep one count."""
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.dual_noun
            and f.first == prev.last
            and f.number.value == 2
            and not f.conj
        ):
            out[-1] = replace(prev, last=f.last, end=f.end)
            continue
        out.append(f)
    return out


@lru_cache(maxsize=20_000)
def _may_start(token: str) -> bool:
    """Whether :func:`_read_at` can read anything at a token with this text.

    A digit or a number word (possibly after و/ف/ب/ل/ك), a dual noun, or the
    first word of a vague count; most tokens are none of these.
    """
    lex = lexicon()
    for text, _skip, _wa in _prefixes(token):
        if text[:1].isdigit() or text in lex.number_words:
            return True
    return any(v.text in lex.duals for v in clitic_variants(token)) or lex.vague.may_start(token)


_STARTS = StartFilter(_may_start)


def scan(folded: str, tokens: list[Token]) -> list[Found]:
    """Every count in a folded text, in order, with years and names left out."""
    lex = lexicon()
    months = _month_positions(lex, tokens)
    raw: list[Found] = []
    pos = 0  # tokens before pos were read with the last count
    for i in _STARTS.candidates(tokens):
        if i < pos or not _STARTS(tokens[i].text):
            continue
        f, pos = _read_at(lex, folded, tokens, i)
        if f is not None and not _is_blocked(lex, folded, tokens, f, months):
            raw.append(f)
    found = _merge_dual_two(_merge_ranges(folded, tokens, raw))
    before = {m.last: m for m in lex.before.find(tokens)}
    return [_qualify(lex, folded, tokens, f, before) for f in found]


def parse_number(text: str) -> NumberValue | None:
    """The first count in ``text`` (raw or folded), or None.

    >>> parse_number("أكثر من ١٠٠ مقاتل").value
    100
    """
    folded = fold(text)
    found = scan(folded.text, tokenize(folded))
    return found[0].number if found else None


def find_numbers(doc: Document) -> None:
    """Add a ``number`` mention for every count outside boilerplate."""
    folded = doc.folded
    for f in scan(folded.text, doc.tokens):
        start, end = folded.span(f.start, f.end)
        if doc.in_boilerplate(start):
            continue
        data: dict[str, Any] = {
            "value": f.number.value,
            "value_high": f.number.value_high,
            "qualifier": f.number.qualifier,
        }
        if f.number.unit:
            data["unit"] = f.number.unit
        if f.dual_noun:
            data["noun"] = f.dual_noun
        doc.add_mention(start, end, "number", **data)
    _marked_duals(doc)


_DUAL_MARK = "\u064a\u0652\u0646"  # يْن: the sukun tells the dual (مقاتليْن) from the plural (مقاتلين)


def _marked_duals(doc: Document) -> None:
    """``أعدم مقاتليْن``: a noun whose ending is voweled as a dual counts two."""
    if _DUAL_MARK not in doc.text:
        return
    lex = lexicon()
    taken = [(m.start, m.end) for m in doc.mentions if m.kind == "number"]
    folded = doc.folded
    for tok in doc.tokens:
        start, end = folded.span(tok.start, tok.end)
        if not doc.text[start:end].endswith(_DUAL_MARK) or any(a < end and start < b for a, b in taken):
            continue
        singular = next(
            (w[:-2] for w in noun_forms(tok.text) if w.endswith("ين") and w[:-2] in lex.nouns), None
        )
        if singular is not None and not doc.in_boilerplate(start):
            doc.add_mention(start, end, "number", value=2, value_high=None, qualifier="exact", noun=singular)
