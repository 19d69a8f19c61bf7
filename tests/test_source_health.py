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
