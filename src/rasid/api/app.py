"""The web API over one store: :func:`create_app` (FastAPI), what ``rasid serve`` runs under uvicorn.

JSON only, from SQLAlchemy Core queries with bound parameters; the browser UI (package ``rasid.web``,
its ``static/`` folder) is served from the same origin so the Content-Security-Policy can be strict.
The OpenAPI description is at ``/openapi.json``, and as a plain HTML page at ``/docs`` (rasid.api.docs).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from importlib import metadata as importlib_metadata
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasid.api import queries
from rasid.api.security import MAX_BODY, SafetyMiddleware, content_security_policy
from rasid.store.query import EventFilter

META_TTL = 10.0  # seconds /api/meta is reused


def _version() -> str:
    try:
        return importlib_metadata.version("rasid")
    except importlib_metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0"


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(x) for x in value.split(","))
    except ValueError:
        raise HTTPException(422, f"bbox must be west,south,east,north in degrees, not {value!r}") from None
    return (west, south, east, north)


class Filters:
    """The event filters every listing, timeline and export takes (those of ``rasid events``)."""

    def __init__(
        self,
        event_type: str | None = None,
        sub_event_type: str | None = None,
        actor: str | None = None,
        admin1: str | None = None,
        place: str | None = None,
        outlet: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        published_since: dt.date | None = None,
        published_until: dt.date | None = None,
        q: Annotated[str | None, Query(description="words in the evidence or notes")] = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
        incident: int | None = None,
        reviewed: bool | None = None,
    ) -> None:
        self.filter = EventFilter(
            event_type=event_type or None,
            sub_event_type=sub_event_type or None,
            actor=actor or None,
            admin1=admin1 or None,
            place=place or None,
            since=since,
            until=until,
            outlet=outlet or None,
            text=q or None,
            incident_id=incident,
            bbox=_bbox(bbox),
            published_since=published_since,
            published_until=published_until,
        )
        self.reviewed = reviewed


def engine_of(request: Request) -> Any:
    return request.app.state.engine


Engine = Annotated[Any, Depends(engine_of)]
FilterArgs = Annotated[Filters, Depends()]


def _static_dir() -> Path | None:
    try:
        folder = resources.files("rasid.web") / "static"
    except ModuleNotFoundError:
        return None
    path = Path(str(folder))
    return path if path.is_dir() else None


def _errors(app: FastAPI) -> None:
    """Every error as JSON ``{"error", "detail"?}``."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = "not found"
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")}
            for e in exc.errors()
        ]
        first = detail[0] if detail else {"where": "", "message": "invalid"}
        return JSONResponse(
            {"error": f"invalid request: {first['where']}: {first['message']}", "detail": detail},
            status_code=422,
        )


def _read_routes(app: FastAPI) -> None:  # noqa: C901 - one small closure per endpoint
    @app.get("/api/config", tags=["meta"])
    def config(request: Request) -> dict[str, Any]:
        return {
            "tile_url": request.app.state.tile_url,
            "version": _version(),
            "write_needs_token": bool(request.app.state.token),
        }

    @app.get("/api/meta", tags=["meta"])
    def meta(request: Request, engine: Engine) -> dict[str, Any]:
        """Counts and each filter's values; kept META_TTL seconds (a million events take most of a second),
        and dropped by every write through this app."""
        cached = request.app.state.meta_cache
        if cached is None or time.monotonic() - cached[0] > META_TTL:
            cached = request.app.state.meta_cache = (time.monotonic(), queries.meta(engine))
        return cached[1]

    @app.get("/api/events", tags=["events"])
    def list_events(
        engine: Engine,
        filters: FilterArgs,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        sort: Literal["date", "-date", "killed", "-killed"] = "date",
    ) -> dict[str, Any]:
        listing = queries.Listing(filters.filter, filters.reviewed, sort, limit, offset)
        return queries.list_events(engine, listing)

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(engine: Engine, event_id: str) -> dict[str, Any]:
        found = queries.get_event(engine, event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return found

    @app.get("/api/timeline", tags=["events"])
    def timeline(
        engine: Engine, filters: FilterArgs, bucket: Literal["day", "week"] = "day"
    ) -> dict[str, Any]:
        return queries.timeline(engine, filters.filter, filters.reviewed, bucket)

    @app.get("/api/actors", tags=["meta"])
    def actors(engine: Engine) -> list[dict[str, Any]]:
        return queries.actor_rows(engine)

    @app.get("/api/incidents", tags=["incidents"])
    def list_incidents(
        engine: Engine,
        since: dt.date | None = None,
        until: dt.date | None = None,
        admin1: str | None = None,
        min_outlets: Annotated[int, Query(ge=1)] = 1,
        contested: bool = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Incidents (oldest first) with every source side by side, as ``rasid incidents``."""
        from rasid.store.incidents import query_incidents

        found = query_incidents(
            engine, since=since, until=until, admin1=admin1, min_outlets=min_outlets, contested=contested
        )
        page = list(itertools.islice(found, offset, offset + limit))
        return {"limit": limit, "offset": offset, "items": page}

    @app.get("/api/incidents/{incident_id}", tags=["incidents"])
    def get_incident(engine: Engine, incident_id: int) -> dict[str, Any]:
        found = queries.incident(engine, incident_id)
        if found is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return found

    @app.get("/api/sources", tags=["meta"])
    def sources(engine: Engine, outlet: str | None = None, health: bool = False) -> list[dict[str, Any]]:
        """Per outlet, its names for each actor and its loaded words (the table of ``rasid sources``);
        with ``health=true``, per source its counts in the last ingest run that read it (``rasid sources
        --health`` lists every run)."""
        if health:
            return queries.source_health(engine, outlet)
        from rasid.store.sources import source_framing

        return source_framing(engine, outlet=outlet)

    @app.get("/api/stats", tags=["meta"])
    def stats(
        engine: Engine,
        filters: FilterArgs,
        by: Literal["admin1", "admin2"] = "admin1",
        per: Literal["day", "week", "month"] = "week",
    ) -> list[dict[str, Any]]:
        """Events and fatalities per area and period, once per incident (``rasid stats``)."""
        from rasid.store.stats import aggregate

        return aggregate(engine, by=by, per=per, f=filters.filter)

    @app.get("/api/places", tags=["meta"])
    def places(engine: Engine, admin1: str | None = None) -> list[dict[str, Any]]:
        return queries.place_rows(engine, admin1)


def create_app(
    db_url: str, *, token: str | None = None, tile_url: str | None = None, max_body: int = MAX_BODY
) -> FastAPI:
    """The app over the store at ``db_url`` (opened and upgraded now). ``token``: required on every
    write (POST) when set. ``tile_url``: a map tile URL template the UI may load (added to the CSP)."""
    from rasid.api import docs, exports, writes
    from rasid.store.db import open_store

    csp = content_security_policy(tile_url)
    app = FastAPI(
        title="rasid",
        version=_version(),
        description="Arabic conflict news as events",
        docs_url=None,  # FastAPI's pages need a CDN and inline scripts: rasid.api.docs renders its own
        redoc_url=None,
    )
    app.state.engine = open_store(db_url)
    app.state.token = token or None
    app.state.tile_url = tile_url or None
    app.state.meta_cache = None
    _errors(app)
    _read_routes(app)
    exports.add_routes(app)
    writes.add_routes(app)
    docs.add_routes(app)
    static = _static_dir()
    if static is not None:
        from fastapi.staticfiles import StaticFiles

        app.mount("/static", StaticFiles(directory=static), name="static")

        @app.get("/", include_in_schema=False)
        def index() -> FileResponse:
            return FileResponse(static / "index.html", media_type="text/html; charset=utf-8")

    app.add_middleware(SafetyMiddleware, csp=csp, max_body=max_body)
    return app
