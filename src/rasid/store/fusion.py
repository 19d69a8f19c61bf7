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
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

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


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def dates_agree(a: Any, b: Any) -> bool:
    """Within a day at day precision; a week must contain the other date. A month or a year says too
    little to call two reports one incident ("battles in Daraa in 2018" are many), so it never links."""
    if not a.date_start or not b.date_start:
        return False
    if a.date_precision not in ("day", "week") or b.date_precision not in ("day", "week"):
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


def _candidates(conn: Connection, e: Any) -> list[Any]:
    day = _day(e.date_start)
    lo, hi = (day - dt.timedelta(days=1)).isoformat(), (day + dt.timedelta(days=1)).isoformat()
    end = e.date_end or e.date_start
    # a range that overlaps this event's began at most a year before it (the widest date precision),
    # a lower bound that lets the (type, date_start) index stop instead of reading every earlier event
    earliest = (day - dt.timedelta(days=MAX_SPAN_DAYS)).isoformat()
    when = or_(
        events.c.date_start.between(lo, hi),
        and_(events.c.date_start.between(earliest, end), events.c.date_end >= e.date_start),
    )
    where = _area_block(e.admin1, e.lat, e.lon)
    if not where:
        return []
    query = (
        select(*_COLUMNS)
        .where(
            events.c.event_type == e.event_type,
            events.c.article_id != e.article_id,
            events.c.incident_id.is_not(None),
            when,
            or_(*where),
        )
        .order_by(events.c.incident_id, events.c.event_id)
    )
    return list(conn.execute(query))


def _rank(e: Any, c: Any) -> tuple[int, float, int]:
    """Prefer the same day, then the nearest place, then the oldest incident."""
    same_day = 0 if c.date_start == e.date_start else 1
    dist = haversine_km(e.lat, e.lon, c.lat, c.lon) if _is_point(e) and _is_point(c) else MAX_KM
    return (same_day, dist, c.incident_id)


def _fits(conn: Connection, e: Any, incident_id: int) -> bool:
    """The event agrees with every member of the incident, not only with the candidate that found it:
    linking one by one must not chain a Monday report to a Wednesday one through a Tuesday one."""
    members = list(conn.execute(select(*_COLUMNS).where(events.c.incident_id == incident_id)))
    return all(
        m.article_id != e.article_id
        and dates_agree(e, m)
        and places_agree(e, m)
        and not actors_conflict(e, m)
        for m in members
    )


def link_events(conn: Connection, event_ids: Sequence[str]) -> None:
    """Give each new event an incident: an existing one it matches, or a new one of its own."""
    touched: set[int] = set()
    for eid in event_ids:
        e = conn.execute(select(*_COLUMNS).where(events.c.event_id == eid)).one()
        chosen: int | None = None
        if e.date_start:
            matches = [
                c
                for c in _candidates(conn, e)
                if dates_agree(e, c) and places_agree(e, c) and not actors_conflict(e, c)
            ]
            tried: set[int] = set()
            for c in sorted(matches, key=lambda c: _rank(e, c)):
                if c.incident_id in tried:
                    continue
                tried.add(c.incident_id)
                if _fits(conn, e, c.incident_id):
                    chosen = c.incident_id
                    break
        if chosen is None:
            chosen = conn.execute(
                insert(incidents)
                .values(event_type=e.event_type, n_events=0, n_outlets=0)
                .returning(incidents.c.id)
            ).scalar_one()
        conn.execute(update(events).where(events.c.event_id == eid).values(incident_id=chosen))
        touched.add(chosen)
    refresh(conn, sorted(touched))


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


def refresh(conn: Connection, incident_ids: Sequence[int]) -> None:
    """Recompute each incident's summary from its events; an incident with none left is deleted."""
    for iid in incident_ids:
        rows = list(
            conn.execute(
                select(*_COLUMNS, articles.c.outlet)
                .join(articles, articles.c.id == events.c.article_id)
                .where(events.c.incident_id == iid)
                .order_by(events.c.event_id)
            )
        )
        if not rows:
            conn.execute(delete(incidents).where(incidents.c.id == iid))
            continue
        outlets = {r.outlet or f"article:{r.article_id}" for r in rows}
        actors = Counter(r.actor1_id for r in rows if r.actor1_id)
        killed = [r.killed for r in rows if r.killed is not None]
        contradictions: list[dict[str, str]] = []
        if len(actors) > 1:
            contradictions.append({"kind": "actor1", "detail": " / ".join(sorted(actors))})
        if _far_apart(killed):
            contradictions.append(
                {"kind": "fatalities", "detail": " / ".join(str(k) for k in sorted(set(killed)))}
            )
        if any(r.contested for r in rows):
            contradictions.append({"kind": "contested", "detail": "a source denies or disputes it"})
        contradictions += _denied_by_others(conn, rows)
        place = min(rows, key=lambda r: (r.geo_precision or 4, r.event_id))
        admin1 = Counter(r.admin1 for r in rows if r.admin1).most_common(1)
        starts = [r.date_start for r in rows if r.date_start]
        ends = [r.date_end or r.date_start for r in rows if r.date_start]
        conn.execute(
            update(incidents)
            .where(incidents.c.id == iid)
            .values(
                date_start=min(starts) if starts else None,
                date_end=max(ends) if ends else None,
                admin1=admin1[0][0] if admin1 else None,
                location_name=place.location_name,
                lat=place.lat,
                lon=place.lon,
                actor1_id=min(actors, key=lambda a: (-actors[a], a)) if actors else None,
                killed=min(killed) if killed else None,
                n_events=len(rows),
                n_outlets=len(outlets),
                contradictions=json.dumps(contradictions, ensure_ascii=False) if contradictions else None,
                updated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            )
        )


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


def _denied_by_others(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    """The contradictions of an incident that come from articles denying it (never one of its own)."""
    dated = [r for r in rows if r.date_start]
    if not dated:
        return []
    lo = _shift(min(r.date_start for r in dated), -1)
    hi = _shift(max(r.date_end or r.date_start for r in dated), 1)
    query = (
        select(denials, articles.c.outlet, articles.c.url)
        .join(articles, articles.c.id == denials.c.article_id)
        .where(
            denials.c.event_type.in_(sorted({r.event_type for r in rows})),
            denials.c.article_id.not_in(sorted({r.article_id for r in rows})),
            denials.c.date_start <= hi,
            denials.c.date_end >= lo,
        )
        .order_by(denials.c.article_id, denials.c.id)
    )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for d in conn.execute(query):
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
