"""Fusion (SPEC section 5) on articles written for this test: one incident told by several outlets in
different words, tolls and date expressions, and near-misses that must stay apart.

Runs on SQLite and PostgreSQL. Pairwise scoring: every pair of articles is "same incident" or not; the
expected partition is GOLD below.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from rasid.document import Article
from rasid.store import EventFilter, ingest, open_store, query_events
from rasid.store.fusion import incident
from rasid.store.schema import events
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)

# id: (outlet, published, text)
ARTICLES = {
    # one shelling of Kafr Nabl on Tuesday 16 May 2023, three accounts (two outlets), tolls 3, 4 and 12
    "kafr-a": ("منصة أ", "2023-05-16", "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم الثلاثاء بلدة كفرنبل في ريف إدلب الجنوبي، ما أدى إلى مقتل ثلاثة مدنيين."),
    "kafr-b": ("منصة أ", "2023-05-17", "قتل أربعة مدنيين وأصيب آخرون بقصف مدفعي لقوات الأسد استهدف أمس الثلاثاء الأحياء السكنية في كفرنبل جنوبي إدلب."),
    "kafr-c": ("شبكة ج", "2023-05-16", "استهدفت ميليشيات أسد بقذائف المدفعية بلدة كفرنبل بريف إدلب، وأفاد الدفاع المدني بمقتل اثني عشر شخصا."),
    # near-misses: the same town three days later; the same day 30 km away; the clash that answered it
    "kafr-later": ("منصة أ", "2023-05-19", "قصفت قوات النظام السوري بالمدفعية صباح اليوم الجمعة بلدة كفرنبل في ريف إدلب الجنوبي دون أنباء عن إصابات."),
    "saraqib": ("شبكة ج", "2023-05-16", "قصفت قوات النظام السوري بالمدفعية صباح اليوم الثلاثاء مدينة سراقب في ريف إدلب الشرقي."),
    "kafr-clash": ("منصة أ", "2023-05-16", "دارت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على محور كفرنبل صباح اليوم الثلاثاء ردا على القصف."),
    # one air strike on Al-Atarib, two outlets blaming different air forces
    "atarib-1": ("منصة أ", "2023-05-16", "شنت طائرات حربية روسية غارات جوية على مدينة الأتارب في ريف حلب الغربي صباح اليوم، ما أدى إلى مقتل طفلين."),
    "atarib-2": ("شبكة ج", "2023-05-16", "قصف الطيران الحربي السوري مدينة الأتارب غربي حلب اليوم الثلاثاء، وقتل في القصف طفلان."),
}  # fmt: skip
GOLD = [{"kafr-a", "kafr-b", "kafr-c"}, {"kafr-later"}, {"saraqib"}, {"kafr-clash"}, {"atarib-1", "atarib-2"}]


def articles(ids: list[str]) -> list[Article]:
    out = []
    for art_id in ids:
        outlet, day, text = ARTICLES[art_id]
        out.append(
            Article(
                id=art_id,
                text=text,
                outlet=outlet,
                published=dt.date.fromisoformat(day),
                url=f"https://x.example/{art_id}",
            )
        )
    return out


def partition(engine: object) -> list[set[str]]:
    groups: dict[int, set[str]] = {}
    for r in query_events(engine):  # type: ignore[arg-type]
        assert r["incident_id"] is not None
        groups.setdefault(r["incident_id"], set()).add(r["article_id"])
    return sorted(groups.values(), key=lambda g: sorted(g))


def pairwise(found: list[set[str]], gold: list[set[str]]) -> tuple[float, float]:
    def pairs(groups: list[set[str]]) -> set[frozenset[str]]:
        return {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}

    f, g = pairs(found), pairs(gold)
    return (len(f & g) / len(f) if f else 1.0, len(f & g) / len(g) if g else 1.0)


@pytest.mark.parametrize("order", ["as written", "reversed"])
def test_reports_of_one_incident_are_linked_and_near_misses_are_not(db_url: str, order: str) -> None:
    ids = list(ARTICLES)
    if order == "reversed":
        ids.reverse()
    engine = open_store(db_url)
    ingest(engine, articles(ids), batch_size=3)  # incidents grow across batches
    found = partition(engine)
    assert pairwise(found, GOLD) == (1.0, 1.0), found
    assert found == sorted(GOLD, key=lambda g: sorted(g))


def _incident_of(engine: object, article_id: str) -> dict:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        iid = conn.execute(select(events.c.incident_id).where(events.c.article_id == article_id)).scalar_one()
        return incident(conn, iid)  # type: ignore[return-value]


def test_incident_counts_outlets_and_flags_contradictions(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(engine, articles(list(ARTICLES)))
    kafr = _incident_of(engine, "kafr-a")
    assert kafr["n_events"] == 3 and kafr["n_outlets"] == 2  # two accounts from one outlet
    assert kafr["killed"] == 3  # the lowest figure, as ACLED does
    assert kafr["actor1_id"] == "SYR_MIL" and kafr["admin1"] == "Idlib" and kafr["date_start"] == "2023-05-16"
    assert [c["kind"] for c in kafr["contradictions"]] == ["fatalities"]  # 3 / 4 / 12
    assert {s["article_id"] for s in kafr["sources"]} == {"kafr-a", "kafr-b", "kafr-c"}

    atarib = _incident_of(engine, "atarib-1")
    assert atarib["n_outlets"] == 2
    assert atarib["contradictions"] == [{"kind": "actor1", "detail": "RUS_MIL / SYR_MIL"}]

    alone = _incident_of(engine, "saraqib")
    assert alone["n_events"] == 1 and alone["contradictions"] == []

    # the export filter by incident gives its events
    got = {r["article_id"] for r in query_events(engine, EventFilter(incident_id=kafr["id"]))}
    assert got == {"kafr-a", "kafr-b", "kafr-c"}


def test_a_changed_article_leaves_its_incident(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(engine, articles(list(ARTICLES)))
    outlet, day, _ = ARTICLES["kafr-c"]
    moved = (
        "قصفت قوات النظام السوري بالمدفعية صباح اليوم الثلاثاء مدينة سراقب في ريف إدلب الشرقي، وقتل شخصان."
    )
    ingest(engine, [Article(id="kafr-c", text=moved, outlet=outlet, published=dt.date.fromisoformat(day))])
    kafr = _incident_of(engine, "kafr-a")
    assert {s["article_id"] for s in kafr["sources"]} == {"kafr-a", "kafr-b"}
    assert kafr["n_outlets"] == 1 and kafr["contradictions"] == []  # 3 and 4 are close
    assert {s["article_id"] for s in _incident_of(engine, "saraqib")["sources"]} == {"saraqib", "kafr-c"}


def test_stats_count_incidents_not_reports(db_url: str) -> None:
    from rasid.store.stats import aggregate

    engine = open_store(db_url)
    ingest(engine, articles(list(ARTICLES)))
    daily = aggregate(engine, by="admin1", per="day")
    assert daily == [
        # three reports of the Kafr Nabl shelling are one event with the lowest toll (3), plus Saraqib and the clash
        {"period": "2023-05-16", "area": "Aleppo", "events": 1, "fatalities": 2},
        {"period": "2023-05-16", "area": "Idlib", "events": 3, "fatalities": 3},
        {"period": "2023-05-19", "area": "Idlib", "events": 1, "fatalities": 0},
    ]
    weekly = aggregate(engine, by="admin1", per="week", f=EventFilter(admin1="Idlib"))
    assert weekly == [{"period": "2023-05-15", "area": "Idlib", "events": 4, "fatalities": 3}]
    monthly = aggregate(engine, by="admin2", per="month")
    assert {(r["area"], r["events"]) for r in monthly} >= {("Al Ma'ra", 3)}


def test_cli_stats(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from rasid.cli import main

    ingest(open_store(db_url), articles(list(ARTICLES)))
    assert main(["stats", "--db", db_url, "--per", "month"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["period,area,events,fatalities", "2023-05,Aleppo,1,2", "2023-05,Idlib,4,3"]


def test_incidents_keep_every_sources_figures(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from rasid.cli import main

    ingest(open_store(db_url), articles(list(ARTICLES)))
    assert main(["incidents", "--db", db_url, "--min-outlets", "2"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(found) == 2  # Kafr Nabl and Al-Atarib: each told by two outlets
    kafr = next(i for i in found if i["location"]["admin1"] == "Idlib")
    figures = sorted((s["article_id"], s["fatalities"]["killed"], s["outlet"]) for s in kafr["sources"])
    assert figures == [("kafr-a", 3, "منصة أ"), ("kafr-b", 4, "منصة أ"), ("kafr-c", 12, "شبكة ج")]
    assert (
        kafr["killed"] == 3
        and "lowest" in kafr["killed_consensus"]
        and "3 / 4 / 12" in kafr["killed_consensus"]
    )
    assert all(s["evidence"] and s["url"] for s in kafr["sources"])
    atarib = next(i for i in found if i["location"]["admin1"] == "Aleppo")
    assert atarib["killed_consensus"] == "every source that gives a figure says 2"
    assert atarib["injured"] is None and atarib["injured_consensus"] == "no source gives a figure"


def test_linking_does_not_chain_across_days(db_url: str) -> None:
    text = "قصفت قوات النظام السوري بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي اليوم."
    engine = open_store(db_url)
    days = {"mon": "2023-05-15", "tue": "2023-05-16", "wed": "2023-05-17"}
    ingest(
        engine,
        [Article(id=k, text=text, outlet=k, published=dt.date.fromisoformat(d)) for k, d in days.items()],
    )
    # Tuesday's report may join Monday's (one day apart); Wednesday's is two days from Monday's
    assert partition(engine) == [{"mon", "tue"}, {"wed"}]


def test_a_year_or_month_is_too_vague_to_link(db_url: str) -> None:
    text = (
        "شهدت بلدة كفرنبل في ريف إدلب الجنوبي اشتباكات عنيفة بين فصائل المعارضة وقوات النظام خلال عام 2018."
    )
    engine = open_store(db_url)
    ingest(
        engine,
        [Article(id=f"y{i}", text=text, outlet=f"o{i}", published=dt.date(2023, 5, 16)) for i in (1, 2)],
    )
    precisions = {r["date"]["precision"] for r in query_events(engine)}
    assert precisions == {"year"}, precisions
    assert partition(engine) == [{"y1"}, {"y2"}]
