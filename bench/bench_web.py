"""Is the browser UI still interactive with 10,000 events (issue #18)? Run by hand, never in the tests:

    .venv/bin/python bench/bench_web.py                 # 10,000 events in /tmp/rasid-bench-web-10000.db
    .venv/bin/python bench/bench_web.py --n 50000 --runs 3

The store is the synthetic one of bench_api.py (its ``build``: plain inserts of small SPEC records over
real types, governorates and dates; every event at its own random point, so nothing merges into a
shared place badge: the clustering's worst case). The real app runs under uvicorn on a loopback
port and Debian's Chromium (Playwright, ``/usr/bin/chromium``) opens it at 1280x800. Measured, in
milliseconds, the median of ``--runs``:

* ``load``: navigation until every event is fetched (1,000 a request), placed and clustered;
* ``filter``: choosing an event type until the map shows the new set;
* ``clear``: back to all events;
* ``zoom``: one zoom step in and one out (``zoomend``, the clusters redrawn);
* ``drawer``: clicking a marker until the event drawer shows the event;
* ``longest task``: the longest main-thread task seen (the PerformanceObserver ``longtask`` entries):
  how long the page could not answer a click at its worst.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import _count, build  # noqa: E402  (the same synthetic store as the API bench)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LONGTASKS = """
window.__long = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
  .observe({ type: "longtask", buffered: true });
"""
ZOOM = """async () => {
  const { getMap } = await import('/static/js/map.js');
  const map = getMap();
  const step = (f) => new Promise((r) => { map.once('zoomend', () => requestAnimationFrame(() => r())); f(); });
  const t = performance.now();
  await step(() => map.zoomIn());
  await step(() => map.zoomOut());
  return performance.now() - t;
}"""

# to click a lone marker: zoom in close on a cluster's centre, and give the clusters a second to redraw
CLOSE_UP = """async () => {
  const { getMap } = await import('/static/js/map.js');
  const map = getMap();
  const biggest = [...document.querySelectorAll('#map .leaflet-marker-icon.cl')][0];
  const box = biggest.getBoundingClientRect(), m = map.getContainer().getBoundingClientRect();
  const at = map.containerPointToLatLng([box.left + box.width / 2 - m.left, box.top + box.height / 2 - m.top]);
  map.setView(at, 12, { animate: false });
  await new Promise((r) => setTimeout(r, 1000));
}"""

# the centre of a lone marker inside the map's box (the pane holds some just outside it too)
IN_VIEW = """() => {
  const m = document.querySelector('#map').getBoundingClientRect();
  for (const e of document.querySelectorAll('#map .leaflet-marker-icon.mk')) {
    const r = e.getBoundingClientRect();
    if (r.left > m.left + 60 && r.right < m.right - 200 && r.top > m.top + 10 && r.bottom < m.bottom - 40)
      return [r.left + r.width / 2, r.top + r.height / 2];
  }
  throw new Error('no marker in view');
}"""


def serve(db: str) -> tuple[str, Any]:
    import httpx
    import uvicorn

    from rasid.api.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    assert httpx.get(f"{url}/api/config").status_code == 200
    return url, server


def one_run(browser: Any, url: str) -> dict[str, float]:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    page.add_init_script(LONGTASKS)
    out: dict[str, float] = {}

    def done(name: str, ms: float) -> None:
        out[name] = ms
        print(f"  {name}: {ms:,.0f}", file=sys.stderr, flush=True)

    t = time.perf_counter()
    page.goto(url + "/")
    page.wait_for_selector("body[data-state=ready]", timeout=120_000)
    done("load", (time.perf_counter() - t) * 1000)
    total = page.get_attribute("#count", "data-total")

    t = time.perf_counter()
    page.select_option("#f-type", "battles")
    expect(page.locator("#count")).not_to_have_attribute("data-total", total, timeout=60_000)
    expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=60_000)
    done("filter", (time.perf_counter() - t) * 1000)

    t = time.perf_counter()
    page.select_option("#f-type", "")
    expect(page.locator("#count")).to_have_attribute("data-total", total, timeout=60_000)
    expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=60_000)
    done("clear", (time.perf_counter() - t) * 1000)

    done("zoom", float(page.evaluate(ZOOM)))

    page.evaluate(CLOSE_UP)
    x, y = page.evaluate(IN_VIEW)
    t = time.perf_counter()
    page.mouse.click(x, y)
    page.wait_for_selector("#drawer .drawer-head h2, #drawer .error", timeout=60_000)
    done("drawer", (time.perf_counter() - t) * 1000)
    out["longest task"] = float(page.evaluate("Math.max(0, ...window.__long)"))
    out["markers+clusters"] = page.locator("#map .leaflet-marker-icon").count()
    page.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="events in the synthetic store")
    parser.add_argument(
        "--db", default=None, help="store to build or reuse (default /tmp/rasid-bench-web-N.db)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from rasid.store.db import open_store

    db = args.db or f"/tmp/rasid-bench-web-{args.n}.db"
    engine = open_store(db)
    have = _count(engine)
    if have != args.n:
        if have:
            print(f"{db} holds {have:,} events, not {args.n:,}: remove it first", file=sys.stderr)
            return 2
        build(engine, args.n)
    engine.dispose()
    url, server = serve(db)
    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
        for _ in range(args.runs):
            runs.append(one_run(browser, url))
            print(json.dumps({k: round(v) for k, v in runs[-1].items()}), file=sys.stderr)
        browser.close()
    server.should_exit = True
    summary = {k: round(statistics.median(r[k] for r in runs)) for k in runs[0]}
    for k, v in summary.items():
        print(f"{k:18s} {v:8,} {'' if k == 'markers+clusters' else 'ms'}")
    print(json.dumps({"n": args.n, **summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
