"""Content tests: an app without CSRF or rate limits (both are tested elsewhere) that sends
mail to the test SMTP server, and a small world of people: an organiser, translators, partner
reviewers and a resident."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation, User, UserRole
from citizen.accounts.passwords import hash_password
from citizen.content import services
from citizen.content.models import ContentPartner, Page, PartnerReviewer, TranslatorAssignment
from citizen.db import utcnow
from tests.accounts.conftest import PASSWORD, sign_in
from tests.conftest import Inbox, mail_app

BODY = "<h2>Keep warm</h2><p>Heat your home to 18 degrees.</p><ul><li>Wear layers.</li></ul>"


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_user(session: Session, email: str, *roles: str) -> User:
    """Like ``tests.accounts.conftest.make_user`` but hashes the password once (argon2 is slow
    on purpose, and these tests make many people)."""
    user = User(email=email, password_hash=_password_hash(), locale="en",
                email_verified_at=utcnow())
    for role in roles or ("resident",):
        user.roles.append(UserRole(role=role))
    session.add(user)
    session.flush()
    return user


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    """Mail goes to the test SMTP server (``inbox``): the workflow e-mails people."""
    return mail_app(database_url, tmp_path_factory, smtp, "content")


@dataclass
class World:
    organiser: User
    translator: User  # Arabic
    pl_translator: User  # Polish
    reviewer: User  # Arabic and Urdu partner
    pl_reviewer: User  # Polish-only partner
    resident: User
    partner: ContentPartner
    pl_partner: ContentPartner
    page: Page


def _partner(session: Session, name: str, slug: str, languages: list[str]) -> ContentPartner:
    organisation = Organisation(name=name, slug=slug)
    session.add(organisation)
    session.flush()
    partner = ContentPartner(organisation_id=organisation.id, languages=languages)
    session.add(partner)
    session.flush()
    return partner


def make_staff(session: Session, email: str, *roles: str) -> User:
    user = make_user(session, email, *roles)
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = utcnow()
    session.flush()
    return user


def staff_sign_in(client: FlaskClient, user: User) -> None:
    response = sign_in(client, user.email)
    assert response.headers["Location"].startswith("/account/two-factor"), response.headers
    assert user.totp_secret
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert done.status_code == 302, done.get_data(as_text=True)


@pytest.fixture()
def world(app: Flask, db_session: Session) -> World:
    organiser = make_staff(db_session, "org@content.example.org", "organiser")
    translator = make_user(db_session, "ar-translator@content.example.org", "resident")
    pl_translator = make_user(db_session, "pl-translator@content.example.org", "resident")
    reviewer = make_user(db_session, "reviewer@content.example.org", "organisation_member")
    pl_reviewer = make_user(db_session, "pl-reviewer@content.example.org", "organisation_member")
    resident = make_user(db_session, "resident@content.example.org", "resident")
    partner = _partner(db_session, "Arab Community Group (test)", "acg-test", ["ar", "ur"])
    pl_partner = _partner(db_session, "Polish Centre (test)", "pc-test", ["pl"])
    db_session.add_all([
        PartnerReviewer(partner_id=partner.id, user_id=reviewer.id),
        PartnerReviewer(partner_id=pl_partner.id, user_id=pl_reviewer.id),
        TranslatorAssignment(user_id=translator.id, locale="ar"),
        TranslatorAssignment(user_id=pl_translator.id, locale="pl"),
    ])
    db_session.flush()
    topic = services.create_topic(db_session, organiser, slug="test-topic", title="Test topic")
    page = services.create_page(
        db_session, organiser, topic=topic, slug="test-page", pillar="behaviours_lifestyles",
        place_slugs=["rugby"], title="Keep warm", summary="Stay warm.", body=BODY)
    services.publish(db_session, organiser, page.translation("en", "standard"))  # type: ignore[arg-type]
    db_session.flush()
    return World(organiser, translator, pl_translator, reviewer, pl_reviewer, resident, partner,
                 pl_partner, page)
