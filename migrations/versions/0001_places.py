"""Places and postcode districts.

Revision ID: 0001_places
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_places"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("ics", "place", "neighbourhood", name="place_kind", native_enum=False,
                    length=20),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("population_source", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["place.id"], name=op.f("fk_place_parent_id_place"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
        sa.UniqueConstraint("slug", name=op.f("uq_place_slug")),
    )
    op.create_table(
        "postcode_district",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"],
                                name=op.f("fk_postcode_district_place_id_place"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_postcode_district")),
    )
    op.create_index(op.f("ix_postcode_district_place_id"), "postcode_district", ["place_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_postcode_district_place_id"), table_name="postcode_district")
    op.drop_table("postcode_district")
    op.drop_table("place")
