"""Source health (issue #19): per source and per ingest run, articles read, rejected, extracted with
events and events, kept in the store; and a loud warning when a source that used to give events gives none.

Why: a site that changes its page layout, or a feed that starts serving another language, does not fail;
its articles are read and give no events, and nobody notices for weeks. A source is the article's outlet
when it names one, else the file it was read from (a JSONL file, ``path:line`` sources) or the folder of
a page file. Each ``rasid ingest`` (and each round of ``rasid watch``) stores its counts
(:func:`record_run`: tables ``ingest_runs`` and ``source_runs``), which ``rasid sources --health`` lists
and the API's ``/api/sources?health=true`` gives per source for its last run. "Used to give events" is
read from that history: the events of the source's earlier runs. A source with no history yet (a store
from before it, articles stored through the API) falls back on the events of its stored articles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, or_, select

from rasid.document import Article
from rasid.readers import ReadError
from rasid.store.db import retry_store
from rasid.store.schema import articles, events, ingest_runs, source_runs

_LINE = re.compile(r":\d+$")


@dataclass
class SourceHealth:
    """One source's counts in one ingest run."""

    read: int = 0
    rejected: int = 0
    extracted: int = 0  # new or replaced, so extracted in this run (unchanged ones are not)
    with_events: int = 0
    events: int = 0

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.read} read, {self.rejected} rejected, "
            f"{self.with_events} of {self.extracted} extracted with events, {self.events} events"
        )


def source_of(item: Article | ReadError) -> str:
    """The source an article or bad input counts under: its outlet, else its file (JSONL) or folder."""
    if isinstance(item, Article) and item.outlet:
        return item.outlet
    if isinstance(item, ReadError) and item.line is not None:
        return item.path  # a line of a JSONL file
    where = item.source if isinstance(item, Article) else item.path
    where = where or "-"
    if _LINE.search(where):
        return _LINE.sub("", where)
    path = Path(where)
    return str(path.parent) if path.suffix else where


def _where(source: str) -> Any:
    """The stored articles of a source (its outlet, or read from under that file or folder)."""
    pattern = source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        articles.c.outlet == source,
        articles.c.source.like(pattern + ":%", escape="\\"),
        articles.c.source.like(pattern + "/%", escape="\\"),
    )


def stored_events(engine: Engine, source: str) -> int:
    """Events of the source's stored articles."""
    query = (
        select(func.count())
        .select_from(events.join(articles, events.c.article_id == articles.c.id))
        .where(_where(source))
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def record_run(engine: Engine, sources: dict[str, SourceHealth], command: str, started_at: str) -> int:
    """Store one run and its sources' counts (one transaction, retried like a batch); the run's id."""

    def write() -> int:
        with engine.begin() as conn:
            run_id = conn.execute(
                insert(ingest_runs)
                .values(command=command, started_at=started_at, finished_at=now())
                .returning(ingest_runs.c.id)
            ).scalar_one()
            rows = [
                {
                    "run_id": run_id,
                    "source": name,
                    "n_read": h.read,
                    "n_rejected": h.rejected,
                    "n_extracted": h.extracted,
                    "n_with_events": h.with_events,
                    "n_events": h.events,
                }
                for name, h in sorted(sources.items())
            ]
            if rows:
                conn.execute(insert(source_runs), rows)
            return int(run_id)

    return retry_store(write, "storing the source health of this run")


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


HISTORY_COLUMNS = (
    "run_id",
    "command",
    "started_at",
    "finished_at",
    "source",
    "read",
    "rejected",
    "extracted",
    "with_events",
    "events",
)


def _history_query() -> Any:
    return select(
        source_runs.c.run_id,
        ingest_runs.c.command,
        ingest_runs.c.started_at,
        ingest_runs.c.finished_at,
        source_runs.c.source,
        source_runs.c.n_read.label("read"),
        source_runs.c.n_rejected.label("rejected"),
        source_runs.c.n_extracted.label("extracted"),
        source_runs.c.n_with_events.label("with_events"),
        source_runs.c.n_events.label("events"),
    ).join(ingest_runs, ingest_runs.c.id == source_runs.c.run_id)


def history(engine: Engine, source: str | None = None) -> list[dict[str, Any]]:
    """Every run's counts per source (:data:`HISTORY_COLUMNS`), the latest run first; ``source`` (any
    case) keeps that source's rows only."""
    query = _history_query().order_by(source_runs.c.run_id.desc(), source_runs.c.source)
    if source:
        query = query.where(func.lower(source_runs.c.source) == source.lower())
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def last_runs(engine: Engine) -> list[dict[str, Any]]:
    """Each source's counts in the last run that read it (by source), for the API."""
    latest = (
        select(source_runs.c.source, func.max(source_runs.c.run_id).label("run_id"))
        .group_by(source_runs.c.source)
        .subquery()
    )
    query = (
        _history_query()
        .join(latest, (latest.c.source == source_runs.c.source) & (latest.c.run_id == source_runs.c.run_id))
        .order_by(source_runs.c.source)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def _earlier(engine: Engine, source: str, run_id: int | None) -> tuple[int, int, str | None] | None:
    """(runs, events, when the last run with events started) of the source's runs before ``run_id``;
    None when it has none."""
    joined = source_runs.join(ingest_runs, ingest_runs.c.id == source_runs.c.run_id)
    before = [source_runs.c.source == source]
    if run_id is not None:
        before.append(source_runs.c.run_id < run_id)
    totals = select(func.count(), func.coalesce(func.sum(source_runs.c.n_events), 0)).select_from(joined)
    last = select(func.max(ingest_runs.c.started_at)).select_from(joined).where(source_runs.c.n_events > 0)
    with engine.connect() as conn:
        runs, total = conn.execute(totals.where(*before)).one()
        if not runs:
            return None
        return int(runs), int(total), conn.execute(last.where(*before)).scalar()


def warnings(engine: Engine, sources: dict[str, SourceHealth], run_id: int | None = None) -> list[str]:
    """A line for each source that gave no events in this run (with articles extracted) but used to: its
    earlier runs (before ``run_id``, this run's own) gave events, or, with no runs stored for it, its
    stored articles have events."""
    out = []
    for name, h in sorted(sources.items()):
        if not h.extracted or h.with_events:
            continue
        earlier = _earlier(engine, name, run_id)
        if earlier is not None:
            runs, total, last = earlier
            if total:
                out.append(
                    f"source {name} gave no events from {h.extracted} extracted article(s), but its earlier "
                    f"runs gave {total} (in {runs} run(s), the last with events started {last}): "
                    "has its layout, feed or language changed?"
                )
            continue
        before = stored_events(engine, name)
        if before:
            out.append(
                f"source {name} gave no events from {h.extracted} extracted article(s), but its earlier "
                f"articles gave {before}: has its layout, feed or language changed?"
            )
    return out
