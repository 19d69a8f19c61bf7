"""The places and claims an event references, as rows of the store's ``places``, ``event_places`` and
``claims`` tables (see rasid.store.schema), from its SPEC record.

Written at ingest and, by migration 0006, for events stored before: both go
through the functions here, so the two never disagree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, insert, select

from rasid.store.schema import places


@lru_cache(maxsize=1)
def _admin3() -> dict[str, tuple[str, str]]:
    """Gazetteer id -> (admin3, admin3_ar), from data/admin3.tsv (tools/build_admin3.py)."""
    from rasid.knowledge.loader import read_tsv

    try:
        return {r["id"]: (r["admin3"], r["admin3_ar"]) for _, r in read_tsv("admin3.tsv", ("id", "admin3"))}
    except FileNotFoundError:  # pragma: no cover - a trimmed install without the table
        return {}


def admin3_of(gazetteer_id: str | None) -> str | None:
    """The sub-district (OCHA's English name) of a gazetteer place; None for a region, a place abroad,
    a hand-entered feature or a place not in the gazetteer."""
    if not gazetteer_id:
        return None
    found = _admin3().get(gazetteer_id)
    return found[0] if found else None


def place_id_of(loc: dict[str, Any]) -> str | None:
    """The key of a record's location: its gazetteer id, else its name (a place the gazetteer lacks)."""
    if loc.get("gazetteer_id"):
        return str(loc["gazetteer_id"])
    name = loc.get("name") or loc.get("name_ar") or loc.get("mention")
    return f"name:{name}" if name else None


def place_row_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """The ``places`` row of a record's location (None when it has none)."""
    loc = record.get("location") or {}
    pid = place_id_of(loc)
    if pid is None:
        return None
    return {
        "id": pid,
        "name": loc.get("name"),
        "name_ar": loc.get("name_ar"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "admin3": admin3_of(loc.get("gazetteer_id")),
        "country": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
    }


def event_place_rows_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``event_places`` rows of a record: its location, the one place a SPEC record has today."""
    loc = record.get("location") or {}
    pid = place_id_of(loc)
    if pid is None:
        return []
    return [
        {
            "event_id": record["event_id"],
            "place_id": pid,
            "role": "location",
            "mention": loc.get("mention"),
            "geo_precision": loc.get("geo_precision"),
        }
    ]


def claim_row_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """The ``claims`` row of a record: only when it cites a source or is contested (most events do
    neither, and an absent row says so)."""
    claim = record.get("claim") or {}
    if not claim.get("source") and not claim.get("source_mention") and not claim.get("contested"):
        return None
    return {
        "event_id": record["event_id"],
        "source": claim.get("source"),
        "source_mention": claim.get("source_mention"),
        "contested": bool(claim.get("contested")),
    }


def add_places(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert the places not stored yet (a place is written once, by the first event at it).

    A place's row is what the gazetteer says of it, the same for every event, so
    an existing row is left as it is. Two ingests adding one new place at once
    make one of them fail its batch with an IntegrityError, which the ingest
    retries (rasid.store.ingestion._write)."""
    unique = {r["id"]: r for r in rows}
    if not unique:
        return
    ids = list(unique)
    present: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        present.update(r.id for r in conn.execute(select(places.c.id).where(places.c.id.in_(chunk))))
    new = [r for pid, r in unique.items() if pid not in present]
    if new:
        conn.execute(insert(places), new)
