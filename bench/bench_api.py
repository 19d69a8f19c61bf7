"""Latency of ``GET /api/events`` on a large synthetic store (issue #18: p95 < 100 ms on 1M events with
an indexed filter: type + governorate + date range). Run by hand, never in the tests:

    .venv/bin/python bench/bench_api.py                       # 1,000,000 events in /tmp/rasid-bench-api.db
    .venv/bin/python bench/bench_api.py --n 100000 --requests 300
    .venv/bin/python bench/bench_api.py --db postgresql://user@host/db   # an empty PostgreSQL database

The store is built once with plain inserts (no extraction: the records are small synthetic SPEC records
over real governorates, types and dates) and kept for the next run when its size matches. Requests go
through the whole app in-process (FastAPI's TestClient: routing, validation, SQL, the review lookup and
JSON), each with a random type, governorate and 30-day window, 100 rows a page, sorted by date, the
total counted. It prints p50/p95/max per query shape, and the SQLite query plan of the main one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from typing import Any

TYPES = {
    "battles": ["armed_clash"],
    "explosions_remote_violence": [
        "air_drone_strike",
        "shelling_artillery_missile_attack",
        "remote_explosive",
    ],
    "violence_against_civilians": ["attack", "abduction_forced_disappearance"],
    "protests": ["peaceful_protest"],
    "strategic_developments": ["arrests", "looting_property_destruction"],
    "riots": ["violent_demonstration"],
}
ADMIN1 = [
    "Aleppo",
    "Idlib",
    "Hama",
    "Homs",
    "Damascus",
    "Rif Dimashq",
    "Daraa",
    "As-Suwayda",
    "Quneitra",
    "Latakia",
    "Tartus",
    "Ar-Raqqa",
    "Deir ez-Zor",
    "Al-Hasakah",
]
ACTORS = ["SYR_MIL", "RUS_MIL", "TUR_MIL", "SDF", "HTS", "ISIS", "CIV", "UNIDENTIFIED"]
DAY0 = dt.date(2020, 1, 1)
DAYS = 5 * 365
PER_ARTICLE = 5


def _record(i: int, rng: random.Random) -> dict[str, Any]:
    event_type = rng.choice(list(TYPES))
    day = (DAY0 + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
    killed = rng.choice([None, None, 0, 1, 2, 3, 5, 8, 13])
    return {
        "event_id": f"b{i // PER_ARTICLE}:{i:08x}",
        "article_id": f"b{i // PER_ARTICLE}",
        "event_type": event_type,
        "sub_event_type": rng.choice(TYPES[event_type]),
        "actor1": {"id": rng.choice(ACTORS), "name": None, "mention": None},
        "actor2": None,
        "assoc_actors": [],
        "location": {
            "mention": "بلدة",
            "name": f"Town {i % 5000}",
            "name_ar": "بلدة",
            "admin1": rng.choice(ADMIN1),
            "admin2": None,
            "country": "SY",
            "lat": 33 + rng.random() * 4,
            "lon": 36 + rng.random() * 5,
            "geo_precision": 1,
            "gazetteer_id": None,
        },
        "date": {"start": day, "end": day, "precision": "day", "mention": None},
        "fatalities": {"killed": killed, "killed_high": None, "injured": None, "injured_high": None},
        "claim": {"source": "bench", "source_mention": None, "contested": False},
        "evidence": [{"text": "نص", "start": 0, "end": 2}],
        "notes": "",
        "confidence": 0.5,
    }


def build(engine: Any, n: int, batch: int = 20_000) -> None:
    from sqlalchemy import insert

    from rasid.store.ingestion import event_row
    from rasid.store.schema import articles, events

    rng = random.Random(18)
    now = dt.datetime.now(dt.UTC).isoformat()
    started = time.perf_counter()
    for start in range(0, n, batch):
        stop = min(n, start + batch)
        records = [_record(i, rng) for i in range(start, stop)]
        article_ids = sorted(
            {r["article_id"] for r in records if int(r["event_id"][-8:], 16) % PER_ARTICLE == 0}
        )
        rows = [
            {
                "id": a,
                "content_hash": a,
                "url": None,
                "outlet": f"outlet {int(a[1:]) % 20}",
                "published": None,
                "title": None,
                "text": "نص",
                "source": None,
                "fetched_at": None,
                "ingested_at": now,
                "extractor_version": "bench",
            }
            for a in article_ids
        ]
        with engine.begin() as conn:
            if rows:
                conn.execute(insert(articles), rows)
            conn.execute(insert(events), [event_row(r, i) for i, r in enumerate(records)])
        print(f"\r  {stop:,} events ({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE events")


def _count(engine: Any) -> int:
    from sqlalchemy import func, select

    from rasid.store.schema import events

    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def _params(rng: random.Random, shape: str) -> dict[str, Any]:
    start = DAY0 + dt.timedelta(days=rng.randrange(DAYS - 30))
    params: dict[str, Any] = {"limit": 100, "sort": "date"}
    if shape in ("type+admin1+dates", "type+admin1+dates -killed"):
        params |= {
            "event_type": rng.choice(list(TYPES)),
            "admin1": rng.choice(ADMIN1),
            "since": start.isoformat(),
            "until": (start + dt.timedelta(days=30)).isoformat(),
        }
    if shape.endswith("-killed"):
        params["sort"] = "-killed"
    if shape == "type only":
        params["event_type"] = rng.choice(list(TYPES))
    return params


def _plan(engine: Any) -> None:
    from sqlalchemy import select

    from rasid.api.queries import Listing, conditions
    from rasid.store.query import EventFilter
    from rasid.store.schema import events

    if engine.dialect.name != "sqlite":
        return
    f = EventFilter(
        event_type="battles", admin1="idlib", since=dt.date(2021, 1, 1), until=dt.date(2021, 1, 31)
    )
    q = Listing(f)
    query = select(events.c.event_id).where(*conditions(engine, q.filter, q.reviewed))
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql):
            print("  plan:", row[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="events in the synthetic store")
    parser.add_argument(
        "--db", default=None, help="store to build or reuse (default /tmp/rasid-bench-api-N.db)"
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per query shape")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from rasid.api.app import create_app
    from rasid.store.db import open_store

    db = args.db or f"/tmp/rasid-bench-api-{args.n}.db"
    engine = open_store(db)
    have = _count(engine)
    if have != args.n:
        if have:
            print(f"{db} holds {have:,} events, not {args.n:,}: remove it first", file=sys.stderr)
            return 2
        print(f"building {db} with {args.n:,} events", file=sys.stderr)
        build(engine, args.n)
    _plan(engine)
    client = TestClient(create_app(db))
    rng = random.Random(20)
    out = {"n": args.n, "db": engine.dialect.name}
    for shape in ("type+admin1+dates", "type+admin1+dates -killed", "type only"):
        times, totals = [], []
        client.get("/api/events", params=_params(rng, shape))  # warm
        for _ in range(args.requests):
            t = time.perf_counter()
            r = client.get("/api/events", params=_params(rng, shape))
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
            totals.append(r.json()["total"])
        times.sort()
        p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        print(
            f"{shape:28s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms"
            f"  (mean total {statistics.mean(totals):,.0f} matching events)"
        )
        out[shape] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
