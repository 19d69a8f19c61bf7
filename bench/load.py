"""A bounded load test of ``rasid serve`` on loopback (issue #20): filtered ``GET /api/events`` and
``POST /api/articles`` together, over a store of a million events. Run by hand, never in the tests:

    .venv/bin/python bench/load.py                        # 1,000,000 events in /tmp/rasid-load-1000000.db
    .venv/bin/python bench/load.py --seconds 10 --steps 1/0,4/1,16/1 --n 100000
    .venv/bin/python bench/load.py --json                 # also one JSON line per step

The store is bench_api.py's synthetic one (built once, kept; the articles the POSTs add stay in it, which
changes nothing measurable: a few thousand rows beside a million). ``rasid serve`` runs as a subprocess
(uvicorn, one process, as a user runs it); this process drives it over HTTP with asyncio and httpx.

Each step is G GET workers and P POST workers for S seconds, each worker closed-loop (next request when
the last one answered), so the load is bounded by the workers: ``--steps 8/1`` is 8 GETs and 1 POST in
flight at all times. A GET has a random event type, governorate and 30-day window, 50 rows a page sorted
by date, and one page in four asks for the second page (offset 50). A POST is one short Arabic article of
our own (a shelling or a clash in a named town, a toll), a new id every time, so each one is extracted and
written. An error is any answer but 200, or no answer within 60 s. It prints, per step and endpoint,
requests/s, p50, p99, max and errors, and the kinds of errors seen.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import ADMIN1, DAY0, DAYS, TYPES, build  # noqa: E402  (the synthetic store's builder)

PLACES = ["كفرنبل", "سراقب", "أريحا", "منبج", "تل رفعت", "الأتارب", "بنش", "دارة عزة", "معرة النعمان"]
TOLLS = ["ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية"]
ARTICLE = [
    "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة {place} في ريف إدلب، "
    "ما أدى إلى مقتل {toll} مدنيين وإصابة آخرين، بحسب الدفاع المدني.",
    "اندلعت اشتباكات عنيفة مساء أمس بين فصائل المعارضة وقوات النظام على أطراف {place}، "
    "وقتل فيها {toll} عناصر من قوات النظام، وفق مصادر محلية.",
]
TIMEOUT_S = 60.0
DEFAULT_STEPS = "1/0,4/0,16/0,32/0,0/1,0/2,0/4,0/8,4/1,16/1,16/4,32/8"


@dataclass
class Endpoint:
    """What one endpoint answered during a step."""

    times_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def summary(self, seconds: float) -> dict[str, Any]:
        t = sorted(self.times_ms)
        if not t:
            return {"requests": 0, "errors": sum(self.errors.values()), "error_kinds": dict(self.errors)}
        return {
            "requests": len(t) + sum(self.errors.values()),
            "rps": round(len(t) / seconds, 1),
            "p50_ms": round(statistics.median(t), 1),
            "p99_ms": round(t[min(len(t) - 1, int(0.99 * len(t)))], 1),
            "max_ms": round(t[-1], 1),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
        }


def get_params(rng: random.Random) -> dict[str, Any]:
    start = DAY0 + dt.timedelta(days=rng.randrange(DAYS - 30))
    return {
        "event_type": rng.choice(list(TYPES)),
        "admin1": rng.choice(ADMIN1),
        "since": start.isoformat(),
        "until": (start + dt.timedelta(days=30)).isoformat(),
        "sort": "date",
        "limit": 50,
        "offset": 50 if rng.random() < 0.25 else 0,
    }


def article(run: str, i: int, rng: random.Random) -> dict[str, Any]:
    text = rng.choice(ARTICLE).format(place=rng.choice(PLACES), toll=rng.choice(TOLLS))
    day = DAY0 + dt.timedelta(days=rng.randrange(DAYS))
    return {"id": f"load-{run}-{i}", "text": text + f" (رقم {i})", "published": day.isoformat()}


async def _timed(result: Endpoint, request: Any) -> None:
    t = time.perf_counter()
    try:
        r = await request
    except httpx.HTTPError as e:
        result.errors[type(e).__name__] += 1
        return
    if r.status_code != 200:
        result.errors[f"HTTP {r.status_code}: {r.text[:120]}"] += 1
        return
    result.times_ms.append((time.perf_counter() - t) * 1000)


async def _get_worker(client: httpx.AsyncClient, until: float, seed: int, result: Endpoint) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < until:
        await _timed(result, client.get("/api/events", params=get_params(rng)))


async def _post_worker(
    client: httpx.AsyncClient, until: float, run: str, seed: int, result: Endpoint
) -> None:
    rng = random.Random(seed)
    i = 0
    while time.perf_counter() < until:
        body = article(f"{run}-{seed}", i, rng)
        await _timed(result, client.post("/api/articles", json=body))
        i += 1


async def step(base: str, gets: int, posts: int, seconds: float, run: str) -> dict[str, Any]:
    """One step: ``gets`` GET and ``posts`` POST workers for ``seconds``; per-endpoint summaries."""
    get, post = Endpoint(), Endpoint()
    limits = httpx.Limits(max_connections=gets + posts + 2, max_keepalive_connections=gets + posts + 2)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S, limits=limits) as client:
        started = time.perf_counter()
        until = started + seconds
        workers = [_get_worker(client, until, 1000 + k, get) for k in range(gets)]
        workers += [_post_worker(client, until, run, 2000 + k, post) for k in range(posts)]
        await asyncio.gather(*workers)
        elapsed = time.perf_counter() - started  # the last requests end after `until`: count them in
    return {
        "gets": gets,
        "posts": posts,
        "seconds": round(elapsed, 1),
        "GET /api/events": get.summary(elapsed),
        "POST /api/articles": post.summary(elapsed),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def give_incidents(engine: Any) -> None:
    """Make every synthetic event its own incident, as ingest would have (fusion links each new event).

    bench_api.py's builder inserts events without incidents. On such a store a POST is slow for a reason
    no real store has: ANALYZE saw a million NULL incident ids, so SQLite's planner thinks the
    incident_id index useless and fusion's ``refresh`` scans the table (0.35 s a POST on 1M events).
    SQLite only (``rowid``), like the default store.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM events WHERE incident_id IS NULL LIMIT 1").first() is None:
            return
        print("giving each synthetic event its own incident", file=sys.stderr)
        base = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM incidents").scalar_one()
        conn.exec_driver_sql(
            "INSERT INTO incidents (id, event_type, date_start, date_end, admin1, location_name, lat, lon,"
            " actor1_id, killed, n_events, n_outlets, contradictions)"
            f" SELECT rowid + {int(base)}, event_type, date_start, date_end, admin1, location_name, lat, lon,"
            " actor1_id, killed, 1, 1, '[]' FROM events WHERE incident_id IS NULL"
        )
        conn.exec_driver_sql(f"UPDATE events SET incident_id = rowid + {int(base)} WHERE incident_id IS NULL")
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def prepare(db: str, n: int) -> int:
    """Build the synthetic store when it is empty; the number of events in it."""
    from sqlalchemy import func, select

    from rasid.store.db import open_store
    from rasid.store.schema import events

    engine = open_store(db)
    with engine.connect() as conn:
        have = int(conn.execute(select(func.count()).select_from(events)).scalar_one())
    if have == 0:
        print(f"building {db} with {n:,} events", file=sys.stderr)
        build(engine, n)
        have = n
    elif have < n:
        raise SystemExit(f"{db} holds {have:,} events, fewer than {n:,}: remove it first")
    give_incidents(engine)
    engine.dispose()
    return have


def serve(db: str, port: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "rasid.cli",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"rasid serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/events", params={"limit": 1}).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("rasid serve did not answer within 120 s")


def _steps(value: str) -> list[tuple[int, int]]:
    try:
        return [(int(g), int(p)) for g, p in (s.split("/") for s in value.split(","))]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not GETS/POSTS,...: {value!r}") from None


def _print(r: dict[str, Any]) -> None:
    print(f"step {r['gets']} GET + {r['posts']} POST workers, {r['seconds']} s")
    for name in ("GET /api/events", "POST /api/articles"):
        s = r[name]
        if not s["requests"]:
            continue
        line = f"  {name:20s} {s['requests']:6d} req"
        if "rps" in s:
            line += f"  {s['rps']:7.1f} req/s  p50 {s['p50_ms']:7.1f} ms  p99 {s['p99_ms']:7.1f} ms"
            line += f"  max {s['max_ms']:7.1f} ms"
        print(line + f"  errors {s['errors']}")
        for kind, count in s["error_kinds"].items():
            print(f"      {count} x {kind}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="events in the synthetic store")
    parser.add_argument("--db", default=None, help="store to build or reuse (default /tmp/rasid-load-N.db)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each step")
    parser.add_argument(
        "--steps",
        type=_steps,
        default=_steps(DEFAULT_STEPS),
        help=f"GETS/POSTS workers per step, comma-separated (default {DEFAULT_STEPS})",
    )
    parser.add_argument("--json", action="store_true", help="also print each step as one JSON line")
    args = parser.parse_args()

    db = args.db or f"/tmp/rasid-load-{args.n}.db"
    have = prepare(db, args.n)
    port = _free_port()
    server = serve(db, port)
    base = f"http://127.0.0.1:{port}"
    run = f"{os.getpid()}-{int(time.time())}"
    print(f"rasid serve on {db} ({have:,} events), {os.cpu_count()} CPUs; {args.seconds:.0f} s a step")
    try:
        asyncio.run(step(base, 1, 1, 3.0, run + "-warm"))  # knowledge loaded, caches and pages warm
        for index, (gets, posts) in enumerate(args.steps):
            result = step(base, gets, posts, args.seconds, f"{run}-{index}")  # ids new in every step
            r = asyncio.run(result)
            _print(r)
            if args.json:
                print(json.dumps(r, ensure_ascii=False))
            sys.stdout.flush()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
