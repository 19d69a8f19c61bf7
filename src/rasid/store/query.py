"""Reading events back: :func:`query_events` with the filters of ``rasid events``.

Filters are SQL (Core expressions), so they run in the database on both
back-ends; the rows come back as the stored SPEC record plus what the store
knows about it: the article's url, outlet and published date, the incident it
belongs to, and when it was ingested.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, case, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rasid.store.schema import (
    articles,
    claims,
    event_actors,
    event_places,
    events,
    evidence,
    incidents,
    places,
    terms,
)


@dataclass(frozen=True)
class EventFilter:
    """Every field optional; all given ones must hold (AND)."""

    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # an actor id (SYR_MIL), part of its name, or its Arabic mention; any role
    admin1: str | None = None  # governorate, as in the record (Idlib, Aleppo...)
    place: str | None = None  # part of the place's English or Arabic name, or the mention
    since: dt.date | None = None  # event date range (overlap with the event's start..end)
    until: dt.date | None = None
    outlet: str | None = None
    text: str | None = None  # words in the evidence or the notes
    incident_id: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (GeoJSON order)
    published_since: dt.date | None = None  # report date range (the article's), apart from the event's
    published_until: dt.date | None = None


def filter_conditions(f: EventFilter) -> list[ColumnElement[bool]]:
    c = events.c
    out: list[ColumnElement[bool]] = []
    if f.event_type:
        out.append(c.event_type == f.event_type)
    if f.sub_event_type:
        out.append(c.sub_event_type == f.sub_event_type)
    if f.actor:
        low = f.actor.lower()
        ea = event_actors.c
        out.append(
            exists().where(
                ea.event_id == c.event_id,
                or_(
                    func.lower(ea.actor_id) == low,
                    func.lower(ea.name).contains(low, autoescape=True),
                    ea.mention.contains(f.actor, autoescape=True),
                ),
            )
        )
    if f.admin1:
        out.append(func.lower(c.admin1) == f.admin1.lower())
    if f.place:
        out.append(c.event_id.in_(_events_at(f.place)))
    if f.since:
        out.append(func.coalesce(c.date_end, c.date_start) >= f.since.isoformat())
    if f.until:
        out.append(c.date_start <= f.until.isoformat())
    if f.outlet:
        out.append(func.lower(articles.c.outlet) == f.outlet.lower())
    if f.text:
        out.append(
            or_(
                func.lower(c.notes).contains(f.text.lower(), autoescape=True),
                exists().where(
                    and_(evidence.c.event_id == c.event_id, evidence.c.text.contains(f.text, autoescape=True))
                ),
            )
        )
    if f.incident_id is not None:
        out.append(c.incident_id == f.incident_id)
    if f.bbox is not None:
        west, south, east, north = f.bbox
        out.append(and_(c.lon.between(west, east), c.lat.between(south, north)))
    if f.published_since:
        out.append(articles.c.published >= f.published_since.isoformat())
    if f.published_until:
        out.append(articles.c.published <= f.published_until.isoformat())
    return out


def _events_at(place: str) -> Any:
    """Ids of the events at a place whose English or Arabic name contains ``place``, whose admin2 or
    admin3 is it, or that the article names so: the few matching rows of ``places`` are found first,
    then their events through the index of ``event_places``, instead of testing every event's columns."""
    low = place.lower()
    p, ep = places.c, event_places.c
    named = select(p.id).where(
        or_(
            func.lower(p.name).contains(low, autoescape=True),
            p.name_ar.contains(place, autoescape=True),
            func.lower(p.admin2) == low,
            func.lower(p.admin3) == low,
        )
    )
    return select(ep.event_id).where(or_(ep.place_id.in_(named), ep.mention.contains(place, autoescape=True)))


def query_events(engine: Engine, f: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Matching events, oldest event date first (undated last), as export-ready dicts."""
    f = f or EventFilter()
    query = (
        select(
            events.c.record,
            events.c.incident_id,
            articles.c.url,
            articles.c.outlet,
            articles.c.published,
            articles.c.ingested_at,
        )
        .join(articles, articles.c.id == events.c.article_id)
        .where(*filter_conditions(f))
        .order_by(
            case((events.c.date_start.is_(None), 1), else_=0),
            events.c.date_start,
            # code-point order, as SQLite's: a PostgreSQL database's locale collation would sort ids otherwise
            events.c.article_id.collate("C") if engine.dialect.name == "postgresql" else events.c.article_id,
            events.c.seq,
        )
    )
    with engine.connect() as conn:
        # a server-side cursor on PostgreSQL: an export of the whole store never holds it all in memory
        for row in conn.execution_options(stream_results=True, yield_per=1000).execute(query):
            record = json.loads(row.record)
            record["url"] = row.url
            record["outlet"] = row.outlet
            record["published"] = row.published
            record["incident_id"] = row.incident_id
            record["ingested_at"] = row.ingested_at
            yield record


def counts(engine: Engine) -> dict[str, int]:
    """Rows per table: what a crash test or a status line compares."""
    with engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (
                articles,
                events,
                evidence,
                incidents,
                terms,
                event_actors,
                places,
                event_places,
                claims,
            )
        }
