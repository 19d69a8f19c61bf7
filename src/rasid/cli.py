"""Command line: a thin layer over the library (no analysis happens here).

    rasid extract INPUT... --out FILE [--published YYYY-MM-DD] [--summary]
    rasid annotate INPUT... [--out FILE] [--format jsonl|html] [--published YYYY-MM-DD]
    rasid eval INPUT... --gold GOLD.jsonl [--published YYYY-MM-DD] [--verbose]
    rasid ingest | watch | reextract | events | incidents | stats | sources ...   (the store: rasid.store.cli)

Inputs are .txt, .html, .jsonl files, folders of those, or ``-`` for stdin.
A bad input gets one line on stderr naming the file (and line); the others
are still processed, and the exit status is 1 when any input failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from rasid.document import Article, Document
from rasid.pipeline import DEFAULT_BUDGET_S, annotate_article, load_knowledge
from rasid.readers import ReadError, iter_articles


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Run:
    """Counts failures while a batch goes on."""

    def __init__(self, budget_s: float | None = None, jobs: int = 1) -> None:
        self.failed = 0
        self.budget_s, self.jobs = budget_s, jobs

    def error(self, message: str) -> None:
        self.failed += 1
        print(f"rasid: {message}", file=sys.stderr)

    def documents(self, inputs: list[str], published: dt.date | None) -> Iterator[Document]:
        if self.jobs > 1:  # forked workers (rasid.parallel) send back each article's records, in order
            from rasid.parallel import documents

            yield from documents(inputs, published, self.jobs, self.budget_s, self.error)  # type: ignore[misc]
            return
        load_knowledge()
        for item in iter_articles(inputs, published=published):
            if isinstance(item, ReadError):
                self.error(str(item))
                continue
            doc = self._annotate(item)
            if doc is not None:
                yield doc

    def _annotate(self, article: Article) -> Document | None:
        try:
            return annotate_article(article, self.budget_s)
        except Exception as e:  # one broken article must not stop the batch
            self.error(f"{article.source or article.id}: extraction failed: {type(e).__name__}: {e}")
            return None


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    """Write to ``path`` through a temporary file, so a failed run never leaves half a file."""
    if path is None or path == "-":
        yield sys.stdout
        return
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rasid-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def cmd_extract(args: argparse.Namespace) -> int:
    from rasid.extract.record import public

    run = Run(args.budget, args.jobs)
    n_articles = n_events = 0
    with _output(args.out) as fh:
        for doc in run.documents(args.inputs, args.published):
            n_articles += 1
            for record in doc.events:
                fh.write(_dumps(public(record)) + "\n")
                n_events += 1
                if args.summary:
                    print(_summary_line(record))
    print(
        f"rasid: {n_events} events from {n_articles} articles, {run.failed} input(s) failed", file=sys.stderr
    )
    return 1 if run.failed else 0


def _summary_line(r: dict[str, Any]) -> str:
    loc = (r.get("location") or {}).get("name") or "?"
    date = (r.get("date") or {}).get("start") or "????-??-??"
    return f"{r['article_id']:<28} {date} {r['sub_event_type']:<36} {loc}"


def cmd_annotate(args: argparse.Namespace) -> int:
    from rasid.annotate import annotation, write_jsonl
    from rasid.render.html import render_html

    run = Run()
    annotations = [annotation(doc) for doc in run.documents(args.inputs, args.published)]
    with _output(args.out) as fh:
        if args.format == "html":
            fh.write(render_html(annotations))
        else:
            write_jsonl(annotations, fh)
    return 1 if run.failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from rasid.evaluate import EvalInputError, format_report, load_jsonl, score
    from rasid.extract.record import public

    try:
        gold = load_jsonl(args.gold)
    except (EvalInputError, OSError) as e:
        print(f"rasid: {e}", file=sys.stderr)
        return 2
    run = Run()
    pred = [public(r) for doc in run.documents(args.inputs, args.published) for r in doc.events]
    result = score(gold, pred)
    print(format_report(result, verbose=args.verbose))
    return 1 if run.failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rasid", description="Arabic conflict news to event records.")
    sub = parser.add_subparsers(dest="command", required=True)

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "inputs", nargs="+", metavar="INPUT", help=".txt/.html/.jsonl file, folder, or - for stdin"
        )
        p.add_argument("--published", type=_date, default=None, help="article date when the input has none")

    p = sub.add_parser("extract", help="write event records (JSON lines)")
    inputs(p)
    p.add_argument("--out", required=True, help="output JSONL file ('-' for stdout)")
    p.add_argument("--summary", action="store_true", help="also print one line per event")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1; same output)")
    p.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S, help="seconds an article may take")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("annotate", help="every recognised mention, as JSON lines or an HTML page")
    inputs(p)
    p.add_argument("--out", default=None, help="output file (default stdout)")
    p.add_argument("--format", choices=("jsonl", "html"), default="jsonl")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("eval", help="extract and score against gold events (SPEC section 6)")
    inputs(p)
    p.add_argument("--gold", required=True)
    p.add_argument("--verbose", action="store_true", help="list misses, extras and wrong fields")
    p.set_defaults(func=cmd_eval)

    from rasid.store.cli import add_commands  # the event store's commands

    add_commands(sub, _date)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
