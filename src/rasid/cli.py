"""Command line: a thin layer over the library (no analysis happens here).

    rasid extract INPUT... --out FILE [--published YYYY-MM-DD] [--summary]
    rasid annotate INPUT... [--out FILE] [--format jsonl|html] [--published YYYY-MM-DD]
    rasid eval INPUT... --gold GOLD.jsonl [--published YYYY-MM-DD] [--verbose]
    rasid ingest | watch | reextract | events | incidents | stats | sources ...   (the store: rasid.store.cli)
    rasid --version

Inputs are .txt, .html, .jsonl files, folders of those, or ``-`` for stdin.
A bad input gets one line on stderr naming the file (and line); the others
are still processed, and a summary line ends the run. Exit status:

    0  every input was read
    1  some inputs were rejected (bad file, too large, over its time budget...)
    2  usage error, an output that cannot be written, or nothing at all read
    3  internal error (a bug: please report it with the input)
    130 / 143  interrupted (SIGINT / SIGTERM); temporary files are removed

Output files are written through :mod:`rasid.output`: a run that reads
nothing, fails or is interrupted leaves the old output as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rasid.budget import DEFAULT_BUDGET_S, ArticleTimeout, time_limit
from rasid.document import Article, Document
from rasid.output import (
    OutputError,
    Terminated,
    check_target,
    guarded_stdout,
    install_signal_handlers,
    open_output,
    restore_signal_handlers,
)
from rasid.pipeline import annotate_article, load_knowledge
from rasid.readers import MAX_ARTICLE_BYTES, ReadError, iter_articles

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2  # also: nothing read, output not writable
EXIT_INTERNAL = 3
EXIT_SIGINT = 130
EXIT_SIGTERM = 143


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?")


def _size(value: str) -> int:
    """``--max-bytes``: a byte count, with an optional K, M or G (powers of 1024)."""
    m = _SIZE.fullmatch(value.strip())
    if not m or float(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a size (such as 500K, 5M): {value!r}")
    return int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds (0: no limit): {value!r}")
    return seconds


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("rasid")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


class Run:
    """Reads a batch, counts what was read and rejected, and goes on past every bad article."""

    def __init__(self, args: argparse.Namespace | None = None) -> None:
        self.failed = 0
        self.read = 0
        self.done = 0  # read and analysed
        self.budget_s: float | None = getattr(args, "time_limit", None)
        self.max_bytes: int | None = getattr(args, "max_bytes", None)
        self._seen: dict[str, str] = {}
        self.jobs: int = getattr(args, "jobs", 1) or 1

    def error(self, message: str) -> None:
        self.failed += 1
        print(f"rasid: {message}", file=sys.stderr)

    def documents(self, inputs: list[str], published: dt.date | None) -> Iterator[Document]:
        if self.jobs > 1:
            yield from self._in_workers(inputs, published)
            return
        load_knowledge()
        for item in iter_articles(
            inputs, published=published, max_bytes=self.max_bytes, budget_s=self.budget_s
        ):
            if isinstance(item, ReadError):
                self.error(str(item))
                continue
            first = self._seen.get(item.id)
            if first is not None:  # a second article with one id would give the same event ids twice
                self.error(
                    f"{item.source or item.id}: duplicate article id '{item.id}' (first in {first}); skipped"
                )
                continue
            self._seen[item.id] = item.source or item.id
            self.read += 1
            doc = self._annotate(item)
            if doc is not None:
                self.done += 1
                yield doc

    def _in_workers(self, inputs: list[str], published: dt.date | None) -> Iterator[Any]:
        """``--jobs``: forked workers (rasid.parallel) send back each article's records, in input order."""
        from rasid.parallel import documents

        for result in documents(inputs, published, self.jobs, self.budget_s, self.error, self.max_bytes):
            first = self._seen.get(result.id)
            if first is not None:
                self.error(f"{result.source}: duplicate article id '{result.id}' (first in {first}); skipped")
                continue
            self._seen[result.id] = result.source
            self.read += 1
            self.done += 1
            yield result

    def _annotate(self, article: Article) -> Document | None:
        where = article.source or article.id
        try:
            # a timer that stops any code, and the pipeline's own checks (threads, compiled build)
            with time_limit(self.budget_s):
                return annotate_article(article, self.budget_s or None)
        except ArticleTimeout as e:
            self.error(f"{where}: article '{article.id}' {e} (--time-limit)")
        except RecursionError:
            self.error(f"{where}: article '{article.id}' too deeply nested to analyse; skipped")
        except Exception as e:  # one broken article must not stop the batch
            self.error(f"{where}: extraction failed: {type(e).__name__}: {e}")
        return None

    def status(self) -> int:
        """0 all read, 1 some rejected, 2 nothing read at all."""
        if not self.failed:
            return EXIT_OK
        return EXIT_REJECTED if self.read else EXIT_USAGE

    def summary(self, what: str) -> None:
        """The last line of a run (stderr): what was done, and how many inputs were rejected."""
        print(f"rasid: {what}, {self.failed} input(s) rejected", file=sys.stderr)

    def keep_old_output(self) -> bool:
        """Nothing produced and something failed (a mistyped path, every article over its budget):
        the old output must survive."""
        return self.done == 0 and self.failed > 0


# store/cli.py writes its outputs through this name
_output = open_output


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def cmd_extract(args: argparse.Namespace) -> int:
    from rasid.extract.record import public

    check_target(args.out)
    run = Run(args)
    n_events = 0
    summary = bool(args.summary)
    # the summary lines go to stdout, unless the records do
    lines: Any = sys.stderr if args.out in (None, "-") or not summary else guarded_stdout()
    with open_output(args.out) as out, _extract_progress(args, run) as progress:
        for doc in run.documents(args.inputs, args.published):
            for record in doc.events:
                out.write(_dumps(public(record)) + "\n")
                n_events += 1
                if summary:
                    summary = _print_line(_summary_line(record), lines)
            progress(n_events)
        out.commit = not run.keep_old_output()
    run.summary(f"{n_events} events from {run.read} articles")
    _kept(run, args.out)
    return run.status()


def _extract_progress(args: argparse.Namespace, run: Run) -> Any:
    """The ingest's progress bar (articles/s, time left) on a terminal, when the records go to a file
    (records or summary lines on the terminal would tear it); a no-op otherwise."""
    from contextlib import nullcontext

    from rasid.store.cli import _progress, count_articles

    if args.out in (None, "-") or "-" in args.inputs:
        return nullcontext(lambda n: None)

    def state(n_events: int) -> tuple[int, str]:
        return run.done + run.failed, f"{run.done} articles, {n_events} events, {run.failed} rejected"

    return _progress("extract", lambda: count_articles(args.inputs), state)


def _print_line(line: str, stream: Any) -> bool:
    """Print one summary line; False once its reader has gone (``| head``): the records still get written."""
    try:
        print(line, file=stream)
        return True
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False


def _kept(run: Run, out: str | None) -> None:
    if run.keep_old_output() and out not in (None, "-"):
        print(f"rasid: nothing produced; {out} left as it was", file=sys.stderr)


def _summary_line(r: dict[str, Any]) -> str:
    loc = (r.get("location") or {}).get("name") or "?"
    date = (r.get("date") or {}).get("start") or "????-??-??"
    return f"{r['article_id']:<28} {date} {r['sub_event_type']:<36} {loc}"


def cmd_annotate(args: argparse.Namespace) -> int:
    """One article at a time from reading to the output: memory does not grow with the batch."""
    from rasid.annotate import annotation, write_html, write_jsonl

    check_target(args.out)
    run = Run(args)
    annotations = (annotation(doc) for doc in run.documents(args.inputs, args.published))
    with open_output(args.out) as out:
        if args.format == "html":
            write_html(annotations, out.fh)
        else:
            write_jsonl(annotations, out.fh)
        out.commit = not run.keep_old_output()
    run.summary(f"{run.read} articles annotated")
    _kept(run, args.out)
    return run.status()


def cmd_eval(args: argparse.Namespace) -> int:
    from rasid.evaluate import EvalInputError, format_report, load_gold, score
    from rasid.extract.record import public

    try:
        gold = load_gold(args.gold)
    except EvalInputError as e:
        print(f"rasid: {e}", file=sys.stderr)
        return EXIT_USAGE
    run = Run(args)
    pred = [public(r) for doc in run.documents(args.inputs, args.published) for r in doc.events]
    if run.read == 0:
        print("rasid: no article could be read; nothing to score", file=sys.stderr)
        return EXIT_USAGE
    result = score(gold, pred)
    print(format_report(result, verbose=args.verbose))
    run.summary(f"{run.read} articles scored")
    return run.status()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rasid",
        description="Arabic conflict news to event records.",
        epilog="exit status: 0 all read, 1 some inputs rejected, 2 usage error or nothing read, "
        "3 internal error, 130/143 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"rasid {version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "inputs", nargs="+", metavar="INPUT", help=".txt/.html/.jsonl file, folder, or - for stdin"
        )
        p.add_argument("--published", type=_date, default=None, help="article date when the input has none")
        p.add_argument(
            "--max-bytes",
            type=_size,
            default=MAX_ARTICLE_BYTES,
            metavar="SIZE",
            help=f"largest article (file, JSONL line or stdin), e.g. 500K, 5M (default {MAX_ARTICLE_BYTES >> 20}M)",
        )
        p.add_argument(
            "--time-limit",
            type=_seconds,
            default=DEFAULT_BUDGET_S,
            metavar="SECONDS",
            help=f"time budget per article; one over it is reported and skipped (default {DEFAULT_BUDGET_S:g}, 0: none)",
        )

    p = sub.add_parser("extract", help="write event records (JSON lines)")
    inputs(p)
    p.add_argument("--out", required=True, help="output JSONL file ('-' for stdout)")
    p.add_argument(
        "--summary", action="store_true", help="also print one line per event (stderr with --out -)"
    )
    p.add_argument(
        "--jobs", type=int, default=1, help="worker processes (default 1; same output, same order)"
    )
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


class _WarningLine(logging.Handler):
    """Library warnings (a metadata date that is not a date) as one ``rasid: warning:`` line each."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(f"rasid: warning: {record.getMessage()}", file=sys.stderr)
        except Exception:  # noqa: BLE001 - a warning must never stop the run
            pass


@contextmanager
def _warnings_on_stderr() -> Iterator[None]:
    """The library's warnings as ``rasid: warning:`` lines for the length of one command."""
    log = logging.getLogger("rasid")
    handler, propagate = _WarningLine(logging.WARNING), log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


def main(argv: list[str] | None = None) -> int:
    """Run one command; map every way it can end to an exit status (see the module docstring)."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = install_signal_handlers() if main_thread else {}
    try:
        with _warnings_on_stderr():
            try:  # building the parser imports the store's commands: Ctrl-C there is one line too
                args = build_parser().parse_args(argv)
            except (KeyboardInterrupt, Terminated) as e:
                return _stopped(e)
            return _run(args)
    finally:
        restore_signal_handlers(previous)


def _run(args: argparse.Namespace) -> int:
    """Run the command; map every way it can end to an exit status (see the module docstring)."""
    try:
        status = int(args.func(args))
        _flush_stdout()
        return status
    except (KeyboardInterrupt, Terminated) as e:
        return _stopped(e)
    except OutputError as e:
        print(f"rasid: {e}", file=sys.stderr)
        if str(e).startswith("cannot write stdout") and sys.stdout is not None:  # drop its buffer, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_USAGE
    except BrokenPipeError:  # `rasid extract ... --out - | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - mapped to a status below, never a bare traceback
        return _failure(e)


def _stopped(e: BaseException) -> int:
    """SIGTERM (:class:`Terminated`) or SIGINT (KeyboardInterrupt): one line and 143 or 130."""
    if isinstance(e, Terminated):
        print("rasid: terminated", file=sys.stderr)
        return EXIT_SIGTERM
    print("rasid: interrupted", file=sys.stderr)
    return EXIT_SIGINT


def _flush_stdout() -> None:
    """A full disk behind stdout shows here as one line, not as a traceback when Python exits."""
    if sys.stdout is not None:
        guarded_stdout().flush()


def _failure(e: Exception) -> int:
    """A store that stayed locked is the environment (exit 2); anything else is a bug (exit 3)."""
    from rasid.store.db import StoreBusy

    if isinstance(e, StoreBusy):
        print(f"rasid: {e}", file=sys.stderr)
        return EXIT_USAGE
    if os.environ.get("RASID_DEBUG"):
        raise e
    print(
        f"rasid: internal error: {type(e).__name__}: {e} (set RASID_DEBUG=1 for the traceback; please report it)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
