"""Start-up with and without the knowledge cache, and ``rasid ingest`` on one process, on ``--jobs 2`` and
on a local Dask cluster (issue #19). Wall-clock figures, so run it by hand on a quiet machine; every
figure is the best of ``--repeat`` runs, each in a fresh process.

    .venv/bin/python bench/bench_startup_ingest.py                  # start-up only
    .venv/bin/python bench/bench_startup_ingest.py --ingest 1000    # and ingest 1,000 synthetic articles
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RASID = [sys.executable, "-c", "import sys; from rasid.cli import main; sys.exit(main(sys.argv[1:]))"]

# Import rasid and load the knowledge base, then print how long each took (this process's own clock).
STARTUP = """
import time; t0 = time.perf_counter()
import rasid.pipeline as p
t1 = time.perf_counter()
p.load_knowledge()
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f}")
"""


def startup(env: dict[str, str]) -> tuple[float, float, float]:
    """(import s, load s, whole process s) of one fresh process."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    imp, load = (float(x) for x in out.stdout.split())
    return imp, load, wall


def best(runs: list[tuple[float, ...]]) -> tuple[float, ...]:
    return min(runs, key=lambda r: r[-1])


def bench_startup(repeat: int, cache_dir: str) -> None:
    # byte-code files written and used, as in an installed package (the dev machines set
    # PYTHONDONTWRITEBYTECODE, and compiling the sources then costs ~0.15 s of every start)
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
        "RASID_CACHE_DIR": cache_dir
    }
    startup({**base, "RASID_CACHE": "0"})
    rows = {
        "no cache (RASID_CACHE=0)": best([startup({**base, "RASID_CACHE": "0"}) for _ in range(repeat)]),
    }
    for f in Path(cache_dir).glob("knowledge-*"):
        f.unlink()
    rows["first start (builds, writes the cache)"] = startup(base)
    rows["with the cache"] = best([startup(base) for _ in range(repeat)])
    print("| start-up | import s | load_knowledge s | process s |\n|---|---|---|---|")
    for name, (imp, load, wall) in rows.items():
        print(f"| {name} | {imp:.3f} | {load:.3f} | {wall:.3f} |")


def ingest_once(corpus: Path, extra: list[str], env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        subprocess.run([*RASID, "ingest", str(corpus), "--db", str(db), *extra], env=env, check=True)
        return time.perf_counter() - t


def bench_ingest(n: int, repeat: int, cache_dir: str) -> None:
    env = {**os.environ, "RASID_CACHE_DIR": cache_dir}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), "--n", str(n), "--out", str(corpus)], check=True
        )
        variants = {
            "one process": [],
            "--jobs 2": ["--jobs", "2"],
            "--engine dask (local cluster, 2 workers)": ["--engine", "dask", "--jobs", "2"],
        }
        print(f"\n| ingest of {n} synthetic articles | s (best of {repeat}) | articles/s |\n|---|---|---|")
        for name, extra in variants.items():
            try:
                s = min(ingest_once(corpus, extra, env) for _ in range(repeat))
            except subprocess.CalledProcessError as e:
                print(f"| {name} | failed ({e.returncode}) | |")
                continue
            print(f"| {name} | {s:.1f} | {n / s:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ingest", type=int, default=0, metavar="N", help="also time ingesting N articles")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache_dir:
        bench_startup(args.repeat, cache_dir)
        if args.ingest:
            bench_ingest(args.ingest, args.repeat, cache_dir)
    print(json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
