"""reviews: analysts' verdicts, corrections and added events; the web API's filter index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Reviews are kept apart from the extractor's rows (no foreign key to events), so
that ``ingest`` and ``reextract`` replacing an article's events never touch
them. The index on (event_type, admin1, date_start, date_end) serves the
web API's usual query: a type, a governorate and a date range.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=True),
        sa.Column("corrections", sa.Text(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.Column("evidence_start", sa.Integer(), nullable=True),
        sa.Column("evidence_end", sa.Integer(), nullable=True),
        sa.Column("reviewer", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_reviews_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_article_id"), ["article_id"], unique=False)
    op.create_index(
        "ix_events_type_admin1_date",
        "events",
        ["event_type", "admin1", "date_start", "date_end"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_events_type_admin1_date", table_name="events")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_article_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_event_id"))
    op.drop_table("reviews")
