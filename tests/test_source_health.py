"""The source health report of ``rasid ingest`` (rasid.store.health): per source counts with --health,
and a loud warning when a source that used to give events gives none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.cli import main
from rasid.document import Article
from rasid.readers import ReadError
from rasid.store.health import source_of

EVENTFUL = (
    "قصفت طائرات حربية بلدة معرة النعمان في ريف إدلب الجنوبي، ما أدى إلى مقتل ثلاثة مدنيين، "
    "بحسب الدفاع المدني السوري."
)
QUIET = "افتتحت البلدية حديقة عامة جديدة في وسط المدينة، وحضر الافتتاح عدد من الأهالي."


def _write(path: Path, rows: list[dict[str, str]]) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def test_a_source_that_stops_giving_events_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    first = _write(tmp_path / "a.jsonl", [{"id": "a1", "outlet": "Outlet A", "text": EVENTFUL}])
    assert main(["ingest", first, "--db", db, "--health"]) == 0
    err = capsys.readouterr().err
    assert "source Outlet A: 1 read, 0 rejected, 1 of 1 extracted with events" in err
    assert "WARNING" not in err
    later = _write(
        tmp_path / "b.jsonl",
        [
            {"id": "a2", "outlet": "Outlet A", "text": QUIET},
            {"id": "b1", "outlet": "Outlet B", "text": QUIET},  # never gave events: no warning
        ],
    )
    assert main(["ingest", later, "--db", db]) == 0
    err = capsys.readouterr().err
    assert "WARNING: source Outlet A gave no events" in err
    assert "Outlet B" not in err


def test_sources_are_outlets_else_files_or_folders() -> None:
    assert source_of(Article(id="x", text="t", outlet="Enab", source="in.jsonl:3")) == "Enab"
    assert source_of(Article(id="x", text="t", source="feeds/in.jsonl:3")) == "feeds/in.jsonl"
    assert source_of(Article(id="x", text="t", source="pages/2024/a.html")) == "pages/2024"
    assert source_of(ReadError("feeds/in.jsonl", 7, "bad")) == "feeds/in.jsonl"


# --------------------------------------------------------------------------- the stored history (both backends)
from store_db import *  # noqa: E402, F403  (the db_url and pg_server fixtures)


def _csv(text: str) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_each_run_stores_its_counts_and_the_warning_reads_them(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _write(
        tmp_path / "a.jsonl",
        [
            {"id": "a1", "outlet": "Outlet A", "text": EVENTFUL},
            {"id": "b1", "outlet": "Outlet B", "text": QUIET},
        ],
    )
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    assert main(["ingest", first, str(tmp_path / "bad.jsonl"), "--db", db_url]) == 1
    capsys.readouterr()
    later = _write(tmp_path / "b.jsonl", [{"id": "a2", "outlet": "Outlet A", "text": QUIET}])
    assert main(["ingest", later, "--db", db_url]) == 0
    err = capsys.readouterr().err
    assert (
        "WARNING: source Outlet A gave no events from 1 extracted article(s), but its earlier runs gave 1"
        in err
    )

    assert main(["sources", "--health", "--db", db_url]) == 0
    rows = _csv(capsys.readouterr().out)
    got = [
        (
            r["run_id"],
            r["command"],
            r["source"],
            r["read"],
            r["rejected"],
            r["extracted"],
            r["with_events"],
            r["events"],
        )
        for r in rows
    ]
    bad = str(tmp_path / "bad.jsonl")
    assert got == [
        ("2", "ingest", "Outlet A", "1", "0", "1", "0", "0"),  # the latest run first
        ("1", "ingest", bad, "1", "1", "0", "0", "0"),  # then by source
        ("1", "ingest", "Outlet A", "1", "0", "1", "1", "1"),
        ("1", "ingest", "Outlet B", "1", "0", "1", "0", "0"),
    ]
    assert all(r["started_at"] <= r["finished_at"] for r in rows)
    assert main(["sources", "--health", "--outlet", "outlet b", "--db", db_url]) == 0
    assert [r["source"] for r in _csv(capsys.readouterr().out)] == ["Outlet B"]

    from rasid.api.queries import source_health
    from rasid.store import open_store

    last = {r["source"]: r for r in source_health(open_store(db_url))}
    assert (last["Outlet A"]["run_id"], last["Outlet A"]["events"]) == (2, 0)  # each source's last run
    assert (last["Outlet B"]["run_id"], last["Outlet B"]["read"]) == (1, 1)


def test_the_api_gives_each_sources_last_run(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from rasid.api.app import create_app

    db = str(tmp_path / "api.db")
    path = _write(tmp_path / "a.jsonl", [{"id": "a1", "outlet": "Outlet A", "text": EVENTFUL}])
    assert main(["ingest", path, "--db", db]) == 0
    with TestClient(create_app(db)) as client:
        got = client.get("/api/sources", params={"health": "true"}).json()
        framing = client.get("/api/sources").json()
    assert [(r["source"], r["read"], r["with_events"], r["events"]) for r in got] == [("Outlet A", 1, 1, 1)]
    assert {"outlet", "kind", "term"} <= set(framing[0])  # without health=true: the framing table, as before


def test_a_store_without_history_falls_back_on_its_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Articles stored before the history existed (or through the API) still count as "used to"."""
    from rasid.store.db import open_store
    from rasid.store.ingestion import ingest

    db = str(tmp_path / "s.db")
    engine = open_store(db)
    ingest(engine, [Article(id="a1", text=EVENTFUL, outlet="Outlet A")])  # the library: no run recorded
    later = _write(tmp_path / "b.jsonl", [{"id": "a2", "outlet": "Outlet A", "text": QUIET}])
    assert main(["ingest", later, "--db", db]) == 0
    assert "source Outlet A gave no events from 1 extracted article(s), but its earlier articles gave 1" in (
        capsys.readouterr().err
    )
