"""Tables of the content feature: topics, pages, their translations (standard and Easy Read)
with a review workflow, community partners, reviewers, translators and reader feedback.

A ``PageTranslation`` row is one language and one variant of a page, English included. It
holds the *working copy* (edited by translators, moved through the workflow) and the
*published snapshot* that readers see, so a page stays readable while a new version is checked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from citizen.accounts.models import Organisation, User
from citizen.db import Base, utcnow

# King's Fund population health model: its four pillars.
PILLARS: tuple[str, ...] = (
    "wider_determinants", "behaviours_lifestyles", "integrated_care", "places_communities",
)

DRAFT = "draft"
IN_REVIEW = "in_review"
COMMUNITY_REVIEWED = "community_reviewed"
PUBLISHED = "published"
STATUSES: tuple[str, ...] = (DRAFT, IN_REVIEW, COMMUNITY_REVIEWED, PUBLISHED)

STANDARD = "standard"
EASY_READ = "easy_read"
VARIANTS: tuple[str, ...] = (STANDARD, EASY_READ)

MASTER_LOCALE = "en"


class Topic(Base):
    __tablename__ = "content_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))  # English
    summary: Mapped[str] = mapped_column(Text, default="")
    # Names in other languages: {"ar": "...", ...}; English falls back to ``title``.
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pages: Mapped[list[Page]] = relationship(
        back_populates="topic", order_by="Page.position", cascade="all, delete-orphan"
    )

    def title_in(self, code: str) -> tuple[str, str]:
        """The topic's name in ``code`` if there is one, else English: (text, its language)."""
        if code != MASTER_LOCALE and self.titles.get(code):
            return self.titles[code], code
        return self.title, MASTER_LOCALE


class Page(Base):
    __tablename__ = "content_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("content_topic.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    pillar: Mapped[str] = mapped_column(String(40))
    place_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # When the published English text last changed: the version translations are measured against.
    english_version_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    topic: Mapped[Topic] = relationship(back_populates="pages")
    translations: Mapped[list[PageTranslation]] = relationship(
        back_populates="page", cascade="all, delete-orphan"
    )

    def translation(self, locale: str, variant: str = STANDARD) -> PageTranslation | None:
        return next(
            (t for t in self.translations if t.locale == locale and t.variant == variant), None
        )


class ContentPartner(Base):
    """An organisation designated to review information for the communities it serves."""

    __tablename__ = "content_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    designated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    reviewers: Mapped[list[PartnerReviewer]] = relationship(
        back_populates="partner", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return self.organisation.name


class PartnerReviewer(Base):
    """A person who reviews and signs off translations for a community partner."""

    __tablename__ = "content_partner_reviewer"
    __table_args__ = (UniqueConstraint("partner_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("content_partner.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    partner: Mapped[ContentPartner] = relationship(back_populates="reviewers")
    user: Mapped[User] = relationship()


class TranslatorAssignment(Base):
    """A person who may translate pages into one language."""

    __tablename__ = "content_translator"
    __table_args__ = (UniqueConstraint("user_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PageTranslation(Base):
    """One language and variant of a page: the working copy and the published snapshot."""

    __tablename__ = "content_page_translation"
    __table_args__ = (UniqueConstraint("page_id", "locale", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(
        ForeignKey("content_page.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(10))
    variant: Mapped[str] = mapped_column(String(20), default=STANDARD)

    # Working copy
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML (standard variant)
    # Easy Read lines: [{"text": "...", "picture": "key" | None, "alt": "..."}]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(30), default=DRAFT)
    machine_drafted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The English version (Page.english_version_at) this text was translated from.
    source_version_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_partner.id", ondelete="SET NULL")
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]

    # Published snapshot
    published_title: Mapped[str | None] = mapped_column(String(200))
    published_summary: Mapped[str | None] = mapped_column(Text)
    published_body: Mapped[str | None] = mapped_column(Text)
    published_lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None]
    published_source_version_at: Mapped[datetime | None]
    checked_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_partner.id", ondelete="SET NULL")
    )
    checked_at: Mapped[datetime | None]

    page: Mapped[Page] = relationship(back_populates="translations")
    reviewed_partner: Mapped[ContentPartner | None] = relationship(
        foreign_keys=[reviewed_partner_id]
    )
    checked_partner: Mapped[ContentPartner | None] = relationship(
        foreign_keys=[checked_partner_id]
    )
    events: Mapped[list[TranslationEvent]] = relationship(
        back_populates="translation", cascade="all, delete-orphan",
        order_by="TranslationEvent.id",
    )

    @property
    def is_master(self) -> bool:
        return self.locale == MASTER_LOCALE and self.variant == STANDARD

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class TranslationEvent(Base):
    """What happened to a translation: submitted, sent back (with comments), signed off, …"""

    __tablename__ = "content_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("content_page_translation.id", ondelete="CASCADE"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")

    translation: Mapped[PageTranslation] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class PageFeedback(Base):
    """"Was this page useful?" Any comment goes to the moderation queue, not this table."""

    __tablename__ = "content_page_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(
        ForeignKey("content_page.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(10))
    variant: Mapped[str] = mapped_column(String(20), default=STANDARD)
    useful: Mapped[bool] = mapped_column(Boolean)
    has_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
