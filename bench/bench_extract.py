"""Throughput and memory of ``rasid.pipeline.extract_article``.

    .venv/bin/python bench/bench_extract.py             # 2000 synthetic articles (make bench)
    .venv/bin/python bench/bench_extract.py --n 200     # quicker
    .venv/bin/python bench/bench_extract.py --jsonl my_articles.jsonl

Four numbers matter and are measured apart, because they answer different
questions (see bench/README.md):

* startup: importing the pipeline, then ``pipeline.load_knowledge()``, which
  loads and compiles the knowledge base (gazetteer, actors, lexicons) through
  the ``lru_cache``'d loaders, as the CLI does before a batch. That is what a
  one-article CLI call pays.
* throughput: articles per second over N articles once everything is warm.
  Two warm-up articles are run and excluded before the clock starts.
* peak memory of the extraction itself: ``tracemalloc`` peak over a separate
  pass on a subset (tracing slows Python several times, so it never runs
  during the timed pass), after the knowledge base is loaded.
* process memory: ``resource.getrusage`` max RSS at the end (knowledge base
  included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/ is not a package)

MiB = 1024 * 1024


def _max_rss_bytes() -> int:
    """Peak resident set size of this process; Linux reports KiB, macOS bytes."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _load_jsonl(path: Path, limit: int) -> list[dict[str, Any]]:
    """Articles from a JSONL file of {id, text, published?}; html-only lines are skipped."""
    out: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if "text" in rec:
                out.append(rec)
            if len(out) >= limit:
                break
    return out


def _to_article(rec: dict[str, Any], article_cls: type) -> Any:
    published = rec.get("published")
    day = dt.date.fromisoformat(str(published)[:10]) if published else None
    return article_cls(id=str(rec["id"]), text=rec["text"], published=day)


def _build() -> str:
    """``compiled`` when the pipeline modules are mypyc extensions (setup.py), else ``pure Python``."""
    from rasid.pipeline import compiled

    return "compiled" if compiled() else "pure Python"


def _import_pipeline() -> tuple[Callable[[Any], list[dict[str, Any]]], type]:
    """The function under test and the Article class; a clear message if the pipeline is incomplete."""
    try:
        from rasid.document import Article
        from rasid.pipeline import components, extract_article

        components()  # import every component module now, so a missing one fails here
    except (ImportError, AttributeError) as exc:
        sys.exit(f"bench: the pipeline cannot be imported yet ({exc.__class__.__name__}: {exc})")
    return extract_article, Article


def _run(
    extract: Callable[[Any], list[dict[str, Any]]], articles: Iterable[Any]
) -> tuple[list[float], int, int]:
    """Per-article seconds, events produced, and articles that raised (first traceback printed)."""
    times: list[float] = []
    events = errors = 0
    for art in articles:
        t0 = time.perf_counter()
        try:
            events += len(extract(art))
        except Exception:
            errors += 1
            if errors == 1:
                print(f"bench: article {art.id} raised:", file=sys.stderr)
                traceback.print_exc()
        times.append(time.perf_counter() - t0)
    return times, events, errors


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _profile(extract: Callable[[Any], list[dict[str, Any]]], articles: list[Any]) -> None:
    """Where the time goes: cumulative cProfile over a few articles (after warm-up, so no loading)."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    _run(extract, articles)
    prof.disable()
    print(f"profile of {len(articles)} articles (cumulative time):")
    pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark rasid.pipeline.extract_article.")
    ap.add_argument("--n", type=int, default=2000, help="articles in the timed pass (default 2000)")
    ap.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    ap.add_argument(
        "--bytes",
        type=int,
        default=corpus.TARGET_BYTES,
        help=f"target UTF-8 size of a synthetic article (default {corpus.TARGET_BYTES}, the issue's ~3 KB)",
    )
    ap.add_argument("--jsonl", type=Path, help="benchmark these articles instead of the synthetic corpus")
    ap.add_argument(
        "--trace-n",
        type=int,
        default=200,
        help="articles in the separate tracemalloc pass (default 200; 0 skips it)",
    )
    ap.add_argument("--json", action="store_true", help="also print the results as one JSON line")
    ap.add_argument(
        "--reference",
        action="store_true",
        help="also run bench/reference.py (fold + Aho-Corasick) on the same articles and give the ratio",
    )
    ap.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="K",
        help="after the timed pass, cProfile K articles and print the 25 costliest functions",
    )
    args = ap.parse_args(argv)

    # Build the input first so that generating it is not counted anywhere.
    total = args.n + 1  # + the warm-up article
    if args.jsonl:
        records = _load_jsonl(args.jsonl, total + 1)
        source = str(args.jsonl)
    else:
        records = [a.to_json() for a in corpus.generate(total + 1, args.seed, args.bytes)]
        source = f"synthetic corpus seed {args.seed}"
    if len(records) < 3:
        sys.exit("bench: need at least 3 articles")

    t0 = time.perf_counter()
    extract, article_cls = _import_pipeline()
    t_import = time.perf_counter() - t0
    articles = [_to_article(r, article_cls) for r in records]
    first, warmup, timed = articles[0], articles[1], articles[2 : 2 + args.n]
    chars = sum(len(a.text) for a in timed)
    size = sum(len(a.text.encode("utf-8")) for a in timed)

    # Startup: loading and compiling the knowledge base, as the CLI does before a batch.
    from rasid.pipeline import load_knowledge

    t0 = time.perf_counter()
    load_knowledge()
    t_load = time.perf_counter() - t0
    _, _, first_errors = _run(extract, [first, warmup])  # warm-up, excluded from timing

    t0 = time.perf_counter()
    times, events, errors = _run(extract, timed)
    wall = time.perf_counter() - t0

    trace_peak = None
    trace_n = min(args.trace_n, len(timed))
    if trace_n > 0:
        tracemalloc.start()
        tracemalloc.reset_peak()
        _run(extract, timed[:trace_n])
        _, trace_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = _max_rss_bytes()

    n = len(timed)
    result = {
        "source": source,
        "articles": n,
        "build": _build(),
        "mean_chars": round(chars / max(1, n)),
        "mean_bytes": round(size / max(1, n)),
        "import_s": round(t_import, 3),
        "knowledge_load_s": round(t_load, 3),
        "wall_s": round(wall, 3),
        "articles_per_s": round(n / wall, 2) if wall else None,
        "chars_per_s": round(chars / wall) if wall else None,
        "ms_per_article_p50": round(1000 * statistics.median(times), 2),
        "ms_per_article_p95": round(1000 * _percentile(times, 0.95), 2),
        "ms_per_article_max": round(1000 * max(times), 2),
        "events": events,
        "errors": errors + first_errors,
        "tracemalloc_peak_mib": round(trace_peak / MiB, 1) if trace_peak is not None else None,
        "tracemalloc_articles": trace_n,
        "maxrss_mib": round(rss / MiB, 1),
    }
    print(
        f"rasid bench ({result['build']} build): {n} articles from {source},"
        f" mean {result['mean_bytes'] / 1000:.1f} KB ({result['mean_chars']} chars)"
    )
    print(
        f"startup:    import {t_import:.2f} s; knowledge load (pipeline.load_knowledge) {t_load:.2f} s;"
        " 2 warm-up articles excluded"
    )
    print(
        f"throughput: {result['articles_per_s']} articles/s ({result['chars_per_s']} chars/s) in {wall:.2f} s;"
        f" per article p50 {result['ms_per_article_p50']} ms, p95 {result['ms_per_article_p95']} ms,"
        f" max {result['ms_per_article_max']} ms"
    )
    print(f"output:     {events} events ({events / max(1, n):.1f} per article), {result['errors']} errors")
    trace = f"{result['tracemalloc_peak_mib']} MiB over {trace_n} articles" if trace_n else "skipped"
    print(f"memory:     tracemalloc peak {trace}; max RSS {result['maxrss_mib']} MiB")
    if args.reference:
        import reference

        ref = reference.measure([a.text for a in timed])
        result["reference_articles_per_s"] = ref["articles_per_s"]
        ratio = result["articles_per_s"] / ref["articles_per_s"] if result["articles_per_s"] else 0.0
        result["ratio_to_reference"] = round(ratio, 3)
        print(
            f"reference:  fold + Aho-Corasick over {ref['names']} names: {ref['articles_per_s']} articles/s"
            f" on the same articles; rasid runs at {ratio:.3f} of it (1/{1 / ratio:.1f})"
        )
    if args.json:
        print(json.dumps(result))
    if args.profile > 0:
        _profile(extract, timed[: args.profile])
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
