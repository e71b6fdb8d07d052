"""Personal data requests: an app with real SMTP and CSRF off (as the accounts tests), an admin
signed in with two-factor, and one person's records made through each feature's services."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation, User
from citizen.assembly import services as assembly
from citizen.consultations import services as consultations
from citizen.consultations.models import Consultation, Response
from citizen.moderation import services as moderation
from citizen.moderation.models import ModerationItem
from citizen.pledges import services as pledges
from citizen.pledges.models import OrganisationInvitation
from tests.accounts.conftest import make_user
from tests.assembly.conftest import make_assembly
from tests.conftest import Inbox, mail_app
from tests.consultations.helpers import every_kind, staff_client

ADDRESS = "sam.resident@example.org"
OTHER = "other.person@example.org"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    return mail_app(database_url, tmp_path_factory, smtp, "data-requests")


@pytest.fixture()
def admin(app: Flask, db_session: Session) -> FlaskClient:
    return staff_client(app, db_session, "data.admin@example.org", "admin")


@dataclass
class Held:
    """What is held for ADDRESS, one or more records in every feature."""

    user: User
    member_of: Organisation
    claimed: Organisation
    consultation: Consultation
    response: Response  # sent with the address, answers quoted for publication
    account_response: Response  # made signed in, no address given
    registrant_id: int
    invitation: OrganisationInvitation
    moderation_items: list[ModerationItem]  # the response's free text, and one given in capitals
    safeguarding_item: ModerationItem

    def __post_init__(self) -> None:  # ids that outlive an erasure
        self.response_id = self.response.id
        self.invitation_id = self.invitation.id


def respond(session: Session, consultation: Consultation, *, email: str | None,
            user_id: int | None = None, locale: str = "en") -> Response:
    response = consultations.draft_for(session, consultation, secrets.token_urlsafe(24), locale,
                                       user_id=user_id)
    by_code = {q.code: q for q in consultation.questions()}
    consultations.save_answers(session, consultation, response, {
        by_code["Q1"]: "o1", by_code["Q2"]: {"selected": ["o1"], "other": "Bus passes"},
        by_code["Q5"]: "agree", by_code["Q8"]: "2026-03-04",
        by_code["Q11"]: "The clinic in Rugby is too far", by_code["Q12"]: "Because"})
    consultations.submit(session, consultation, response, email=email, consent_contact=True,
                         consent_publish=True, equality=None)
    return response


def hold_records(app: Flask, session: Session, address: str = ADDRESS) -> Held:
    """Records for ``address`` in every feature, made through the features' services (the
    addresses typed in mixed case, as people do)."""
    typed = address.upper()
    with app.test_request_context():
        user = make_user(session, address)
        member_of = pledges.register_organisation(session, user, "Sam's Cafe", "private", "1-9",
                                                  None, ["coventry"])
        colleague = make_user(session, f"colleague.{secrets.token_hex(3)}@example.org")
        claimed = pledges.register_organisation(session, colleague, "Big Employer Ltd",
                                                "public", "250+", None, ["rugby"])
        pledges.claim_organisation(session, user, claimed, "Manager", "I run the canteen")
        pledges.invite_colleague(session, colleague, claimed, typed)
        invitation = pledges.invitations_for_address(session, address)[0]

        consultation = every_kind(session, "Hospital parking")
        response = respond(session, consultation, email=typed)
        account_response = respond(session, consultation, email=None, user_id=user.id)

        gathering = make_assembly(session, title="Assembly on waiting times")
        registrant = assembly.register(session, gathering, assembly.RegistrationData(
            code="", name="Sam Resident", email=typed, phone="07700 900123",
            address="1 Test Street", postcode="CV35 7AA",
            answers={"sex": "female", "age_band": "65_74"}, access_needs="Step-free access",
            consent=True))

        unused = 10**8 + secrets.randbelow(10**8)  # answer ids nothing else has
        shouted = moderation.submit(session, kind="answer", target_id=unused,
                                    text="Written somewhere else", author_email=typed)
        concern = moderation.submit(session, kind="answer", target_id=unused + 1,
                                    text="Please help me", author_email=address)
        concern.safeguarding = True
        session.flush()
    quoted = session.scalars(select(ModerationItem).where(
        ModerationItem.kind == "answer",
        ModerationItem.target_id.in_([a.id for a in response.answers]))
        .order_by(ModerationItem.id)).all()
    return Held(user, member_of, claimed, consultation, response, account_response,
                registrant.id, invitation, [*quoted, shouted], concern)


def today() -> str:
    return date.today().isoformat()
