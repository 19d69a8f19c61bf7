"""The event store: articles, their events and evidence, and incidents across outlets.

SQLite by default, PostgreSQL by URL, one behaviour (SQLAlchemy Core, Alembic
migrations applied on open). The CLI commands (``ingest``, ``reextract``,
``events``...) are thin layers over :func:`ingest`, :func:`reextract` and
:func:`query_events`.

The names below are imported on first use: ``rasid extract`` builds the whole
command line parser, and must not pay for importing SQLAlchemy and Alembic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

DEFAULT_DB = "rasid.db"
DEFAULT_BATCH = 50  # articles per transaction

_LAZY = {
    "open_store": "rasid.store.db",
    "IngestStats": "rasid.store.ingestion",
    "extractor_version": "rasid.store.ingestion",
    "ingest": "rasid.store.ingestion",
    "reextract": "rasid.store.ingestion",
    "EventFilter": "rasid.store.query",
    "query_events": "rasid.store.query",
}

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_DB",
    "EventFilter",
    "IngestStats",
    "extractor_version",
    "ingest",
    "open_store",
    "query_events",
    "reextract",
]

if TYPE_CHECKING:
    from rasid.store.db import open_store
    from rasid.store.ingestion import IngestStats, extractor_version, ingest, reextract
    from rasid.store.query import EventFilter, query_events


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rasid.store' has no attribute {name!r}")
