"""``kill -9`` during a large ingest, then the same ingest again: same counts as a clean run, no duplicates.

The articles are generated from a few sentences of our own, varied by place,
toll and day, so that each is different and the ingest takes long enough to
be killed in the middle.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from rasid.store import open_store
from rasid.store.db import create
from rasid.store.query import counts
from rasid.store.schema import articles, events
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)

PLACES = ["كفرنبل", "سراقب", "أريحا", "جسر الشغور", "الأتارب", "دارة عزة", "منبج", "تل رفعت", "بنش", "سرمدا"]
TOLLS = ["ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"]
TEMPLATES = [
    "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة {place}، ما أدى إلى مقتل {toll} مدنيين.",
    "شنت طائرات حربية روسية غارات على مدينة {place} مساء أمس، وأسفرت الغارات عن مقتل {toll} أشخاص وإصابة آخرين.",
    "دارت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على أطراف {place}، قتل فيها {toll} عناصر من قوات النظام.",
]


def write_feed(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = TEMPLATES[i % 3].format(place=PLACES[i % len(PLACES)], toll=TOLLS[(i // 3) % len(TOLLS)])
            text += f"\nوذكرت مصادر محلية أن الحصيلة مرشحة للارتفاع (تقرير رقم {i})."
            day = 1 + i % 28
            obj = {
                "id": f"crash-{i:04d}",
                "text": text,
                "outlet": f"outlet-{i % 4}",
                "published": f"2023-02-{day:02d}",
            }
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def run_ingest(feed: Path, db: str, *, wait: bool = True) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "rasid.cli", "ingest", str(feed), "--db", db, "--batch-size", "10"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if wait:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
    return proc


def stored_articles(engine: Engine) -> int:
    """Articles committed so far, read without migrating (the child owns the schema) or locking."""
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
    except Exception:  # the schema may not exist yet when the child has only just started
        return 0


def test_kill_9_mid_ingest_then_rerun(db_url: str, tmp_path: Path) -> None:
    n = 400
    feed = tmp_path / "big.jsonl"
    write_feed(feed, n)

    proc = run_ingest(feed, db_url, wait=False)
    watcher = create(db_url)
    deadline = time.monotonic() + 300
    while stored_articles(watcher) < 40:  # a few batches committed, many to go
        assert proc.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = stored_articles(watcher)
    if partial >= n:
        pytest.fail("the ingest finished before the kill; make the feed larger")
    assert partial % 10 == 0  # whole batches only
    watcher.dispose()

    run_ingest(feed, db_url)
    after = counts(open_store(db_url))

    clean = str(tmp_path / "clean.db")
    run_ingest(feed, clean)
    expected = counts(open_store(clean))
    assert after["articles"] == n
    assert after == expected
    with open_store(db_url).connect() as conn:
        dupes = conn.execute(
            select(events.c.article_id, events.c.seq, func.count())
            .group_by(events.c.article_id, events.c.seq)
            .having(func.count() > 1)
        ).all()
    assert dupes == []
