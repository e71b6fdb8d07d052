"""Tables of the moderation feature.

Other features never read or write these tables: they use ``citizen.moderation.services``
(``submit``, ``state_of``, ``is_public``, ``public_text``, ``public_texts``).

``ModerationItem`` holds one piece of text that may be published (an answer, a pledge, ...),
keyed by ``(kind, target_id)``. The original text is kept; when a moderator removes personal
data the redacted version is kept beside it and is the one published and exported.
The author's e-mail address (only if they gave one) is kept so that they can be told the
outcome; it is removed once they have been told, or, for escalated (safeguarding) items, once
the concern is resolved. When a feature erases a target under an open concern, its item stays
for the safeguarding lead with ``target_id`` set to minus its own id (see ``services.forget``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from citizen.db import Base, utcnow


class ItemState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    ESCALATED = "escalated"
    HIDDEN = "hidden"


class ModerationItem(Base):
    __tablename__ = "moderation_item"
    __table_args__ = (UniqueConstraint("kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    target_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default=ItemState.PENDING, index=True)
    post_moderated: Mapped[bool] = mapped_column(Boolean, default=False)
    original_text: Mapped[str] = mapped_column(Text, default="")
    redacted_text: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    place_slug: Mapped[str | None] = mapped_column(String(80), index=True)
    consultation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    author_email: Mapped[str | None] = mapped_column(String(254))
    author_locale: Mapped[str] = mapped_column(String(10), default="en")
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason_text: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    reports: Mapped[list[ModerationReport]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ModerationReport.id"
    )

    @property
    def published_text(self) -> str:
        """The text the public sees (and exports carry): redacted if redacted, else original."""
        return self.redacted_text if self.redacted_text is not None else self.original_text

    @property
    def is_redacted(self) -> bool:
        return self.redacted_text is not None and self.redacted_text != self.original_text

    @property
    def is_public(self) -> bool:
        if self.state == ItemState.APPROVED:
            return True
        return self.post_moderated and self.state == ItemState.PENDING

    def __repr__(self) -> str:
        return f"<ModerationItem {self.id} {self.kind}:{self.target_id} {self.state}>"


class ModerationReport(Base):
    """A visitor's "report this" on a published item. No personal data: a keyed IP hash only
    (to stop one visitor hiding an item alone)."""

    __tablename__ = "moderation_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_item.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(40))
    details: Mapped[str | None] = mapped_column(Text)
    reporter_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)

    item: Mapped[ModerationItem] = relationship(back_populates="reports")


# ---------------------------------------------------------------- coding free text


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"
    NEUTRAL = "neutral"


class CodingTheme(Base):
    """A theme in a consultation's codebook; a theme with a parent is a sub-theme."""

    __tablename__ = "coding_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("coding_theme.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    children: Mapped[list[CodingTheme]] = relationship(
        back_populates="parent", cascade="all, delete-orphan",
        order_by="(CodingTheme.position, CodingTheme.id)",
    )
    parent: Mapped[CodingTheme | None] = relationship(back_populates="children",
                                                      remote_side="CodingTheme.id")


class AnswerCoding(Base):
    """How one free-text answer is coded: its sentiment and (in ``themes``) its themes."""

    __tablename__ = "coding_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_answer.id", ondelete="CASCADE"), unique=True
    )
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    sentiment: Mapped[str | None] = mapped_column(String(10))
    coded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    coded_at: Mapped[datetime] = mapped_column(default=utcnow)

    themes: Mapped[list[AnswerTheme]] = relationship(
        back_populates="coding", cascade="all, delete-orphan"
    )


class AnswerTheme(Base):
    __tablename__ = "coding_answer_theme"
    __table_args__ = (UniqueConstraint("coding_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("coding_answer.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("coding_theme.id", ondelete="CASCADE"), index=True
    )

    coding: Mapped[AnswerCoding] = relationship(back_populates="themes")
