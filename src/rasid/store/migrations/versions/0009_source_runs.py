"""source health: ingest runs and per run each source's counts (issue #19)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

New tables only; the history starts with the first run after the upgrade (until a
source has one, the warning about a source that stopped giving events counts the
events of its stored articles, as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("command", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_runs")),
    )
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("n_read", sa.Integer(), nullable=False),
        sa.Column("n_rejected", sa.Integer(), nullable=False),
        sa.Column("n_extracted", sa.Integer(), nullable=False),
        sa.Column("n_with_events", sa.Integer(), nullable=False),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_source_runs_run_id_ingest_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_runs")),
    )
    with op.batch_alter_table("source_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_runs_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_source_runs_source", ["source", "run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("source_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_source_runs_source")
        batch_op.drop_index(batch_op.f("ix_source_runs_run_id"))
    op.drop_table("source_runs")
    op.drop_table("ingest_runs")
