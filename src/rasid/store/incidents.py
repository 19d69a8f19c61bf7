"""``rasid incidents``: each incident with every source side by side (provenance of figures).

An incident never shows one number silently: every report keeps its own
figures, who gave them (the outlet, and the claim source it cites) and its
evidence, and the incident says which figure its consensus uses and why.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, func, select

from rasid.store.schema import articles, events, incidents

CONSENSUS_RULE = "the lowest figure any source gives, as ACLED does"


def query_incidents(
    engine: Engine,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    admin1: str | None = None,
    min_outlets: int = 1,
    contested: bool = False,
) -> Iterator[dict[str, Any]]:
    """Incidents (oldest first) whose dates overlap since..until, with their sources; ``contested``:
    only those a source disputes or another article denies."""
    where = [incidents.c.n_outlets >= min_outlets]
    if since:
        where.append(func.coalesce(incidents.c.date_end, incidents.c.date_start) >= since.isoformat())
    if until:
        where.append(incidents.c.date_start <= until.isoformat())
    if admin1:
        where.append(func.lower(incidents.c.admin1) == admin1.lower())
    if contested:
        where.append(incidents.c.contradictions.is_not(None))  # the exact test is below, on the JSON
    with engine.connect() as conn:
        rows = list(
            conn.execute(select(incidents).where(*where).order_by(incidents.c.date_start, incidents.c.id))
        )
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        sources: dict[int, list[dict[str, Any]]] = {}
        with engine.connect() as conn:
            query = (
                select(
                    events.c.incident_id,
                    events.c.record,
                    articles.c.outlet,
                    articles.c.url,
                    articles.c.published,
                )
                .join(articles, articles.c.id == events.c.article_id)
                .where(events.c.incident_id.in_([r.id for r in chunk]))
                .order_by(events.c.incident_id, articles.c.published, events.c.event_id)
            )
            for ev in conn.execute(query):
                sources.setdefault(ev.incident_id, []).append(_source(ev))
        for row in chunk:
            found = _incident(row, sources.get(row.id, []))
            if found["contested"] or not contested:
                yield found


def _source(ev: Any) -> dict[str, Any]:
    r = json.loads(ev.record)
    claim = r.get("claim") or {}
    return {
        "event_id": r["event_id"],
        "article_id": r["article_id"],
        "outlet": ev.outlet,
        "url": ev.url,
        "published": ev.published,
        "claim_source": claim.get("source"),
        "contested": claim.get("contested", False),
        "actor1": r.get("actor1"),
        "actor2": r.get("actor2"),
        "date": r.get("date"),
        "fatalities": r.get("fatalities"),
        "evidence": r.get("evidence"),
    }


def _consensus(sources: list[dict[str, Any]], key: str) -> tuple[int | None, str]:
    """The lowest figure any source gives for ``key`` (killed, injured), and why that one."""
    figures = [s["fatalities"][key] for s in sources if (s.get("fatalities") or {}).get(key) is not None]
    if not figures:
        return None, "no source gives a figure"
    low = min(figures)
    if len(set(figures)) == 1:
        return low, f"every source that gives a figure says {low}"
    return low, f"{CONSENSUS_RULE} ({' / '.join(str(f) for f in sorted(set(figures)))})"


def _incident(row: Any, sources: list[dict[str, Any]]) -> dict[str, Any]:
    killed, killed_why = _consensus(sources, "killed")
    injured, injured_why = _consensus(sources, "injured")
    contradictions = json.loads(row.contradictions) if row.contradictions else []
    return {
        "incident_id": row.id,
        "event_type": row.event_type,
        "date": {"start": row.date_start, "end": row.date_end},
        "location": {"name": row.location_name, "admin1": row.admin1, "lat": row.lat, "lon": row.lon},
        "actor1_id": row.actor1_id,
        "killed": killed,
        "killed_consensus": killed_why,
        "injured": injured,
        "injured_consensus": injured_why,
        "n_events": row.n_events,
        "n_outlets": row.n_outlets,
        # a source of its own disputes it, or another article denies it (a "denial" contradiction)
        "contested": any(c["kind"] in ("contested", "denial") for c in contradictions),
        "contradictions": contradictions,
        "sources": sources,
    }
