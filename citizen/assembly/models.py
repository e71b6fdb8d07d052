"""Tables of the assembly feature.

Personal data is split on purpose: ``assembly_registrant`` holds no name, contact or answer;
contact details live in ``assembly_contact`` and demographic answers in
``assembly_demographics``. The purge deletes those two tables' rows (and invitation addresses)
and keeps only anonymous aggregate counts on the assembly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from citizen.db import Base, utcnow


class Assembly(Base):
    __tablename__ = "assembly"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    places: Mapped[list[str]] = mapped_column(JSON, default=list)
    panel_size: Mapped[int] = mapped_column(Integer)
    reserves: Mapped[int] = mapped_column(Integer, default=0)
    honorarium: Mapped[str] = mapped_column(String(300), default="")
    expenses: Mapped[str] = mapped_column(String(300), default="")
    registration_opens: Mapped[date] = mapped_column(Date)
    registration_closes: Mapped[date] = mapped_column(Date)
    open_registration: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_until: Mapped[date] = mapped_column(Date)
    # Categories asked and used as targets; those where "prefer not to say" is allowed.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    prefer_not_allowed: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Organiser's attitude questions: [{"code": "attitude_1", "question": ..., "options": [...]}]
    attitude_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    tolerance: Mapped[int] = mapped_column(Integer, default=10)  # percentage points of panel
    method: Mapped[str] = mapped_column(String(20), default="leximin")
    transparent_panels: Mapped[int | None] = mapped_column(Integer)
    # Anonymous counts kept after the purge: {"pool": {cat: {value: n}}, "panel": {...}}.
    aggregate_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    purged_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[AssemblySession]] = relationship(
        back_populates="assembly", cascade="all, delete-orphan", order_by="AssemblySession.held_on"
    )
    targets: Mapped[list[AssemblyTarget]] = relationship(
        back_populates="assembly", cascade="all, delete-orphan",
        order_by="(AssemblyTarget.category, AssemblyTarget.id)"
    )

    @property
    def last_session(self) -> date | None:
        return max((s.held_on for s in self.sessions), default=None)


class AssemblySession(Base):
    __tablename__ = "assembly_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)

    assembly: Mapped[Assembly] = relationship(back_populates="sessions")


class AssemblyTarget(Base):
    __tablename__ = "assembly_target"
    __table_args__ = (UniqueConstraint("assembly_id", "category", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))
    min_seats: Mapped[int] = mapped_column(Integer)
    max_seats: Mapped[int] = mapped_column(Integer)

    assembly: Mapped[Assembly] = relationship(back_populates="targets")


class InvitationDraw(Base):
    __tablename__ = "assembly_invitation_draw"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    seed: Mapped[str] = mapped_column(String(40))
    requested: Mapped[int] = mapped_column(Integer)
    deprived_share: Mapped[int] = mapped_column(Integer, default=0)  # percent
    addresses_in_file: Mapped[int] = mapped_column(Integer)
    file_sha256: Mapped[str] = mapped_column(String(64))
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invitation(Base):
    __tablename__ = "assembly_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    draw_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_invitation_draw.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # The address is personal data: emptied by the purge.
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    # IMD 2019 quintile of the address (1 = most deprived fifth), from the uploaded file.
    deprivation_quintile: Mapped[str | None] = mapped_column(String(2))
    from_deprived_share: Mapped[bool] = mapped_column(Boolean, default=False)
    used_at: Mapped[datetime | None]


class Registrant(Base):
    """One registration: no name, contact or answers here (see the two tables below)."""

    __tablename__ = "assembly_registrant"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_invitation.id", ondelete="SET NULL"), unique=True
    )
    # A random reference: used in links (confirm, decline) and as the engine's identifier
    # in published fingerprints.
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    household_key: Mapped[str | None] = mapped_column(String(64), index=True)
    by_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    locale: Mapped[str] = mapped_column(String(10), default="en")
    consent_at: Mapped[datetime | None]
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]

    contact: Mapped[RegistrantContact | None] = relationship(
        back_populates="registrant", cascade="all, delete-orphan", uselist=False
    )
    demographics: Mapped[RegistrantDemographics | None] = relationship(
        back_populates="registrant", cascade="all, delete-orphan", uselist=False
    )


class RegistrantContact(Base):
    __tablename__ = "assembly_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    registrant_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_registrant.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(10))
    access_needs: Mapped[str] = mapped_column(Text, default="")

    registrant: Mapped[Registrant] = relationship(back_populates="contact")


class RegistrantDemographics(Base):
    __tablename__ = "assembly_demographics"

    id: Mapped[int] = mapped_column(primary_key=True)
    registrant_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_registrant.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    registrant: Mapped[Registrant] = relationship(back_populates="demographics")


class SelectionRun(Base):
    __tablename__ = "assembly_selection_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="select")  # select | replace
    status: Mapped[str] = mapped_column(String(20), default="queued")
    # queued | done | infeasible | failed | awaiting_number (public draw)
    method: Mapped[str] = mapped_column(String(20))
    engine_version: Mapped[str] = mapped_column(String(80), default="")
    seed: Mapped[str] = mapped_column(String(40))
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pool: Mapped[list[str]] = mapped_column(JSON, default=list)  # registrant ids in the pool
    panel: Mapped[list[str]] = mapped_column(JSON, default=list)
    reserves: Mapped[list[str]] = mapped_column(JSON, default=list)
    probabilities: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    fairness: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    diagnosis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    transparent: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    public_number: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    replaces: Mapped[list[str]] = mapped_column(JSON, default=list)  # dropped ids (replace)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    job_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class Member(Base):
    """A registrant chosen for the panel or as a reserve, and what happened next."""

    __tablename__ = "assembly_member"
    __table_args__ = (UniqueConstraint("assembly_id", "registrant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assembly.id", ondelete="CASCADE"), index=True)
    registrant_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_registrant.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("assembly_selection_run.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))  # panel | reserve
    position: Mapped[int] = mapped_column(Integer, default=0)
    response: Mapped[str] = mapped_column(String(20), default="invited")
    # invited | confirmed | declined | dropped
    response_via: Mapped[str | None] = mapped_column(String(20))  # link | phone
    responded_at: Mapped[datetime | None]
    honorarium_pence: Mapped[int] = mapped_column(Integer, default=0)
    expenses_pence: Mapped[int] = mapped_column(Integer, default=0)
    paid_on: Mapped[date | None] = mapped_column(Date)

    registrant: Mapped[Registrant] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )


class Attendance(Base):
    __tablename__ = "assembly_attendance"
    __table_args__ = (UniqueConstraint("member_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("assembly_member.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_session.id", ondelete="CASCADE"))
    attended: Mapped[bool] = mapped_column(Boolean, default=False)

    member: Mapped[Member] = relationship(back_populates="attendance")
