"""``rasid ingest INPUT... --engine dask [--scheduler tcp://host:8786]``: extraction on a Dask cluster.

Why this shape: extraction is the whole cost of an ingest and articles are
independent, while the store wants one writer (SQLite takes one at a time, and
one writer keeps the batches and their incident links in input order). So the
inputs are cut into partitions (a JSONL file into ranges of lines, any other
file or folder whole), each Dask task reads its partition and extracts it with
the knowledge loaded once per worker process, and the client takes the results
in input order and writes them through the same :func:`rasid.store.ingestion.ingest`
as one process does: the same checks (unchanged articles, replaced ones), the
same rows. Only plain data crosses the network (fields, records, rows).

Workers need no checkout of the repository: they import ``rasid`` from the
installed package (``pip install 'rasid[scale]'`` on each worker machine), and
read the inputs by path, so the paths must be readable where the workers run
(a shared file system) — with a local cluster they are.

Not distributed: stdin and feeds (they are read once, by the client), which
this engine refuses. A worker extracts articles the store already holds
unchanged too (the client skips them when writing); re-runs cost extraction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rasid.document import Article
from rasid.readers import ReadError
from rasid.store import DEFAULT_BATCH

# Lines of a JSONL file per task: large enough to amortise a task's overhead, small enough to spread.
DEFAULT_PARTITION_LINES = 200


@dataclasses.dataclass(frozen=True)
class Partition:
    """A unit of work: a whole file or folder (``start`` 0), or the bytes ``start``..``end`` of a JSONL
    file, whose first line is line ``first_line``."""

    path: str
    start: int = 0
    end: int = 0
    first_line: int = 1

    @property
    def whole(self) -> bool:
        return self.end == 0


def partitions(inputs: Sequence[str], lines: int = DEFAULT_PARTITION_LINES) -> list[Partition]:
    """The inputs as partitions, in input order: JSONL files cut into ranges of ``lines`` lines."""
    from rasid.readers import JSONL_EXTENSIONS

    out: list[Partition] = []
    for item in inputs:
        p = Path(item)
        if p.suffix.lower() in JSONL_EXTENSIONS and p.is_file():
            out.extend(_jsonl_partitions(item, max(1, lines)))
        else:
            out.append(Partition(item))
    return out


def _jsonl_partitions(path: str, lines: int) -> list[Partition]:
    """Ranges of ``lines`` lines, cut at line ends; a file of no more than that stays whole, so that the
    reader's messages about the whole file (empty, too big) are its own."""
    starts = [0]
    offset = 0
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            offset += len(line)
            if n % lines == 0:
                starts.append(offset)
    if len(starts) > 1 and starts[-1] == offset:  # the last range would be empty
        starts.pop()
    if len(starts) == 1:
        return [Partition(path)]
    ends = starts[1:] + [offset]
    return [Partition(path, s, e, 1 + i * lines) for i, (s, e) in enumerate(zip(starts, ends, strict=True))]


def _read(part: Partition, published: dt.date | None) -> Iterator[Article | ReadError]:
    """The partition's articles and read errors, as :func:`rasid.readers.iter_articles` gives them."""
    from rasid.readers import read_bytes, read_path

    if part.whole:
        yield from read_path(part.path, published=published)
        return
    with open(part.path, "rb") as f:
        f.seek(part.start)
        data = f.read(part.end - part.start)
    # blank lines before it keep the line numbers (and so the sources and messages) those of the file
    for item in read_bytes(b"\n" * (part.first_line - 1) + data, part.path, "jsonl", published=published):
        if isinstance(item, ReadError) and item.line is None:
            continue  # "empty file": only the whole file can be that (it is never cut)
        yield item


_loaded = False


def extract_partition(
    part: Partition, published: dt.date | None, budget_s: float | None
) -> list[tuple[str, Any, Any]]:
    """A Dask task: read and extract one partition, in a worker. Plain data only comes back:
    ``("error", message, None)`` for a read error, ``("article", fields, outcome)`` for an article
    (outcome: :data:`rasid.store.ingestion.Outcome`)."""
    global _loaded
    from rasid.pipeline import load_knowledge
    from rasid.store.ingestion import _no_nul, extract_one

    if not _loaded:  # once per worker process (and from the disk cache when there is one)
        load_knowledge()
        _loaded = True
    out: list[tuple[str, Any, Any]] = []
    for item in _read(part, published):
        if isinstance(item, ReadError):
            out.append(("error", (item.path, item.line, item.reason), None))
            continue
        art = _no_nul(item)  # what the store keeps, and so what one process extracts
        fields = {f.name: getattr(art, f.name) for f in dataclasses.fields(art)}
        out.append(("article", fields, extract_one(art, budget_s)))
    return out


def _client(scheduler: str | None, workers: int) -> Any:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


def ingest_dask(
    engine: Any,
    inputs: Sequence[str],
    *,
    scheduler: str | None = None,
    client: Any = None,
    workers: int = 2,
    published: dt.date | None = None,
    partition_lines: int = DEFAULT_PARTITION_LINES,
    budget_s: float | None = None,
    window: int | None = None,
    **kwargs: Any,
) -> Any:
    """Ingest ``inputs`` with extraction on Dask: ``client`` (a ``dask.distributed.Client``), or one to
    ``scheduler``, or a local cluster of ``workers`` processes. ``kwargs`` go to
    :func:`rasid.store.ingestion.ingest` (batch_size, on_error, on_article, force). Returns its IngestStats."""
    from rasid.budget import DEFAULT_BUDGET_S
    from rasid.store.ingestion import ingest

    if any(i == "-" for i in inputs):
        raise ValueError("--engine dask reads files and folders, not stdin")
    budget = DEFAULT_BUDGET_S if budget_s is None else budget_s
    parts = partitions(inputs, partition_lines)
    own = client is None
    if own:
        client = _client(scheduler, workers)
    try:
        outcomes: dict[int, tuple[Article, Any]] = {}
        # the ingest holds two batches at most (one written, the next extracted): keep a little more
        keep = 3 * kwargs.get("batch_size", DEFAULT_BATCH) + 16
        items = _results(client, parts, published, budget, window or 4 * _n_workers(client), outcomes, keep)
        return ingest(engine, items, extractor=_lookup(outcomes), **kwargs)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def _n_workers(client: Any) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # pragma: no cover - a scheduler that does not say
        return 2


def _results(
    client: Any,
    parts: list[Partition],
    published: dt.date | None,
    budget_s: float | None,
    window: int,
    outcomes: dict[int, tuple[Article, Any]],
    keep: int,
) -> Iterator[Article | ReadError]:
    """The partitions' articles in input order, a window of tasks ahead; each article's outcome is left in
    ``outcomes`` under the article object's id for the ingest's extractor to find, for the last ``keep``
    articles (so memory stays flat)."""
    recent: deque[int] = deque()
    queue: deque[Any] = deque()
    todo = iter(parts)
    for part in todo:
        queue.append(client.submit(extract_partition, part, published, budget_s, pure=False))
        if len(queue) >= window:
            break
    while queue:
        done = queue.popleft().result()
        nxt = next(todo, None)
        if nxt is not None:
            queue.append(client.submit(extract_partition, nxt, published, budget_s, pure=False))
        for kind, payload, outcome in done:
            if kind == "error":
                yield ReadError(*payload)
                continue
            art = Article(**payload)
            outcomes[id(art)] = (art, outcome)  # the article kept alive with it, so its id stays its own
            recent.append(id(art))
            if len(recent) > keep:
                del outcomes[recent.popleft()]
            yield art


def _lookup(outcomes: dict[int, tuple[Article, Any]]) -> Callable[[list[Article]], Callable[[], list[Any]]]:
    """The ingest's extractor: what the workers made of each article."""

    def extract_many(articles: list[Article]) -> Callable[[], list[Any]]:
        return lambda: [outcomes[id(a)][1] for a in articles]

    return extract_many
