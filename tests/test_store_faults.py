"""The store under faults (issue #20): a SQLite database locked by another connection, a full disk on
export. (``kill -9`` during ingest and the rerun: tests/test_store_crash.py.)"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import rasid.store.db as db
from rasid.cli import main
from rasid.document import Article
from rasid.output import TEMP_SUFFIX
from rasid.store import ingest, open_store
from rasid.store.db import StoreBusy
from rasid.store.schema import articles

TEXT = "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة كفرنبل، ما أدى إلى مقتل ثلاثة مدنيين."
OTHER = "شنت طائرات حربية روسية غارات على مدينة سراقب مساء أمس، وأسفرت الغارات عن مقتل أربعة أشخاص."


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same retry logic with short waits (the defaults wait about a minute)."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(db, "LOCK_BACKOFF_S", (0.1, 0.2, 0.4))


def _lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def _count(engine: object) -> int:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def test_locked_database_gives_a_clear_error_and_stores_nothing(tmp_path: Path, quick_retries: None) -> None:
    path = tmp_path / "r.db"
    engine = open_store(str(path))
    holder = _lock(path)
    try:
        with pytest.raises(StoreBusy, match="locked by another process"):
            ingest(engine, [Article(id="a", text=TEXT)])
    finally:
        holder.rollback()
        holder.close()
    assert _count(engine) == 0
    ingest(engine, [Article(id="a", text=TEXT)])  # the lock is gone: the same ingest now works
    assert _count(engine) == 1


def test_lock_released_during_the_backoff_is_waited_for(tmp_path: Path, quick_retries: None) -> None:
    path = tmp_path / "r.db"
    engine = open_store(str(path))
    holder = _lock(path)
    release = threading.Timer(0.25, holder.rollback)
    release.start()
    try:
        stats = ingest(engine, [Article(id="a", text=TEXT), Article(id="b", text=OTHER)])
    finally:
        release.join()
        holder.close()
    assert stats.new == 2 and _count(engine) == 2


def test_cli_locked_database_is_exit_2(
    tmp_path: Path, quick_retries: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.db"
    open_store(str(path))
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    holder = _lock(path)
    try:
        assert main(["ingest", str(src), "--db", str(path)]) == 2
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert "the database is locked by another process" in err and "Traceback" not in err


# --- disk full on export: a small tmpfs, filled up --------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.decode().strip() or 'not root'})")
    try:
        (mnt / "old.jsonl").write_text("old results\n")
        fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as e:
            assert e.errno == errno.ENOSPC
        finally:
            os.close(fd)
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = tmp_path / "store.db"
    ingest(open_store(str(path)), [Article(id="a", text=TEXT), Article(id="b", text=OTHER)])
    return str(path)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "parquet"])
def test_disk_full_on_export(
    full_disk: Path, store: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for target in (full_disk / f"new.{fmt}", full_disk / "old.jsonl"):
        before = target.read_bytes() if target.exists() else None
        assert main(["events", "--db", store, "--format", fmt, "--out", str(target)]) == 2
        err = capsys.readouterr().err
        assert f"cannot write {target}: no space left" in err and "Traceback" not in err
        assert (target.read_bytes() if target.exists() else None) == before  # nothing half-written
        assert not [p for p in os.listdir(full_disk) if p.endswith(TEMP_SUFFIX)]


def test_ingest_skips_an_article_over_its_time_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import time

    ingest_module = importlib.import_module("rasid.store.ingestion")

    real = ingest_module._extract

    def slow_for_one(article: Article):  # type: ignore[no-untyped-def]
        while article.id == "slow":
            time.sleep(0.01)
        return real(article)

    monkeypatch.setattr(ingest_module, "_extract", slow_for_one)
    engine = open_store(str(tmp_path / "r.db"))
    errors: list[str] = []
    stats = ingest(
        engine,
        [Article(id="slow", text=TEXT), Article(id="b", text=OTHER)],
        budget_s=0.2,
        on_error=errors.append,
    )
    assert stats.failed == 1 and stats.new == 1 and _count(engine) == 1
    assert "time budget" in errors[0]
