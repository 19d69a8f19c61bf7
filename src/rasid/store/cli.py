"""The store's commands, added to ``rasid``'s parser by :func:`add_commands` (thin, like rasid.cli).

    rasid ingest INPUT... [--db URL] [--published YYYY-MM-DD] [--batch-size N] [--delay S] [--jobs N]
                 [--engine dask [--scheduler tcp://host:8786]] [--health]
    rasid watch FEED... [--every 10m] [--db URL]
    rasid reextract [--db URL] [--all]
    rasid events [--db URL] [filters] [--format jsonl|geojson|csv|parquet] [--out FILE]
    rasid incidents [--db URL] [--since D] [--until D] [--admin1 A] [--min-outlets N] [--contested] [--out FILE]
    rasid sources [--db URL] [--outlet NAME] [--health] [--out FILE]
    rasid stats [--db URL] [--by admin1|admin2] [--per day|week|month] [filters] [--out FILE]
    rasid serve [--db URL] [--host 127.0.0.1] [--port 8000] [--token T] [--tiles URL]

INPUT is what ``rasid extract`` reads, or an RSS/Atom feed (a URL, or a
.rss/.atom/.xml file) whose linked pages are fetched. ``--db`` is a SQLite file path (default ``$RASID_DB`` or ``rasid.db``) or a
``postgresql://`` URL.

Exit statuses, as ``rasid extract``'s (rasid.cli): 0 every input read; 1 some inputs rejected (``ingest``,
``watch``: a bad file, line, feed or page; ``reextract``: an article whose extraction failed); 2 a usage
error, nothing at all read (every input of an ``ingest`` unreadable), a database that cannot be opened or
stays locked; 3 an internal error. ``watch --rounds N`` exits with its worst round's status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rasid.store import DEFAULT_BATCH, DEFAULT_DB


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        default=os.environ.get("RASID_DB", DEFAULT_DB),
        help="SQLite file or postgresql:// URL (default $RASID_DB or rasid.db)",
    )


def _bbox(value: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(x) for x in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not west,south,east,north: {value!r}") from None
    return (west, south, east, north)


def _error(message: str) -> None:
    print(f"rasid: {message}", file=sys.stderr)


def open_db(db: str, *, create: bool = True) -> Any:
    """``open_store`` for the CLI: a database that cannot be opened is one line and exit status 2.

    Commands that only read (``create=False``) do not create a SQLite file that is not there.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from rasid.store.db import engine_url, open_store

    url = engine_url(db)
    if not create and url.startswith("sqlite:///") and not os.path.exists(make_url(url).database or ""):
        _error(f"no such database: {db}")
        raise SystemExit(2)
    try:
        return open_store(db)
    except (SQLAlchemyError, ArgumentError, OSError) as e:
        shown = make_url(db).render_as_string(hide_password=True) if "://" in db else db
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        _error(f"cannot open database {shown}: {reason}")
        raise SystemExit(2) from None


def count_articles(inputs: list[str]) -> int | None:
    """How many articles the inputs hold, for the progress bar; None when it cannot be known beforehand
    (stdin, feeds). A JSONL file counts its non-blank lines."""
    from pathlib import Path

    from rasid.readers import KNOWN_EXTENSIONS
    from rasid.store.feeds import is_feed

    total = 0
    for item in inputs:
        if item == "-" or is_feed(item):
            return None
        p = Path(item)
        files = sorted(f for f in p.rglob("*") if f.suffix.lower() in KNOWN_EXTENSIONS) if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() == ".jsonl" and f.is_file():
                with f.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total


def _ingest_state(stats: Any) -> tuple[int, str]:
    """How many articles an ingest has finished, and its counts, for the progress line."""
    done = stats.new + stats.replaced + stats.unchanged + stats.failed
    return done, (
        f"{stats.new} new, {stats.replaced} replaced, {stats.unchanged} unchanged, "
        f"{stats.failed} failed, {stats.events} events"
    )


@contextmanager
def _progress(
    label: str,
    total: Callable[[], int | None] = lambda: None,
    state: Callable[[Any], tuple[int, str]] = _ingest_state,
) -> Iterator[Callable[[Any], None]]:
    """A bar with articles/s and the time left on a terminal (rich); nothing at all when stderr is piped
    or a file (a log), so logs get only the last line.

    ``total`` is called only on a terminal: counting a large input costs a read of it. ``state(x)`` turns
    what the caller passes to the update function into (articles finished, counts to show).
    """
    if not sys.stderr.isatty():
        yield lambda stats: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} articles/s" if speed else "", style="progress.data.speed")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        redirect_stdout=False,
    ) as progress:
        task = progress.add_task(label, total=total())

        def update(stats: Any) -> None:
            done, counts = state(stats)
            progress.update(task, completed=done, description=f"{label}: {counts}")

        yield update


def _items(inputs: list[str], published: Any, reader: Any) -> Iterator[Any]:
    """Articles from every input in order: files, folders and stdin as ``rasid extract`` reads them, feeds
    (URLs, .rss/.atom/.xml files) through the reader."""
    from rasid.readers import iter_articles
    from rasid.store.feeds import is_feed

    for item in inputs:
        if is_feed(item):
            yield from reader.articles(item)
        else:
            yield from iter_articles([item], published=published)


def _health(engine: Any, stats: Any, every: bool, command: str, started_at: str) -> None:
    """After an ingest: its counts per source stored (the history of ``rasid sources --health``), each
    source's line with ``--health``, and always a warning for a source that used to give events and gave
    none (rasid.store.health)."""
    from rasid.store.health import record_run, warnings

    run_id = record_run(engine, stats.sources, command, started_at)
    if every:
        for name, h in sorted(stats.sources.items()):
            print(f"rasid: source {h.line(name)}", file=sys.stderr)
    for line in warnings(engine, stats.sources, run_id):
        print(f"rasid: WARNING: {line}", file=sys.stderr)


def _ingest_round(engine: Any, args: argparse.Namespace, label: str) -> int:
    """One ingest of the inputs (a ``watch`` round too); its exit status (IngestStats.status)."""
    from rasid.store.feeds import FeedReader, Fetcher
    from rasid.store.health import now
    from rasid.store.ingestion import ingest

    started = now()
    fetcher = Fetcher(delay=args.delay)
    reader = FeedReader(engine, fetcher)
    try:
        with _progress(label, lambda: count_articles(args.inputs)) as update:
            stats = ingest(
                engine,
                _items(args.inputs, getattr(args, "published", None), reader),
                batch_size=args.batch_size,
                on_error=_error,
                on_article=update,
                fetched=reader.fetched,
                jobs=getattr(args, "jobs", 1),
            )
        reader.save_state()  # only now: the feeds' articles are committed
    finally:  # a StoreBusy (locked, or a server down through every retry) is the CLI's: one line, exit 2
        fetcher.close()
    print(f"rasid: {stats.line()}", file=sys.stderr)
    _health(engine, stats, getattr(args, "health", False), label, started)
    return int(stats.status(reader.feeds_read))


def _dask_refusal(inputs: list[str]) -> str | None:
    """Why ``--engine dask`` cannot take these inputs here, or None."""
    from rasid.store.feeds import is_feed

    if any(i == "-" or is_feed(i) for i in inputs):
        return "--engine dask reads files and folders (not stdin or feeds)"
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return "--engine dask needs Dask: pip install 'rasid[scale]'"
    return None


def _ingest_dask(engine: Any, args: argparse.Namespace) -> Any:
    """``--engine dask``: workers extract (rasid.store.distributed), this process writes, as one process does."""
    from rasid.store.distributed import ingest_dask
    from rasid.store.health import now

    started = now()
    with _progress("ingest", lambda: count_articles(args.inputs)) as update:
        stats = ingest_dask(
            engine,
            args.inputs,
            scheduler=args.scheduler,
            workers=max(args.jobs, 2),
            published=args.published,
            batch_size=args.batch_size,
            on_error=_error,
            on_article=update,
        )
    print(f"rasid: {stats.line()}", file=sys.stderr)
    _health(engine, stats, getattr(args, "health", False), "ingest", started)
    return stats


def cmd_ingest(args: argparse.Namespace) -> int:
    from rasid.pipeline import load_knowledge

    if args.engine == "dask":
        refused = _dask_refusal(args.inputs)
        if refused:
            _error(refused)
            return 2
        return int(_ingest_dask(open_db(args.db), args).status())
    if args.jobs < 1:
        _error("--jobs must be at least 1")
        return 2
    if args.jobs > 1:
        from rasid.parallel import can_fork

        if not can_fork():
            args.jobs = 1  # no fork on this platform: one process, as `rasid extract --jobs` does
    engine = open_db(args.db)
    load_knowledge()
    return _ingest_round(engine, args, "ingest")


def _duration(value: str) -> float:
    """``90``, ``30s``, ``10m``, ``2h`` -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        if value and value[-1] in units:
            return float(value[:-1]) * units[value[-1]]
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration (90, 30s, 10m, 2h): {value!r}") from None


def cmd_watch(args: argparse.Namespace) -> int:
    import time

    from rasid.pipeline import load_knowledge

    engine = open_db(args.db)
    load_knowledge()
    n = worst = 0
    while True:
        worst = max(worst, _ingest_round(engine, args, "watch"))
        n += 1
        if args.rounds and n >= args.rounds:
            return worst  # the worst round's status: a rejection in any round is reported
        time.sleep(args.every)


def cmd_reextract(args: argparse.Namespace) -> int:
    from rasid.pipeline import load_knowledge
    from rasid.store.ingestion import reextract

    engine = open_db(args.db, create=False)
    load_knowledge()
    with _progress("reextract") as update:
        stats = reextract(
            engine, all_articles=args.all, batch_size=args.batch_size, on_error=_error, on_article=update
        )
    print(f"rasid: {stats.line()}", file=sys.stderr)
    return int(stats.status())


def cmd_events(args: argparse.Namespace) -> int:
    from rasid.cli import _output
    from rasid.store import export
    from rasid.store.query import query_events

    if args.format == "parquet" and (not args.out or args.out == "-"):
        _error("--format parquet needs --out FILE")
        return 2
    records = query_events(open_db(args.db, create=False), _filter(args))
    if args.format == "parquet":
        from rasid.output import output_path

        with output_path(args.out) as (tmp, _):  # beside the real target, renamed only when complete
            n = export.write_parquet(records, tmp)
    else:
        writer = {"jsonl": export.write_jsonl, "geojson": export.write_geojson, "csv": export.write_csv}
        try:
            with _output(args.out) as fh:
                n = writer[args.format](records, fh)
        except BrokenPipeError:  # `rasid events | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    if args.out and args.out != "-":
        print(f"rasid: {n} events written to {args.out}", file=sys.stderr)
    return 0


def _filter(args: argparse.Namespace) -> Any:
    from rasid.store.query import EventFilter

    return EventFilter(
        event_type=args.type,
        sub_event_type=args.sub_type,
        actor=args.actor,
        admin1=args.admin1,
        place=args.place,
        since=args.since,
        until=args.until,
        outlet=args.outlet,
        text=args.text,
        incident_id=args.incident,
        bbox=args.bbox,
        published_since=args.published_since,
        published_until=args.published_until,
    )


def cmd_stats(args: argparse.Namespace) -> int:
    from rasid.cli import _output
    from rasid.store.stats import aggregate, write_csv

    rows = aggregate(open_db(args.db, create=False), by=args.by, per=args.per, f=_filter(args))
    with _output(args.out) as fh:
        write_csv(rows, fh)
    return 0


def cmd_incidents(args: argparse.Namespace) -> int:
    from rasid.cli import _output
    from rasid.store.export import write_jsonl
    from rasid.store.incidents import query_incidents

    found = query_incidents(
        open_db(args.db, create=False),
        since=args.since,
        until=args.until,
        admin1=args.admin1,
        min_outlets=args.min_outlets,
        contested=args.contested,
    )
    try:
        with _output(args.out) as fh:
            write_jsonl(found, fh)
    except BrokenPipeError:  # `rasid incidents | head`, as for events
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from rasid.cli import _output
    from rasid.store.export import write_table
    from rasid.store.health import HISTORY_COLUMNS, history
    from rasid.store.sources import source_framing, write_csv

    engine = open_db(args.db, create=False)
    with _output(args.out) as fh:
        if args.health:  # the stored history of ingest runs, per source, the latest run first
            write_table(history(engine, source=args.outlet), HISTORY_COLUMNS, fh)
        else:
            write_csv(source_framing(engine, outlet=args.outlet), fh)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The web API and UI over the store (rasid.api), under uvicorn, on 127.0.0.1 unless told."""
    import uvicorn

    from rasid.api.app import create_app

    token = args.token or os.environ.get("RASID_API_TOKEN") or None
    open_db(args.db)  # the same one-line message as the other commands when the store cannot be opened
    try:
        app = create_app(args.db, token=token, tile_url=args.tiles)
    except ValueError as e:  # a bad --tiles URL
        _error(str(e))
        return 2
    print(f"rasid: serving {args.db} on http://{args.host}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _filter_args(p: argparse.ArgumentParser, date_type: Callable[[str], Any]) -> None:
    p.add_argument("--type", help="event type (battles, explosions_remote_violence, ...)")
    p.add_argument("--sub-type", help="sub-event type (air_drone_strike, ...)")
    p.add_argument("--actor", help="actor id (SYR_MIL) or part of its name, either side")
    p.add_argument("--admin1", help="governorate (Idlib, Aleppo, ...)")
    p.add_argument("--place", help="part of the place name, English or Arabic")
    p.add_argument("--since", type=date_type, help="event date on or after (YYYY-MM-DD)")
    p.add_argument("--until", type=date_type, help="event date on or before (YYYY-MM-DD)")
    p.add_argument("--outlet", help="reporting outlet")
    p.add_argument("--text", help="words in the evidence or notes")
    p.add_argument("--incident", type=int, help="events of one incident")
    p.add_argument("--bbox", type=_bbox, help="west,south,east,north in degrees (e.g. 36.3,35.5,36.9,36.2)")
    p.add_argument("--published-since", type=date_type, help="report (article) date on or after")
    p.add_argument("--published-until", type=date_type, help="report (article) date on or before")


def add_commands(sub: Any, date_type: Callable[[str], Any]) -> None:
    """Add ``ingest``, ``reextract``, ``events`` and ``stats`` to rasid's subparsers."""
    from rasid.store.export import FORMATS

    p = sub.add_parser("ingest", help="extract articles and store them (idempotent, resumable)")
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".txt/.html/.jsonl file, folder, - for stdin, or an RSS/Atom feed",
    )
    p.add_argument("--published", type=date_type, default=None, help="article date when the input has none")
    _db_arg(p)
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="articles per transaction")
    p.add_argument(
        "--delay", type=float, default=1.0, help="seconds between two requests to one host (feeds)"
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="extract on N forked processes (this one writes, in input order: the same store as with 1)",
    )
    p.add_argument(
        "--health", action="store_true", help="per source: articles read, rejected and with events"
    )
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="dask: extract on a Dask cluster (pip install 'rasid[scale]'); this process writes",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="URL",
        help="Dask scheduler (tcp://host:8786); default a local cluster",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("watch", help="ingest feeds again and again (RSS/Atom URLs or files)")
    p.add_argument("inputs", nargs="+", metavar="FEED", help="feed URL or .rss/.atom/.xml file")
    p.add_argument("--every", type=_duration, default=600.0, help="pause between rounds (90, 30s, 10m, 2h)")
    p.add_argument("--rounds", type=int, default=0, help="stop after this many rounds (default: never)")
    _db_arg(p)
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="articles per transaction")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("reextract", help="run stored articles read by another extractor version again")
    _db_arg(p)
    p.add_argument("--all", action="store_true", help="every stored article, whatever its version")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="articles per transaction")
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser("events", help="stored events, filtered, as JSONL, GeoJSON, ACLED CSV or Parquet")
    _db_arg(p)
    _filter_args(p, date_type)
    p.add_argument("--format", choices=FORMATS, default="jsonl")
    p.add_argument("--out", default=None, help="output file (default stdout; parquet needs one)")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("incidents", help="incidents with every source's figures side by side (JSON lines)")
    _db_arg(p)
    p.add_argument("--since", type=date_type, help="incident date on or after (YYYY-MM-DD)")
    p.add_argument("--until", type=date_type, help="incident date on or before (YYYY-MM-DD)")
    p.add_argument("--admin1", help="governorate (Idlib, Aleppo, ...)")
    p.add_argument("--min-outlets", type=int, default=1, help="only incidents reported by this many outlets")
    p.add_argument(
        "--contested",
        action="store_true",
        help="only incidents a source disputes or another article denies",
    )
    p.add_argument("--out", default=None, help="output file (default stdout)")
    p.set_defaults(func=cmd_incidents)

    p = sub.add_parser("sources", help="per outlet: its names for each actor and its loaded words (CSV)")
    _db_arg(p)
    p.add_argument("--outlet", help="one outlet (with --health: one source) only")
    p.add_argument(
        "--health",
        action="store_true",
        help="instead: each ingest run's counts per source (read, rejected, extracted, with events, events)",
    )
    p.add_argument("--out", default=None, help="output file (default stdout)")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("stats", help="events and fatalities per area and period (CSV), one per incident")
    _db_arg(p)
    p.add_argument("--by", choices=("admin1", "admin2"), default="admin1")
    p.add_argument("--per", choices=("day", "week", "month"), default="week")
    _filter_args(p, date_type)
    p.add_argument("--out", default=None, help="output file (default stdout)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", help="the web API (and UI) over the store, on http://127.0.0.1:8000")
    _db_arg(p)
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--token", default=None, help="API token every write needs (default $RASID_API_TOKEN; none: open)"
    )
    p.add_argument("--tiles", default=None, metavar="URL", help="map tile URL template for the UI")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=cmd_serve)
