"""Consultations closed early get their real closing time in closes_at (close_now now sets it),
taken from the audit log, so residents see when they closed and personal data is deleted on
time. Data only; no schema change.

Revision ID: 0012_closed_early_closes_at
Revises: 0011_response_export_order
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012_closed_early_closes_at"
down_revision = "0011_response_export_order"
branch_labels = None
depends_on = None


consultation = sa.table("consultation", sa.column("id", sa.Integer),
                        sa.column("status", sa.String),
                        sa.column("closes_at", sa.DateTime(timezone=True)))
audit_event = sa.table("audit_event", sa.column("occurred_at", sa.DateTime(timezone=True)),
                       sa.column("action", sa.String), sa.column("target_type", sa.String),
                       sa.column("target_id", sa.String))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite: naive UTC


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    rows = bind.execute(sa.select(consultation.c.id, consultation.c.closes_at).where(
        consultation.c.status.in_(("closed", "outcome_published")))).all()
    for consultation_id, closes_at in rows:
        if closes_at is not None and _aware(closes_at) <= now:
            continue
        closed_at = bind.execute(sa.select(sa.func.max(audit_event.c.occurred_at)).where(
            audit_event.c.action == "consultation.closed",
            audit_event.c.target_type == "consultation",
            audit_event.c.target_id == str(consultation_id))).scalar()
        bind.execute(consultation.update().where(consultation.c.id == consultation_id)
                     .values(closes_at=_aware(closed_at) if closed_at else now))


def downgrade() -> None:
    """Nothing to undo: the earlier closing time is the true one."""
