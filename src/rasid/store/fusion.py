"""Cross-source fusion (SPEC section 5): placeholder until incidents are linked."""

from __future__ import annotations

from sqlalchemy import Connection


def link_events(conn: Connection, event_ids: list[str]) -> None:
    """Attach newly stored events to incidents (not yet)."""


def unlink_articles(conn: Connection, article_ids: list[str]) -> None:
    """Detach the events of articles about to be replaced from their incidents (not yet)."""
