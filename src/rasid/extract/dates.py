"""When did it happen: explicit and relative dates, resolved against the article date.

News copy rarely writes a full date. It says ``مساء أمس الاثنين``، ``الجمعة``،
``الأسبوع الماضي``، ``قبل يومين`` or ``في 17 من الشهر نفسه``, and names months
in two systems (``آذار`` / ``مارس``), often both at once (``كانون الثاني/يناير``).
:func:`find_dates` reads these on the folded view and adds ``date`` mentions
with ``start``/``end`` ISO dates, a ``precision`` and whether the value was
``relative`` to the article date. Rules, chosen so that they never guess
forward in time:

- a weekday is the most recent such day on or before the article date; with
  ``الماضي`` (``الإثنين الماضي``) strictly before it; ``أمس X`` is the day before
  the article date even when X names another weekday (the word أمس is more
  reliable than a weekday an editor forgot to update);
- ``الأسبوع الماضي`` is the seven days before the article date (article date
  minus 7 .. minus 1): Arab outlets start the week on Saturday, Sunday or
  Monday, and a sliding window is right under all three conventions;
- ``الشهر الماضي`` / ``العام الماضي`` are the previous calendar month / year;
- a month or day without a year is the latest such one not after the article
  date; ``17 من الشهر نفسه`` uses the last month named before it in the text,
  else the article month;
- with no article date, anything that needs it keeps its mention with
  precision ``unknown`` and no start/end.

Calendar words live in ``rasid/data/calendar.yaml``.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasid.document import Document
from rasid.extract.numbers import lexicon as number_lexicon
from rasid.knowledge.loader import load_yaml
from rasid.knowledge.matcher import Match, PhraseMatcher
from rasid.text.fold import fold, fold_phrase, fold_set
from rasid.text.tokens import StartFilter, Token, clitic_variants, tokenize

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_YEARS = (1900, 2100)


@dataclass(frozen=True)
class DateValue:
    """A resolved date or period; ``start``/``end`` None when it cannot be resolved."""

    start: dt.date | None
    end: dt.date | None
    precision: str  # day | week | month | year | unknown
    relative: bool = False


UNKNOWN = DateValue(None, None, "unknown", True)


@dataclass(frozen=True)
class Calendar:
    weekdays: PhraseMatcher
    months: PhraseMatcher
    ambiguous: frozenset[tuple[str, ...]]
    relative: PhraseMatcher
    day_parts: PhraseMatcher
    past: frozenset[str]
    periods: PhraseMatcher
    ago: frozenset[str]
    ago_units: dict[str, tuple[str, int | None]]  # word -> (unit, count or None when plural)
    unit_days: dict[str, int]
    month_refs: PhraseMatcher  # من الشهر نفسه / الجاري / الماضي -> same|current|previous
    year_words: frozenset[str]
    month_word: frozenset[str]
    ordinals: PhraseMatcher  # العاشر، الحادي والعشرين -> day of month


def _matcher(section: dict[Any, list[Any]]) -> PhraseMatcher:
    m = PhraseMatcher()
    for key, words in section.items():
        for w in words:
            m.add(str(w), key)
    return m


@lru_cache(maxsize=1)
def calendar_words() -> Calendar:
    """The compiled word lists of ``calendar.yaml``."""
    data = load_yaml("calendar.yaml")
    units: dict[str, tuple[str, int | None]] = {}
    unit_days: dict[str, int] = {}
    for unit, spec in data["ago_units"].items():
        unit_days[unit] = int(spec["days"])
        for key, count in (("words", 1), ("dual", 2), ("plural", None)):
            for w in spec.get(key, []):
                units[fold_phrase(str(w))] = (unit, count)
    refs = {
        "same": data["same_month"],
        "previous": data["previous_month"],
        "current": data["current_month"],
    }
    day_parts = PhraseMatcher()
    for w in data["day_parts"]:
        day_parts.add(str(w), True)
    return Calendar(
        weekdays=_matcher({int(k): v for k, v in data["weekdays"].items()}),
        months=_matcher({int(k): v for k, v in data["months"].items()}),
        ambiguous=frozenset(tuple(fold_phrase(str(w)).split()) for w in data["ambiguous_months"]),
        relative=_matcher({int(k): v for k, v in data["relative_days"].items()}),
        day_parts=day_parts,
        past=fold_set(data["past_words"]),
        periods=_matcher(data["periods"]),
        ago=fold_set(data["ago_word"]),
        ago_units=units,
        unit_days=unit_days,
        month_refs=_matcher(refs),
        year_words=fold_set(data["year_words"]),
        month_word=fold_set(data["month_word"]),
        ordinals=_ordinals(data["ordinal_units"], data["ordinal_tens"]),
    )


def _ordinals(units: dict[Any, list[str]], tens: dict[Any, list[str]]) -> PhraseMatcher:
    """Ordinal day words 1..31 composed from units and tens (الحادي عشر، الخامس والعشرين)."""
    m = PhraseMatcher()
    for ten, words in tens.items():
        for w in words:
            m.add(str(w), int(ten))
    ten_words = {int(t): [str(w) for w in ws] for t, ws in tens.items()}
    for unit, words in units.items():
        u = int(unit)
        for w in words:
            m.add(str(w), u)
            m.add(f"{w} عشر", 10 + u)
            for t in ten_words.get(20, []):
                m.add(f"{w} و{t}", 20 + u)
            if u == 1:
                for t in ten_words.get(30, []):
                    m.add(f"{w} و{t}", 31)
    return m


# --------------------------------------------------------------------------- date arithmetic


def _day(d: dt.date) -> DateValue:
    return DateValue(d, d, "day")


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, _cal.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + by
    return k // 12, k % 12 + 1


def _guess_year(published: dt.date, month: int, day: int | None) -> int:
    """Latest year in which ``day month`` is not after the article date."""
    if day is None:
        return published.year if month <= published.month else published.year - 1
    try:
        candidate = dt.date(published.year, month, day)
    except ValueError:
        return published.year - 1
    return published.year if candidate <= published else published.year - 1


def _weekday(published: dt.date, weekday: int, strictly_before: bool) -> dt.date:
    delta = (published.weekday() - weekday) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return published - dt.timedelta(days=delta)


def _period(kind: str, published: dt.date) -> DateValue:
    if kind == "last_week":
        return DateValue(published - dt.timedelta(days=7), published - dt.timedelta(days=1), "week", True)
    if kind == "this_week":
        return DateValue(published - dt.timedelta(days=published.weekday()), published, "week", True)
    if kind in {"last_month", "this_month"}:
        y, m = _shift_month(published.year, published.month, -1 if kind == "last_month" else 0)
        a, b = _month_span(y, m)
        return DateValue(a, b, "month", True)
    year = published.year - (1 if kind == "last_year" else 0)
    return DateValue(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", True)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# --------------------------------------------------------------------------- reading


@dataclass
class _Reader:
    """Walks the folded tokens of one text and reads date phrases."""

    folded: str
    tokens: list[Token]
    published: dt.date | None
    cal: Calendar = field(default_factory=calendar_words)
    context: tuple[int, int] | None = None  # (year, month) of the last month named

    def __post_init__(self) -> None:
        if self.context is None and self.published is not None:
            self.context = (self.published.year, self.published.month)

    # helpers ---------------------------------------------------------------
    def _text(self, k: int) -> str | None:
        return self.tokens[k].text if k < len(self.tokens) else None

    def _joined(self, k: int) -> bool:
        return k < len(self.tokens) and self.tokens[k].joined

    def _digits(self, k: int) -> int | None:
        t = self._text(k)
        if t is None:
            return None
        for v in clitic_variants(t):
            if v.text.isdecimal():
                return int(v.text)
        return None

    def _year_at(self, k: int) -> tuple[int, int] | None:
        """A year at token ``k`` (``2018``، ``عام 2018``، ``من عام 2018``): (year, token after)."""
        if self._text(k) == "من" and self._text(k + 1) in self.cal.year_words:
            k += 1
        if self._text(k) in self.cal.year_words:
            k += 1
        y = self._digits(k) if self._joined(k) else None
        if y is not None and _YEARS[0] <= y <= _YEARS[1] and len(str(y)) == 4:
            return y, k + 1
        return None

    def _month_at(self, k: int) -> tuple[int, int, int] | None:
        """A month name, with a second-system echo (آذار/مارس): (month, token after, folded end)."""
        if k >= len(self.tokens):
            return None
        m = self.cal.months.match_at(self.tokens, k)
        if m is None:
            return None
        month, last, end = m.payloads[0], m.last, m.end
        if last < len(self.tokens):
            gap = self.folded[end : self.tokens[last].start].strip()
            echo = self.cal.months.match_at(self.tokens, last) if gap in {"", "/", "(", "-", "،"} else None
            if echo is not None and echo.payloads[0] == month:
                last, end = echo.last, echo.end
                if self.folded[end : end + 1] == ")":
                    end += 1
        return month, last, end

    def _ambiguous(self, k: int) -> bool:
        """A month name that is also a common word (آب، مارس) and stands alone."""
        m = self.cal.months.match_at(self.tokens, k)
        if m is None or m.key not in self.cal.ambiguous:
            return False
        echo = self._month_at(k)
        return echo is None or echo[1] == m.last

    # patterns --------------------------------------------------------------
    def read(self, i: int) -> tuple[int, int, DateValue] | None:
        """A date phrase at token ``i``: (token after, folded end, value)."""
        for pattern in (
            self._numeric,
            self._explicit,
            self._relative,
            self._weekday,
            self._period,
            self._ago,
        ):
            got = pattern(i)
            if got is not None:
                return got
        return None

    def _numeric(self, i: int) -> tuple[int, int, DateValue] | None:
        start = self.tokens[i].start
        for rx, order in ((_ISO, (0, 1, 2)), (_DMY, (2, 1, 0))):
            m = rx.match(self.folded, start)
            if m is None:
                continue
            y, mo, d = (int(m.group(g + 1)) for g in order)
            date = _safe_date(y, mo, d)
            if date is None:
                return None
            k = i
            while k < len(self.tokens) and self.tokens[k].start < m.end():
                k += 1
            self.context = (y, mo)
            return k, m.end(), _day(date)
        return None

    def _explicit(self, i: int) -> tuple[int, int, DateValue] | None:
        """``17 آذار 2018``، ``17 من الشهر نفسه``، ``آذار 2018``، ``شهر آب``، ``عام 2016``."""
        day, k = self._digits(i), i + 1
        if day is None:
            ordinal = self.cal.ordinals.match_at(self.tokens, i)
            if ordinal is not None:
                day, k = ordinal.payloads[0], ordinal.last
        if day is not None and 1 <= day <= 31:
            if self._text(k) == "من" and self._joined(k):
                ref = self.cal.month_refs.match_at(self.tokens, k)
                if ref is not None:
                    return self._month_ref(day, ref)
                k += 1
            month = self._month_at(k) if self._joined(k) else None
            if month is None:
                return None
            return self._day_month(day, *month)
        if self._text(i) in self.cal.month_word and self._joined(i + 1):
            month = self._month_at(i + 1)
            if month is not None:
                return self._month_only(*month, sure=True)
        month = self._month_at(i)
        if month is not None:
            return self._month_only(*month, sure=not self._ambiguous(i))
        if self._text(i) in self.cal.year_words:
            year = self._year_at(i)
            if year is not None:
                y, last = year
                return (
                    last,
                    self.tokens[last - 1].end,
                    DateValue(dt.date(y, 1, 1), dt.date(y, 12, 31), "year"),
                )
        return None

    def _month_ref(self, day: int, ref: Match) -> tuple[int, int, DateValue] | None:
        kind = ref.payloads[0]
        if kind == "same" and self.context is not None:
            y, m = self.context
        elif self.published is not None:
            y, m = _shift_month(self.published.year, self.published.month, -1 if kind == "previous" else 0)
        else:
            return ref.last, ref.end, UNKNOWN
        date = _safe_date(y, m, day)
        if date is None:
            return None
        return ref.last, ref.end, DateValue(date, date, "day", True)

    def _day_month(self, day: int, month: int, last: int, end: int) -> tuple[int, int, DateValue] | None:
        year = self._year_at(last)
        if year is not None:
            y, last = year
            end = self.tokens[last - 1].end
            relative = False
        elif self.published is not None:
            if self._text(last) in self.cal.past:
                end, last = self.tokens[last].end, last + 1
            y, relative = _guess_year(self.published, month, day), True
        else:
            return last, end, UNKNOWN
        date = _safe_date(y, month, day)
        if date is None:
            return None
        self.context = (y, month)
        return last, end, DateValue(date, date, "day", relative)

    def _month_only(self, month: int, last: int, end: int, sure: bool) -> tuple[int, int, DateValue] | None:
        year = self._year_at(last)
        if year is not None:
            y, last = year
            end = self.tokens[last - 1].end
            relative = False
        elif not sure:
            return None
        elif self.published is not None:
            if self._text(last) in self.cal.past:
                end, last = self.tokens[last].end, last + 1
            y, relative = _guess_year(self.published, month, None), True
        else:
            return last, end, UNKNOWN
        self.context = (y, month)
        a, b = _month_span(y, month)
        return last, end, DateValue(a, b, "month", relative)

    def _relative(self, i: int) -> tuple[int, int, DateValue] | None:
        m = self.cal.relative.match_at(self.tokens, i)
        if m is None:
            return None
        last, end = m.last, m.end
        wd = self.cal.weekdays.match_at(self.tokens, last) if self._joined(last) else None
        if wd is not None:  # أمس الاثنين: the weekday only confirms; trust أمس
            last, end = wd.last, wd.end
        if self.published is None:
            return last, end, UNKNOWN
        d = self.published + dt.timedelta(days=m.payloads[0])
        return last, end, DateValue(d, d, "day", True)

    def _weekday(self, i: int) -> tuple[int, int, DateValue] | None:
        m = self.cal.weekdays.match_at(self.tokens, i)
        if m is None:
            return None
        last, end = m.last, m.end
        explicit = self._explicit(last) if self._joined(last) else None
        if explicit is not None and explicit[2].precision == "day":
            return explicit  # السبت 17 آذار: the date decides (span starts at the weekday)
        past = self._text(last) in self.cal.past and self._joined(last)
        if past:
            end, last = self.tokens[last].end, last + 1
        second = self.cal.weekdays.match_at(self.tokens, last) if self._joined(last) else None
        if self.published is None:
            return (second.last if second else last), (second.end if second else end), UNKNOWN
        d = _weekday(self.published, m.payloads[0], past)
        if second is not None and (m.payloads[0] + 1) % 7 == second.payloads[0]:
            # ليل الاثنين الثلاثاء: the night from one day to the next
            if d + dt.timedelta(days=1) > self.published:
                d -= dt.timedelta(days=7)
            return second.last, second.end, DateValue(d, d + dt.timedelta(days=1), "day", True)
        return last, end, DateValue(d, d, "day", True)

    def _period(self, i: int) -> tuple[int, int, DateValue] | None:
        m = self.cal.periods.match_at(self.tokens, i)
        if m is None:
            return None
        if self.published is None:
            return m.last, m.end, UNKNOWN
        return m.last, m.end, _period(m.payloads[0], self.published)

    def _ago(self, i: int) -> tuple[int, int, DateValue] | None:
        """``قبل يومين``، ``قبل 3 أيام``، ``قبل أسبوع``، ``منذ ثلاثة أشهر``."""
        if self._text(i) not in self.cal.ago or not self._joined(i + 1):
            return None
        k = i + 1
        count = self._digits(k)
        if count is None:
            count = number_lexicon().units.get(self.tokens[k].text) if k < len(self.tokens) else None
        if count is not None:
            k += 1
        unit = self.cal.ago_units.get(self._text(k) or "") if self._joined(k) else None
        if unit is None:
            return None
        name, n = unit
        n = count if count is not None else n
        if n is None or self._year_at(k + 1) is not None:
            return None  # منذ عام 2011 is a year, not "a year ago"
        end = self.tokens[k].end
        if self.published is None:
            return k + 1, end, UNKNOWN
        return k + 1, end, _ago_value(self.published, name, n, self.cal.unit_days[name])


def _ago_value(published: dt.date, unit: str, n: int, days: int) -> DateValue:
    if unit == "day":
        d = published - dt.timedelta(days=n)
        return DateValue(d, d, "day", True)
    if unit == "week":
        d = published - dt.timedelta(days=7 * n)
        return DateValue(d - dt.timedelta(days=3), d + dt.timedelta(days=3), "week", True)
    if unit == "month":
        y, m = _shift_month(published.year, published.month, -n)
        a, b = _month_span(y, m)
        return DateValue(a, b, "month", True)
    y = published.year - n
    return DateValue(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True)


@lru_cache(maxsize=20_000)
def _may_start(token: str) -> bool:
    """Whether a date phrase (or a day part before one) can begin at a token with this text.

    Mirrors the first test of every pattern of :meth:`_Reader.read`: a digit,
    an ordinal, a month, weekday, relative-day or period word, شهر/عام, or an
    "ago" word. Most tokens are none of these and :func:`scan` passes them by.
    """
    cal = calendar_words()
    if token[:1].isdigit() or any(v.text.isdigit() for v in clitic_variants(token)):
        return True
    if token in cal.month_word or token in cal.year_words or token in cal.ago:
        return True
    matchers = (cal.day_parts, cal.ordinals, cal.months, cal.relative, cal.weekdays, cal.periods)
    return any(m.may_start(token) for m in matchers)


_STARTS = StartFilter(_may_start)


def scan(folded: str, tokens: list[Token], published: dt.date | None) -> list[tuple[int, int, DateValue]]:
    """Every date phrase of a folded text: (folded start, folded end, value)."""
    reader = _Reader(folded, tokens, published)
    out: list[tuple[int, int, DateValue]] = []
    pos = 0  # tokens before pos belong to the last date read
    for i in _STARTS.candidates(tokens):
        if i < pos or not _STARTS(tokens[i].text):
            continue
        part = reader.cal.day_parts.match_at(tokens, i)
        got = reader.read(part.last) if part is not None and part.last < len(tokens) else None
        start = part.start if got is not None and part is not None else tokens[i].start
        if got is None:
            got = reader.read(i)
            start = tokens[i].start + _skip(tokens[i].text)
        if got is None:
            continue
        last, end, value = got
        out.append((start, end, value))
        pos = max(last, i + 1)
    return out


def _skip(tok: str) -> int:
    """Clitic letters before a date word (وأمس، بالأمس، و17): not part of the span."""
    if tok[:1].isdigit():
        return 0
    for prefix in ("وب", "ول", "و", "ف", "ب", "ل"):
        if tok.startswith(prefix) and len(tok) > len(prefix) + 2:
            rest = tok[len(prefix) :]
            if rest[:1].isdigit() or rest.startswith("ال") or prefix == "و":
                return len(prefix)
    return 0


def resolve_relative(text: str, published: dt.date | None) -> DateValue | None:
    """The first date phrase in ``text`` resolved against ``published`` (pure).

    >>> resolve_relative("مساء أمس الاثنين", dt.date(2024, 12, 10)).start
    datetime.date(2024, 12, 9)
    """
    folded = fold(text)
    found = scan(folded.text, tokenize(folded), published)
    return found[0][2] if found else None


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def find_dates(doc: Document) -> None:
    """Add a ``date`` mention for every date phrase outside boilerplate."""
    folded = doc.folded
    for start, end, value in scan(folded.text, doc.tokens, doc.published):
        o_start, o_end = folded.span(start, end)
        if doc.in_boilerplate(o_start):
            continue
        resolved = {
            "start": _iso(value.start),
            "end": _iso(value.end),
            "precision": value.precision,
            "relative": value.relative,
        }
        doc.add_mention_data(o_start, o_end, "date", resolved)
