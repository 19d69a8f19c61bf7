"""Cross-source fusion (SPEC section 5): events of different articles that report one incident.

Each event joins an incident as it is stored, in the ingest's transaction, so
incidents grow as articles arrive and nothing is recomputed over the whole
store. Candidates come from an indexed query that blocks on event type, a date
window and the admin area (or a small box around the point), never from all
pairs. A candidate is the same incident when:

* dates agree within their precision: at day precision within one day; a
  week must contain the other date; a month or a year never links;
* places are the same or nested: both points within ~10 km, or one of them is
  an area (a region, an unplaced governorate) that contains the other's admin
  unit;
* actors do not conflict: the two clashes share a side; a strike's target is
  the same where both name one. Two outlets naming different attackers for
  the same strike is not a conflict but a contradiction the incident shows;
* all of the above hold for every event already in the incident, and it has
  no event of this article yet (one article, one account).

An incident keeps its events (and through them every source and its
evidence), the number of independent outlets, a consensus actor1 (the most
reported) and death toll (the lowest figure given, as ACLED does), and its
contradictions: different actor1, casualty figures far apart, a source that
disputes its own report, and another article that denies it (its ``denials``
rows, see rasid.store.denials: same event type, a place that agrees with a
member's, dates that overlap within a day).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    union,
    update,
)

from rasid.geo.gazetteer import haversine_km
from rasid.store.schema import articles, denials, events, incidents

MAX_KM = 10.0
_BOX_DEG = 0.12  # blocking box around a point when no admin area is known (~13 km)

_COLUMNS = (
    events.c.event_id,
    events.c.article_id,
    events.c.event_type,
    events.c.actor1_id,
    events.c.actor2_id,
    events.c.admin1,
    events.c.admin2,
    events.c.lat,
    events.c.lon,
    events.c.geo_precision,
    events.c.date_start,
    events.c.date_end,
    events.c.date_precision,
    events.c.killed,
    events.c.contested,
    events.c.location_name,
    events.c.incident_id,
)


# The date precisions that can link at all (dates_agree).
_LINKABLE = ("day", "week")


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def dates_agree(a: Any, b: Any) -> bool:
    """Within a day at day precision; a week must contain the other date. A month or a year says too
    little to call two reports one incident ("battles in Daraa in 2018" are many), so it never links."""
    if not a.date_start or not b.date_start:
        return False
    if a.date_precision not in _LINKABLE or b.date_precision not in _LINKABLE:
        return False
    if a.date_precision == "day" and b.date_precision == "day":
        return abs((_day(a.date_start) - _day(b.date_start)).days) <= 1
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a.date_start <= b_end and b.date_start <= a_end


def _is_point(e: Any) -> bool:
    return e.lat is not None and e.lon is not None and (e.geo_precision or 3) < 3


def places_agree(a: Any, b: Any) -> bool:
    """Same or nested place: two points within ~10 km, or an area that contains the other's admin unit."""
    if _is_point(a) and _is_point(b):
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= MAX_KM
    if not a.admin1 or not b.admin1 or a.admin1 != b.admin1:
        if a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None:
            return haversine_km(a.lat, a.lon, b.lat, b.lon) <= MAX_KM
        return False
    # one of them is an area in the same governorate: nested when its admin2 (if any) holds the other
    return not a.admin2 or not b.admin2 or a.admin2 == b.admin2


def actors_conflict(a: Any, b: Any) -> bool:
    """Battles must share a side; other events must not name different targets."""
    if a.event_type == "battles":
        sa = {x for x in (a.actor1_id, a.actor2_id) if x}
        sb = {x for x in (b.actor1_id, b.actor2_id) if x}
        return bool(sa) and bool(sb) and not (sa & sb)
    return bool(a.actor2_id and b.actor2_id and a.actor2_id != b.actor2_id)


def _area_block(admin1: str | None, lat: float | None, lon: float | None) -> list[Any]:
    """The area conditions of a candidate search: the same governorate or a small box around the
    point (either may be missing); no condition at all means the report cannot be placed."""
    where: list[Any] = []
    if admin1:
        where.append(events.c.admin1 == admin1)
    if lat is not None and lon is not None:
        where.append(
            and_(
                events.c.lat.between(lat - _BOX_DEG, lat + _BOX_DEG),
                events.c.lon.between(lon - _BOX_DEG, lon + _BOX_DEG),
            )
        )
    return where


# The longest span one event's dates can have: "year" precision (a leap year).
MAX_SPAN_DAYS = 366

# Incidents while a batch is linked: (0, id) for a stored one, (1, n) for the n-th one this batch
# creates. They sort as their ids will: a new incident's id is above every stored one's, in order.
Key = tuple[int, int]


@dataclass(frozen=True)
class _Block:
    """Where one event's candidates are: the same type, a date window and an area. The stored ones
    come from :func:`_candidate_query` (which the ``(event_type, date_start)`` index answers); the
    events linked earlier in the same batch are tested by :meth:`holds`, the same conditions in Python,
    so a candidate is found whether it was stored before the batch or is part of it."""

    event_type: str
    start: str
    lo: str
    hi: str
    earliest: str
    end: str
    admin1: str | None
    box: tuple[float, float, float, float] | None  # lat_lo, lat_hi, lon_lo, lon_hi

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "event_type": self.event_type,
            "lo": self.lo,
            "hi": self.hi,
            "earliest": self.earliest,
            "end": self.end,
            "start": self.start,
        }
        if self.admin1 is not None:
            out["admin1"] = self.admin1
        if self.box is not None:
            out["lat_lo"], out["lat_hi"], out["lon_lo"], out["lon_hi"] = self.box
        return out

    def holds(self, c: Any) -> bool:
        """What the query asks of a row (NULL compares false there, so None fails here)."""
        s = c.date_start
        if c.event_type != self.event_type or s is None:
            return False
        if not (
            self.lo <= s <= self.hi
            or (self.earliest <= s <= self.end and c.date_end is not None and c.date_end >= self.start)
        ):
            return False
        if self.admin1 is not None and c.admin1 == self.admin1:
            return True
        if self.box is None or c.lat is None or c.lon is None:
            return False
        lat_lo, lat_hi, lon_lo, lon_hi = self.box
        return lat_lo <= c.lat <= lat_hi and lon_lo <= c.lon <= lon_hi


def _block(e: Any) -> _Block | None:
    """The event's block; None when it has no date or no place to block on (it then links to nothing)."""
    if not e.date_start:
        return None
    day = _day(e.date_start)
    admin1 = e.admin1 or None
    box = None
    if e.lat is not None and e.lon is not None:
        box = (e.lat - _BOX_DEG, e.lat + _BOX_DEG, e.lon - _BOX_DEG, e.lon + _BOX_DEG)
    if admin1 is None and box is None:
        return None
    return _Block(
        event_type=e.event_type,
        start=e.date_start,
        lo=(day - dt.timedelta(days=1)).isoformat(),
        hi=(day + dt.timedelta(days=1)).isoformat(),
        # a range that overlaps this event's began at most a year before it (the widest date precision),
        # a lower bound that lets the (type, date_start) index stop instead of reading every earlier event
        earliest=(day - dt.timedelta(days=MAX_SPAN_DAYS)).isoformat(),
        end=e.date_end or e.date_start,
        admin1=admin1,
        box=box,
    )


@lru_cache(maxsize=4)
def _candidate_query(by_admin1: bool, by_point: bool) -> CompoundSelect:
    """The stored, linked events in a block, by governorate and/or box. Built once per shape with bound
    parameters: linking runs one prepared statement per block instead of building a query per event.

    A candidate began within a day of the event, or began earlier and its dates still reach the event's
    start. Asked as one date condition, the second half made the ``(event_type, date_start)`` index read
    every event of the type in the year before the event. The same rows come from three narrow ranges:
    the day window; events that begin inside the event's own span (a one-day event's candidates there
    are already in the window); and events that began earlier and overlap it, which must span several
    days (``date_end > date_start``, the partial index ``ix_events_spans``)."""
    area: list[Any] = []
    if by_admin1:
        area.append(events.c.admin1 == bindparam("admin1"))
    if by_point:
        area.append(
            and_(
                events.c.lat.between(bindparam("lat_lo"), bindparam("lat_hi")),
                events.c.lon.between(bindparam("lon_lo"), bindparam("lon_hi")),
            )
        )

    def part(*when: Any) -> Select[Any]:
        return select(*_COLUMNS).where(
            events.c.event_type == bindparam("event_type"),
            events.c.incident_id.is_not(None),
            *when,
            or_(*area),
        )

    return union(
        part(events.c.date_start.between(bindparam("lo"), bindparam("hi"))),
        part(
            events.c.date_start.between(bindparam("start"), bindparam("end")),
            events.c.date_end >= bindparam("start"),
        ),
        part(
            events.c.date_end > events.c.date_start,
            events.c.date_start.between(bindparam("earliest"), bindparam("end")),
            events.c.date_end >= bindparam("start"),
        ),
    )


_MEMBERS = select(*_COLUMNS).where(events.c.incident_id == bindparam("incident_id"))
_SET_INCIDENT = (
    update(events)
    .where(events.c.event_id == bindparam("b_event_id"))
    .values(incident_id=bindparam("b_incident"))
)


def _rank(e: Any, c: Any, key: Key) -> tuple[int, float, Key]:
    """Prefer the same day, then the nearest place, then the oldest incident."""
    same_day = 0 if c.date_start == e.date_start else 1
    dist = haversine_km(e.lat, e.lon, c.lat, c.lon) if _is_point(e) and _is_point(c) else MAX_KM
    return (same_day, dist, key)


def _agree(e: Any, c: Any) -> bool:
    return dates_agree(e, c) and places_agree(e, c) and not actors_conflict(e, c)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """A point's cell in a grid of the blocking box's size."""
    return math.floor(lat / _BOX_DEG), math.floor(lon / _BOX_DEG)


def _cells(lat_lo: float, lat_hi: float, lon_lo: float, lon_hi: float) -> Iterator[tuple[int, int]]:
    """The cells a box overlaps (at most 3 by 3): a point in the box is in one of them, floor being
    monotonic."""
    (i0, j0), (i1, j1) = _cell(lat_lo, lon_lo), _cell(lat_hi, lon_hi)
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            yield i, j


# Day buckets are walked one by one for an event whose own span is at most this long; a longer
# one (a week's report is 7 days) reads the whole area's list instead.
_WALK_DAYS = 40


@lru_cache(maxsize=4096)
def _window_days(lo: str, hi: str, start: str, end: str) -> tuple[str, ...]:
    """The days of a block's window and of its event's own span, each once (many events share them)."""
    days: set[str] = set()
    for a, b in ((lo, hi), (start, end)):
        first, last = _day(a), _day(b)
        days.update((first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1))
    return tuple(sorted(days))


class _Linked:
    """Events already linked (a batch's own so far, or the stored ones read at once for a large batch),
    by type, area and day: what a block can accept (the exact test is :meth:`_Block.holds`).

    The area is the governorate, or the cell of a grid of the blocking box's size. A candidate began
    within a day of the event, or inside the event's own span, or began earlier and still overlaps it,
    so it spans several days: those few are kept in a list per area besides the day buckets (the same
    three ranges as :func:`_candidate_query`)."""

    def __init__(self) -> None:
        self.by_day: dict[tuple[Any, ...], list[tuple[Any, Key]]] = {}
        self.spans: dict[tuple[Any, ...], list[tuple[Any, Key]]] = {}
        self.every: dict[tuple[Any, ...], list[tuple[Any, Key]]] = {}

    def add(self, e: Any, key: Key) -> None:
        if e.date_start is None:  # no block holds it
            return
        spans = e.date_end is not None and e.date_end > e.date_start
        areas: list[tuple[Any, ...]] = []
        if e.admin1 is not None:
            areas.append((e.event_type, e.admin1))
        if e.lat is not None and e.lon is not None:
            areas.append((e.event_type, *_cell(e.lat, e.lon)))
        for area in areas:
            self.by_day.setdefault((*area, e.date_start), []).append((e, key))
            self.every.setdefault(area, []).append((e, key))
            if spans:
                self.spans.setdefault(area, []).append((e, key))

    def near(self, b: _Block) -> list[tuple[Any, Key]]:
        """Every linked event in the block's governorate or in a cell its box overlaps, in the block's
        day window, beginning inside its span or spanning several days (each once)."""
        areas: list[tuple[Any, ...]] = []
        if b.admin1 is not None:
            areas.append((b.event_type, b.admin1))
        if b.box is not None:
            areas.extend((b.event_type, i, j) for i, j in _cells(*b.box))
        found: dict[int, tuple[Any, Key]] = {}
        if not self.every:
            return []
        walk = b.end <= b.hi or (_day(b.end) - _day(b.start)).days <= _WALK_DAYS
        days = _window_days(b.lo, b.hi, b.start, b.end) if walk else ()
        for area in areas:
            if not walk:
                found.update((id(ek[0]), ek) for ek in self.every.get(area, ()))
                continue
            for day in days:
                found.update((id(ek[0]), ek) for ek in self.by_day.get((*area, day), ()))
            found.update((id(ek[0]), ek) for ek in self.spans.get(area, ()))
        return list(found.values())


class _Linker:
    """Links one batch's events in order, as if each were stored and linked before the next is looked at,
    with a query per block and per stored incident tried, and the writes at the end.

    The stored events do not change while a batch is linked (its own events are written to their
    incidents only at the end), so a block's stored candidates and an incident's stored members are
    read once; the batch's own links are kept here and searched in memory."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.stored: dict[_Block, list[Any]] = {}
        self.stored_members: dict[int, list[Any]] = {}
        self.batch_members: dict[Key, list[Any]] = {}
        self.linked = _Linked()
        self.new_types: list[str] = []  # the event type of each incident created, in order
        self.preloaded: _Linked | None = None

    def preload(self, blocks: Sequence[_Block]) -> None:
        """Read every stored, linked event any of these blocks could accept in one query, and answer the
        blocks from memory: for a large batch (a whole store linked again) a query per block costs more
        than reading the range once. The range is from the earliest block's year-back bound to the latest
        day any block reaches; :meth:`_Block.holds` then asks of each what the block's query would."""
        lo = min(b.earliest for b in blocks)
        hi = max(max(b.hi, b.end) for b in blocks)
        types = sorted({b.event_type for b in blocks})
        query = select(*_COLUMNS).where(
            events.c.event_type.in_(types),
            events.c.incident_id.is_not(None),
            events.c.date_start.between(lo, hi),
        )
        self.preloaded = _Linked()
        for c in self.conn.execute(query):
            self.preloaded.add(c, (0, c.incident_id))

    def _stored(self, b: _Block) -> list[Any]:
        if self.preloaded is not None:
            return [c for c, _ in self.preloaded.near(b) if b.holds(c)]
        rows = self.stored.get(b)
        if rows is None:
            query = _candidate_query(b.admin1 is not None, b.box is not None)
            rows = self.stored[b] = list(self.conn.execute(query, b.params()))
        return rows

    def _members(self, key: Key) -> list[Any]:
        members = self.batch_members.get(key, [])
        if key[0] == 1:
            return members
        stored = self.stored_members.get(key[1])
        if stored is None:
            stored = self.stored_members[key[1]] = list(self.conn.execute(_MEMBERS, {"incident_id": key[1]}))
        return stored + members

    def _fits(self, e: Any, key: Key) -> bool:
        """The event agrees with every member of the incident, not only with the candidate that found it:
        linking one by one must not chain a Monday report to a Wednesday one through a Tuesday one."""
        return all(m.article_id != e.article_id and _agree(e, m) for m in self._members(key))

    def _match(self, e: Any) -> Key | None:
        if e.date_precision not in _LINKABLE:  # dates_agree refuses every candidate: no query needed
            return None
        b = _block(e)
        if b is None:
            return None
        found = [(c, (0, c.incident_id)) for c in self._stored(b)]
        found += [(c, k) for c, k in self.linked.near(b) if b.holds(c)]
        matches = [(c, k) for c, k in found if c.article_id != e.article_id and _agree(e, c)]
        tried: set[Key] = set()
        for _, key in sorted(matches, key=lambda ck: _rank(e, ck[0], ck[1])):
            if key in tried:
                continue
            tried.add(key)
            if self._fits(e, key):
                return key
        return None

    def link(self, e: Any) -> Key:
        """The incident this event joins: an existing one it matches, or a new one of its own."""
        key = self._match(e)
        if key is None:
            key = (1, len(self.new_types))
            self.new_types.append(e.event_type)
        self.batch_members.setdefault(key, []).append(e)
        self.linked.add(e, key)
        return key

    def ids(self) -> dict[Key, int]:
        """The new incidents inserted, in the order they were created (so their ids are what inserting
        each at once would give), and every key's id."""
        out: dict[Key, int] = {(0, k[1]): k[1] for k in self.batch_members if k[0] == 0}
        if self.new_types:
            rows = self.conn.execute(
                insert(incidents).returning(incidents.c.id, sort_by_parameter_order=True),
                [{"event_type": t, "n_events": 0, "n_outlets": 0} for t in self.new_types],
            )
            for n, row in enumerate(rows):
                out[(1, n)] = row.id
        return out


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A batch this large reads its stored candidates in one range instead of a query per block.
PRELOAD_AT = 2_000


def link_events(conn: Connection, event_ids: Sequence[str]) -> None:
    """Give each new event an incident: an existing one it matches, or a new one of its own.

    The events are taken in the order given, each seeing the ones before it, exactly as when each
    was linked and written alone; the batch's reads are one query per block and per incident tried,
    and its writes are three statements (new incidents, event links, incident summaries)."""
    if not event_ids:
        return
    rows: dict[str, Any] = {}
    for chunk in _chunks(list(event_ids)):
        rows.update(
            (r.event_id, r) for r in conn.execute(select(*_COLUMNS).where(events.c.event_id.in_(chunk)))
        )
    linker = _Linker(conn)
    if len(rows) >= PRELOAD_AT:
        blocks = [b for r in rows.values() if r.date_precision in _LINKABLE and (b := _block(r)) is not None]
        if blocks:
            linker.preload(blocks)
    keys = [(eid, linker.link(rows[eid])) for eid in event_ids]
    ids = linker.ids()
    conn.execute(_SET_INCIDENT, [{"b_event_id": eid, "b_incident": ids[k]} for eid, k in keys])
    refresh(conn, sorted(set(ids.values())))


def unlink_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    """Before an article's events are replaced: take them out of their incidents, drop emptied ones."""
    rows = conn.execute(
        select(events.c.incident_id).where(
            events.c.article_id.in_(article_ids), events.c.incident_id.is_not(None)
        )
    )
    ids = sorted({r.incident_id for r in rows})
    conn.execute(update(events).where(events.c.article_id.in_(article_ids)).values(incident_id=None))
    refresh(conn, ids)


def _far_apart(figures: Iterable[int]) -> bool:
    """Casualty figures disagree when the highest is at least twice the lowest and 3 more."""
    values = sorted(set(figures))
    return len(values) > 1 and values[-1] >= 2 * values[0] and values[-1] - values[0] >= 3


_SUMMARY = select(*_COLUMNS, articles.c.outlet).join(articles, articles.c.id == events.c.article_id)
_SET_SUMMARY = update(incidents).where(incidents.c.id == bindparam("b_id"))


def refresh(conn: Connection, incident_ids: Sequence[int]) -> None:
    """Recompute each incident's summary from its events; an incident with none left is deleted.

    One query reads the members of every incident (in chunks), one the denials that may concern them,
    one statement writes every summary: a batch refreshes its incidents together."""
    ids = list(dict.fromkeys(incident_ids))
    if not ids:
        return
    groups: dict[int, list[Any]] = {iid: [] for iid in ids}
    for chunk in _chunks(ids):
        query = _SUMMARY.where(events.c.incident_id.in_(chunk)).order_by(
            events.c.incident_id, events.c.event_id
        )
        for r in conn.execute(query):
            groups[r.incident_id].append(r)
    empty = [iid for iid, rows in groups.items() if not rows]
    for chunk in _chunks(empty):
        conn.execute(delete(incidents).where(incidents.c.id.in_(chunk)))
    full = {iid: rows for iid, rows in groups.items() if rows}
    if not full:
        return
    near = _Denials(conn, full.values())
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    conn.execute(_SET_SUMMARY, [_summary(iid, rows, near, now) for iid, rows in full.items()])


def _summary(iid: int, rows: list[Any], near: _Denials, now: str) -> dict[str, Any]:
    """The incidents row of one incident's members (the parameters of :data:`_SET_SUMMARY`)."""
    outlets = {r.outlet or f"article:{r.article_id}" for r in rows}
    actors = Counter(r.actor1_id for r in rows if r.actor1_id)
    killed = [r.killed for r in rows if r.killed is not None]
    contradictions: list[dict[str, Any]] = []
    if len(actors) > 1:
        contradictions.append({"kind": "actor1", "detail": " / ".join(sorted(actors))})
    if _far_apart(killed):
        contradictions.append(
            {"kind": "fatalities", "detail": " / ".join(str(k) for k in sorted(set(killed)))}
        )
    if any(r.contested for r in rows):
        contradictions.append({"kind": "contested", "detail": "a source denies or disputes it"})
    contradictions += _denied_by_others(near, rows)
    place = min(rows, key=lambda r: (r.geo_precision or 4, r.event_id))
    admin1 = Counter(r.admin1 for r in rows if r.admin1).most_common(1)
    starts = [r.date_start for r in rows if r.date_start]
    ends = [r.date_end or r.date_start for r in rows if r.date_start]
    return {
        "b_id": iid,
        "date_start": min(starts) if starts else None,
        "date_end": max(ends) if ends else None,
        "admin1": admin1[0][0] if admin1 else None,
        "location_name": place.location_name,
        "lat": place.lat,
        "lon": place.lon,
        "actor1_id": min(actors, key=lambda a: (-actors[a], a)) if actors else None,
        "killed": min(killed) if killed else None,
        "n_events": len(rows),
        "n_outlets": len(outlets),
        "contradictions": json.dumps(contradictions, ensure_ascii=False) if contradictions else None,
        "updated_at": now,
    }


def _shift(day: str, days: int) -> str:
    return (_day(day) + dt.timedelta(days=days)).isoformat()


def _denial_fits(d: Any, m: Any) -> bool:
    """A denial concerns a member event: its dates overlap the event's, give or take a day, and its place
    agrees with the event's (the same test as two reports)."""
    if not d.date_start or not m.date_start or d.date_precision not in ("day", "week"):
        return False
    m_end = m.date_end or m.date_start
    d_end = d.date_end or d.date_start
    if d.date_start > _shift(m_end, 1) or d_end < _shift(m.date_start, -1):
        return False
    return places_agree(d, m)


def _window(rows: Iterable[Any]) -> tuple[str, str] | None:
    """The days a denial must overlap to concern these events: theirs, a day either side."""
    dated = [r for r in rows if r.date_start]
    if not dated:
        return None
    return _shift(min(r.date_start for r in dated), -1), _shift(
        max(r.date_end or r.date_start for r in dated), 1
    )


class _Denials:
    """The stored denials that may concern some incidents, read in one query over all their days and
    types, and sorted by start so each incident looks only at those of its own days."""

    def __init__(self, conn: Connection, groups: Iterable[list[Any]]) -> None:
        windows = [(w, rows) for rows in groups if (w := _window(rows)) is not None]
        self.rows: list[tuple[int, Any]] = []
        if windows:
            query = (
                select(denials, articles.c.outlet, articles.c.url)
                .join(articles, articles.c.id == denials.c.article_id)
                .where(
                    denials.c.event_type.in_(sorted({r.event_type for _, rows in windows for r in rows})),
                    denials.c.date_start <= max(hi for (_, hi), _ in windows),
                    denials.c.date_end >= min(lo for (lo, _), _ in windows),
                )
                .order_by(denials.c.article_id, denials.c.id)  # the database's order of ids, kept below
            )
            self.rows = sorted(enumerate(conn.execute(query)), key=lambda nd: nd[1].date_start)
        self.starts = [d.date_start for _, d in self.rows]
        spans = [_span_days(d) for _, d in self.rows]
        self.longest = None if None in spans else max(spans, default=0)

    def near(self, lo: str, hi: str) -> list[Any]:
        """The denials whose days overlap lo..hi, in the order the query gave them (article, id)."""
        first = 0 if self.longest is None else bisect_left(self.starts, _shift(lo, -self.longest))
        found = [nd for nd in self.rows[first : bisect_right(self.starts, hi)] if nd[1].date_end >= lo]
        return [d for _, d in sorted(found, key=lambda nd: nd[0])]


def _span_days(d: Any) -> int | None:
    """Days from a denial's start to its end; None when they are not both dates (then no bisection)."""
    try:
        return max(0, (_day(d.date_end) - _day(d.date_start)).days)
    except (TypeError, ValueError):
        return None


def _denied_by_others(near: _Denials, rows: list[Any]) -> list[dict[str, Any]]:
    """The contradictions of an incident that come from articles denying it (never one of its own)."""
    window = _window(rows)
    if window is None:
        return []
    dated = [r for r in rows if r.date_start]
    types = {r.event_type for r in rows}
    own = {r.article_id for r in rows}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for d in near.near(*window):
        if d.event_type not in types or d.article_id in own:
            continue
        if d.article_id in seen or not any(_denial_fits(d, m) for m in dated):
            continue
        seen.add(d.article_id)
        who = d.denier or "a source"
        out.append(
            {
                "kind": "denial",
                "detail": f"{who} denies it ({d.outlet or 'article ' + d.article_id})",
                "article_id": d.article_id,
                "outlet": d.outlet,
                "url": d.url,
                "denier": d.denier,
                "evidence": {"text": d.text, "start": d.start_offset, "end": d.end_offset},
            }
        )
    return out


def incidents_denied_by(conn: Connection, article_ids: Sequence[str]) -> list[int]:
    """Incidents that the denials of these articles may concern (refresh decides): the events of other
    articles of the same type, in the denial's date window and area, found by the blocking index."""
    found: set[int] = set()
    rows = conn.execute(select(denials).where(denials.c.article_id.in_(list(article_ids))))
    for d in rows:
        if not d.date_start:
            continue
        where = _area_block(d.admin1, d.lat, d.lon)
        if not where:
            continue
        query = select(events.c.incident_id).where(
            events.c.event_type == d.event_type,
            events.c.article_id != d.article_id,
            events.c.incident_id.is_not(None),
            events.c.date_start <= _shift(d.date_end or d.date_start, 1),
            or_(
                events.c.date_end >= _shift(d.date_start, -1), events.c.date_start >= _shift(d.date_start, -1)
            ),
            or_(*where),
        )
        found.update(r.incident_id for r in conn.execute(query))
    return sorted(found)


def incident(conn: Connection, incident_id: int) -> dict[str, Any] | None:
    """One incident with its summary and its sources (article, outlet, url, event), for exports and tests."""
    row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).one_or_none()
    if row is None:
        return None
    out = dict(row._mapping)
    out["contradictions"] = json.loads(row.contradictions) if row.contradictions else []
    out["sources"] = [
        dict(r._mapping)
        for r in conn.execute(
            select(events.c.event_id, events.c.article_id, articles.c.outlet, articles.c.url, events.c.killed)
            .join(articles, articles.c.id == events.c.article_id)
            .where(events.c.incident_id == incident_id)
            .order_by(events.c.event_id)
        )
    ]
    return out
