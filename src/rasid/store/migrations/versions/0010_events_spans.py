"""fusion: a partial index of the events that span several days (issue #19)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

Fusion's candidate search asked for every event of the type that began up to a
year before the new one (the widest date precision) and still ran on its day:
on the (event_type, date_start) index that read a year of events per search.
The search is now three narrow ranges; the one for events that began earlier
and overlap reads only the multi-day events, which this index holds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SPANS = sa.text("date_end > date_start")


def upgrade() -> None:
    op.create_index(
        "ix_events_spans",
        "events",
        ["event_type", "date_start"],
        unique=False,
        sqlite_where=_SPANS,
        postgresql_where=_SPANS,
    )


def downgrade() -> None:
    op.drop_index("ix_events_spans", table_name="events")
