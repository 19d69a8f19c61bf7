"""Contradictions across articles: one outlet reports a strike, another denies it ("Y calls it a lie").

The denying article yields no event (the extractor drops what is told only to be
denied), yet the incident the first outlet reports is flagged as denied, with
who denies it and where. Near-misses (a denial of another town, or of another
week) flag nothing. Articles written for this test; SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from rasid.document import Article
from rasid.pipeline import extract_article
from rasid.store import ingest, open_store, query_events
from rasid.store.fusion import incident
from rasid.store.schema import denials as denials_table
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)

# id: (outlet, published, text)
ARTICLES = {
    "report": ("شبكة الرصد", "2023-05-16", "قال مصدر محلي إن طائرات حربية إسرائيلية قصفت مستودعا للذخيرة قرب بلدة الكسوة في ريف دمشق فجر اليوم، ما أسفر عن مقتل عنصرين من قوات النظام."),
    "denial": ("وكالة الخبر", "2023-05-17", "نفى مصدر عسكري سوري أن تكون طائرات إسرائيلية قد قصفت أي موقع في الكسوة بريف دمشق فجر أمس، واصفا ما تداولته بعض الوسائل بأنه عار عن الصحة."),
    # near-misses: another town, another governorate; the same town, a week later
    "denial-daraa": ("وكالة الخبر", "2023-05-16", "كذّبت الحكومة ما روجته قنوات معارضة عن أن مدفعيتها استهدفت بلدة طفس في ريف درعا الغربي يوم الاثنين."),
    "denial-later": ("وكالة الخبر", "2023-05-25", "نفى مصدر عسكري سوري أن تكون طائرات إسرائيلية قد قصفت أي موقع في الكسوة بريف دمشق فجر أمس، مؤكدا أن الأنباء مفبركة."),
}  # fmt: skip


def articles(ids: list[str], **changed: str) -> list[Article]:
    out = []
    for art_id in ids:
        outlet, day, text = ARTICLES[art_id]
        out.append(
            Article(
                id=art_id,
                text=changed.get(art_id, text),
                outlet=outlet,
                published=dt.date.fromisoformat(day),
                url=f"https://x.example/{art_id}",
            )
        )
    return out


def _report_incident(engine: object) -> dict:
    (rec,) = [r for r in query_events(engine) if r["article_id"] == "report"]  # type: ignore[arg-type]
    with engine.connect() as conn:  # type: ignore[attr-defined]
        found = incident(conn, rec["incident_id"])
    assert found is not None
    return found


def test_a_report_told_only_to_be_denied_is_no_event() -> None:
    # the store's denials do not change what extraction gives
    for art in articles(["denial", "denial-daraa", "denial-later"]):
        assert extract_article(art) == []
    assert len(extract_article(articles(["report"])[0])) == 1


@pytest.mark.parametrize("order", ["report first", "denial first"])
def test_another_outlet_denying_the_strike_contests_the_incident(db_url: str, order: str) -> None:
    engine = open_store(db_url)
    ids = ["report", "denial", "denial-daraa", "denial-later"]
    for art in articles(ids if order == "report first" else ids[::-1]):
        ingest(engine, [art])  # one article at a time: incidents are flagged as articles arrive
    found = _report_incident(engine)
    denials = [c for c in found["contradictions"] if c["kind"] == "denial"]
    assert [(c["article_id"], c["outlet"], c["denier"]) for c in denials] == [
        ("denial", "وكالة الخبر", "مصدر عسكري سوري")
    ]
    assert "الكسوة" in denials[0]["evidence"]["text"] and denials[0]["url"] == "https://x.example/denial"
    assert found["n_outlets"] == 1  # a denial is no source of the incident
    with engine.connect() as conn:
        # the near-misses were kept as denials too: they only concern no incident stored
        stored = sorted(r.article_id for r in conn.execute(select(denials_table.c.article_id)))
    assert stored == ["denial", "denial-daraa", "denial-later"]


def test_a_denial_withdrawn_leaves_the_incident_uncontested(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(engine, articles(["report", "denial"]))
    assert [c["kind"] for c in _report_incident(engine)["contradictions"]] == ["denial"]
    ingest(engine, articles(["denial"], denial="أعلنت وكالة الخبر عن تحديث موقعها الإلكتروني."))
    assert _report_incident(engine)["contradictions"] == []


def test_rasid_incidents_shows_the_denial(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from rasid.cli import main

    other = Article(
        id="other",
        text="شنت طائرات حربية روسية غارات جوية على مدينة الأتارب في ريف حلب الغربي صباح اليوم.",
        outlet="شبكة الرصد",
        published=dt.date(2023, 5, 16),
    )
    ingest(open_store(db_url), [*articles(["report", "denial"]), other])
    assert main(["incidents", "--db", db_url]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(i["contested"] for i in listed) == [False, True]
    (found,) = [i for i in listed if i["contested"]]
    assert found["contested"] is True
    assert [(c["kind"], c["outlet"]) for c in found["contradictions"]] == [("denial", "وكالة الخبر")]
    assert [s["article_id"] for s in found["sources"]] == ["report"]
    assert main(["incidents", "--db", db_url, "--contested"]) == 0
    assert [json.loads(line)["incident_id"] for line in capsys.readouterr().out.splitlines()] == [
        found["incident_id"]
    ]


def test_stores_from_before_denials_fill_them_on_reextract(db_url: str) -> None:
    from alembic import command

    from rasid.store import reextract
    from rasid.store.db import alembic_config

    engine = open_store(db_url)
    ingest(engine, articles(["report", "denial"]))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    engine.dispose()
    engine = open_store(db_url)  # upgraded again: the table is there, empty, and every article stale
    with engine.connect() as conn:
        assert conn.execute(select(denials_table)).all() == []
    stats = reextract(engine)
    assert stats.read == 2 and stats.failed == 0
    assert [c["kind"] for c in _report_incident(engine)["contradictions"]] == ["denial"]


def test_an_undated_denial_concerns_the_days_before_its_article(db_url: str) -> None:
    engine = open_store(db_url)
    undated = "نفى مصدر عسكري سوري أن تكون طائرات إسرائيلية قد قصفت مواقع في الكسوة بريف دمشق."
    ingest(engine, articles(["report", "denial"], denial=undated))  # published the day after the strike
    assert [c["kind"] for c in _report_incident(engine)["contradictions"]] == ["denial"]
