"""incidents keep a consensus actor1 and death toll

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor1_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("killed", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("killed")
        batch_op.drop_column("actor1_id")
