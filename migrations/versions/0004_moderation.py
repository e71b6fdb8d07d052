"""moderation queue, reports, personal-data findings, codebooks and tags

Revision ID: 0004_moderation
Revises: 0003_consultations
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_moderation"
down_revision = "0003_consultations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moderation_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("post_moderated", sa.Boolean(), nullable=False),
        sa.Column("original_text", sa.Text(), nullable=False),
        sa.Column("redacted_text", sa.Text(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("place_slug", sa.String(length=80), nullable=True),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("author_email", sa.String(length=254), nullable=True),
        sa.Column("author_locale", sa.String(length=10), nullable=False),
        sa.Column("safeguarding", sa.Boolean(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"],
                                name=op.f("fk_moderation_item_decided_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_item")),
        sa.UniqueConstraint("kind", "target_id", name=op.f("uq_moderation_item_kind")),
    )
    with op.batch_alter_table("moderation_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_item_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_item_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_item_place_slug"), ["place_slug"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_item_consultation_id"),
                              ["consultation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_item_safeguarding"), ["safeguarding"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_item_submitted_at"), ["submitted_at"],
                              unique=False)

    op.create_table(
        "moderation_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("reporter_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["moderation_item.id"],
                                name=op.f("fk_moderation_report_item_id_moderation_item"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_report")),
    )
    with op.batch_alter_table("moderation_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_report_item_id"), ["item_id"],
                              unique=False)

    op.create_table(
        "coding_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultation.id"],
                                name=op.f("fk_coding_theme_consultation_id_consultation"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["coding_theme.id"],
                                name=op.f("fk_coding_theme_parent_id_coding_theme"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding_theme")),
    )
    with op.batch_alter_table("coding_theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coding_theme_consultation_id"), ["consultation_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_coding_theme_parent_id"), ["parent_id"],
                              unique=False)

    op.create_table(
        "coding_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=True),
        sa.Column("coded_by_id", sa.Integer(), nullable=True),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["consultation_answer.id"],
                                name=op.f("fk_coding_answer_answer_id_consultation_answer"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultation.id"],
                                name=op.f("fk_coding_answer_consultation_id_consultation"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coded_by_id"], ["user_account.id"],
                                name=op.f("fk_coding_answer_coded_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding_answer")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_coding_answer_answer_id")),
    )
    with op.batch_alter_table("coding_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coding_answer_consultation_id"), ["consultation_id"],
                              unique=False)

    op.create_table(
        "coding_answer_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["coding_id"], ["coding_answer.id"],
                                name=op.f("fk_coding_answer_theme_coding_id_coding_answer"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["coding_theme.id"],
                                name=op.f("fk_coding_answer_theme_theme_id_coding_theme"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding_answer_theme")),
        sa.UniqueConstraint("coding_id", "theme_id", name=op.f("uq_coding_answer_theme_coding_id")),
    )
    with op.batch_alter_table("coding_answer_theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coding_answer_theme_coding_id"), ["coding_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_coding_answer_theme_theme_id"), ["theme_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("coding_answer_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coding_answer_theme_theme_id"))
        batch_op.drop_index(batch_op.f("ix_coding_answer_theme_coding_id"))
    op.drop_table("coding_answer_theme")
    with op.batch_alter_table("coding_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coding_answer_consultation_id"))
    op.drop_table("coding_answer")
    with op.batch_alter_table("coding_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coding_theme_parent_id"))
        batch_op.drop_index(batch_op.f("ix_coding_theme_consultation_id"))
    op.drop_table("coding_theme")
    with op.batch_alter_table("moderation_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_report_item_id"))
    op.drop_table("moderation_report")
    with op.batch_alter_table("moderation_item", schema=None) as batch_op:
        for column in ("submitted_at", "safeguarding", "consultation_id", "place_slug", "state",
                       "kind"):
            batch_op.drop_index(batch_op.f(f"ix_moderation_item_{column}"))
    op.drop_table("moderation_item")
