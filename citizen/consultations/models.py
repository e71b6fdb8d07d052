"""Tables of the consultations feature.

Personal data is kept apart from answers: a respondent's e-mail address lives in
``consultation_respondent_contact`` (erasable on its own), and equality monitoring answers in
``equality_monitoring_record``, which has no link to the response at all (a random key, the
consultation and the day only), so those answers can never be joined back to one person.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from itertools import chain
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from citizen.db import Base, utcnow


class Status(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    OUTCOME_PUBLISHED = "outcome_published"


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    PHONE = "phone"
    EVENT = "event"
    EASY_READ = "easy_read"


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Consultation(Base):
    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    topic: Mapped[str] = mapped_column(String(60), default="general", index=True)
    # draft / scheduled (published, dates decide open and closed) / closed (closed early) /
    # outcome_published. The status residents see comes from :meth:`current_status`.
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT, index=True)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    anonymous_allowed: Mapped[bool] = mapped_column(default=True)
    post_moderated: Mapped[bool] = mapped_column(default=False)
    equality_monitoring: Mapped[bool] = mapped_column(default=True)
    contact: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    outcome_published_at: Mapped[datetime | None]
    # A random token, replaced whenever the consultation or its texts, places, sections or
    # questions change (see :func:`_new_revisions`): the public response pages cache the
    # loaded consultation per process and check this one column instead of reloading it all.
    revision: Mapped[str] = mapped_column(String(32), default=lambda: new_revision(), server_default="")

    translations: Mapped[list[ConsultationTranslation]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", lazy="selectin"
    )
    places: Mapped[list[ConsultationPlace]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", lazy="selectin"
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan",
        order_by="Section.position", lazy="selectin",
    )

    @property
    def place_slugs(self) -> list[str]:
        return sorted(p.place_slug for p in self.places)

    def current_status(self, now: datetime | None = None) -> Status:
        """What residents see now: the stored status, with the dates deciding open or closed."""
        now = now or utcnow()
        stored = Status(self.status)
        if stored in (Status.DRAFT, Status.CLOSED, Status.OUTCOME_PUBLISHED):
            return stored
        if self.opens_at is not None and now < _aware(self.opens_at):
            return Status.SCHEDULED
        if self.closes_at is not None and now >= _aware(self.closes_at):
            return Status.CLOSED
        return Status.OPEN

    def is_open(self, now: datetime | None = None) -> bool:
        return self.current_status(now) == Status.OPEN

    def translation(self, locale: str) -> ConsultationTranslation:
        """The translation in ``locale``, else English, else any."""
        by_locale = {t.locale: t for t in self.translations}
        found = by_locale.get(locale) or by_locale.get("en") or next(iter(by_locale.values()), None)
        return found or ConsultationTranslation(locale="en", title=self.slug, summary="", body="",
                                                outcome="", privacy_notice="")

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


def new_revision() -> str:
    return secrets.token_hex(16)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


class ConsultationTranslation(Base):
    __tablename__ = "consultation_translation"
    __table_args__ = (UniqueConstraint("consultation_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # sanitised rich text
    privacy_notice: Mapped[str] = mapped_column(Text, default="")  # sanitised rich text
    outcome: Mapped[str] = mapped_column(Text, default="")  # sanitised rich text

    consultation: Mapped[Consultation] = relationship(back_populates="translations")


class ConsultationPlace(Base):
    __tablename__ = "consultation_place"
    __table_args__ = (UniqueConstraint("consultation_id", "place_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    place_slug: Mapped[str] = mapped_column(String(80), index=True)

    consultation: Mapped[Consultation] = relationship(back_populates="places")


class Section(Base):
    __tablename__ = "consultation_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    # {"en": "About you", "ar": "..."}
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    intro: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # {"question": "Q1", "op": "equals" | "not_equals" | "any_of", "value": "o1" | ["o1", ...]}
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Question.position",
        lazy="selectin",
    )


class Question(Base):
    __tablename__ = "consultation_question"
    __table_args__ = (UniqueConstraint("consultation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_section.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))  # "Q1": stable, the export column header
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(30))
    required: Mapped[bool] = mapped_column(default=False)
    text: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    help: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # choices: [{"code": "o1", "label": {"en": "..."}}]; matrix also "statements" in settings
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # kind-specific: max_length, min_selected, max_selected, other, minimum, maximum,
    # statements ([{"code": "s1", "label": {...}}])
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    section: Mapped[Section] = relationship(back_populates="questions")


class Response(Base):
    __tablename__ = "consultation_response"
    __table_args__ = (
        Index("ix_consultation_response_consultation_id_status", "consultation_id", "status", "channel"),
        # Exports read a consultation's responses in id order straight from this index.
        Index("ix_consultation_response_consultation_id_status_id", "consultation_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20), default=Channel.ONLINE)
    status: Mapped[str] = mapped_column(String(20), default=ResponseStatus.DRAFT)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    # The per-form key a browser holds for this response (hashed): a retry or double-click
    # finds the same response instead of making a second one.
    client_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resume_expires_at: Mapped[datetime | None]
    place_slug: Mapped[str | None] = mapped_column(String(80), index=True)
    consent_contact: Mapped[bool] = mapped_column(default=False)
    consent_publish: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime | None]  # paper, phone, event: the day it reached us
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    # When the "your answers are not sent yet" reminder went out (a saved draft gets one).
    reminded_at: Mapped[datetime | None]
    # The answers as export cells (JSON, free text already redacted), written on submission
    # and on every later change, so an export reads one row per response (citizen/exports/
    # cells.py). A version other than the current one means "build them again from the answers".
    export_cells: Mapped[str | None] = mapped_column(Text, deferred=True)
    export_cells_version: Mapped[int | None] = mapped_column(Integer, deferred=True)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin"
    )
    contact: Mapped[RespondentContact | None] = relationship(
        back_populates="response", cascade="all, delete-orphan", uselist=False, lazy="selectin"
    )


class Answer(Base):
    __tablename__ = "consultation_answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        # Results count (question, value_code) straight from this index.
        Index("ix_consultation_answer_question_id_value_code", "question_id", "value_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="CASCADE")
    )
    # Text kinds and single values; multiple choice "|o1|o3|", ranking "|o2:1|o1:2|",
    # matrix "|s1=agree|s2=disagree|" so that SQL can count with LIKE on any database.
    value_text: Mapped[str | None] = mapped_column(Text)
    value_json: Mapped[Any | None] = mapped_column(JSON)
    value_number: Mapped[float | None] = mapped_column(Float)
    # The short stored form of every kind but free text (choice codes, numbers, dates, the
    # delimited forms above), so results can group by it from an index; NULL for free text.
    value_code: Mapped[str | None] = mapped_column(String(255))

    response: Mapped[Response] = relationship(back_populates="answers")


class ResponseChange(Base):
    """One change to a submitted response (by the respondent or by staff): old and new values."""

    __tablename__ = "consultation_response_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # {"Q1": {"old": ..., "new": ...}}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RespondentContact(Base):
    """The e-mail address given with a response, kept apart from the answers and erasable."""

    __tablename__ = "consultation_respondent_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[Response] = relationship(back_populates="contact")


class EqualityMonitoringRecord(Base):
    """Equality monitoring answers of one respondent: no link to the response (a random key, not
    a sequence, and the day only), read only in aggregate."""

    __tablename__ = "equality_monitoring_record"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    recorded_on: Mapped[date]
    age_band: Mapped[str | None] = mapped_column(String(40))
    sex: Mapped[str | None] = mapped_column(String(40))
    gender_identity: Mapped[str | None] = mapped_column(String(40))
    ethnic_group: Mapped[str | None] = mapped_column(String(40))  # one of the five groups
    ethnic_group_detailed: Mapped[str | None] = mapped_column(String(60))
    disability: Mapped[str | None] = mapped_column(String(40))
    carer: Mapped[str | None] = mapped_column(String(40))
    religion: Mapped[str | None] = mapped_column(String(40))
    sexual_orientation: Mapped[str | None] = mapped_column(String(40))
    postcode_district: Mapped[str | None] = mapped_column(String(8))


@event.listens_for(Session, "before_flush")
def _new_revisions(session: Session, _context: Any, _instances: Any) -> None:
    """Give a consultation a new revision when it, or anything residents see of it, changes."""
    touched: set[Consultation] = set()
    with session.no_autoflush:
        for obj in chain(session.new, session.dirty, session.deleted):
            owner: Consultation | None = None
            if isinstance(obj, Consultation):
                owner = obj
            elif isinstance(obj, ConsultationTranslation | ConsultationPlace | Section):
                owner = obj.consultation or (session.get(Consultation, obj.consultation_id)
                                             if obj.consultation_id else None)
            elif isinstance(obj, Question):
                section = obj.section
                owner = section.consultation if section is not None else None
                if owner is None and obj.consultation_id:
                    owner = session.get(Consultation, obj.consultation_id)
            if owner is not None:
                touched.add(owner)
        for consultation in touched:
            if consultation not in session.deleted:
                consultation.revision = new_revision()
