"""Instructions per article, for ``valgrind --tool=callgrind`` (issue #15).

Wall-clock figures move with the load of a shared machine; instruction counts
do not. The script loads the knowledge base, extracts the articles once as a
warm-up, then ``--repeat`` more times inside :func:`functools.reduce` (a C
function nothing else in rasid calls), so that callgrind can count only the
steady-state passes::

    python bench/corpus.py --n 30 --out /tmp/c30.jsonl
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='functools_reduce*' \
        python bench/instructions.py /tmp/c30.jsonl

The total divided by the number of articles is the cost of one article.
``bench/callgrind.sh`` does that and prints the figure. The script only uses
``rasid.pipeline.extract_article`` and ``rasid.document.Article``, so it also
runs against an older checkout of rasid (the comparison with the last release).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", type=Path, help="articles, one {id, text, published?} per line")
    ap.add_argument("--repeat", type=int, default=1, help="extractions after the warm-up pass")
    args = ap.parse_args(argv)

    from rasid.document import Article
    from rasid.pipeline import extract_article

    try:
        from rasid.pipeline import load_knowledge
    except ImportError:  # an older rasid: the warm-up pass loads everything
        load_knowledge = None
    if load_knowledge is not None:
        load_knowledge()
    articles = []
    for line in args.jsonl.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            day = rec.get("published")
            published = dt.date.fromisoformat(str(day)[:10]) if day else None
            articles.append(Article(id=str(rec["id"]), text=rec["text"], published=published))
    events = sum(len(extract_article(a)) for a in articles)  # warm-up, not counted
    for _ in range(args.repeat):
        events = functools.reduce(lambda n, a: n + len(extract_article(a)), articles, 0)
    print(f"{len(articles)} articles, {events} events per pass", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
