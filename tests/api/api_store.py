"""Helpers of the API tests (named apart from conftest.py: tests/web has a conftest of its own, and two
modules named ``conftest`` cannot both be imported by name)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "api" / "articles.jsonl"


def ingest_samples(db: str) -> None:
    from rasid.pipeline import load_knowledge
    from rasid.readers import iter_articles
    from rasid.store import ingest, open_store

    load_knowledge()
    engine = open_store(db)
    stats = ingest(engine, iter_articles([str(ARTICLES)]))
    assert stats.failed == 0 and stats.events >= 5
    engine.dispose()


def client_for(db: str, token: str | None = None, tile_url: str | None = None, **kwargs: int) -> TestClient:
    from rasid.api.app import create_app

    return TestClient(create_app(db, token=token, tile_url=tile_url, **kwargs), raise_server_exceptions=False)
