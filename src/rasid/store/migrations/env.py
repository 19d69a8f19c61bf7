"""Alembic environment for the store: run by :func:`rasid.store.db.upgrade`, never by hand.

The caller passes an open connection in ``config.attributes["connection"]``
(the one ``rasid`` opened on ``--db``), so the migration runs in its
transaction. ``render_as_batch`` lets later migrations alter tables on SQLite,
which has no ALTER COLUMN.
"""

from __future__ import annotations

from alembic import context

from rasid.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic revision --autogenerate` by a developer
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://").connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
