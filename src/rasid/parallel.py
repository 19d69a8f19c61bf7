"""Extraction on several cores: ``rasid extract --jobs N`` (issue #19).

Articles are independent, so a batch is spread over N worker processes. The
workers are forked *after* :func:`rasid.pipeline.load_knowledge`, so they start
with the gazetteer, the actor inventory and every compiled matcher already in
memory (shared copy-on-write; ``gc.freeze`` keeps the collector from touching
those pages), and no worker loads anything. Each worker returns an article's
records, not its Document, so little crosses the pipe.

Results come back in input order (``Pool.imap``), so the output is the same,
byte for byte, as with one process; so are the messages about bad inputs and
failed articles, which travel through the pool in their place. Fork is what
makes the loaded knowledge free to share, so this needs a platform that has it
(Linux, macOS); elsewhere the CLI runs one process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rasid.budget import ArticleTimeout
from rasid.document import Article
from rasid.extract.record import public
from rasid.pipeline import annotate_article, load_knowledge

# Articles handed to a worker at a time: enough to amortise the pipe, few enough to keep order cheap.
_CHUNK = 8


@dataclass(slots=True)
class Extracted:
    """What a worker sends back for one article: its records as ``rasid extract`` writes them
    (:func:`rasid.extract.record.public`), as ``events`` like a Document's."""

    id: str
    events: list[dict[str, Any]]
    source: str = ""  # the file (and line) it was read from, for messages


@dataclass(slots=True)
class Failed:
    """A bad input or an article whose extraction raised, as the one-line message the CLI prints."""

    message: str


_budget_s: float | None = None  # set in the parent before the fork; the workers inherit it


def _fields(article: Article) -> dict[str, Any]:
    """An Article as plain fields for the pipe: the compiled build's frozen dataclasses do not
    unpickle (a worker would die on the task and the batch would wait for it forever)."""
    return {f.name: getattr(article, f.name) for f in dataclasses.fields(article)}


def _work(item: dict[str, Any] | Failed) -> Extracted | Failed:
    if isinstance(item, Failed):
        return item
    article = Article(**item)
    where = article.source or article.id
    try:
        # the public keys only: internal ones hold mentions, which the compiled build cannot unpickle
        records = [public(r) for r in annotate_article(article, _budget_s).events]
        return Extracted(article.id, records, where)
    except ArticleTimeout as e:  # worded as the CLI's own loop words it
        return Failed(f"{where}: article '{article.id}' {e} (--time-limit)")
    except Exception as e:  # one broken article must not stop the batch (as in the CLI's own loop)
        return Failed(f"{where}: extraction failed: {type(e).__name__}: {e}")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start() -> None:
    """In each forked worker: the parent's handlers are the CLI's (SIGTERM raises, to clean up its
    output); a worker has nothing to clean up, so SIGTERM ends it and Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _pool(jobs: int) -> Iterator[Any]:
    """A forked pool that ends by close and join when its work is done (every worker leaves by itself),
    and is terminated only on an error or an interrupt. ``with Pool()`` would terminate it every time,
    which can wait forever on a worker that holds the task queue's lock."""
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


def extract_parallel(
    items: Iterator[Any], jobs: int, budget_s: float | None = None
) -> Iterator[Extracted | Failed]:
    """Extract ``items`` (Articles, or anything else, which is passed on as a :class:`Failed` with
    its ``str``: the readers' ReadErrors) on ``jobs`` processes, in input order."""
    global _budget_s
    load_knowledge()  # before the fork: the workers inherit it
    _budget_s = budget_s
    tagged = (_fields(item) if isinstance(item, Article) else Failed(str(item)) for item in items)
    with _pool(jobs) as pool:
        yield from pool.imap(_work, tagged, chunksize=_CHUNK)


def documents(
    inputs: Sequence[str],
    published: dt.date | None,
    jobs: int,
    budget_s: float | None,
    on_error: Any,
    max_bytes: int | None = None,
) -> Iterator[Extracted]:
    """The CLI's loop with ``--jobs``: the records of each article, in order; ``on_error(message)``
    for each bad input or failed article, in its place."""
    from rasid.readers import iter_articles

    if jobs < 1:
        sys.exit("rasid: --jobs must be at least 1")
    for result in extract_parallel(
        iter_articles(inputs, published=published, max_bytes=max_bytes), jobs, budget_s
    ):
        if isinstance(result, Failed):
            on_error(result.message)
        else:
            yield result


def _ingest_work(item: dict[str, Any]) -> Any:
    from rasid.store.ingestion import extract_one

    return extract_one(Article(**item), _budget_s)


@contextmanager
def forked_map(
    jobs: int, budget_s: float | None
) -> Iterator[Callable[[list[Article]], Callable[[], list[Any]]]]:
    """``rasid ingest --jobs N``: a function that starts extracting a list of articles on ``jobs`` forked
    workers and returns the function that waits for each one's outcome
    (:func:`rasid.store.ingestion.extract_one`), in order. The pool lives as
    long as the ``with``, so each batch of the ingest reuses it; the knowledge is loaded before the fork."""
    global _budget_s
    load_knowledge()
    _budget_s = budget_s
    with _pool(jobs) as pool:

        def extract_many(articles: list[Article]) -> Callable[[], list[Any]]:
            chunk = max(1, min(_CHUNK, len(articles) // (jobs * 2) or 1))
            return pool.map_async(_ingest_work, [_fields(a) for a in articles], chunksize=chunk).get

        yield extract_many
