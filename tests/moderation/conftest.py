"""Moderation tests: an app that sends mail to a real local SMTP server; staff helpers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from tests.accounts.conftest import make_user, sign_in
from tests.conftest import Inbox, mail_app


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    return mail_app(database_url, tmp_path_factory, smtp, "moderation")


def signed_in(app: Flask, db_session: Session, address: str, *roles: str) -> tuple[FlaskClient, User]:
    """A client signed in as a new person holding ``roles`` (staff: second factor given)."""
    user = make_user(db_session, address, *roles)
    client = app.test_client()
    response = sign_in(client, address)
    assert response.status_code == 302
    with client.session_transaction() as session:
        session["2fa"] = True
    return client, user


@pytest.fixture()
def moderator(app: Flask, db_session: Session) -> tuple[FlaskClient, User]:
    return signed_in(app, db_session, "moderator.test@example.org", "moderator")


def make_consultation(db_session: Session, slug: str, texts: list[str],
                      status: str = "submitted") -> tuple[int, list[int]]:
    """A consultation with one long-text and one choice question, and one response per text.
    Returns the consultation id and the ids of the long-text answers."""
    import secrets

    from citizen.consultations.models import (
        Answer,
        Consultation,
        ConsultationTranslation,
        Question,
        Response,
        Section,
    )
    from citizen.db import utcnow

    consultation = Consultation(slug=slug, status="scheduled")
    consultation.translations = [ConsultationTranslation(locale="en", title=f"Test {slug}")]
    db_session.add(consultation)
    db_session.flush()
    section = Section(consultation_id=consultation.id, position=1, title={"en": "One"})
    db_session.add(section)
    db_session.flush()
    text_q = Question(consultation_id=consultation.id, section_id=section.id, code="Q1",
                      position=1, kind="long_text", text={"en": "What do you think?"})
    choice_q = Question(consultation_id=consultation.id, section_id=section.id, code="Q2",
                        position=2, kind="single_choice", text={"en": "Pick"},
                        options=[{"code": "o1", "label": {"en": "Yes"}}])
    db_session.add_all([text_q, choice_q])
    db_session.flush()
    ids = []
    for text in texts:
        response = Response(consultation_id=consultation.id, status=status, locale="en",
                            client_key_hash=secrets.token_hex(32), submitted_at=utcnow())
        db_session.add(response)
        db_session.flush()
        answer = Answer(response_id=response.id, question_id=text_q.id, value_text=text)
        db_session.add_all([answer, Answer(response_id=response.id, question_id=choice_q.id,
                                           value_text="o1")])
        db_session.flush()
        ids.append(answer.id)
    return consultation.id, ids
