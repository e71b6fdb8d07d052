"""Tables of the pledges feature.

An organisation (``citizen.accounts.models.Organisation``) gets a profile here (sector, size,
website, places). A pledge has 1 to 3 actions; each action reports progress by updates. Pledge
and update texts pass through the moderation queue before they show publicly: the approved
(possibly redacted) texts are copied into the ``public_*`` columns when the moderator decides.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from citizen.accounts.models import Organisation
from citizen.db import Base, utcnow
from citizen.places.models import Place

SECTORS: tuple[str, ...] = ("private", "public", "voluntary")
SIZE_BANDS: tuple[str, ...] = ("1-9", "10-49", "50-249", "250+")
PILLARS: tuple[str, ...] = (
    "wider_determinants",
    "health_behaviours",
    "places_communities",
    "integrated_care",
)
BENEFICIARIES: tuple[str, ...] = ("workforce", "community", "both")
PROGRESS_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done", "stopped")
ACCREDITATIONS: tuple[str, ...] = (
    "real_living_wage",
    "disability_confident",
    "thrive_at_work",
    "good_work_standard",
)
PLEDGE_STATUSES: tuple[str, ...] = ("draft", "submitted", "returned", "approved", "hidden")
UPDATE_STATES: tuple[str, ...] = ("submitted", "returned", "approved", "hidden")
CLAIM_STATES: tuple[str, ...] = ("pending", "approved", "rejected")
MAX_ACTIONS = 3


class OrganisationProfile(Base):
    """What the Call to Action needs to know about an organisation."""

    __tablename__ = "organisation_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    sector: Mapped[str] = mapped_column(String(20))
    size_band: Mapped[str] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    places: Mapped[list[OrganisationPlace]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )

    @property
    def place_slugs(self) -> list[str]:
        return sorted(p.place.slug for p in self.places)


class OrganisationPlace(Base):
    """A place where an organisation works."""

    __tablename__ = "organisation_place"
    __table_args__ = (UniqueConstraint("profile_id", "place_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("organisation_profile.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)

    profile: Mapped[OrganisationProfile] = relationship(back_populates="places")
    place: Mapped[Place] = relationship()


class OrganisationInvitation(Base):
    """An invitation by email for a colleague to act for an organisation (single use)."""

    __tablename__ = "organisation_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()


class OrganisationClaim(Base):
    """A request to act for an organisation that already exists; an organiser decides."""

    __tablename__ = "organisation_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    job_title: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()


class CatalogueAction(Base):
    """An example action organisations can pick and adapt; organisers maintain the list."""

    __tablename__ = "pledge_catalogue_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    pillar: Mapped[str] = mapped_column(String(40), index=True)
    beneficiaries: Mapped[str] = mapped_column(String(20), default="both")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    texts: Mapped[list[CatalogueActionText]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="CatalogueActionText.locale"
    )

    def text_for(self, locale: str) -> CatalogueActionText | None:
        """The text in ``locale``, else English, else any."""
        by_locale = {t.locale: t for t in self.texts}
        return by_locale.get(locale) or by_locale.get("en") or next(iter(by_locale.values()), None)


class CatalogueActionText(Base):
    """An example action's words in one language."""

    __tablename__ = "pledge_catalogue_text"
    __table_args__ = (UniqueConstraint("action_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_catalogue_action.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    target_example: Mapped[str] = mapped_column(String(300), default="")

    action: Mapped[CatalogueAction] = relationship(back_populates="texts")


class Pledge(Base):
    """An organisation's pledge: 1 to 3 actions, a senior sponsor, and where it is in review."""

    __tablename__ = "pledge"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    sponsor_name: Mapped[str] = mapped_column(String(120), default="")
    sponsor_role: Mapped[str] = mapped_column(String(120), default="")
    consent_public: Mapped[bool] = mapped_column(Boolean, default=False)
    review_comments: Mapped[str | None] = mapped_column(Text)
    public_text: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    actions: Mapped[list[PledgeAction]] = relationship(
        back_populates="pledge", cascade="all, delete-orphan", order_by="PledgeAction.position"
    )
    accreditations: Mapped[list[PledgeAccreditation]] = relationship(
        back_populates="pledge", cascade="all, delete-orphan", order_by="PledgeAccreditation.code"
    )

    @property
    def editable(self) -> bool:
        return self.status in ("draft", "returned")


class PledgeAccreditation(Base):
    """An existing accreditation the organisation links to its pledge."""

    __tablename__ = "pledge_accreditation"
    __table_args__ = (UniqueConstraint("pledge_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(60), default="")

    pledge: Mapped[Pledge] = relationship(back_populates="accreditations")


class PledgeAction(Base):
    """One action of a pledge, with its target, dates and latest progress."""

    __tablename__ = "pledge_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    pillar: Mapped[str] = mapped_column(String(40), index=True)
    beneficiaries: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date]
    due_date: Mapped[date]
    catalogue_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("pledge_catalogue_action.id", ondelete="SET NULL")
    )
    public_description: Mapped[str | None] = mapped_column(Text)
    public_target: Mapped[str | None] = mapped_column(Text)
    progress_status: Mapped[str] = mapped_column(String(20), default="planned")

    pledge: Mapped[Pledge] = relationship(back_populates="actions")
    updates: Mapped[list[PledgeUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="PledgeUpdate.created_at"
    )


class PledgeUpdate(Base):
    """A progress report on one action; moderated before it shows publicly."""

    __tablename__ = "pledge_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_action.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    review_comments: Mapped[str | None] = mapped_column(Text)
    public_text: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]

    action: Mapped[PledgeAction] = relationship(back_populates="updates")


class PledgeReminder(Base):
    """A reminder already sent, so ``send-reminders`` never sends the same one twice."""

    __tablename__ = "pledge_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
