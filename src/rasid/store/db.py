"""Opening the store: a ``--db`` value to an engine, upgraded to the current schema.

One interface for both back-ends: a plain path (or ``sqlite:///...``) is a
SQLite file, zero set-up; ``postgresql://...`` is a server, reached through
psycopg 3. Every open runs the Alembic migrations shipped in
``rasid/store/migrations`` up to head, so a database written by an older rasid
is upgraded in place and a new one is created from nothing.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from rasid.store import DEFAULT_DB


def engine_url(db: str) -> str:
    """``--db`` as a SQLAlchemy URL: a path is a SQLite file; ``postgresql://`` uses psycopg 3."""
    if "://" not in db:
        return "sqlite:///" + os.path.abspath(db)
    url = make_url(db)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # foreign keys: a replaced article's events and evidence go with it (ON DELETE CASCADE);
    # WAL: readers (an export, a web page) do not wait for a running ingest.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def create(db: str) -> Engine:
    """An engine for ``db`` without touching the schema (see :func:`open_store`)."""
    url = engine_url(db)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("rasid.store") / "migrations"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent; a no-op when it is current)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_store(db: str = DEFAULT_DB) -> Engine:
    """The engine for ``db``, its schema upgraded to head: what every store command starts with."""
    engine = create(db)
    upgrade(engine)
    return engine
