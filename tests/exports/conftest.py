"""Exports tests: an app without CSRF (tested elsewhere), staff who have signed in with two
factors, and a consultation with responses whose authors gave e-mail addresses."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from citizen.db import utcnow
from tests.accounts.conftest import make_user, sign_in


def make_app(database_url: str, instance: Path, **overrides: Any) -> Flask:
    """Migrated, with places and demo accounts only: these tests make their own data, and do
    not depend on other features' demo data."""
    from citizen.app import create_app
    from citizen.cli import upgrade_database
    from citizen.db import unit_of_work
    from citizen.demo import seed_demo_accounts
    from citizen.places.services import seed_places

    config: dict[str, Any] = {
        "env": "test", "database_url": database_url, "instance_path": instance,
        "secret_key": "test-secret-key-that-is-long-enough-for-anything", "redis_url": None,
        "ratelimit_enabled": False, "WTF_CSRF_ENABLED": False}
    config.update(overrides)
    app = create_app(config)
    upgrade_database(app)
    with app.app_context(), unit_of_work(app) as session:
        seed_places(session)
        seed_demo_accounts(session)
    return app


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_app(database_url, tmp_path_factory.mktemp("exports-instance"))


def signed_in(app: Flask, user: User, session: Session) -> FlaskClient:
    """A client signed in as ``user``, with the second factor given for staff."""
    client = app.test_client()
    if user.is_staff and not user.two_factor_enabled:
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = utcnow()
        session.flush()
    response = sign_in(client, user.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    if user.is_staff:
        assert user.totp_secret is not None
        done = client.post("/account/two-factor", data={"code": pyotp.TOTP(user.totp_secret).now()})
        assert done.status_code == 302, done.get_data(as_text=True)
    return client


def person(app: Flask, session: Session, *roles: str) -> tuple[User, FlaskClient]:
    user = make_user(session, f"{'-'.join(roles)}-{uuid.uuid4().hex[:8]}@staff.example", *roles)
    return user, signed_in(app, user, session)


@dataclass
class Seeded:
    consultation_id: int
    emails: list[str] = field(default_factory=list)
    answer_ids: dict[str, int] = field(default_factory=dict)
    response_ids: list[int] = field(default_factory=list)


FREE_TEXTS = [
    "The nurse was kind. Call me on 07700 900123 or write to sam.jones@example.org",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "Parking is hard near the hospital at CV1 2AB",
    "Nothing to add",
]


def seed_consultation(session: Session, responses: int = 12, *, equality: int = 0,
                      submitted_on: dt.date | None = None) -> Seeded:
    """A consultation with six kinds of question and ``responses`` submitted responses, each
    with a contact e-mail address; one is from a signed-in resident (two responses)."""
    from citizen.consultations.models import (
        Answer,
        Consultation,
        ConsultationTranslation,
        EqualityMonitoringRecord,
        Question,
        RespondentContact,
        Response,
        Section,
    )

    slug = f"export-test-{uuid.uuid4().hex[:8]}"
    consultation = Consultation(slug=slug, status="scheduled", equality_monitoring=True)
    consultation.translations.append(ConsultationTranslation(locale="en", title="Hospital parking"))
    section = Section(position=0, title={"en": "Your views"})
    consultation.sections.append(section)
    session.add(consultation)
    session.flush()

    def question(code: str, kind: str, text: str, **extra: Any) -> Question:
        q = Question(consultation_id=consultation.id, section_id=section.id, code=code,
                     position=len(section.questions), kind=kind, text={"en": text}, **extra)
        section.questions.append(q)
        return q

    options = [{"code": "o1", "label": {"en": "Yes"}}, {"code": "o2", "label": {"en": "No"}},
               {"code": "o3", "label": {"en": "Sometimes"}}]
    q1 = question("Q1", "single_choice", "Did you find a space?", options=options)
    q2 = question("Q2", "long_text", "Tell us more")
    q3 = question("Q3", "multiple_choice", "How did you travel?", options=options,
                  settings={"other": True})
    q4 = question("Q4", "matrix", "How far do you agree?",
                  settings={"statements": [{"code": "s1", "label": {"en": "Fees are fair"}},
                                           {"code": "s2", "label": {"en": "Signs are clear"}}]})
    q5 = question("Q5", "number", "How many minutes did you look for a space?")
    q6 = question("Q6", "rating", "Rate the car park")
    session.flush()

    resident = make_user(session, f"resident-{uuid.uuid4().hex[:8]}@people.example", "resident")
    seeded = Seeded(consultation.id)
    seeded.emails.append(resident.email)
    when = dt.datetime.combine(submitted_on or dt.date(2026, 11, 2), dt.time(10), tzinfo=dt.UTC)
    for i in range(responses):
        response = Response(consultation_id=consultation.id, status="submitted", channel="online",
                            locale="en", client_key_hash=uuid.uuid4().hex, place_slug="coventry",
                            reference=f"T{uuid.uuid4().hex[:10].upper()}",
                            submitted_at=when + dt.timedelta(days=i),
                            user_id=resident.id if i in (0, 1) else None)
        email = f"respondent{i}-{uuid.uuid4().hex[:6]}@people.example"
        seeded.emails.append(email)
        response.contact = RespondentContact(email=email)
        text = FREE_TEXTS[i % len(FREE_TEXTS)]
        response.answers = [
            Answer(question_id=q1.id, value_text="o1" if i % 2 else "o2"),
            Answer(question_id=q2.id, value_text=text),
            Answer(question_id=q3.id, value_text="|o1|o3|",
                   value_json={"selected": ["o1", "o3"],
                               "other": f"by bus, ring 07700 900{i:03d}" if i == 2 else None}),
            Answer(question_id=q4.id, value_text="|s1=agree|s2=disagree|",
                   value_json={"s1": "agree", "s2": "disagree"}),
            Answer(question_id=q5.id, value_text=str(i * 5), value_number=float(i * 5)),
            Answer(question_id=q6.id, value_text=str(1 + i % 5)),
        ]
        session.add(response)
        session.flush()
        seeded.response_ids.append(response.id)
        seeded.answer_ids[f"Q2-{i}"] = response.answers[1].id
        seeded.answer_ids[f"Q3-{i}"] = response.answers[2].id
    # A draft is never exported.
    session.add(Response(consultation_id=consultation.id, status="draft", channel="online",
                         client_key_hash=uuid.uuid4().hex))
    for i in range(equality):
        session.add(EqualityMonitoringRecord(
            id=uuid.uuid4().hex, consultation_id=consultation.id, recorded_on=when.date(),
            age_band="25-34" if i < equality - 4 else ("85+" if i % 2 else "16-24"),
            sex="female" if i % 2 else "male", ethnic_group="white" if i < equality - 1 else "asian",
        ))
    session.flush()
    return seeded
