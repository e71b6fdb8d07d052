"""consultation_response.reminded_at: when a saved draft's reminder went out (once per draft,
shortly before the consultation closes)

Revision ID: 0013_draft_reminders
Revises: 0012_closed_early_closes_at
Create Date: 2026-11-24 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_draft_reminders"
down_revision = "0012_closed_early_closes_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultation_response", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
