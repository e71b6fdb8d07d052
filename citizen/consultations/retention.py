"""How long a consultation keeps people's personal data, and the daily deletion.

A consultation's answers are its record and stay. What identifies people goes, by these rules
(``days`` is the ``CONSULTATION_CONTACT_DAYS`` setting, ``wait`` ``CONSULTATION_OUTCOME_WAIT_DAYS``):

* **Drafts never sent** (their answers, and the address the return link went to): ``days``
  after the consultation closes. The link stopped working at closing.
* **E-mail addresses given with a sent response**, by someone who did not ask to hear the
  outcome: ``days`` after closing (the address was for the receipt and the change link, which
  stops working at closing).
* **Addresses of people who asked to hear the outcome**: ``days`` after the outcome is
  published (they are e-mailed when it is), or ``wait`` days after closing if it never is.

Equality monitoring answers are already kept apart and cannot be linked to anyone, so they stay.
Residents are told the dates when they give an address (:func:`deletion_dates`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from citizen.consultations.models import (
    Consultation,
    RespondentContact,
    Response,
    ResponseStatus,
    Status,
    _aware,
)
from citizen.consultations.services import LONDON, answers_of
from citizen.db import utcnow
from citizen.moderation import services as moderation
from citizen.shared import audit


@dataclass(frozen=True)
class Retention:
    """The two periods, from the app's settings."""

    days: int = 30
    outcome_wait_days: int = 365

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Retention:
        return cls(days=int(config.get("CONSULTATION_CONTACT_DAYS", cls.days)),
                   outcome_wait_days=int(config.get("CONSULTATION_OUTCOME_WAIT_DAYS",
                                                    cls.outcome_wait_days)))


@dataclass(frozen=True)
class DeletionDates:
    """When a resident's address is deleted at the latest: without and with "tell me the
    outcome". ``None`` when the consultation has no closing date."""

    contact: date | None
    outcome_latest: date | None


def deletion_dates(consultation: Consultation, retention: Retention) -> DeletionDates:
    """The dates to tell a resident who gives an address to ``consultation`` (London days)."""
    if consultation.closes_at is None:
        return DeletionDates(None, None)
    closes = _aware(consultation.closes_at).astimezone(LONDON).date()
    return DeletionDates(closes + timedelta(days=retention.days),
                         closes + timedelta(days=retention.outcome_wait_days))


@dataclass(frozen=True)
class Held:
    """What a consultation holds about people now, for its organisers."""

    addresses: int  # given with a response (sent or draft)
    waiting: int  # of those, on sent responses whose person asked to hear the outcome
    drafts: int  # responses never sent


def held(session: Session, consultation: Consultation) -> Held:
    """Count the addresses and unsent drafts ``consultation`` holds (one query)."""
    sent = Response.status == ResponseStatus.SUBMITTED
    addresses, waiting, drafts = session.execute(
        select(func.count(RespondentContact.id),
               func.count(RespondentContact.id).filter(sent, Response.consent_contact.is_(True)),
               func.count(Response.id).filter(Response.status == ResponseStatus.DRAFT))
        .select_from(Response)
        .outerjoin(RespondentContact, RespondentContact.response_id == Response.id)
        .where(Response.consultation_id == consultation.id)
    ).one()
    return Held(addresses=int(addresses), waiting=int(waiting), drafts=int(drafts))


def purge(session: Session, retention: Retention, now: datetime | None = None) -> dict[str, int]:
    """Delete the drafts and addresses the rules above no longer let us keep. Idempotent.

    Writes one audit event per consultation that lost something (counts only, no addresses).
    Flushes; the caller commits. Returns the totals.
    """
    now = now or utcnow()
    after_grace = now - timedelta(days=retention.days)
    after_wait = now - timedelta(days=retention.outcome_wait_days)
    # Every consultation closed at least ``days`` ago; the outcome rule needs no other, since
    # an outcome is only published after closing.
    closed = list(session.execute(
        select(Consultation.id, Consultation.closes_at, Consultation.outcome_published_at)
        .where(Consultation.status != Status.DRAFT, Consultation.closes_at.is_not(None),
               Consultation.closes_at <= after_grace)
        .order_by(Consultation.id)
    ))
    totals = {"consultations": 0, "drafts": 0, "addresses": 0}
    for consultation_id, closes_at, outcome_at in closed:
        drafts = session.execute(
            delete(Response)
            .where(Response.consultation_id == consultation_id,
                   Response.status == ResponseStatus.DRAFT)
            .execution_options(synchronize_session=False)
        ).rowcount
        sent = select(Response.id).where(Response.consultation_id == consultation_id,
                                         Response.status == ResponseStatus.SUBMITTED)
        told = outcome_at is not None and _aware(outcome_at) <= after_grace
        if not (told or _aware(closes_at) <= after_wait):
            sent = sent.where(Response.consent_contact.is_(False))  # still to hear the outcome
        addresses = session.execute(
            delete(RespondentContact)
            .where(RespondentContact.response_id.in_(sent))
            .execution_options(synchronize_session=False)
        ).rowcount
        # The moderation queue's copy of the address goes too.
        moderation.forget_authors(session, "answer", answers_of(sent))
        # The change links go with the addresses (they stopped working at closing anyway).
        session.execute(
            update(Response)
            .where(Response.id.in_(sent), Response.resume_token_hash.is_not(None))
            .values(resume_token_hash=None, resume_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        if drafts or addresses:
            totals["consultations"] += 1
            totals["drafts"] += drafts
            totals["addresses"] += addresses
            audit.record(session, "consultation.personal_data_deleted",
                         target_type="consultation", target_id=consultation_id,
                         details={"drafts": drafts, "addresses": addresses})
    session.flush()
    session.expire_all()
    return totals
