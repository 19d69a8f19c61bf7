"""places, event_places and claims: the places and claim sources events reference (filled for stored
events too, from their records)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from rasid.store.places import claim_row_of, event_place_rows_of, place_row_of

    places = op.create_table(
        "places",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("admin3", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    event_places = op.create_table(
        "event_places",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("place_id", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("mention", sa.Text(), nullable=True),
        sa.Column("geo_precision", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
            name=op.f("fk_event_places_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], name=op.f("fk_event_places_place_id_places")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_places")),
    )
    with op.batch_alter_table("event_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_places_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_places_place_id"), ["place_id"], unique=False)
    claims = op.create_table(
        "claims",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_mention", sa.Text(), nullable=True),
        sa.Column("contested", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_claims_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_source"), ["source"], unique=False)

    # events stored before this revision: their places and claims come from the stored record
    conn = op.get_bind()
    place_rows: dict[str, dict] = {}
    link_rows: list[dict] = []
    claim_rows: list[dict] = []
    for (record,) in conn.execute(sa.text("SELECT record FROM events")):
        r = json.loads(record)
        place = place_row_of(r)
        if place is not None:
            place_rows.setdefault(place["id"], place)
        link_rows += event_place_rows_of(r)
        claim = claim_row_of(r)
        if claim is not None:
            claim_rows.append(claim)
    for table, rows in ((places, list(place_rows.values())), (event_places, link_rows), (claims, claim_rows)):
        if rows:
            op.bulk_insert(table, rows)


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_source"))
    op.drop_table("claims")
    with op.batch_alter_table("event_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_places_place_id"))
        batch_op.drop_index(batch_op.f("ix_event_places_event_id"))
    op.drop_table("event_places")
    op.drop_table("places")
