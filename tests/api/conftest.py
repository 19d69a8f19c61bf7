"""Fixtures of the API tests: a store ingested from our own small Arabic articles (tests/data/api), and a
FastAPI TestClient over it; ``api`` runs on SQLite and on PostgreSQL (tests/store_db.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api_store import client_for, ingest_samples  # noqa: E402

from store_db import db_url, pg_server  # noqa: E402

__all__ = ["db_url", "pg_server"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store of the sample articles, shared by a module's read-only tests."""
    db = str(tmp_path_factory.mktemp("api") / "rasid.db")
    ingest_samples(db)
    return db


@pytest.fixture(scope="module")
def reader(sample_db: str) -> Iterator[TestClient]:
    """A client over :func:`sample_db` for tests that only read."""
    with client_for(sample_db) as c:
        yield c


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    """A client over a fresh store of the samples, on SQLite and on PostgreSQL: for tests that write."""
    ingest_samples(db_url)
    with client_for(db_url) as c:
        yield c
