"""consultation_response.export_cells: each submitted response's answers ready for export

Revision ID: 0010_export_cells
Revises: 0009_consultation_revision
Create Date: 2026-11-23 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_export_cells"
down_revision = "0009_consultation_revision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing responses keep NULL: exports build their cells from the answers on the fly
    # (same result, slower) until `flask refresh-export-cells` stores them.
    with op.batch_alter_table("consultation_response") as batch:
        batch.add_column(sa.Column("export_cells", sa.Text(), nullable=True))
        batch.add_column(sa.Column("export_cells_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultation_response") as batch:
        batch.drop_column("export_cells_version")
        batch.drop_column("export_cells")
