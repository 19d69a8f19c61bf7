"""SIGTERM and SIGINT during ``rasid ingest``: one line, status 143/130, whole batches only, and the
same ingest again completes the store without duplicates (``kill -9``: tests/test_store_crash.py)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rasid.store import open_store
from rasid.store.db import create
from rasid.store.schema import events
from test_store_crash import run_ingest, stored_articles, write_feed


@pytest.mark.parametrize(
    ("sig", "status", "word"), [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")]
)
def test_signal_mid_ingest_then_rerun(tmp_path: Path, sig: int, status: int, word: str) -> None:
    n = 200
    feed = tmp_path / "big.jsonl"
    write_feed(feed, n)
    db = str(tmp_path / "r.db")
    proc = run_ingest(feed, db, wait=False)
    watcher = create(db)
    deadline = time.monotonic() + 300
    while stored_articles(watcher) < 20:
        assert proc.poll() is None, "the ingest ended before the signal"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == status, text
    assert word in text and "Traceback" not in text
    partial = stored_articles(watcher)
    assert partial < n and partial % 10 == 0  # whole batches only
    watcher.dispose()

    run_ingest(feed, db)
    engine = open_store(db)
    assert stored_articles(engine) == n
    with engine.connect() as conn:
        dupes = conn.execute(
            select(events.c.article_id, events.c.seq, func.count())
            .group_by(events.c.article_id, events.c.seq)
            .having(func.count() > 1)
        ).all()
    assert dupes == []
