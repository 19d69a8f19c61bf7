"""Migrations: they build exactly the tables rasid.store.schema describes, and upgrade older stores in place."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from rasid.store import open_store
from rasid.store.db import alembic_config, create
from rasid.store.schema import metadata
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)


def test_migrations_match_the_schema(db_url: str) -> None:
    engine = open_store(db_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_an_older_store_is_upgraded_on_open_and_keeps_its_rows(db_url: str) -> None:
    engine = create(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO incidents (event_type, n_events, n_outlets) VALUES ('battles', 1, 1)"))
    assert "killed" not in {c["name"] for c in inspect(engine).get_columns("incidents")}
    engine.dispose()

    engine = open_store(db_url)
    assert "killed" in {c["name"] for c in inspect(engine).get_columns("incidents")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT event_type FROM incidents")).scalar_one() == "battles"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0005"


def test_event_actors_are_filled_for_events_stored_before_0005(db_url: str) -> None:
    import datetime as dt

    from rasid.document import Article
    from rasid.store import EventFilter, ingest, query_events
    from rasid.store.schema import event_actors

    engine = open_store(db_url)
    text = "شنت طائرات حربية روسية غارات جوية على مدينة الأتارب في ريف حلب الغربي صباح اليوم، ما أدى إلى مقتل طفلين."
    ingest(engine, [Article(id="old", text=text, published=dt.date(2023, 5, 16))])
    with engine.connect() as conn:
        before = sorted(tuple(r[1:]) for r in conn.execute(event_actors.select()))
    assert before
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert "event_actors" not in inspect(engine).get_table_names()
    engine.dispose()

    engine = open_store(db_url)
    with engine.connect() as conn:
        assert sorted(tuple(r[1:]) for r in conn.execute(event_actors.select())) == before
    assert [r["article_id"] for r in query_events(engine, EventFilter(actor="RUS_MIL"))] == ["old"]
