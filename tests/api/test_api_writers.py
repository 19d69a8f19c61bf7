"""Concurrent ``POST /api/articles`` (issue #20's load test): one ingest at a time, every POST answered.

The store takes one writer at a time; the API queues POSTs itself (first come, first served) instead of
leaving each to wait in SQLite's busy handler on a worker thread of its own. Shown with real requests from
several threads on one client (one event loop, as under uvicorn) over a real SQLite store; the spy around
``ingest`` only counts how many run at once. A store another process keeps locked is a 503 with
Retry-After, not a 500.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from api_store import client_for
from sqlalchemy import func, select

import rasid.store.ingestion as ingest_module
from rasid.store import open_store
from rasid.store.db import StoreBusy
from rasid.store.schema import articles, events

PLACES = ["أريحا", "سراقب", "بنش", "كفرنبل", "منبج", "الأتارب", "تل رفعت", "سرمدا"]
TEXT = "قصفت قوات النظام السوري بالمدفعية بلدة {place} في ريف إدلب صباح اليوم، ما أدى إلى مقتل ثلاثة مدنيين."


def _spy(real: Callable[..., Any], seen: list[int], lock: threading.Lock) -> Callable[..., Any]:
    running = [0]

    def ingest(*args: Any, **kwargs: Any) -> Any:
        with lock:
            running[0] += 1
            seen.append(running[0])
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    return ingest


def test_concurrent_posts_are_queued_one_at_a_time_and_all_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "rasid.db")
    seen: list[int] = []
    monkeypatch.setattr(ingest_module, "ingest", _spy(ingest_module.ingest, seen, threading.Lock()))
    bodies = [
        {"id": f"w{i}", "text": TEXT.format(place=place), "published": "2025-05-04"}
        for i, place in enumerate(PLACES)
    ]
    with client_for(db) as client, ThreadPoolExecutor(len(bodies)) as pool:
        answers = list(pool.map(lambda b: client.post("/api/articles", json=b), bodies))
    assert [r.status_code for r in answers] == [200] * len(bodies), [r.text for r in answers]
    assert all(r.json()["articles"][0]["events"] for r in answers)
    assert len(seen) == len(bodies) and max(seen) == 1  # never two ingests at once
    with open_store(db).connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar_one() == len(bodies)
        assert conn.execute(select(func.count(func.distinct(events.c.article_id)))).scalar_one() == len(
            bodies
        )


def test_a_store_locked_through_every_retry_is_503(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*_: Any, **__: Any) -> Any:
        raise StoreBusy("storing 1 article(s): the database is locked by another process")

    monkeypatch.setattr(ingest_module, "ingest", busy)
    with client_for(str(tmp_path / "rasid.db")) as client:
        r = client.post("/api/articles", json={"id": "x", "text": TEXT.format(place="أريحا")})
    assert r.status_code == 503 and r.headers["retry-after"] == "30"
    assert "locked by another process" in r.json()["error"]
