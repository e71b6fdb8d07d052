"""Organisations: registering (with mistakes), inviting a colleague by email, leaving, and
asking to join an existing organisation, which an organiser must approve."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import OrganisationMembership, User
from citizen.pledges.models import OrganisationClaim, OrganisationInvitation, OrganisationProfile
from citizen.shared.audit import AuditEvent
from tests.accounts.conftest import make_user, sign_in
from tests.accounts.test_staff import staff_client
from tests.conftest import Inbox
from tests.pledges.conftest import ORGANISATION, member_client, register_organisation


def test_registration_mistakes_are_shown_and_nothing_typed_is_lost(
    app: Flask, db_session: Session
) -> None:
    client, _ = member_client(app, db_session, "dee@d.example")
    response = client.post("/pledges/organisations/new", data={
        "name": "Dee's Deli", "website": "not a website", "places": ["coventry"],
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose the sector" in page and "Choose how many people work for it" in page
    assert 'value="Dee&#39;s Deli"' in page
    assert 'value="coventry" checked' in page
    response = client.post("/pledges/organisations/new", data={
        "name": "Dee's Deli", "sector": "private", "size_band": "1-9", "places": ["coventry"],
        "website": "not a website",
    })
    page = response.get_data(as_text=True)
    assert "Enter a real web address" in page and 'value="not a website"' in page
    # A place that does not exist is refused at the field.
    response = client.post("/pledges/organisations/new", data={
        "name": "Dee's Deli", "sector": "private", "size_band": "1-9", "places": ["atlantis"]})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)
    assert db_session.scalar(select(OrganisationProfile).join(OrganisationProfile.organisation)
                             .where(OrganisationProfile.website.is_(None))
                             .where(OrganisationProfile.sector == "private")
                             .where(OrganisationProfile.size_band == "1-9")) is None
    organisation = register_organisation(client, db_session, name="Dee's Deli",
                                         website="deli.example")
    profile = db_session.scalar(select(OrganisationProfile).where(
        OrganisationProfile.organisation_id == organisation.id))
    assert profile is not None and profile.website == "https://deli.example"
    assert profile.place_slugs == ["coventry", "rugby"]


def test_an_existing_name_cannot_be_registered_again(app: Flask, db_session: Session) -> None:
    first, _ = member_client(app, db_session, "eve@e.example")
    register_organisation(first, db_session)
    second, _ = member_client(app, db_session, "frank@f.example")
    response = second.post("/pledges/organisations/new", data={**ORGANISATION,
                                                                "name": "spon end PRINTERS"})
    page = response.get_data(as_text=True)
    assert "already exists" in page and "/pledges/organisations/spon-end-printers/join" in page


def test_invite_a_colleague_who_then_joins_and_leaves(
    app: Flask, db_session: Session, inbox: Inbox
) -> None:
    owner, _ = member_client(app, db_session, "gita@g.example")
    organisation = register_organisation(owner, db_session)
    assert owner.post(f"/pledges/organisations/{organisation.slug}/invite",
                      data={"email": "not an address"}).status_code == 200
    response = owner.post(f"/pledges/organisations/{organisation.slug}/invite",
                          data={"email": "Hari@H.example"})
    assert response.status_code == 302
    mail = inbox.last_to("hari@h.example")
    link = re.search(r"http://localhost(/pledges/invitations/\S+)", inbox.body(mail))
    assert link, inbox.body(mail)
    # Someone else who got hold of the link cannot use it.
    stranger, _ = member_client(app, db_session, "ivan@i.example")
    stranger.post(link.group(1))
    assert "different email address" in stranger.post(link.group(1)).get_data(as_text=True)
    colleague, hari = member_client(app, db_session, "hari@h.example")
    assert "Join Spon End Printers" in colleague.get(link.group(1)).get_data(as_text=True)
    assert colleague.post(link.group(1)).status_code == 302
    db_session.expire_all()
    assert "organisation_member" in hari.role_names
    assert colleague.get(f"/pledges/organisations/{organisation.slug}").status_code == 200
    # Single use.
    assert "already been used" in colleague.get(link.group(1)).get_data(as_text=True)
    # Leaving ends access.
    assert colleague.post(f"/pledges/organisations/{organisation.slug}/leave").status_code == 302
    assert colleague.get(f"/pledges/organisations/{organisation.slug}").status_code == 404
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"organisation.invited", "organisation.joined", "organisation.left"} <= actions


def test_claiming_an_existing_organisation_needs_an_organiser(
    app: Flask, db_session: Session, inbox: Inbox
) -> None:
    claimant, person = member_client(app, db_session, "jay@riverside.example")
    found = claimant.get("/pledges/organisations?q=riverside").get_data(as_text=True)
    assert "Riverside Care Home (demo)" in found
    path = "/pledges/organisations/riverside-care-home-demo"
    assert claimant.get(path).status_code == 404
    response = claimant.post(f"{path}/join", data={"job_title": "", "reason": ""})
    assert "Enter your job title" in response.get_data(as_text=True)
    assert claimant.post(f"{path}/join", data={
        "job_title": "Home manager", "reason": "I run the home."}).status_code == 302
    again = claimant.post(f"{path}/join", data={"job_title": "Home manager", "reason": "Again"})
    assert "already asked to join" in again.get_data(as_text=True)
    assert claimant.get(path).status_code == 404  # not until an organiser agrees

    organiser = staff_client(app, db_session, "olu@partnership.example", "organiser")
    listing = organiser.get("/pledges/review").get_data(as_text=True)
    assert "jay@riverside.example" in listing and "I run the home." in listing
    assert db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "pledges.claims_viewed")) is not None
    claim = db_session.scalar(select(OrganisationClaim).where(OrganisationClaim.user_id == person.id))
    assert claim is not None
    assert organiser.post(f"/pledges/review/claims/{claim.id}",
                          data={"decision": "approve"}).status_code == 302
    db_session.expire_all()
    assert claim.state == "approved"
    assert claimant.get(path).status_code == 200
    assert inbox.last_to("jay@riverside.example")["Subject"] == \
        "You can now act for Riverside Care Home (demo)"
    assert db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "organisation.claim_approved")) is not None


def test_a_moderator_sees_the_review_list_but_cannot_decide_claims(
    app: Flask, db_session: Session
) -> None:
    moderator = staff_client(app, db_session, "mo@healthwatch.example", "moderator")
    assert moderator.get("/pledges/review").status_code == 200
    assert moderator.post("/pledges/review/claims/1", data={"decision": "approve"}).status_code == 403


def test_memberships_are_not_shared_between_people(app: Flask, db_session: Session) -> None:
    make_user(db_session, "kim@k.example", "resident", "organisation_member")
    client = app.test_client()
    sign_in(client, "kim@k.example")
    # The organisation_member role alone gives no organisation.
    assert client.get("/pledges/organisations/canal-side-bakery-demo").status_code == 404
    kim = db_session.scalar(select(User).where(User.email == "kim@k.example"))
    assert kim is not None
    assert db_session.scalar(select(OrganisationMembership).where(
        OrganisationMembership.user_id == kim.id)) is None


def test_invitations_that_expire_unused_are_deleted_by_the_daily_command(
    app: Flask, db_session: Session, inbox: Inbox
) -> None:
    owner, _ = member_client(app, db_session, "kim@k.example")
    organisation = register_organisation(owner, db_session)
    started = datetime.now(UTC)
    with time_machine.travel(started, tick=False):
        for address in ("lee@l.example", "mo@m.example"):
            assert owner.post(f"/pledges/organisations/{organisation.slug}/invite",
                              data={"email": address}).status_code == 302
        link = re.search(r"http://localhost(/pledges/invitations/\S+)",
                         inbox.body(inbox.last_to("mo@m.example")))
        assert link
        colleague, _ = member_client(app, db_session, "mo@m.example")
        assert colleague.post(link.group(1)).status_code == 302
    runner = app.test_cli_runner()

    def addresses() -> list[str]:
        db_session.expire_all()
        return sorted(db_session.scalars(select(OrganisationInvitation.email)))

    # Still usable the day before it expires: kept.
    with time_machine.travel(started + timedelta(days=13), tick=False):
        result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "Expired invitations deleted: 0" in result.output
    assert addresses() == ["", "lee@l.example"]
    # Expired and never used: the address goes; the used one (address already blanked) stays.
    with time_machine.travel(started + timedelta(days=15), tick=False):
        result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "Expired invitations deleted: 1" in result.output
    assert addresses() == [""]
    event = db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "organisation.invitations_expired"))
    assert event is not None and event.target_id == str(organisation.id)
    assert "lee@l.example" not in str(event.details)
