"""A source health report for ``rasid ingest`` (issue #19): per source, articles read, rejected and
with events, and a loud warning when a source that used to give events gives none.

Why: a site that changes its page layout, or a feed that starts serving another language, does not fail;
its articles are read and give no events, and nobody notices for weeks. A source is the article's outlet
when it names one, else the file it was read from (a JSONL file, ``path:line`` sources) or the folder of
a page file. "Used to give events" is read from the store: events of that source's stored articles
(this run's own have none, when the warning is considered, so no time needs comparing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, or_, select

from rasid.document import Article
from rasid.readers import ReadError
from rasid.store.schema import articles, events

_LINE = re.compile(r":\d+$")


@dataclass
class SourceHealth:
    """One source's counts in one ingest run."""

    read: int = 0
    rejected: int = 0
    extracted: int = 0  # new or replaced, so extracted in this run (unchanged ones are not)
    with_events: int = 0

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.read} read, {self.rejected} rejected, "
            f"{self.with_events} of {self.extracted} extracted with events"
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


def warnings(engine: Engine, sources: dict[str, SourceHealth]) -> list[str]:
    """A line for each source that gave no events in this run (with articles extracted) but used to."""
    out = []
    for name, h in sources.items():
        if h.extracted and not h.with_events:
            before = stored_events(engine, name)
            if before:
                out.append(
                    f"source {name} gave no events from {h.extracted} extracted article(s), but its earlier "
                    f"articles gave {before}: has its layout, feed or language changed?"
                )
    return out
