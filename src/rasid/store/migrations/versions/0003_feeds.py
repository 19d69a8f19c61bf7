"""feeds: conditional-GET state of each RSS/Atom feed rasid reads

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_feeds")),
    )


def downgrade() -> None:
    op.drop_table("feeds")
