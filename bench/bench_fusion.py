"""Cross-source fusion of a large store in one process (issue #19: 1M events in < 60 s, < 2 GB).

Run by hand, never in the tests::

    .venv/bin/python bench/bench_fusion.py                  # 1,000,000 events
    .venv/bin/python bench/bench_fusion.py --n 100000 --batch 2000

The store is ``bench_api.py``'s synthetic one (5 events an article, six event types, 14 governorates,
five years, places scattered over Syria's box), built with plain inserts and no incidents, in a
fresh file each run. Every event is then linked by ``rasid.store.fusion.link_events`` in date order (as a store linked again would be),
``--batch`` events a transaction, as ``rasid ingest`` links each batch it writes: so the figure is
the whole of fusion (candidate search, incident creation, summaries) without extraction. It prints
the time and peak memory (``ru_maxrss``) of the linking alone, and the incidents made.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_api import build  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="events in the synthetic store")
    parser.add_argument("--batch", type=int, default=250, help="events linked per transaction")
    parser.add_argument("--db", default=None, help="store file (default /tmp/rasid-bench-fusion-N.db)")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from rasid.store.db import open_store
    from rasid.store.fusion import link_events
    from rasid.store.schema import events, incidents

    db = Path(args.db or f"/tmp/rasid-bench-fusion-{args.n}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = open_store(str(db))
    print(f"building {db} with {args.n:,} events", file=sys.stderr)
    build(engine, args.n)
    with engine.connect() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                select(events.c.event_id).order_by(
                    events.c.date_start, events.c.article_id, events.c.event_id
                )
            )
        ]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    for lo in range(0, len(ids), args.batch):
        with engine.begin() as conn:
            link_events(conn, ids[lo : lo + args.batch])
        if lo // args.batch % 200 == 0:
            done = lo + args.batch
            print(f"\r  linked {done:,} ({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr)
    seconds = time.perf_counter() - started
    print(file=sys.stderr)
    with engine.connect() as conn:
        made = conn.execute(select(func.count()).select_from(incidents)).scalar_one()
        unlinked = conn.execute(
            select(func.count()).select_from(events).where(events.c.incident_id.is_(None))
        ).scalar_one()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "events": len(ids),
        "batch": args.batch,
        "seconds": round(seconds, 1),
        "events_per_s": round(len(ids) / seconds),
        "incidents": made,
        "unlinked": unlinked,
        "peak_rss_mb": round(peak),
        "rss_before_linking_mb": round(rss_before),
    }
    print(json.dumps(out))
    return 0 if unlinked == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
