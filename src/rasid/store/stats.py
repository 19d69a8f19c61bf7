"""``rasid stats``: events and fatalities per area and period, the weekly tables humanitarian users read.

Counted per incident, not per report: three outlets telling one shelling are
one event, and its fatalities are the incident's consensus (the lowest figure
given), so fusion keeps the tables from counting a story once per outlet. An
incident falls in the period of its earliest date and the area of its most
precise report. Periods are bucketed in Python, so SQLite and PostgreSQL give
the same table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from sqlalchemy import Engine, select

from rasid.store.export import write_table
from rasid.store.query import EventFilter, filter_conditions
from rasid.store.schema import articles, events

BY = ("admin1", "admin2")
PER = ("day", "week", "month")
COLUMNS = ("period", "area", "events", "fatalities")


def period(day: str, per: str) -> str:
    """``2024-12-09`` as its day, its ISO week's Monday, or its month (``2024-12``)."""
    d = dt.date.fromisoformat(day)
    if per == "week":
        return (d - dt.timedelta(days=d.weekday())).isoformat()
    if per == "month":
        return day[:7]
    return day


def aggregate(
    engine: Engine, by: str = "admin1", per: str = "week", f: EventFilter | None = None
) -> list[dict[str, Any]]:
    """Rows of :data:`COLUMNS`, by period then area; undated events are left out, an unknown area is ''."""
    if by not in BY or per not in PER:
        raise ValueError(f"by must be one of {BY}, per one of {PER}")
    query = (
        select(
            events.c.event_id,
            events.c.incident_id,
            events.c.date_start,
            events.c.admin1,
            events.c.admin2,
            events.c.geo_precision,
            events.c.killed,
        )
        .join(articles, articles.c.id == events.c.article_id)
        .where(*filter_conditions(f or EventFilter()))
    )
    incidents: dict[Any, list[Any]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            incidents.setdefault(row.incident_id if row.incident_id is not None else row.event_id, []).append(
                row
            )
    table: dict[tuple[str, str], list[int]] = {}
    for reports in incidents.values():
        dated = [r for r in reports if r.date_start]
        if not dated:
            continue
        first = min(r.date_start for r in dated)
        place = min(reports, key=lambda r: (r.geo_precision or 4, r.event_id))
        area = getattr(place, by) or ""
        killed = [r.killed for r in reports if r.killed is not None]
        cell = table.setdefault((period(first, per), area), [0, 0])
        cell[0] += 1
        cell[1] += min(killed) if killed else 0
    return [
        {"period": p, "area": a, "events": n, "fatalities": k} for (p, a), (n, k) in sorted(table.items())
    ]


def write_csv(rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    return write_table(rows, COLUMNS, fh)
