"""A saved draft gets one reminder shortly before its consultation closes, with a new link
that replaces the old one."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.consultations.models import Response
from citizen.consultations.reminders import send_draft_reminders
from citizen.db import utcnow
from tests.conftest import Inbox
from tests.consultations.helpers import every_kind, return_link
from tests.consultations.test_journey import answer_pages_first
from tests.consultations.test_staff_results import subject


def _saved(app: Flask, c, inbox: Inbox, address: str) -> str:  # type: ignore[no-untyped-def]
    """Answer the first page in a new browser and save for later; the emailed link's path."""
    browser = app.test_client()
    answer_pages_first(browser, c)
    saved = browser.post(f"/consultations/{c.slug}/respond/save", data={"email": address})
    assert "Your answers are saved" in saved.get_data(as_text=True)
    return return_link(inbox.body(inbox.last_to(address)))


def test_one_reminder_shortly_before_closing(app: Flask, client: FlaskClient,
                                             db_session: Session, inbox: Inbox) -> None:
    soon = every_kind(db_session, "Closing soon")
    soon.closes_at = utcnow() + timedelta(days=2)
    later = every_kind(db_session, "Closing later")
    db_session.flush()
    old_link = _saved(app, soon, inbox, "saver@example.org")
    _saved(app, later, inbox, "patient@example.org")
    answer_pages_first(client, soon)  # a draft never saved for later: no address, no reminder
    page = client.get(f"/consultations/{soon.slug}/respond/save").get_data(as_text=True)
    assert "we will email you a reminder" in page
    before = len(inbox.messages)

    assert send_draft_reminders(app) == 1
    assert len(inbox.messages) == before + 1
    mail = inbox.last_to("saver@example.org")
    assert subject(mail["Subject"]) == "Reminder: your answers to “Closing soon” are not sent yet"
    body = inbox.body(mail)
    assert "This link replaces the one we sent you before." in body
    new_link = return_link(body)
    assert new_link != old_link
    assert len(inbox.to("patient@example.org")) == 1  # only the saved link: closes in 10 days
    # The new link opens the answers; the old one no longer does.
    assert app.test_client().get(new_link).status_code == 302
    assert app.test_client().get(old_link).status_code == 404
    response = db_session.scalar(select(Response).where(Response.consultation_id == soon.id,
                                                        Response.reminded_at.is_not(None)))
    assert response is not None

    # Again (the next day): nobody gets a second one.
    assert send_draft_reminders(app, now=utcnow() + timedelta(days=1)) == 0
    assert len(inbox.messages) == before + 1


def test_no_reminder_once_sent_or_closed(app: Flask, db_session: Session, inbox: Inbox) -> None:
    c = every_kind(db_session, "Closing soon too")
    c.closes_at = utcnow() + timedelta(days=2)
    db_session.flush()
    _saved(app, c, inbox, "late@example.org")
    assert send_draft_reminders(app, now=utcnow() + timedelta(days=3)) == 0  # closed by then
