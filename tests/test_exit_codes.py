"""Every subcommand follows one exit status table (issue #20; README "Exit status"): 0 every input read,
1 some inputs rejected, 2 a usage error, nothing at all read or a database that cannot be opened, 3 an
internal error (one line, no traceback). ``watch``, whose inputs are feeds, is in tests/test_feeds.py."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

import rasid.store.query
from rasid.cli import main

GOOD = "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة كفرنبل في ريف إدلب، ما أدى إلى مقتل ثلاثة مدنيين."


def status(argv: list[str]) -> int:
    """main's status, or the one it exits with (argparse and the store's opening exit directly)."""
    try:
        return main(argv)
    except SystemExit as e:
        return int(e.code or 0)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "article_id": "good",
                "event_type": ["explosions_remote_violence"],
                "sub_event_type": ["shelling_artillery_missile_attack"],
                "actor1": ["SYR_MIL"],
                "actor2": None,
                "location_mentions": ["كفرنبل"],
                "killed": 3,
                "injured": None,
                "date": None,
                "optional": False,
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return {
        "good": str(good),
        "missing": str(tmp_path / "missing.txt"),
        "gold": str(gold),
        "dir": str(tmp_path),
    }


@pytest.mark.parametrize("command", ["extract", "annotate", "eval"])
def test_the_extraction_commands(
    command: str, files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*inputs: str) -> int:
        extra = {"extract": ["--out", f"{files['dir']}/o.jsonl"], "eval": ["--gold", files["gold"]]}
        return status([command, *inputs, *extra.get(command, ["--out", f"{files['dir']}/o.html"])])

    assert run(files["good"]) == 0
    assert run(files["good"], files["missing"]) == 1
    assert run(files["missing"]) == 2
    assert status([command]) == 2  # no input: a usage error
    capsys.readouterr()


def test_ingest(files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert status(["ingest", files["good"], "--db", db]) == 0
    assert status(["ingest", files["good"], files["missing"], "--db", db]) == 1  # read (unchanged) and not
    assert status(["ingest", files["missing"], "--db", db]) == 2  # nothing read: as extract says it
    assert status(["ingest", files["missing"], files["missing"] + "2", "--db", db]) == 2
    assert status(["ingest", files["good"], "--db", db, "--jobs", "0"]) == 2
    assert status(["ingest", files["good"], "--db", files["good"] + "/s.db"]) == 2  # its folder is a file
    assert "1 failed" in capsys.readouterr().err


def test_an_article_read_whose_extraction_fails_is_a_rejection_not_nothing_read(
    files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the module (rasid.store's own ``ingest`` name is the function)
    ingest_module = importlib.import_module("rasid.store.ingestion")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no")

    monkeypatch.setattr(ingest_module, "_extract", broken)
    assert status(["ingest", files["good"], "--db", str(tmp_path / "s.db")]) == 1  # as extract's 1
    assert "extraction failed: ValueError: no" in capsys.readouterr().err


def test_reextract(files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert status(["ingest", files["good"], "--db", db]) == 0
    assert status(["reextract", "--db", db, "--all"]) == 0
    assert status(["reextract", "--db", str(tmp_path / "none.db")]) == 2
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv",
    [
        ["events"],
        ["events", "--format", "csv"],
        ["incidents"],
        ["sources"],
        ["sources", "--health"],
        ["stats"],
    ],
)
def test_the_reading_commands(
    argv: list[str], files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    assert status(["ingest", files["good"], "--db", db]) == 0
    assert status([*argv, "--db", db]) == 0
    assert status([*argv, "--db", str(tmp_path / "none.db")]) == 2  # no such database
    assert status([*argv, "--db", db, "--no-such-option"]) == 2
    capsys.readouterr()


def test_events_parquet_needs_a_file(
    tmp_path: Path, files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    assert status(["ingest", files["good"], "--db", db]) == 0
    assert status(["events", "--db", db, "--format", "parquet"]) == 2
    capsys.readouterr()


def test_serve_refuses_what_it_cannot_serve(
    tmp_path: Path, files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """(0 is a server that ran until stopped: tests/api/test_api_serve.py runs one.)"""
    assert status(["serve", "--db", str(tmp_path / "s.db"), "--tiles", "javascript:alert(1)"]) == 2
    assert status(["serve", "--db", files["good"] + "/s.db"]) == 2  # its folder is a file
    capsys.readouterr()


def test_a_store_command_that_breaks_is_3_without_traceback(
    files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    assert status(["ingest", files["good"], "--db", db]) == 0
    capsys.readouterr()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(rasid.store.query, "query_events", broken)
    assert status(["events", "--db", db]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: a bug" in err and "Traceback" not in err
