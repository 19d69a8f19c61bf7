"""The event store: articles, their events and evidence, and incidents across outlets.

SQLite by default, PostgreSQL by URL, one behaviour (SQLAlchemy Core, Alembic
migrations applied on open). The CLI commands ``ingest``, ``reextract`` and
``events`` are thin layers over :func:`ingest`, :func:`reextract` and
:func:`query_events`.
"""

from __future__ import annotations

from rasid.store.db import DEFAULT_DB, open_store
from rasid.store.ingest import IngestStats, extractor_version, ingest, reextract
from rasid.store.query import EventFilter, query_events

__all__ = [
    "DEFAULT_DB",
    "EventFilter",
    "IngestStats",
    "extractor_version",
    "ingest",
    "open_store",
    "query_events",
    "reextract",
]
