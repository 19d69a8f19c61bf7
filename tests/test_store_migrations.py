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
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0010"


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


_ATARIB = (
    "قال المرصد السوري لحقوق الإنسان إن طائرات حربية روسية شنت غارات جوية على مدينة الأتارب في ريف "
    "حلب الغربي صباح اليوم، ما أدى إلى مقتل ثلاثة مدنيين."
)


def test_places_and_claims_are_filled_for_events_stored_before_0006(db_url: str) -> None:
    import datetime as dt

    from rasid.document import Article
    from rasid.store import EventFilter, ingest, query_events
    from rasid.store.schema import claims, event_places, places

    engine = open_store(db_url)
    ingest(engine, [Article(id="old", text=_ATARIB, published=dt.date(2023, 5, 16))])

    def rows() -> tuple[list, list, list]:
        with engine.connect() as conn:
            return (
                sorted(tuple(r) for r in conn.execute(places.select())),
                sorted(tuple(r[1:]) for r in conn.execute(event_places.select())),
                sorted(tuple(r) for r in conn.execute(claims.select())),
            )

    before = rows()
    place_rows, links, claim_rows = before
    assert [(p[0], p[1], p[5]) for p in place_rows] == [("wof:1260064741", "Al Atarib", "Atareb")]
    assert [(lnk[1], lnk[2], lnk[3]) for lnk in links] == [("wof:1260064741", "location", "الأتارب")]
    assert [(c[1], c[2], c[3]) for c in claim_rows] == [
        ("Syrian Observatory for Human Rights", "المرصد السوري لحقوق الإنسان", False)
    ]
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    assert not {"places", "event_places", "claims"} & set(inspect(engine).get_table_names())
    engine.dispose()

    engine = open_store(db_url)
    assert rows() == before
    # the place filter reads the places table: English, Arabic, the article's words, the sub-district
    for place in ("atarib", "اتارب", "الأتارب", "Atareb"):
        assert [r["article_id"] for r in query_events(engine, EventFilter(place=place))] == ["old"], place
    assert list(query_events(engine, EventFilter(place="Saraqib"))) == []


def test_a_replaced_article_takes_its_places_links_and_claims_with_it(db_url: str) -> None:
    import datetime as dt

    from rasid.document import Article
    from rasid.store import ingest
    from rasid.store.schema import claims, event_places, places

    engine = open_store(db_url)
    ingest(engine, [Article(id="a", text=_ATARIB, published=dt.date(2023, 5, 16))])
    ingest(engine, [Article(id="a", text="لا شيء يذكر اليوم.", published=dt.date(2023, 5, 16))])
    with engine.connect() as conn:
        assert conn.execute(claims.select()).all() == []
        assert conn.execute(event_places.select()).all() == []
        # the place itself stays: it is the gazetteer's, not the article's
        assert len(conn.execute(places.select()).all()) == 1
