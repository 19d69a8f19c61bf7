"""The API's writes: extract a pasted text, ingest articles, review events, add a missed event, and the
reviews as gold JSONL. Every POST needs the API token when one is configured (401 without it).

Articles are read by the same readers as ``rasid extract`` (so the same checks and messages apply: empty,
not Arabic, broken JSON line...), then stored by :func:`rasid.store.ingestion.ingest`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import weakref
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from rasid.api import queries
from rasid.api.security import token_ok
from rasid.document import Article
from rasid.readers import ReadError
from rasid.store.schema import articles, events

MAX_TEXT = 1_000_000  # characters of one pasted text


def require_token(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_api_token: Annotated[str | None, Header()] = None,
) -> None:
    """Every write passes here: it needs the token (when one is set), and drops the cached /api/meta."""
    request.app.state.meta_cache = None
    if not token_ok(request.app.state.token, authorization, x_api_token):
        raise HTTPException(
            401,
            "this server needs its API token for writes: Authorization: Bearer TOKEN (or X-API-Token)",
            headers={"WWW-Authenticate": "Bearer"},
        )


Write = Depends(require_token)


class ExtractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    published: dt.date | None = None
    title: str | None = None


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Literal["right", "wrong"] | None = None
    corrections: dict[str, Any] | None = None
    reviewer: str = Field(min_length=1, max_length=200)


class Span(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class AddEventIn(BaseModel):
    """A missed event: the article, the evidence span, its fields (those a review may correct)."""

    model_config = ConfigDict(extra="allow")
    article_id: str
    evidence: Span
    reviewer: str = Field(min_length=1, max_length=200)


def _label(m: dict[str, Any]) -> str:
    """A short reading of a mention for the paste box: what it resolved to."""
    kind = m.get("kind")
    if kind in ("actor", "claim_source", "place", "region"):
        return str(m.get("name") or m.get("text"))
    if kind in ("number", "casualty"):
        value = m.get("value")
        return f"{m.get('casualty', '')} {value if value is not None else '?'}".strip()
    if kind == "date":
        return str(m.get("date_start") or m.get("precision") or "")
    if kind == "trigger":
        return f"{m.get('event_type')}/{m.get('sub_event_type')}"
    return str(kind)


def extract_text(body: ExtractIn) -> dict[str, Any]:
    from rasid.annotate import annotation
    from rasid.extract.record import public
    from rasid.pipeline import annotate_article
    from rasid.readers.common import BadInput, check_text, normalise_newlines

    text = normalise_newlines(body.text)
    try:
        check_text(text)
    except BadInput as e:
        raise HTTPException(422, f"text: {e.reason}") from None
    art_id = "paste-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    doc = annotate_article(Article(id=art_id, text=text, title=body.title, published=body.published))
    mentions = [
        {"kind": m["kind"], "start": m["start"], "end": m["end"], "text": m["text"], "label": _label(m)}
        for m in annotation(doc)["mentions"]
    ]
    return {"text": text, "events": [public(r) for r in doc.events], "mentions": mentions}


def _json_articles(body: bytes) -> Iterator[Article | ReadError]:
    from rasid.readers import _jsonl_article
    from rasid.readers.common import BadInput

    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise HTTPException(400, f"body is not valid JSON: {e}") from None
    items = data if isinstance(data, list) else [data]
    for n, obj in enumerate(items, 1):
        if isinstance(obj, dict) and "id" not in obj:
            content = str(obj.get("text") or obj.get("html") or "")
            obj = {**obj, "id": "api-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]}
        try:
            yield _jsonl_article(json.dumps(obj, ensure_ascii=False).encode("utf-8"), n, "request", None)
        except BadInput as e:
            yield ReadError("request", n, e.reason)


def _articles_of(body: bytes, content_type: str, art_id: str | None, published: dt.date | None) -> list:
    from rasid.readers import read_bytes

    kind = content_type.split(";")[0].strip().lower()
    if not body.strip():
        raise HTTPException(400, "empty body: send an article (text, HTML, JSON or JSONL)")
    if kind == "application/json":
        return list(_json_articles(body))
    if kind in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return list(read_bytes(body, "request", "jsonl", published=published))
    if kind in ("text/plain", "text/html"):
        art_id = art_id or "api-" + hashlib.sha1(body).hexdigest()[:12]
        return list(read_bytes(body, "request", "html" if kind == "text/html" else "text", art_id, published))
    raise HTTPException(
        415, "Content-Type must be application/json, application/x-ndjson, text/plain or text/html"
    )


def ingest_body(request: Request, body: bytes, art_id: str | None, published: dt.date | None) -> dict:
    from rasid.pipeline import load_knowledge
    from rasid.store.ingestion import ingest

    engine = request.app.state.engine
    read = _articles_of(body, request.headers.get("content-type", ""), art_id, published)
    errors = [{"line": r.line, "message": r.reason} for r in read if isinstance(r, ReadError)]
    good = [r for r in read if isinstance(r, Article)]
    if good:
        load_knowledge()
        stats = ingest(engine, good)
        errors += [{"line": None, "message": m} for m in stats.errors]
    out = []
    with engine.connect() as conn:
        for art in dict.fromkeys(a.id for a in good):
            rows = list(
                conn.execute(
                    queries.select_items()
                    .where(events.c.article_id == art)
                    .order_by(events.c.seq, events.c.event_id)
                )
            )
            if conn.execute(queries.exists_article(art)).scalar():
                out.append({"id": art, "events": queries.items(conn, rows)})
    return {"articles": out, "errors": errors}


def review_event(request: Request, event_id: str, body: ReviewIn) -> dict[str, Any]:
    from rasid.store.reviews import ReviewError, add_review

    engine = request.app.state.engine
    with engine.begin() as conn:
        row = conn.execute(queries.select_items().where(events.c.event_id == event_id)).first()
        if row is None:
            raise HTTPException(404, f"no event {event_id!r}")
        try:
            add_review(
                conn,
                json.loads(row.record),
                reviewer=body.reviewer,
                verdict=body.verdict,
                corrections=body.corrections,
            )
        except ReviewError as e:
            raise HTTPException(422, str(e)) from None
    found = queries.get_event(engine, event_id)
    assert found is not None
    return found


def add_missed_event(request: Request, body: AddEventIn) -> dict[str, Any]:
    from sqlalchemy import select

    from rasid.store.reviews import ReviewError, add_event, analyst_record

    engine = request.app.state.engine
    fields = {k: v for k, v in (body.model_extra or {}).items()}
    with engine.begin() as conn:
        art = conn.execute(select(articles).where(articles.c.id == body.article_id)).first()
        if art is None:
            raise HTTPException(404, f"no article {body.article_id!r}")
        try:
            record = analyst_record(
                art, body.evidence.start, body.evidence.end, fields, published=art.published
            )
            add_event(conn, record, reviewer=body.reviewer)
        except ReviewError as e:
            raise HTTPException(422, str(e)) from None
    found = queries.get_event(engine, record["event_id"])
    assert found is not None
    return found


def add_routes(app: FastAPI) -> None:
    @app.post("/api/extract", tags=["write"], dependencies=[Write])
    def extract(body: ExtractIn) -> dict[str, Any]:
        """Extract events and mentions from a text; nothing is stored."""
        return extract_text(body)

    writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    @app.post("/api/articles", tags=["write"], dependencies=[Write])
    async def post_articles(
        request: Request,
        id: Annotated[str | None, Query(max_length=200)] = None,
        published: dt.date | None = None,
    ) -> Any:
        """Ingest articles: JSON (one object or a list), JSONL (application/x-ndjson), text or HTML."""
        from starlette.concurrency import run_in_threadpool

        from rasid.store.db import StoreBusy

        body = await request.body()
        # One ingest at a time, the others queued here in the event loop, first come first served: the
        # store takes one writer at a time anyway, and POSTs left to wait in SQLite's busy handler each
        # hold a worker thread (GETs then find none free) and are served in no order (issue #20's load
        # test: p99 37 s at 32 POSTs in flight, GETs at 2 requests/s). One lock per event loop.
        loop = asyncio.get_running_loop()
        lock = writers.setdefault(loop, asyncio.Lock())
        async with lock:
            try:
                return await run_in_threadpool(ingest_body, request, body, id, published)
            except StoreBusy as e:  # another process held the store through every retry
                raise HTTPException(503, str(e), headers={"Retry-After": "30"}) from None

    @app.post("/api/events/{event_id}/review", tags=["review"], dependencies=[Write])
    def review(request: Request, event_id: str, body: ReviewIn) -> dict[str, Any]:
        """Mark an event right or wrong, or correct its fields; stored with who and when."""
        return review_event(request, event_id, body)

    @app.post("/api/events", tags=["review"], dependencies=[Write], status_code=201)
    def add(request: Request, body: AddEventIn) -> dict[str, Any]:
        """Add an event the extractor missed, on an evidence span of a stored article."""
        return add_missed_event(request, body)

    @app.get("/api/reviews/articles", tags=["review"])
    def reviews_articles(request: Request) -> StreamingResponse:
        """The reviewed articles as JSONL that ``rasid eval`` reads beside the gold of /api/reviews/export."""
        from rasid.store.reviews import reviewed_articles

        lines = (
            json.dumps(a, ensure_ascii=False) + "\n" for a in reviewed_articles(request.app.state.engine)
        )
        return StreamingResponse(
            lines,
            media_type="application/x-ndjson; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="rasid-reviewed-articles.jsonl"'},
        )

    @app.get("/api/reviews/export", tags=["review"])
    def reviews_export(request: Request) -> StreamingResponse:
        """The reviews as gold JSONL for ``rasid eval`` (one line per gold event)."""
        from rasid.store.reviews import gold_lines

        lines = (json.dumps(g, ensure_ascii=False) + "\n" for g in gold_lines(request.app.state.engine))
        return StreamingResponse(
            lines,
            media_type="application/x-ndjson; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="rasid-gold.jsonl"'},
        )
