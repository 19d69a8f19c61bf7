"""SQLite and PostgreSQL give the same store: the bundled samples ingested into both export alike."""

from __future__ import annotations

import uuid
from pathlib import Path

from rasid.readers import iter_articles
from rasid.store import ingest, open_store, query_events
from rasid.store.export import acled_row
from rasid.store.query import counts
from rasid.store.sources import source_framing
from rasid.store.stats import aggregate
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)
from store_db import _admin

SAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


def _snapshot(db: str) -> dict:
    engine = open_store(db)
    ingest(engine, iter_articles([str(SAMPLES)]), batch_size=4)
    rows = []
    for r in query_events(engine):
        r.pop("ingested_at")
        row = acled_row(r)
        row.pop("timestamp")
        rows.append((r, row))
    return {
        "counts": counts(engine),
        "events": rows,
        "stats": aggregate(engine, by="admin2", per="week"),
        "sources": source_framing(engine),
    }


def test_sqlite_and_postgresql_store_the_samples_alike(pg_server: str, tmp_path: Path) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(pg_server, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        on_pg = _snapshot(f"{pg_server}/{name}")
    finally:
        _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    on_sqlite = _snapshot(str(tmp_path / "rasid.db"))
    assert on_sqlite["counts"]["events"] > 50
    assert on_pg == on_sqlite
