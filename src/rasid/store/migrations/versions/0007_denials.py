"""denials: what each article denies, for fusion to flag the incidents other outlets report

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Denials come from the article's text through the pipeline (rasid.store.denials),
not from the stored records, so a migration cannot fill them: instead the
articles stored before are marked as read by an older extractor, and the next
``rasid reextract`` reads them again and fills the table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE = "before-denials"


def upgrade() -> None:
    op.create_table(
        "denials",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("sub_event_type", sa.String(length=64), nullable=True),
        sa.Column("place_id", sa.Text(), nullable=True),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=True),
        sa.Column("date_start", sa.String(length=10), nullable=True),
        sa.Column("date_end", sa.String(length=10), nullable=True),
        sa.Column("date_precision", sa.String(length=16), nullable=True),
        sa.Column("denier", sa.Text(), nullable=True),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_denials_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_denials")),
    )
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_denials_article_id"), ["article_id"], unique=False)
        batch_op.create_index("ix_denials_block", ["event_type", "date_start"], unique=False)
    # stored articles were never looked at for denials: `rasid reextract` reads them again
    op.execute(sa.text("UPDATE articles SET extractor_version = :v").bindparams(v=STALE))


def downgrade() -> None:
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.drop_index("ix_denials_block")
        batch_op.drop_index(batch_op.f("ix_denials_article_id"))
    op.drop_table("denials")
