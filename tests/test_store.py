"""The event store on SQLite and PostgreSQL: ingest, idempotence, replacement, filters, exports.

Articles are written for these tests (our own Arabic sentences).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect

from rasid.cli import main
from rasid.document import Article
from rasid.readers import ReadError
from rasid.store import EventFilter, ingest, open_store, query_events, reextract
from rasid.store.export import ACLED_COLUMNS, EXTRA_COLUMNS
from rasid.store.query import counts
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)

IDLIB = (
    "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم الثلاثاء بلدة كفرنبل في ريف إدلب الجنوبي، "
    "ما أدى إلى مقتل أربعة مدنيين وإصابة سبعة آخرين، بحسب الدفاع المدني السوري."
)
ALEPPO = (
    "شنت طائرات حربية روسية غارات جوية على مدينة الأتارب في ريف حلب الغربي مساء أمس الاثنين، "
    "وأسفرت الغارات عن مقتل طفلين."
)
DARAA = "خرج المئات من أهالي مدينة بصرى الشام في ريف درعا الشرقي اليوم الثلاثاء في مظاهرة سلمية للمطالبة بالإفراج عن المعتقلين."
DAY = dt.date(2023, 5, 16)  # a Tuesday


def art(art_id: str, text: str, outlet: str = "منصة الاختبار", published: dt.date = DAY) -> Article:
    return Article(
        id=art_id, text=text, url=f"https://news.example.org/{art_id}", outlet=outlet, published=published
    )


def test_migrations_create_the_tables_and_reopen_is_a_no_op(db_url: str) -> None:
    engine = open_store(db_url)
    tables = set(inspect(engine).get_table_names())
    assert {"articles", "events", "evidence", "incidents", "alembic_version"} <= tables
    open_store(db_url)  # already at head


def test_ingest_is_idempotent(db_url: str) -> None:
    engine = open_store(db_url)
    batch = [art("idlib-1", IDLIB), art("aleppo-1", ALEPPO, outlet="Example")]
    first = ingest(engine, batch)
    assert first.new == 2 and first.events > 0 and first.failed == 0
    before = counts(engine)
    again = ingest(engine, batch + [art("idlib-1", IDLIB)])
    assert again.new == 0 and again.replaced == 0 and again.events == 0
    assert counts(engine) == before
    assert before["articles"] == 2


def test_changed_article_replaces_its_events(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(engine, [art("a1", IDLIB), art("other", DARAA)])
    old = [r for r in query_events(engine) if r["article_id"] == "a1"]
    assert old and all(r["fatalities"]["killed"] == 4 for r in old if r["fatalities"]["killed"])
    changed = IDLIB.replace("أربعة مدنيين", "تسعة مدنيين")
    stats = ingest(engine, [art("a1", changed)])
    assert stats.replaced == 1 and stats.new == 0
    new = [r for r in query_events(engine) if r["article_id"] == "a1"]
    assert [r["fatalities"]["killed"] for r in new if r["fatalities"]["killed"]] == [9]
    assert counts(engine)["articles"] == 2
    assert [r for r in query_events(engine) if r["article_id"] == "other"]  # untouched


def test_bad_inputs_are_reported_and_the_rest_goes_on(db_url: str) -> None:
    engine = open_store(db_url)
    messages: list[str] = []
    stats = ingest(
        engine, [ReadError("feed.jsonl", 3, "not valid JSON"), art("ok", IDLIB)], on_error=messages.append
    )
    assert stats.failed == 1 and stats.new == 1
    assert messages == ["feed.jsonl:3: not valid JSON"]


def test_arabic_round_trips(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(engine, [art("ar", IDLIB, outlet="شبكة الأخبار المحلية")])
    (r,) = [r for r in query_events(engine) if r["event_type"] == "explosions_remote_violence"]
    assert r["outlet"] == "شبكة الأخبار المحلية"
    assert "كفرنبل" in r["location"]["mention"]
    for ev in r["evidence"]:
        assert IDLIB[ev["start"] : ev["end"]] == ev["text"]
    assert [r2["event_id"] for r2 in query_events(engine, EventFilter(place="كفرنبل"))] == [r["event_id"]]
    assert [r2["event_id"] for r2 in query_events(engine, EventFilter(text="المدفعية"))] == [r["event_id"]]


def test_records_carry_source_and_incident(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(engine, [art("idlib-1", IDLIB)])
    for r in query_events(engine):
        assert r["url"] == "https://news.example.org/idlib-1"
        assert r["outlet"] == "منصة الاختبار"
        assert r["published"] == "2023-05-16"
        assert "incident_id" in r


def test_filters(db_url: str) -> None:
    engine = open_store(db_url)
    ingest(
        engine,
        [
            art("idlib-1", IDLIB),
            art("aleppo-1", ALEPPO, outlet="Example"),
            art("daraa-1", DARAA, published=dt.date(2023, 6, 1)),
        ],
    )

    def ids(**kw: object) -> set[str]:
        return {r["article_id"] for r in query_events(engine, EventFilter(**kw))}  # type: ignore[arg-type]

    assert ids() == {"idlib-1", "aleppo-1", "daraa-1"}
    assert ids(event_type="protests") == {"daraa-1"}
    assert ids(sub_event_type="air_drone_strike") == {"aleppo-1"}
    assert ids(actor="RUS_MIL") == {"aleppo-1"}
    assert ids(actor="russia") == {"aleppo-1"}
    assert ids(actor="طائرات حربية روسية") == {"aleppo-1"}  # the Arabic mention
    assert ids(admin1="idlib") == {"idlib-1"}
    assert ids(place="Atarib") == {"aleppo-1"}
    assert ids(outlet="example") == {"aleppo-1"}
    assert ids(since=dt.date(2023, 5, 20)) == {"daraa-1"}
    assert ids(until=dt.date(2023, 5, 15)) == {"aleppo-1"}  # أمس الاثنين
    assert ids(since=dt.date(2023, 5, 16), until=dt.date(2023, 5, 16)) == {"idlib-1"}
    assert ids(text="مظاهرة") == {"daraa-1"}
    assert ids(event_type="battles") == set()
    assert ids(bbox=(36.4, 35.5, 36.7, 35.7)) == {"idlib-1"}  # around Kafr Nabl
    assert ids(published_since=dt.date(2023, 5, 20)) == {"daraa-1"}
    assert ids(published_until=dt.date(2023, 5, 16)) == {"idlib-1", "aleppo-1"}


def test_reextract_runs_articles_of_another_version(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_module = importlib.import_module("rasid.store.ingestion")

    engine = open_store(db_url)
    monkeypatch.setenv("RASID_EXTRACTOR_VERSION", "old")
    ingest_module.extractor_version.cache_clear()
    ingest(engine, [art("idlib-1", IDLIB), art("aleppo-1", ALEPPO)])
    before = counts(engine)
    monkeypatch.setenv("RASID_EXTRACTOR_VERSION", "new")
    ingest_module.extractor_version.cache_clear()
    try:
        stats = reextract(engine)
        assert stats.replaced == 2 and stats.failed == 0
        assert counts(engine) == before
        assert reextract(engine).read == 0  # all current now
    finally:
        monkeypatch.delenv("RASID_EXTRACTOR_VERSION")
        ingest_module.extractor_version.cache_clear()


def _feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    lines = [
        {
            "id": "idlib-1",
            "text": IDLIB,
            "url": "https://a.example/1",
            "outlet": "A",
            "published": "2023-05-16",
        },
        {
            "id": "aleppo-1",
            "text": ALEPPO,
            "url": "https://b.example/1",
            "outlet": "B",
            "published": "2023-05-16",
        },
    ]
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n", encoding="utf-8"
    )
    return path


def test_cli_ingest_and_exports(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = _feed(tmp_path)
    assert main(["ingest", str(feed), "--db", db_url]) == 1  # the broken line
    err = capsys.readouterr().err
    assert f"{feed}:3" in err and "2 new" in err
    assert main(["ingest", str(feed), "--db", db_url]) == 1
    assert "0 new, 0 replaced, 2 unchanged" in capsys.readouterr().err

    # JSONL
    out = tmp_path / "events.jsonl"
    assert main(["events", "--db", db_url, "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and {r["outlet"] for r in records} == {"A", "B"}
    assert all({"url", "outlet", "published", "incident_id"} <= r.keys() for r in records)

    # CSV: ACLED's columns, in ACLED's order, then where each row came from
    out = tmp_path / "events.csv"
    assert main(["events", "--db", db_url, "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0][: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert tuple(rows[0][len(ACLED_COLUMNS) :]) == EXTRA_COLUMNS
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    strike = next(t for t in table if t["sub_event_type"] == "Air/drone strike")
    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["country"] == "Syria" and strike["iso"] == "760" and strike["admin1"] == "Aleppo"
    assert (
        strike["event_date"] == "2023-05-15" and strike["year"] == "2023" and strike["time_precision"] == "1"
    )
    assert strike["fatalities"] == "2" and strike["inter1"] == "8"
    assert strike["url"] == "https://b.example/1" and strike["outlet"] == "B"

    # GeoJSON
    out = tmp_path / "events.geojson"
    assert (
        main(["events", "--db", db_url, "--format", "geojson", "--out", str(out), "--admin1", "Idlib"]) == 0
    )
    geo = json.loads(out.read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for feature in geo["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert 35 < lon < 43 and 32 < lat < 38  # Syria, in GeoJSON's lon-lat order
        assert feature["properties"]["location"]["admin1"] == "Idlib"
        assert feature["properties"]["outlet"] == "A"

    # Parquet
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    assert main(["events", "--db", db_url, "--format", "parquet", "--out", str(out)]) == 0
    pt = pq.read_table(out)
    assert pt.num_rows == len(records)
    assert pt.column_names[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert set(pt.column("outlet").to_pylist()) == {"A", "B"}
    assert json.loads(pt.column("record")[0].as_py())["event_id"] == pt.column("event_id_cnty")[0].as_py()


def test_cli_parquet_needs_a_file(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", db_url, "--format", "parquet"]) == 2
    assert "--out" in capsys.readouterr().err


def test_long_arabic_article_ids_are_stored_alike_on_both_backends(db_url: str) -> None:
    engine = open_store(db_url)
    long_id = "تقرير-" * 50  # 300 characters: no VARCHAR limit on either back-end
    ingest(engine, [art(long_id, IDLIB)])
    assert {r["article_id"] for r in query_events(engine)} == {long_id}
    assert ingest(engine, [art(long_id, IDLIB)]).unchanged == 1


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    feed = _feed(tmp_path)
    cmd = [sys.executable, "-m", "rasid.cli", "ingest", str(feed), "--db", str(tmp_path / "t.db")]
    piped = subprocess.run(cmd, capture_output=True, text=True)
    assert piped.stderr.count("\n") == 2  # the broken line's message and the summary: no progress
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        cmd + ["--db", str(tmp_path / "tty.db")], stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "ingest: " in shown and "2 new" in shown and "3/3" in shown  # the feed's three lines


def test_sources_show_each_outlets_names_and_loaded_words(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    framed = "قصفت ميليشيات أسد بلدة كفرنبل في ريف إدلب صباح اليوم، وقتل ثلاثة مدنيين بحسب ناشطين."
    neutral = "قصفت قوات النظام السوري بلدة كفرنبل في ريف إدلب صباح اليوم، وقتل ثلاثة مدنيين."
    engine = open_store(db_url)
    ingest(engine, [art("f1", framed, outlet="Opposition"), art("n1", neutral, outlet="Neutral")])
    from rasid.store.sources import source_framing

    rows = {(r["outlet"], r["kind"], r["actor_id"], r["term"]): r["articles"] for r in source_framing(engine)}
    assert rows[("Opposition", "name", "SYR_MIL", "ميليشيات أسد")] == 1
    assert rows[("Opposition", "loaded", "SYR_MIL", "ميليشيات")] == 1
    assert rows[("Neutral", "name", "SYR_MIL", "قوات النظام السوري")] == 1
    assert not any(k[0] == "Neutral" and k[1] == "loaded" for k in rows)
    assert main(["sources", "--db", db_url, "--outlet", "opposition"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "outlet,kind,actor_id,term,articles,mentions"
    assert "Opposition,loaded,SYR_MIL,ميليشيات,1,1" in out and not any(
        line.startswith("Neutral") for line in out
    )


def test_cli_says_when_a_database_cannot_be_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "rasid.db"
    for command in ("events", "stats", "sources", "incidents", "reextract"):
        with pytest.raises(SystemExit) as exit_:
            main([command, "--db", str(missing)])
        assert exit_.value.code == 2
        assert f"no such database: {missing}" in capsys.readouterr().err
    assert not missing.parent.exists()  # reading never creates one
    with pytest.raises(SystemExit) as exit_:
        main(["events", "--db", "postgresql://someone:secret@127.0.0.1:1/none"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "cannot open database postgresql://someone:***@127.0.0.1:1/none" in err
    assert "secret" not in err


def test_an_article_stored_meanwhile_by_another_process_is_replaced_not_duplicated(db_url: str) -> None:
    from rasid.store.ingestion import _extract, _Extracted, _write, content_hash, extractor_version

    engine = open_store(db_url)
    a = art("race", IDLIB)
    recs, terms, denied = _extract(a)  # this process looked before the other one's commit: "new"
    ingest(engine, [a])  # the other process
    before = counts(engine)
    _write(engine, [_Extracted(a, content_hash(a), recs, False, terms, denied)], extractor_version(), {})
    assert counts(engine) == before


def test_a_nul_character_is_stored_alike_on_both_backends(db_url: str) -> None:
    engine = open_store(db_url)
    text = IDLIB.replace("، ما أدى", "\x00، ما أدى")
    stats = ingest(engine, [art("nul", text)])
    assert stats.failed == 0 and stats.events > 0
    for r in query_events(engine):
        for ev in r["evidence"]:
            assert (
                "\x00" not in ev["text"]
                and text[ev["start"] : ev["end"]].replace("\x00", "\ufffd") == ev["text"]
            )
    assert ingest(engine, [art("nul", text)]).unchanged == 1


def test_actor_rows_cover_every_role() -> None:
    from rasid.store.ingestion import actor_rows_of

    record = {
        "event_id": "e1",
        "actor1": {"id": "SNA", "name": "Syrian National Army", "mention": "الجيش الوطني"},
        "actor2": None,
        "assoc_actors": [{"id": "TUR_MIL", "name": "Military Forces of Turkey", "mention": "الجيش التركي"}],
    }
    assert [(r["role"], r["actor_id"]) for r in actor_rows_of(record)] == [
        ("actor1", "SNA"),
        ("assoc", "TUR_MIL"),
    ]


def test_parquet_in_row_groups_and_empty(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from rasid.store.export import write_parquet

    engine = open_store(str(tmp_path / "p.db"))
    ingest(engine, [art("idlib-1", IDLIB), art("aleppo-1", ALEPPO), art("daraa-1", DARAA)])
    records = list(query_events(engine))
    assert write_parquet(records, str(tmp_path / "small.parquet"), chunk=1) == len(records)
    pf = pq.ParquetFile(tmp_path / "small.parquet")
    assert pf.metadata.num_row_groups == len(records) and pf.read().num_rows == len(records)
    assert write_parquet([], str(tmp_path / "empty.parquet")) == 0
    assert pq.read_table(tmp_path / "empty.parquet").num_rows == 0


def test_count_articles_for_the_progress_bar(tmp_path: Path) -> None:
    from rasid.store.cli import count_articles

    (tmp_path / "a.txt").write_text(IDLIB, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 3
    assert count_articles([str(tmp_path / "a.txt"), "-"]) is None
    assert count_articles(["https://example.org/feed.xml"]) is None


def test_package_ingest_stays_the_function_after_its_module_is_imported() -> None:
    """``rasid.store.ingest`` is the function the README shows, whichever import came first.

    (The module was once named ``ingest`` too: importing it rebound the package's name to the module.)
    """
    import importlib

    import rasid.store

    importlib.import_module("rasid.store.ingestion")
    assert callable(rasid.store.ingest)
    assert rasid.store.ingest.__module__ == "rasid.store.ingestion"
