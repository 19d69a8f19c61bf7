"""The incident linking of rasid.store.fusion as it was before linking went a batch at a time: each event
linked on its own (one candidate query, one query per incident tried, its link written at once) and
each incident's summary recomputed on its own. Kept as the oracle the batched code must equal
(tests/test_fusion_batch.py): same incidents, same ids, same summaries."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from rasid.geo.gazetteer import haversine_km
from rasid.store.fusion import (
    _COLUMNS,
    MAX_KM,
    MAX_SPAN_DAYS,
    _area_block,
    _day,
    _denial_fits,
    _far_apart,
    _is_point,
    _shift,
    actors_conflict,
    dates_agree,
    places_agree,
)
from rasid.store.schema import articles, denials, events, incidents


def _candidates(conn: Connection, e: Any) -> list[Any]:
    day = _day(e.date_start)
    lo, hi = (day - dt.timedelta(days=1)).isoformat(), (day + dt.timedelta(days=1)).isoformat()
    end = e.date_end or e.date_start
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
    same_day = 0 if c.date_start == e.date_start else 1
    dist = haversine_km(e.lat, e.lon, c.lat, c.lon) if _is_point(e) and _is_point(c) else MAX_KM
    return (same_day, dist, c.incident_id)


def _fits(conn: Connection, e: Any, incident_id: int) -> bool:
    members = list(conn.execute(select(*_COLUMNS).where(events.c.incident_id == incident_id)))
    return all(
        m.article_id != e.article_id
        and dates_agree(e, m)
        and places_agree(e, m)
        and not actors_conflict(e, m)
        for m in members
    )


def link_events(conn: Connection, event_ids: Sequence[str]) -> None:
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


def refresh(conn: Connection, incident_ids: Sequence[int]) -> None:
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
        contradictions: list[dict[str, Any]] = []
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
            )
        )


def _denied_by_others(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
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


def unlink_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    rows = conn.execute(
        select(events.c.incident_id).where(
            events.c.article_id.in_(article_ids), events.c.incident_id.is_not(None)
        )
    )
    ids = sorted({r.incident_id for r in rows})
    conn.execute(update(events).where(events.c.article_id.in_(article_ids)).values(incident_id=None))
    refresh(conn, ids)
