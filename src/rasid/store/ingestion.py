"""``rasid ingest``: extract articles and store them, idempotently and resumably.

Why it is safe to run twice, or again after ``kill -9``:

* an article is keyed by its id and carries a hash of its content and the
  extractor version that read it. An article already stored with the same hash
  and version is skipped without extraction (so a re-run after a crash passes
  quickly over what was committed); a changed one (same id, new hash) has its
  events deleted and replaced; a new one is inserted.
* articles are extracted outside any transaction, then written a batch at a
  time in one transaction (article rows, events, evidence, incident links), so
  a crash loses at most the batch in flight and never leaves half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import metadata as importlib_metadata
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from rasid.budget import DEFAULT_BUDGET_S, time_limit
from rasid.document import Article
from rasid.readers import ReadError
from rasid.store import DEFAULT_BATCH
from rasid.store.db import retry_store
from rasid.store.health import SourceHealth, source_of
from rasid.store.places import add_places, claim_row_of, event_place_rows_of, place_row_of
from rasid.store.schema import (
    articles,
    claims,
    denials,
    event_actors,
    event_places,
    events,
    evidence,
    terms,
)

ErrorHandler = Callable[[str], None]


# What extraction depends on: the pipeline's sources and the language data. (Readers are not in it:
# reextract runs on the stored text.)
_EXTRACTOR_PARTS = ("document.py", "pipeline.py", "text", "knowledge", "geo", "extract", "data")
# Data the store alone reads (exports), not extraction: editing it must not make every article stale.
_STORE_DATA = frozenset({"admin3.tsv", "outlets.tsv"})


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The package version plus a digest of the pipeline's sources and the shipped language data.

    The extraction code and data change between releases (an actor alias, a
    trigger word, a rule), so they are part of the version ``rasid reextract``
    compares. Sources are the ``.py`` files, which the compiled build installs
    beside its extensions too, so both builds give one version.
    ``RASID_EXTRACTOR_VERSION`` overrides it (a deployment that pins versions
    itself, and the tests).
    """
    override = os.environ.get("RASID_EXTRACTOR_VERSION")
    if override:
        return override
    try:
        version = importlib_metadata.version("rasid")
    except importlib_metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "0"
    root = Path(str(resources.files("rasid")))
    files: list[Path] = []
    for part in _EXTRACTOR_PARTS:
        path = root / part
        if path.is_file():
            files.append(path)
        elif part == "data":
            files.extend(
                f
                for f in path.rglob("*")
                if f.is_file() and "__pycache__" not in f.parts and f.name not in _STORE_DATA
            )
        else:
            files.extend(path.rglob("*.py"))
    digest = hashlib.sha1()
    for f in sorted(files, key=lambda f: f.relative_to(root).as_posix()):
        digest.update(f.relative_to(root).as_posix().encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:12]}"


def content_hash(article: Article) -> str:
    """What makes two versions of one article id different: text and metadata, not where it was read from."""
    key = [
        article.text,
        article.title,
        article.url,
        article.outlet,
        article.published.isoformat() if article.published else None,
    ]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class IngestStats:
    """What one ingest did, for the CLI's last line and for tests."""

    read: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: int = 0
    unreadable: int = 0  # of the failed, the inputs that could not be read at all (the others: extraction)
    events: int = 0
    errors: list[str] = field(default_factory=list)
    # per source (rasid.store.health): read, rejected, with events
    sources: dict[str, SourceHealth] = field(default_factory=dict)

    def source(self, item: Article | ReadError) -> SourceHealth:
        return self.sources.setdefault(source_of(item), SourceHealth())

    def status(self, inputs_read: int = 0) -> int:
        """The exit status of the run, as ``rasid extract``'s: 0 every input read, 1 some rejected, 2 none
        read at all (each a read error: a missing file, a dead feed...). An article that was read and
        failed in extraction was read; ``inputs_read`` counts inputs that gave no article but answered
        (a feed whose pages are all stored already)."""
        if not self.failed:
            return 0
        return 1 if self.read - self.unreadable + inputs_read > 0 else 2

    def line(self) -> str:
        return (
            f"{self.read} articles read: {self.new} new, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{self.failed} failed; {self.events} events stored"
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def event_row(record: dict[str, Any], seq: int) -> dict[str, Any]:
    """The events table's columns from a SPEC record (the record itself goes in ``record``)."""
    a1 = record.get("actor1") or {}
    a2 = record.get("actor2") or {}
    loc = record.get("location") or {}
    date = record.get("date") or {}
    fat = record.get("fatalities") or {}
    claim = record.get("claim") or {}
    return {
        "event_id": record["event_id"],
        "article_id": record["article_id"],
        "seq": seq,
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "actor1_id": a1.get("id"),
        "actor1_name": a1.get("name"),
        "actor2_id": a2.get("id"),
        "actor2_name": a2.get("name"),
        "location_name": loc.get("name"),
        "location_name_ar": loc.get("name_ar"),
        "location_mention": loc.get("mention"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "country": loc.get("country"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "geo_precision": loc.get("geo_precision"),
        "date_start": date.get("start"),
        "date_end": date.get("end"),
        "date_precision": date.get("precision"),
        "killed": fat.get("killed"),
        "killed_high": fat.get("killed_high"),
        "injured": fat.get("injured"),
        "injured_high": fat.get("injured_high"),
        "claim_source": claim.get("source"),
        "contested": bool(claim.get("contested")),
        "notes": record.get("notes"),
        "confidence": record.get("confidence"),
        "record": json.dumps(record, ensure_ascii=False, separators=(",", ":")),
    }


def actor_rows_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The event_actors rows of a record: actor1, actor2 and each associated actor."""
    roles = [("actor1", [record.get("actor1")]), ("actor2", [record.get("actor2")])]
    roles.append(("assoc", record.get("assoc_actors") or []))
    return [
        {
            "event_id": record["event_id"],
            "role": role,
            "actor_id": a["id"],
            "name": a.get("name"),
            "mention": a.get("mention"),
        }
        for role, actors in roles
        for a in actors
        if a and a.get("id")
    ]


def article_row(article: Article, digest: str, version: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "content_hash": digest,
        "url": article.url,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "title": article.title,
        "text": article.text,
        "source": article.source,
        "fetched_at": None,
        "ingested_at": _now(),
        "extractor_version": version,
    }


def _unique_ids(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event ids are unique within an article in practice; make sure, since they are the primary key."""
    seen: dict[str, int] = {}
    out = []
    for r in records:
        eid = r["event_id"]
        if eid in seen:
            seen[eid] += 1
            r = {**r, "event_id": f"{eid}-{seen[eid]}"}
        else:
            seen[eid] = 1
        out.append(r)
    return out


@dataclass
class _Extracted:
    article: Article
    digest: str
    records: list[dict[str, Any]]
    replaces: bool
    terms: list[dict[str, Any]] = field(default_factory=list)
    denials: list[dict[str, Any]] = field(default_factory=list)


def _batches(items: Iterable[Article | ReadError], size: int) -> Iterator[list[Article | ReadError]]:
    batch: list[Article | ReadError] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _no_nul(article: Article) -> Article:
    """PostgreSQL text cannot hold U+0000 (SQLite can): read it as U+FFFD on both, so both store the same
    thing. Same length, so every offset still points where it did."""
    fields = (article.text, article.title, article.url, article.outlet)
    if not any(f and "\x00" in f for f in fields):
        return article

    def clean(value: str | None) -> str | None:
        return value.replace("\x00", "\ufffd") if value else value

    return Article(
        id=article.id.replace("\x00", "\ufffd"),
        text=article.text.replace("\x00", "\ufffd"),
        title=clean(article.title),
        url=clean(article.url),
        outlet=clean(article.outlet),
        published=article.published,
        source=article.source,
    )


def _extract(
    article: Article, budget_s: float | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The article's SPEC records, its terms rows (how it names the parties; see schema.terms) and its
    denials rows (what it denies; see rasid.store.denials). ``budget_s`` also arms the pipeline's own
    checks, which are what stops an article where no timer can (a Dask worker's thread)."""
    from rasid.extract.record import public
    from rasid.knowledge.actors import loaded_word_spans
    from rasid.pipeline import annotate_article
    from rasid.store.denials import denials_of

    doc = annotate_article(article, budget_s)
    records = [public(r) for r in doc.events]
    counts: Counter[tuple[str, str | None, str]] = Counter()
    actors = [m for m in doc.mentions if m.kind == "actor" and m.data.get("actor_id")]
    for m in actors:
        counts["name", m.data["actor_id"], m.text] += 1
    for a, b, text in loaded_word_spans(doc):
        framed = next((m.data["actor_id"] for m in actors if m.start <= a and b <= m.end), None)
        counts["loaded", framed, text] += 1
    terms = [
        {"article_id": article.id, "kind": k, "actor_id": actor, "term": t, "n": n}
        for (k, actor, t), n in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))
    ]
    return records, terms, denials_of(doc)


def _latest_in_batch(
    batch: list[Article | ReadError], stats: IngestStats, error: Callable[[str], None]
) -> dict[str, Article]:
    """The batch's articles by id; the last version of an id wins, in the place of its first appearance.

    A read error is reported through ``error``; an earlier copy of an id counts as unchanged.
    """
    latest: dict[str, Article] = {}
    for item in batch:
        stats.read += 1
        stats.source(item).read += 1
        if isinstance(item, ReadError):
            stats.source(item).rejected += 1
            stats.unreadable += 1
            error(str(item))
            continue
        item = _no_nul(item)
        if item.id in latest:
            stats.unchanged += 1  # an earlier copy in this batch, superseded
        latest[item.id] = item
    return latest


def _read_stored(engine: Engine, ids: list[str]) -> dict[str, tuple[str, str]]:
    """:func:`_stored_versions`, retried while the database is locked or its server restarts."""
    return retry_store(partial(_stored_versions, engine, ids), "reading stored articles")


def _stored_versions(engine: Engine, ids: list[str]) -> dict[str, tuple[str, str]]:
    """(content hash, extractor version) of the articles already stored under these ids."""
    with engine.connect() as conn:
        return {
            row.id: (row.content_hash, row.extractor_version)
            for row in conn.execute(
                select(articles.c.id, articles.c.content_hash, articles.c.extractor_version).where(
                    articles.c.id.in_(ids)
                )
            )
        }


# What extracting one article gives: its records, terms rows and denials rows, or the one-line message
# of its failure. An Extractor starts extracting a list of articles and returns the function that waits
# for their outcomes, in order: so workers extract the next batch while this process writes one.
Outcome = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]] | str
Extractor = Callable[[list[Article]], Callable[[], list[Outcome]]]


def extract_one(article: Article, budget_s: float | None) -> Outcome:
    """One article's rows, or the message of its failure (worded as ``ingest`` always did)."""
    try:
        if threading.current_thread() is not threading.main_thread():  # no timer here: the pipeline's checks
            return _extract(article, budget_s)
        with time_limit(budget_s):
            return _extract(article)
    except Exception as e:  # one broken article must not stop the batch
        return f"{article.source or article.id}: extraction failed: {type(e).__name__}: {e}"


def in_process(budget_s: float | None) -> Extractor:
    """The articles extracted here, one after the other, when their outcomes are asked for."""
    return lambda arts: lambda: [extract_one(a, budget_s) for a in arts]


def ingest(
    engine: Engine,
    items: Iterable[Article | ReadError],
    *,
    batch_size: int = DEFAULT_BATCH,
    on_error: ErrorHandler | None = None,
    on_article: Callable[[IngestStats], None] | None = None,
    force: bool = False,
    fetched: Mapping[str, str] | None = None,
    budget_s: float | None = DEFAULT_BUDGET_S,
    jobs: int = 1,
    extractor: Extractor | None = None,
) -> IngestStats:
    """Extract and store ``items`` (what :func:`rasid.readers.iter_articles` yields).

    A :class:`ReadError` or an article whose extraction raises is reported
    through ``on_error`` and counted; the batch goes on. ``force`` re-extracts
    articles even when their hash and extractor version are unchanged.
    ``fetched`` maps article ids to when their page was downloaded (feeds).
    An article still being extracted after ``budget_s`` seconds is reported and
    skipped like a broken one (:mod:`rasid.budget`).

    ``jobs`` > 1 extracts each batch's articles on that many forked processes
    (:mod:`rasid.parallel`) while this one alone writes, in input order, so the
    store ends the same as with one. ``extractor`` replaces the extraction
    altogether (:mod:`rasid.store.distributed` hands in what Dask workers made).
    """
    if extractor is not None:
        return _ingest(engine, items, extractor, batch_size, on_error, on_article, force, fetched)
    if jobs > 1:
        from rasid.parallel import forked_map

        with forked_map(jobs, budget_s) as extract_many:
            return _ingest(engine, items, extract_many, batch_size, on_error, on_article, force, fetched)
    return _ingest(engine, items, in_process(budget_s), batch_size, on_error, on_article, force, fetched)


@dataclass
class _Batch:
    """A batch read and handed to the extractor, not written yet."""

    latest: dict[str, Article]
    read_errors: list[str]
    started: list[Article]  # what was handed to the extractor (what was not stored as it is, then)
    outcomes: Callable[[], list[Outcome]]


def _ingest(
    engine: Engine,
    items: Iterable[Article | ReadError],
    extract_many: Extractor,
    batch_size: int,
    on_error: ErrorHandler | None,
    on_article: Callable[[IngestStats], None] | None,
    force: bool,
    fetched: Mapping[str, str] | None,
) -> IngestStats:
    """Each batch is handed to the extractor before the previous one is written (so workers are not idle
    while this process writes), and checked against the store again once that is written: what is
    stored then decides, exactly as when one batch follows the other."""
    stats = IngestStats()
    version = extractor_version()

    def error(message: str) -> None:
        stats.failed += 1
        stats.errors.append(message)
        if on_error is not None:
            on_error(message)
        if on_article is not None:
            on_article(stats)

    def start(batch: list[Article | ReadError]) -> _Batch:
        read_errors: list[str] = []
        latest = _latest_in_batch(batch, stats, read_errors.append)
        stored = _read_stored(engine, list(latest)) if latest else {}
        started = [a for a in latest.values() if force or stored.get(a.id) != (content_hash(a), version)]
        return _Batch(latest, read_errors, started, extract_many(started))

    ahead: _Batch | None = None
    for batch in _batches(items, max(1, batch_size)):
        current, ahead = ahead, start(batch)
        if current is not None:
            _finish(engine, current, stats, error, on_article, extract_many, force, version, fetched)
    if ahead is not None:
        _finish(engine, ahead, stats, error, on_article, extract_many, force, version, fetched)
    return stats


def _finish(
    engine: Engine,
    batch: _Batch,
    stats: IngestStats,
    error: ErrorHandler,
    on_article: Callable[[IngestStats], None] | None,
    extract_many: Extractor,
    force: bool,
    version: str,
    fetched: Mapping[str, str] | None,
) -> None:
    """Check one started batch against the store as it is now, and write it."""
    for message in batch.read_errors:
        error(message)
    if not batch.latest:
        return
    outcomes = dict(zip(map(id, batch.started), batch.outcomes(), strict=True))
    stored = _read_stored(engine, list(batch.latest))
    pending: list[tuple[Article, str]] = []
    for art in batch.latest.values():
        digest = content_hash(art)
        if not force and stored.get(art.id) == (digest, version):
            stats.unchanged += 1
            if on_article:
                on_article(stats)
            continue
        pending.append((art, digest))
    late = [a for a, _ in pending if id(a) not in outcomes]  # stored differently by the batch before
    if late:
        outcomes.update(zip(map(id, late), extract_many(late)(), strict=True))
    todo: list[_Extracted] = []
    for art, digest in pending:
        outcome = outcomes[id(art)]
        if isinstance(outcome, str):
            stats.source(art).rejected += 1
            error(outcome)
            continue
        records, term_rows, denial_rows = outcome
        todo.append(_Extracted(art, digest, _unique_ids(records), art.id in stored, term_rows, denial_rows))
    if not todo:
        return
    _write(engine, todo, version, fetched or {})
    for x in todo:
        stats.replaced += x.replaces
        stats.new += not x.replaces
        stats.events += len(x.records)
        health = stats.source(x.article)
        health.extracted += 1
        health.with_events += bool(x.records)
        health.events += len(x.records)
        if on_article:
            on_article(stats)


def _write(engine: Engine, todo: list[_Extracted], version: str, fetched: Mapping[str, str]) -> None:
    """One transaction for the batch, retried with backoff while another connection locks the database
    (then :class:`~rasid.store.db.StoreBusy`, and nothing of this batch is stored), or while a PostgreSQL
    server restarts (then :class:`~rasid.store.db.StoreUnreachable`)."""
    retry_store(lambda: _write_once(engine, todo, version, fetched), f"storing {len(todo)} article(s)")


def _write_once(engine: Engine, todo: list[_Extracted], version: str, fetched: Mapping[str, str]) -> None:
    """One transaction for the batch. Another process (a ``rasid watch`` beside an ``ingest``) may have
    stored one of these articles since we looked: then look again and retry, replacing instead."""
    from rasid.store.fusion import incidents_denied_by, link_events, refresh

    for attempt in range(3):
        try:
            with engine.begin() as conn:
                write_batch(conn, todo, version, fetched)
                link_events(conn, [r["event_id"] for x in todo for r in x.records])
                refresh(conn, incidents_denied_by(conn, [x.article.id for x in todo if x.denials]))
            return
        except IntegrityError:
            if attempt == 2:
                raise
            with engine.connect() as conn:
                ids = [x.article.id for x in todo]
                present = {r.id for r in conn.execute(select(articles.c.id).where(articles.c.id.in_(ids)))}
            for x in todo:
                x.replaces = x.article.id in present


def write_batch(
    conn: Connection, batch: list[_Extracted], version: str, fetched: Mapping[str, str] | None = None
) -> None:
    """Article rows, events, evidence, actors, places and claims of one batch, inside the caller's
    transaction."""
    from rasid.store.fusion import incidents_denied_by, refresh, unlink_articles

    replaced = [x.article.id for x in batch if x.replaces]
    if replaced:
        unlink_articles(conn, replaced)
        # incidents the old version denied lose that denial (unless the new version denies them too)
        was_denied = incidents_denied_by(conn, replaced)
        conn.execute(delete(denials).where(denials.c.article_id.in_(replaced)))
        refresh(conn, was_denied)
        old = select(events.c.event_id).where(events.c.article_id.in_(replaced))
        conn.execute(delete(evidence).where(evidence.c.event_id.in_(old)))
        conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(old)))
        conn.execute(delete(event_places).where(event_places.c.event_id.in_(old)))
        conn.execute(delete(claims).where(claims.c.event_id.in_(old)))
        conn.execute(delete(events).where(events.c.article_id.in_(replaced)))
        conn.execute(delete(terms).where(terms.c.article_id.in_(replaced)))
    new_rows, changed_rows = [], []
    for x in batch:
        row = article_row(x.article, x.digest, version)
        row["fetched_at"] = (fetched or {}).get(x.article.id)
        if x.replaces:
            changed_rows.append({**row, "b_id": x.article.id})
        else:
            new_rows.append(row)
    if changed_rows:  # one statement for the batch (executemany), not one per article
        conn.execute(update(articles).where(articles.c.id == bindparam("b_id")), changed_rows)
    if new_rows:
        conn.execute(insert(articles), new_rows)
    event_rows = [event_row(r, i) for x in batch for i, r in enumerate(x.records)]
    if event_rows:
        conn.execute(insert(events), event_rows)
    spans = [
        {
            "event_id": r["event_id"],
            "seq": i,
            "start_offset": ev["start"],
            "end_offset": ev["end"],
            "text": ev["text"],
        }
        for x in batch
        for r in x.records
        for i, ev in enumerate(r.get("evidence") or [])
    ]
    if spans:
        conn.execute(insert(evidence), spans)
    actor_rows = [a for x in batch for r in x.records for a in actor_rows_of(r)]
    if actor_rows:
        conn.execute(insert(event_actors), actor_rows)
    records = [r for x in batch for r in x.records]
    add_places(conn, [p for p in map(place_row_of, records) if p is not None])
    place_links = [p for r in records for p in event_place_rows_of(r)]
    if place_links:
        conn.execute(insert(event_places), place_links)
    claim_rows = [c for c in map(claim_row_of, records) if c is not None]
    if claim_rows:
        conn.execute(insert(claims), claim_rows)
    denial_rows = [d for x in batch for d in x.denials]
    if denial_rows:
        conn.execute(insert(denials), denial_rows)
    term_rows = [t for x in batch for t in x.terms]
    if term_rows:
        conn.execute(insert(terms), term_rows)
    if replaced:  # the analysts' events of a replaced article come back (rasid.store.reviews)
        from rasid.store.reviews import restore_added

        restore_added(conn, replaced)


def stored_articles(engine: Engine, *, stale_only: bool = True, chunk: int = 200) -> Iterator[Article]:
    """Stored articles (those read by another extractor version, by default) rebuilt as Articles."""
    version = extractor_version()
    query = select(articles.c.id).order_by(articles.c.id)
    if stale_only:
        query = query.where(articles.c.extractor_version != version)
    with engine.connect() as conn:
        ids = [row.id for row in conn.execute(query)]
    for start in range(0, len(ids), chunk):
        with engine.connect() as conn:
            rows = conn.execute(select(articles).where(articles.c.id.in_(ids[start : start + chunk])))
            by_id = {row.id: row for row in rows}
        for art_id in ids[start : start + chunk]:
            row = by_id.get(art_id)
            if row is None:
                continue
            yield Article(
                id=row.id,
                text=row.text,
                title=row.title,
                url=row.url,
                outlet=row.outlet,
                published=dt.date.fromisoformat(row.published) if row.published else None,
                source=row.source,
            )


def reextract(engine: Engine, *, all_articles: bool = False, **kwargs: Any) -> IngestStats:
    """Run stored articles through the current extractor: those of another version, or all of them."""
    return ingest(engine, stored_articles(engine, stale_only=not all_articles), force=True, **kwargs)
