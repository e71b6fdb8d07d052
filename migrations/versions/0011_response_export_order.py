"""consultation_response (consultation_id, status, id): exports read a consultation's responses
in id order from this index instead of sorting them (a sort that spilled to disk)

Revision ID: 0011_response_export_order
Revises: 0010_export_cells
Create Date: 2026-11-23 21:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0011_response_export_order"
down_revision = "0010_export_cells"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_consultation_response_consultation_id_status_id", "consultation_response",
                    ["consultation_id", "status", "id"])


def downgrade() -> None:
    op.drop_index("ix_consultation_response_consultation_id_status_id",
                  table_name="consultation_response")
