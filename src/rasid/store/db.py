"""Opening the store: a ``--db`` value to an engine, upgraded to the current schema.

One interface for both back-ends: a plain path (or ``sqlite:///...``) is a
SQLite file, zero set-up; ``postgresql://...`` is a server, reached through
psycopg 3. Every open runs the Alembic migrations shipped in
``rasid/store/migrations`` up to head, so a database written by an older rasid
is upgraded in place and a new one is created from nothing.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from rasid.store import DEFAULT_DB


def engine_url(db: str) -> str:
    """``--db`` as a SQLAlchemy URL: a path is a SQLite file; ``postgresql://`` uses psycopg 3."""
    if "://" not in db:
        return "sqlite:///" + os.path.abspath(db)
    url = make_url(db)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


T = TypeVar("T")

# How long SQLite itself waits for another connection's lock (per attempt), and the pauses
# between our own attempts after that: a database locked by another process (a long
# `rasid reextract`, an analyst's `sqlite3` shell in a transaction) is waited for about a
# minute in all, then reported as StoreBusy instead of a traceback.
BUSY_TIMEOUT_MS = 10_000
LOCK_BACKOFF_S = (1.0, 2.0, 4.0, 8.0)


class StoreBusy(Exception):
    """The database stayed locked by another connection through every retry."""


def is_locked(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database table is locked" (SQLITE_BUSY / SQLITE_LOCKED)."""
    if not isinstance(error, OperationalError):
        return False
    text = str(getattr(error, "orig", None) or error).lower()
    return "locked" in text or "busy" in text


def retry_locked(work: Callable[[], T], what: str) -> T:
    """Run ``work`` (one whole transaction); while the database is locked, wait and retry with backoff.

    The failed attempt's transaction was rolled back, so running it again is
    safe. After the last pause: :class:`StoreBusy`, with ``what`` in its message.
    """
    for pause in LOCK_BACKOFF_S:
        try:
            return work()
        except OperationalError as e:
            if not is_locked(e):
                raise
        time.sleep(pause)
    try:
        return work()
    except OperationalError as e:
        if not is_locked(e):
            raise
        waited = sum(LOCK_BACKOFF_S) + (len(LOCK_BACKOFF_S) + 1) * BUSY_TIMEOUT_MS / 1000
        raise StoreBusy(
            f"{what}: the database is locked by another process (gave up after about {waited:.0f} s); "
            "nothing of this batch was stored, run the command again when the other one is done"
        ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # foreign keys: a replaced article's events and evidence go with it (ON DELETE CASCADE);
    # WAL: readers (an export, a web page) do not wait for a running ingest.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
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
    # psycopg logs what it ignores while closing a connection the server dropped ("error ignored
    # terminating <Pipeline>"); with no logging set up that reached stderr through logging's last
    # resort, beside the one line rasid prints for the same failure. An application that configures
    # logging still gets it (a NullHandler stops nothing from propagating).
    logging.getLogger("psycopg").addHandler(_QUIET)
    return create_engine(url, pool_pre_ping=True)


_QUIET = logging.NullHandler()  # one handler, however many engines are created (addHandler dedupes)


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


# PostgreSQL: the server restarted (a deployment, a failover, `pg_ctl restart`) or is briefly
# unreachable. The connection in use is gone and the transaction with it (the server rolled it
# back), so the whole batch is written again on a new connection; the pool's other connections
# are dropped too (SQLAlchemy invalidates the pool on a disconnect, and pre-ping checks the rest).
# The pauses cover a restart (a few seconds) with room; after them, StoreUnreachable.
# RASID_STORE_BACKOFF overrides them: seconds, comma-separated ("1,2,4,8"; "0" retries once at once).
RECONNECT_BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0)


class StoreUnreachable(StoreBusy):
    """The database server could not be reached through every retry.

    A :class:`StoreBusy`, so whatever reports a locked store (one line, exit 2)
    reports this too.
    """


def is_disconnect(error: BaseException) -> bool:
    """True where the connection to the server was lost or could not be made (a restart, a shutdown).

    SQLAlchemy marks a lost connection (``connection_invalidated``); a refused
    new one, or a server still starting, is an OperationalError whose text says so.
    """
    if not isinstance(error, OperationalError):
        return False
    if error.connection_invalidated:
        return True
    text = str(getattr(error, "orig", None) or error).lower()
    return any(
        s in text
        for s in (
            "connection refused",
            "server closed the connection",
            "terminating connection",
            "the database system is starting up",
            "the database system is shutting down",
            "the database system is in recovery mode",
            "consuming input failed",
            "connection failed",
            "could not connect",
            "connection timeout expired",
        )
    )


def _backoff() -> tuple[float, ...]:
    value = os.environ.get("RASID_STORE_BACKOFF")
    if not value:
        return RECONNECT_BACKOFF_S
    try:
        pauses = tuple(float(p) for p in value.split(",") if p.strip())
    except ValueError:
        return RECONNECT_BACKOFF_S
    return tuple(p for p in pauses if p >= 0) or RECONNECT_BACKOFF_S


def retry_store(work: Callable[[], T], what: str) -> T:
    """:func:`retry_locked`, and while the server cannot be reached, wait and retry with backoff.

    ``work`` is one whole transaction (or a read), so an attempt the server lost
    left nothing behind and running it again is safe. A commit whose answer was
    lost is the one case where the first attempt did land: the caller must be
    idempotent (ingest is, by article id). After the last pause: :class:`StoreUnreachable`,
    one line with ``what`` and the server's last word.
    """
    pauses = _backoff()
    last: OperationalError | None = None
    for pause in (*pauses, None):
        try:
            return retry_locked(work, what)
        except OperationalError as e:
            if not is_disconnect(e):
                raise
            last = e
        if pause is not None:
            time.sleep(pause)
    reason = str(getattr(last, "orig", None) or last).strip().splitlines()
    raise StoreUnreachable(
        f"{what}: the database server cannot be reached (gave up after {len(pauses) + 1} attempts "
        f"over about {sum(pauses):.0f} s: {reason[0] if reason else 'connection lost'}); nothing of this "
        "batch was stored, run the command again when the server is back"
    ) from None
