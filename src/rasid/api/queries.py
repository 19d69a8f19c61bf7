"""What the API reads from the store: events as ITEMs (the SPEC record plus what the store knows), one
event with its article and incident, the meta lists the UI's filters offer, and the timeline.

All SQL is SQLAlchemy Core with bound parameters. The filters are those of ``rasid events``
(:func:`rasid.store.query.filter_conditions`), plus ``reviewed``. An ITEM shows an analyst's
corrections applied (rasid.store.reviews); filters and sorting work on what extraction stored.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from rasid.store.query import EventFilter, filter_conditions
from rasid.store.reviews import apply_corrections, reviews_of
from rasid.store.schema import articles, event_actors, event_places, events, incidents, places, reviews

SORTS = ("date", "-date", "killed", "-killed")


@dataclass(frozen=True)
class Listing:
    """A filtered, sorted page of events."""

    filter: EventFilter
    reviewed: bool | None = None
    sort: str = "date"
    limit: int = 100
    offset: int = 0


_ADMIN1_TTL = 60.0  # seconds a store's list of governorate spellings is reused
_admin1_cache: dict[str, tuple[float, list[str]]] = {}


def admin1_values(engine: Engine, *, fresh: bool = False) -> list[str]:
    """The governorate names the events use (a dozen or so), read again at most once a minute."""
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    cached = _admin1_cache.get(key)
    if fresh or cached is None or now - cached[0] > _ADMIN1_TTL:
        with engine.connect() as conn:
            values = [r[0] for r in conn.execute(select(events.c.admin1).distinct()) if r[0] is not None]
        cached = _admin1_cache[key] = (now, values)
    return cached[1]


def conditions(engine: Engine, f: EventFilter, reviewed: bool | None) -> list[ColumnElement[bool]]:
    """The filters of ``rasid events``, and ``reviewed``. The governorate is matched case-blind as there,
    but as ``admin1 IN (the stored spellings that match)``, so that the indexes on admin1 serve it."""
    admin1 = None
    if f.admin1:
        wanted = f.admin1.lower()
        admin1 = [v for v in admin1_values(engine) if v.lower() == wanted]
        if not admin1:  # perhaps a governorate stored since the list was read
            admin1 = [v for v in admin1_values(engine, fresh=True) if v.lower() == wanted]
        f = replace(f, admin1=None)
    out = filter_conditions(f)
    if admin1 is not None:
        out.append(events.c.admin1.in_(admin1))
    if reviewed is not None:
        has = exists().where(reviews.c.event_id == events.c.event_id)
        out.append(has if reviewed else ~has)
    return out


def _needs_articles(f: EventFilter) -> bool:
    return bool(f.outlet or f.published_since or f.published_until)


def _order(sort: str) -> list[Any]:
    column = events.c.killed if sort.lstrip("-") == "killed" else events.c.date_start
    if sort.startswith("-"):
        return [column.desc().nulls_last(), events.c.event_id.desc()]
    return [column.asc().nulls_last(), events.c.event_id]


_ITEM_COLUMNS = (
    events.c.event_id,
    events.c.record,
    events.c.incident_id,
    articles.c.outlet,
    articles.c.title,
    articles.c.url,
    articles.c.published,
    articles.c.ingested_at,
)


def item(row: Any, review: dict[str, Any] | None) -> dict[str, Any]:
    """One ITEM: the record (corrections applied) plus id, incident, outlet, title and review."""
    record = json.loads(row.record)
    if review and review["corrected"]:
        record = apply_corrections(record, review["corrected"])
    record.update(
        id=row.event_id,
        incident_id=row.incident_id,
        outlet=row.outlet,
        url=row.url,
        published=row.published,
        article_title=row.title,
        review=None
        if review is None
        else {k: review[k] for k in ("verdict", "corrected", "reviewer", "at", "origin")},
    )
    return record


def items(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    found = reviews_of(conn, [r.event_id for r in rows])
    return [item(r, found.get(r.event_id)) for r in rows]


def list_events(engine: Engine, q: Listing) -> dict[str, Any]:
    where = conditions(engine, q.filter, q.reviewed)
    base = events.join(articles, articles.c.id == events.c.article_id)
    count_from = base if _needs_articles(q.filter) else events
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(count_from).where(*where)).scalar_one()
        rows = list(
            conn.execute(
                select(*_ITEM_COLUMNS)
                .select_from(base)
                .where(*where)
                .order_by(*_order(q.sort))
                .limit(q.limit)
                .offset(q.offset)
            )
        )
        return {"total": int(total), "limit": q.limit, "offset": q.offset, "items": items(conn, rows)}


def iter_items(engine: Engine, f: EventFilter, reviewed: bool | None, chunk: int = 1000) -> Iterator[dict]:
    """Every matching ITEM, oldest first, read with a server-side cursor in chunks: for exports."""
    query = (
        select(*_ITEM_COLUMNS)
        .select_from(events.join(articles, articles.c.id == events.c.article_id))
        .where(*conditions(engine, f, reviewed))
        .order_by(*_order("date"))
    )
    with engine.connect() as conn, engine.connect() as side:
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(query)
        for part in result.partitions(chunk):
            for it, row in zip(items(side, list(part)), part, strict=True):
                it["ingested_at"] = row.ingested_at
                yield it


def _short(it: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "article_id", "event_type", "sub_event_type", "actor1", "actor2", "location", "date")
    return {k: it.get(k) for k in keys} | {
        "fatalities": it.get("fatalities"),
        "outlet": it.get("outlet"),
        "article_title": it.get("article_title"),
        "claim": it.get("claim"),
    }


def get_event(engine: Engine, event_id: str) -> dict[str, Any] | None:
    """One ITEM with its article (text included: evidence offsets point into it) and incident."""
    base = events.join(articles, articles.c.id == events.c.article_id)
    with engine.connect() as conn:
        row = conn.execute(
            select(*_ITEM_COLUMNS, events.c.article_id).select_from(base).where(events.c.event_id == event_id)
        ).first()
        if row is None:
            return None
        out = items(conn, [row])[0]
        art = conn.execute(select(articles).where(articles.c.id == row.article_id)).one()
        out["article"] = {
            "id": art.id,
            "title": art.title,
            "url": art.url,
            "outlet": art.outlet,
            "published": art.published,
            "text": art.text,
        }
        out["incident"] = _incident(conn, row.incident_id, row.article_id) if row.incident_id else None
    return out


def _incident(conn: Connection, incident_id: int, article_id: str) -> dict[str, Any] | None:
    inc = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
    if inc is None:
        return None
    others = list(
        conn.execute(
            select(*_ITEM_COLUMNS)
            .select_from(events.join(articles, articles.c.id == events.c.article_id))
            .where(events.c.incident_id == incident_id, events.c.article_id != article_id)
            .order_by(articles.c.published, events.c.event_id)
        )
    )
    return {
        "id": inc.id,
        "n_outlets": inc.n_outlets,
        "n_events": inc.n_events,
        "killed": inc.killed,
        "events": [_short(it) for it in items(conn, others)],
        "contradictions": json.loads(inc.contradictions) if inc.contradictions else [],
    }


def meta(engine: Engine) -> dict[str, Any]:
    """Counts and the values each filter can take."""

    def values(conn: Connection, column: Any, where: Any = None) -> list[Any]:
        query = select(column).distinct().where(column.is_not(None))
        if where is not None:
            query = query.where(where)
        return sorted(r[0] for r in conn.execute(query))

    with engine.connect() as conn:
        n_events = conn.execute(select(func.count()).select_from(events)).scalar_one()
        n_articles = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        actors = conn.execute(
            select(event_actors.c.actor_id, func.min(event_actors.c.name))
            .group_by(event_actors.c.actor_id)
            .order_by(event_actors.c.actor_id)
        )
        dates = conn.execute(
            select(
                func.min(events.c.date_start), func.max(func.coalesce(events.c.date_end, events.c.date_start))
            )
        ).one()
        return {
            "events": int(n_events),
            "articles": int(n_articles),
            "event_types": values(conn, events.c.event_type),
            "sub_event_types": values(conn, events.c.sub_event_type),
            "admin1": values(conn, events.c.admin1),
            "outlets": values(conn, articles.c.outlet),
            "actors": [{"id": a, "name": n or a} for a, n in actors],
            "date_min": dates[0],
            "date_max": dates[1],
        }


def _bucket(day: str, bucket: str) -> str:
    d = dt.date.fromisoformat(day)
    return (d - dt.timedelta(days=d.weekday())).isoformat() if bucket == "week" else d.isoformat()


def timeline(engine: Engine, f: EventFilter, reviewed: bool | None, bucket: str) -> dict[str, Any]:
    """Events per day (or per week, weeks starting on Monday) and type; undated events left out."""
    where = [*conditions(engine, f, reviewed), events.c.date_start.is_not(None)]
    base = events.join(articles, articles.c.id == events.c.article_id) if _needs_articles(f) else events
    query = (
        select(events.c.date_start, events.c.event_type, func.count())
        .select_from(base)
        .where(*where)
        .group_by(events.c.date_start, events.c.event_type)
    )
    table: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for day, kind, n in conn.execute(query):
            by_type = table.setdefault(_bucket(day, bucket), {})
            by_type[kind] = by_type.get(kind, 0) + int(n)
    return {
        "buckets": [
            {"start": start, "n": sum(by_type.values()), "by_type": dict(sorted(by_type.items()))}
            for start, by_type in sorted(table.items())
        ]
    }


def actor_rows(engine: Engine) -> list[dict[str, Any]]:
    """Each actor events reference: id, name, events per role."""
    ea = event_actors.c
    query = (
        select(ea.actor_id, func.min(ea.name).label("name"), ea.role, func.count().label("n"))
        .group_by(ea.actor_id, ea.role)
        .order_by(ea.actor_id, ea.role)
    )
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            entry = out.setdefault(row.actor_id, {"id": row.actor_id, "name": row.name, "events": {}})
            entry["events"][row.role] = int(row.n)
    return list(out.values())


def place_rows(engine: Engine, admin1: str | None = None) -> list[dict[str, Any]]:
    """Each place events happen at, with its admin areas, coordinates and how many events."""
    p, ep = places.c, event_places.c
    query = (
        select(p.id, p.name, p.name_ar, p.admin1, p.admin2, p.admin3, p.country, p.lat, p.lon)
        .add_columns(func.count(ep.event_id).label("events"))
        .select_from(places.join(event_places, and_(ep.place_id == p.id)))
        .group_by(p.id, p.name, p.name_ar, p.admin1, p.admin2, p.admin3, p.country, p.lat, p.lon)
        .order_by(p.id)
    )
    if admin1:
        query = query.where(func.lower(p.admin1) == admin1.lower())
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def select_items() -> Any:
    """The SELECT of ITEM rows (events joined to their articles), for a caller to add WHERE and ORDER."""
    return select(*_ITEM_COLUMNS).select_from(events.join(articles, articles.c.id == events.c.article_id))


def exists_article(article_id: str) -> Any:
    return select(exists().where(articles.c.id == article_id))


def incident(engine: Engine, incident_id: int) -> dict[str, Any] | None:
    """One incident as ``rasid incidents`` prints it: every source side by side, the consensus and the
    contradictions."""
    from rasid.store.incidents import _incident, _source

    with engine.connect() as conn:
        row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
        if row is None:
            return None
        query = (
            select(
                events.c.incident_id, events.c.record, articles.c.outlet, articles.c.url, articles.c.published
            )
            .join(articles, articles.c.id == events.c.article_id)
            .where(events.c.incident_id == incident_id)
            .order_by(articles.c.published, events.c.event_id)
        )
        return _incident(row, [_source(ev) for ev in conn.execute(query)])


def source_health(engine: Engine, source: str | None = None) -> list[dict[str, Any]]:
    """Per source, its counts in the last ingest run that read it (rasid.store.health): run id and times,
    articles read, rejected, extracted, extracted with events, and events. ``source`` (any case) keeps
    that source only."""
    from rasid.store.health import last_runs

    rows = last_runs(engine)
    return [r for r in rows if not source or r["source"].lower() == source.lower()]
