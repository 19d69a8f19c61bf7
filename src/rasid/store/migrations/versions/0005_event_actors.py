"""event_actors: every actor an event references, in its role (filled for stored events too)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "event_actors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("mention", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_event_actors_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_actors")),
    )
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_actors_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_actors_event_id"), ["event_id"], unique=False)
    # events stored before this revision: their actors come from the stored record
    conn = op.get_bind()
    rows = []
    for event_id, record in conn.execute(sa.text("SELECT event_id, record FROM events")):
        r = json.loads(record)
        for role, actors in (
            ("actor1", [r.get("actor1")]),
            ("actor2", [r.get("actor2")]),
            ("assoc", r.get("assoc_actors") or []),
        ):
            for a in actors:
                if a and a.get("id"):
                    rows.append(
                        {
                            "event_id": event_id,
                            "role": role,
                            "actor_id": a["id"],
                            "name": a.get("name"),
                            "mention": a.get("mention"),
                        }
                    )
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_actors_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_actors_actor_id"))
    op.drop_table("event_actors")
