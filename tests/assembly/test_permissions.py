"""Who may see what: every staff page is for organisers and admins only (moderators and
residents get 403, nobody signed in is sent to sign in); organisers see contact details only of
panel members and reserves; every view of a registrant's record is audited."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.assembly import services
from citizen.assembly.demo import DEMO_SLUG
from citizen.assembly.models import Assembly, RegistrantContact
from citizen.shared.audit import AuditEvent
from citizen.shared.permissions import access_of
from tests.accounts.conftest import make_user, sign_in
from tests.assembly.conftest import staff_client

STAFF_GET = ("/assembly/manage", "/assembly/manage/new", "/assembly/manage/{id}/edit",
             "/assembly/manage/{id}", "/assembly/manage/{id}/targets", "/assembly/manage/{id}/pool",
             "/assembly/manage/{id}/members", "/assembly/manage/{id}/finance.csv",
             "/assembly/manage/{id}/phone-registration", "/assembly/manage/{id}/invitations",
             "/assembly/manage/{id}/members/letters.pdf")
STAFF_POST = ("/assembly/manage/{id}/select", "/assembly/manage/{id}/invite",
              "/assembly/manage/{id}/replace")


def _demo(db_session: Session) -> Assembly:
    assembly = db_session.scalar(select(Assembly).where(Assembly.slug == DEMO_SLUG))
    assert assembly is not None
    return assembly


def test_every_assembly_route_declares_access(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("assembly."):
            access = access_of(app.view_functions[rule.endpoint])
            assert access is not None, rule.rule
            if "/manage" in rule.rule:
                assert not access.public and access.roles == {"organiser", "admin"}, rule.rule
            else:
                assert access.public, rule.rule


def test_nobody_signed_in_is_sent_to_sign_in(client: FlaskClient, db_session: Session) -> None:
    assembly = _demo(db_session)
    for path in STAFF_GET:
        response = client.get(path.format(id=assembly.id))
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"], path
    for path in STAFF_POST:
        assert client.post(path.format(id=assembly.id)).status_code == 302


def test_residents_and_moderators_get_403(app: Flask, client: FlaskClient, db_session: Session) -> None:
    assembly = _demo(db_session)
    make_user(db_session, "resident@example.org", "resident")
    sign_in(client, "resident@example.org")
    moderator = staff_client(app, db_session, "moderator@example.org", "moderator")
    for who in (client, moderator):
        for path in STAFF_GET:
            assert who.get(path.format(id=assembly.id)).status_code == 403, path
        for path in STAFF_POST:
            assert who.post(path.format(id=assembly.id)).status_code == 403, path


def test_organiser_reaches_every_staff_page(organiser: FlaskClient, db_session: Session) -> None:
    assembly = _demo(db_session)
    for path in STAFF_GET:
        assert organiser.get(path.format(id=assembly.id)).status_code == 200, path


def test_public_pages_are_open(client: FlaskClient, db_session: Session) -> None:
    for path in (f"/assembly/{DEMO_SLUG}", f"/assembly/{DEMO_SLUG}/register",
                 f"/assembly/{DEMO_SLUG}/registered", "/assembly/your-data"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/assembly/{DEMO_SLUG}/draw").status_code == 404  # no public draw
    assert client.get("/assembly/reply/not-a-ref").status_code == 404
    assert client.get("/assembly/erase/not-a-ref").status_code == 404
    assert client.get("/assembly/no-such-assembly").status_code == 404


def test_organisers_see_contacts_only_of_panel_and_reserves_and_views_are_audited(
    organiser: FlaskClient, db_session: Session,
) -> None:
    assembly = _demo(db_session)
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    db_session.expire_all()
    members = services.members(db_session, assembly)
    chosen = {m.registrant_id for m in members}
    assert len(chosen) == 25
    page = organiser.get(f"/assembly/manage/{assembly.id}/members").get_data(as_text=True)
    contacts = db_session.scalars(select(RegistrantContact).join(RegistrantContact.registrant).where(
        RegistrantContact.registrant.has(assembly_id=assembly.id))).all()
    for contact in contacts:
        assert (contact.email in page) == (contact.registrant_id in chosen), contact.email
    member = members[0]
    record = organiser.get(f"/assembly/manage/{assembly.id}/members/{member.id}")
    assert record.status_code == 200
    events = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assembly.registrant_viewed")).all()
    assert [e.target_id for e in events] == [str(member.registrant_id)]
    assert events[0].actor_id is not None
    listed = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "assembly.members_viewed"))
    assert listed is not None and len(listed.details["registrants"]) == 25
    # A registrant who was not chosen has no record page at all.
    assert organiser.get(f"/assembly/manage/{assembly.id}/members/999999").status_code == 404
