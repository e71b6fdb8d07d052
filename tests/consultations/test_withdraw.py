"""A resident takes back a response through the link in their receipt: everything that was
theirs goes (answers, history, address, the moderation queue's copy), and they are told."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.consultations.models import (
    Answer,
    EqualityMonitoringRecord,
    RespondentContact,
    Response,
    Status,
)
from citizen.moderation.models import ModerationItem
from citizen.shared.audit import AuditEvent
from tests.conftest import Inbox
from tests.consultations.helpers import every_kind, return_link, submit_key
from tests.consultations.test_journey import answer_pages, send_with_receipt
from tests.consultations.test_staff_results import subject


def test_withdraw_through_the_receipt_link(app: Flask, client: FlaskClient, db_session: Session,
                                           inbox: Inbox) -> None:
    c = every_kind(db_session)
    receipt = send_with_receipt(client, c, inbox, "leaving@example.org", consent_publish="y")
    assert "You can also use it to withdraw your response." in receipt
    path = return_link(receipt)
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None
    response_id = response.id
    answer_ids = [a.id for a in response.answers]
    quoted = db_session.scalars(select(ModerationItem.id).where(
        ModerationItem.kind == "answer", ModerationItem.target_id.in_(answer_ids))).all()
    assert quoted  # the free-text answers went to moderation

    other = app.test_client()  # another device
    assert other.get(path).status_code == 302
    check = other.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    assert f'href="/consultations/{c.slug}/respond/withdraw"' in check
    page = other.get(f"/consultations/{c.slug}/respond/withdraw")
    assert page.status_code == 200
    assert "You cannot undo this" in page.get_data(as_text=True)
    done = other.post(f"/consultations/{c.slug}/respond/withdraw", data={})
    assert done.status_code == 302 and done.headers["Location"].endswith("/respond/withdrawn")
    assert "Your response is withdrawn" in other.get(done.headers["Location"]).get_data(as_text=True)

    db_session.expire_all()
    assert db_session.get(Response, response_id) is None
    assert db_session.scalars(select(Answer).where(Answer.id.in_(answer_ids))).all() == []
    assert db_session.scalars(select(RespondentContact).where(
        RespondentContact.response_id == response_id)).all() == []
    assert db_session.scalars(select(ModerationItem).where(ModerationItem.id.in_(quoted))).all() == []
    # The answers about themselves cannot be told apart, and stay.
    assert db_session.scalars(select(EqualityMonitoringRecord).where(
        EqualityMonitoringRecord.consultation_id == c.id)).all()
    event = db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consultation.response_withdrawn", AuditEvent.target_id == str(c.id)))
    assert event is not None and "@" not in str(event.details)
    mail = inbox.last_to("leaving@example.org")
    assert subject(mail["Subject"]) == "Your response to “Every kind” is withdrawn"
    assert f"http://localhost/consultations/{c.slug}" in inbox.body(mail)
    # The link is dead, and going back to the withdraw page does nothing.
    assert app.test_client().get(path).status_code == 404
    assert other.get(f"/consultations/{c.slug}/respond/withdraw").status_code == 302


def test_withdraw_needs_the_receipt_link_and_an_open_consultation(
        app: Flask, client: FlaskClient, db_session: Session, inbox: Inbox) -> None:
    c = every_kind(db_session)
    # Someone part-way through answering (a draft) cannot withdraw: there is nothing sent.
    answer_pages(client, c, c.slug)
    assert client.get(f"/consultations/{c.slug}/respond/withdraw").status_code == 302
    assert client.post(f"/consultations/{c.slug}/respond/withdraw", data={}).status_code == 302
    html = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    assert "Withdraw my response" not in html
    client.post(f"/consultations/{c.slug}/respond/check",
                data={"submit_key": submit_key(html), "email": "staying@example.org"})
    path = return_link(inbox.body(inbox.last_to("staying@example.org")))
    other = app.test_client()
    assert other.get(path).status_code == 302
    c.status = Status.CLOSED
    db_session.flush()
    closed = other.post(f"/consultations/{c.slug}/respond/withdraw", data={})
    assert closed.status_code == 410
    assert db_session.scalar(select(Response).where(Response.consultation_id == c.id)) is not None
