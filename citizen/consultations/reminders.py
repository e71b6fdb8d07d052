"""A reminder to people who saved their answers for later and have not sent them, shortly
before the consultation closes (``flask --app wsgi send-draft-reminders``, part of ``daily``).

Each saved draft gets one reminder, with a new link: only the link's hash is kept, so the old
one cannot be sent again, and the new one replaces it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import Flask, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from citizen.consultations.models import Consultation, Response, ResponseStatus, Status
from citizen.consultations.services import hash_token, to_london
from citizen.db import unit_of_work, utcnow
from citizen.mail import Mail, deliver_all, links_context, render_mail

# How long before closing a saved draft's reminder goes out (the command runs daily).
REMIND_BEFORE = timedelta(days=3)


def send_draft_reminders(app: Flask, now: datetime | None = None) -> int:
    """Remind everyone whose saved draft is in a consultation closing within ``REMIND_BEFORE``;
    return how many were reminded. Commits the new links and ``reminded_at`` before any mail
    leaves, so running it again never sends a second reminder."""
    now = now or utcnow()
    outbox: list[Mail] = []
    with links_context(app), unit_of_work(app) as session:
        drafts = session.execute(
            select(Response, Consultation)
            .join(Consultation, Consultation.id == Response.consultation_id)
            .where(Response.status == ResponseStatus.DRAFT, Response.reminded_at.is_(None),
                   Response.resume_token_hash.is_not(None),
                   Consultation.status == Status.SCHEDULED, Consultation.opens_at <= now,
                   Consultation.closes_at > now, Consultation.closes_at <= now + REMIND_BEFORE)
            .options(selectinload(Response.contact))
            .order_by(Response.id)
        ).all()
        for response, consultation in drafts:
            if response.contact is None:
                continue
            token = secrets.token_urlsafe(32)
            response.resume_token_hash = hash_token(token)
            response.reminded_at = now
            locale = response.contact.locale or response.locale
            outbox.append(render_mail(
                "consultations_draft_reminder", response.contact.email, locale,
                title=consultation.translation(locale).title,
                resume_url=url_for("consultations.resume", token=token, _external=True),
                closes=to_london(consultation.closes_at)))
        session.flush()
    deliver_all(app, outbox)
    return len(outbox)
