"""One organisation cannot see or touch another's pledges, profile or members."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.pledges.models import Pledge, PledgeAction
from tests.pledges.conftest import ACTION, member_client, register_organisation


@pytest.fixture()
def two_organisations(app: Flask, db_session: Session) -> tuple[FlaskClient, FlaskClient, Pledge]:
    alice, _ = member_client(app, db_session, "alice@a.example")
    bob, _ = member_client(app, db_session, "bob@b.example")
    register_organisation(alice, db_session, name="Alpha Builders")
    register_organisation(bob, db_session, name="Beta Bakers")
    response = alice.post("/pledges/organisations/alpha-builders/pledges")
    assert response.status_code == 302
    pledge = db_session.scalar(select(Pledge).order_by(Pledge.id.desc()))
    assert pledge is not None
    assert alice.post(f"/pledges/manage/{pledge.id}/actions/new", data=ACTION).status_code == 302
    return alice, bob, pledge


def test_another_organisation_gets_not_found_everywhere(
    two_organisations: tuple[FlaskClient, FlaskClient, Pledge], db_session: Session
) -> None:
    alice, bob, pledge = two_organisations
    db_session.expire_all()
    action = pledge.actions[0]
    base = f"/pledges/manage/{pledge.id}"
    for path in (base, f"{base}/examples", f"{base}/actions/new", f"{base}/actions/{action.id}",
                 f"{base}/details", f"{base}/actions/{action.id}/progress",
                 "/pledges/organisations/alpha-builders",
                 "/pledges/organisations/alpha-builders/edit",
                 "/pledges/organisations/alpha-builders/invite",
                 "/pledges/organisations/alpha-builders/leave"):
        assert bob.get(path).status_code == 404, path
        assert alice.get(path).status_code in (200, 302), path
    writes = {
        f"{base}/actions/new": ACTION,
        f"{base}/actions/{action.id}": {**ACTION, "description": "Hijacked"},
        f"{base}/actions/{action.id}/remove": {},
        f"{base}/details": {"sponsor_name": "Mallory", "sponsor_role": "Boss", "consent": ["yes"]},
        f"{base}/submit": {},
        f"{base}/withdraw-consent": {},
        f"{base}/actions/{action.id}/progress": {"status": "done", "text": "Hijacked"},
        "/pledges/organisations/alpha-builders/pledges": {},
        "/pledges/organisations/alpha-builders/edit": {"sector": "public", "size_band": "1-9",
                                                       "places": ["rugby"]},
        "/pledges/organisations/alpha-builders/invite": {"email": "mallory@b.example"},
    }
    for path, data in writes.items():
        assert bob.post(path, data=data).status_code == 404, path
    db_session.expire_all()
    assert pledge.status == "draft" and pledge.sponsor_name == ""
    assert [a.description for a in pledge.actions] == [ACTION["description"]]
    assert db_session.scalar(select(PledgeAction).where(
        PledgeAction.description == "Hijacked")) is None
    assert db_session.scalar(select(Pledge).where(Pledge.organisation_id == pledge.organisation_id)
                             .where(Pledge.id != pledge.id)) is None


def test_not_signed_in_is_sent_to_sign_in(app: Flask, db_session: Session) -> None:
    client = app.test_client()
    for path in ("/pledges/organisations", "/pledges/organisations/new", "/pledges/manage/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_residents_cannot_reach_staff_pages(app: Flask, db_session: Session) -> None:
    client, _ = member_client(app, db_session, "carol@c.example")
    for path in ("/pledges/review", "/pledges/review/1", "/pledges/catalogue",
                 "/pledges/catalogue/new"):
        assert client.get(path).status_code == 403, path
    assert client.post("/pledges/review/claims/1", data={"decision": "approve"}).status_code == 403


def test_draft_and_submitted_pledges_are_not_public(
    two_organisations: tuple[FlaskClient, FlaskClient, Pledge], app: Flask
) -> None:
    _, _, pledge = two_organisations
    anonymous = app.test_client()
    assert anonymous.get(f"/pledges/{pledge.id}").status_code == 404
    assert "Alpha Builders" not in anonymous.get("/pledges/").get_data(as_text=True)
    assert "Alpha Builders" not in anonymous.get("/pledges/open-data.csv").get_data(as_text=True)
