"""consultation.revision: a token renewed on every change, for the public pages' cache

Revision ID: 0009_consultation_revision
Revises: 0008_assembly
Create Date: 2026-11-24 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_consultation_revision"
down_revision = "0008_assembly"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows keep "" (never cached) until their next change gives them a token.
    with op.batch_alter_table("consultation") as batch:
        batch.add_column(sa.Column("revision", sa.String(length=32), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("consultation") as batch:
        batch.drop_column("revision")
