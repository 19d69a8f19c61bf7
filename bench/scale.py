"""Does the cost of one article grow linearly with its size? (issue #19)

Builds single articles of growing size by joining synthetic articles (each
keeps its lines, so sentences and paragraphs stay as they are), and optionally
without any punctuation or line break (the "2 MB with no punctuation" case),
then times ``extract_article`` on each, after the knowledge base is loaded::

    .venv/bin/python bench/scale.py --kb 300 3000          # 300 KB and 3 MB
    .venv/bin/python bench/scale.py --kb 2000 --flat        # one 2 MB line, no punctuation
    .venv/bin/python bench/scale.py --kb 3000 --budget 10   # with the CLI's kind of budget
    .venv/bin/python bench/scale.py --kb 300 3000 --repeat 3   # best of three runs per size

It prints seconds per size and the ratio of each to the first, in wall-clock time and in CPU
time of this process (``time.process_time``: on a shared machine it moves less with the other
jobs than the wall clock does, though both move).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/ is not a package)


def article_text(kilobytes: int, flat: bool, seed: int = 0) -> str:
    """About ``kilobytes`` KB of UTF-8: synthetic articles joined by blank lines."""
    parts: list[str] = []
    size = 0
    for a in corpus.generate(10**7, seed):
        parts.append(a.text)
        size += len(a.text.encode("utf-8")) + 2
        if size >= kilobytes * 1000:
            break
    text = "\n\n".join(parts)
    if flat:
        text = re.sub(r"[\s.,،؛;:!?؟\-–—()\"'«»]+", " ", text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="seconds per article of growing size")
    ap.add_argument("--kb", type=int, nargs="+", default=[300, 3000], help="sizes in KB (default 300 3000)")
    ap.add_argument("--flat", action="store_true", help="no punctuation and no line breaks")
    ap.add_argument("--budget", type=float, default=None, help="per-article budget in seconds")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size; the best is shown (default 1)")
    args = ap.parse_args(argv)

    from rasid.document import Article
    from rasid.pipeline import ArticleTimeout, extract_article, load_knowledge

    load_knowledge()
    first: tuple[float, float] | None = None
    for kb in args.kb:
        text = article_text(kb, args.flat)
        wall = cpu = float("inf")
        for _ in range(max(1, args.repeat)):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                events = len(extract_article(Article(id=f"{kb}kb", text=text), budget_s=args.budget))
                note = f"{events} events"
            except ArticleTimeout as e:
                note = f"stopped: {e}"
            wall = min(wall, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        first = first or (wall, cpu)
        size = len(text.encode("utf-8")) / 1e6
        print(
            f"{size:6.2f} MB ({len(text)} chars): {wall:8.2f} s, {wall / first[0]:6.1f}x the first; "
            f"CPU {cpu:8.2f} s, {cpu / first[1]:6.1f}x; {note}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
