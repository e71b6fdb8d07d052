"""topics, pages, translations, Easy Read, community review, feedback

Revision ID: 0007_content
Revises: 0006_pledges
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_content"
down_revision = "0006_pledges"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["user_account.id"], name=op.f(f"fk_{table}_{column}_user_account"),
        ondelete="SET NULL",
    )


def upgrade() -> None:
    op.create_table(
        "content_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_topic")),
        sa.UniqueConstraint("slug", name=op.f("uq_content_topic_slug")),
    )
    op.create_table(
        "content_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("pillar", sa.String(length=40), nullable=False),
        sa.Column("place_slugs", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("english_version_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["topic_id"], ["content_topic.id"],
                                name=op.f("fk_content_page_topic_id_content_topic"),
                                ondelete="CASCADE"),
        _user_fk("content_page", "created_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_page")),
        sa.UniqueConstraint("slug", name=op.f("uq_content_page_slug")),
    )
    op.create_index(op.f("ix_content_page_topic_id"), "content_page", ["topic_id"])

    op.create_table(
        "content_partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("designated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_content_partner_organisation_id_organisation"),
                                ondelete="CASCADE"),
        _user_fk("content_partner", "designated_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_partner")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_content_partner_organisation_id")),
    )
    op.create_table(
        "content_partner_reviewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["content_partner.id"],
                                name=op.f("fk_content_partner_reviewer_partner_id_content_partner"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_content_partner_reviewer_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_partner_reviewer")),
        sa.UniqueConstraint("partner_id", "user_id",
                            name=op.f("uq_content_partner_reviewer_partner_id")),
    )
    op.create_index(op.f("ix_content_partner_reviewer_partner_id"), "content_partner_reviewer",
                    ["partner_id"])
    op.create_index(op.f("ix_content_partner_reviewer_user_id"), "content_partner_reviewer",
                    ["user_id"])

    op.create_table(
        "content_translator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_content_translator_user_id_user_account"),
                                ondelete="CASCADE"),
        _user_fk("content_translator", "assigned_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_translator")),
        sa.UniqueConstraint("user_id", "locale", name=op.f("uq_content_translator_user_id")),
    )
    op.create_index(op.f("ix_content_translator_user_id"), "content_translator", ["user_id"])

    op.create_table(
        "content_page_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("variant", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("machine_drafted", sa.Boolean(), nullable=False),
        sa.Column("source_version_at", TZ, nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_partner_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", TZ, nullable=True),
        sa.Column("published_title", sa.String(length=200), nullable=True),
        sa.Column("published_summary", sa.Text(), nullable=True),
        sa.Column("published_body", sa.Text(), nullable=True),
        sa.Column("published_lines", sa.JSON(), nullable=True),
        sa.Column("published_at", TZ, nullable=True),
        sa.Column("published_source_version_at", TZ, nullable=True),
        sa.Column("checked_partner_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["page_id"], ["content_page.id"],
                                name=op.f("fk_content_page_translation_page_id_content_page"),
                                ondelete="CASCADE"),
        _user_fk("content_page_translation", "updated_by_id"),
        _user_fk("content_page_translation", "reviewed_by_id"),
        sa.ForeignKeyConstraint(
            ["reviewed_partner_id"], ["content_partner.id"],
            name=op.f("fk_content_page_translation_reviewed_partner_id_content_partner"),
            ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["checked_partner_id"], ["content_partner.id"],
            name=op.f("fk_content_page_translation_checked_partner_id_content_partner"),
            ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_page_translation")),
        sa.UniqueConstraint("page_id", "locale", "variant",
                            name=op.f("uq_content_page_translation_page_id")),
    )
    op.create_index(op.f("ix_content_page_translation_page_id"), "content_page_translation",
                    ["page_id"])

    op.create_table(
        "content_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"], ["content_page_translation.id"],
            name=op.f("fk_content_event_translation_id_content_page_translation"),
            ondelete="CASCADE"),
        _user_fk("content_event", "actor_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_event")),
    )
    op.create_index(op.f("ix_content_event_translation_id"),
                    "content_event", ["translation_id"])

    op.create_table(
        "content_page_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("variant", sa.String(length=20), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("has_comment", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["content_page.id"],
                                name=op.f("fk_content_page_feedback_page_id_content_page"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_page_feedback")),
    )
    op.create_index(op.f("ix_content_page_feedback_page_id"), "content_page_feedback",
                    ["page_id"])


def downgrade() -> None:
    for table in ("content_page_feedback", "content_event",
                  "content_page_translation", "content_translator", "content_partner_reviewer",
                  "content_partner", "content_page", "content_topic"):
        op.drop_table(table)
