"""Pledge rules at the forms: 1 to 3 actions, dates, sponsor and consent, progress updates;
redactions by moderators; reports hiding a pledge."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.moderation import services as moderation
from citizen.moderation.models import ModerationItem
from citizen.pledges.models import Pledge
from tests.pledges.conftest import ACTION, decide, member_client, register_organisation


def _draft(app: Flask, db_session: Session, address: str) -> tuple[FlaskClient, Pledge]:
    client, _ = member_client(app, db_session, address)
    organisation = register_organisation(client, db_session, name=f"Org of {address}")
    client.post(f"/pledges/organisations/{organisation.slug}/pledges")
    pledge = db_session.scalar(select(Pledge).where(Pledge.organisation_id == organisation.id))
    assert pledge is not None
    return client, pledge


def test_action_mistakes_are_shown_at_the_field_and_kept(app: Flask, db_session: Session) -> None:
    client, pledge = _draft(app, db_session, "lee@l.example")
    response = client.post(f"/pledges/manage/{pledge.id}/actions/new", data={
        **ACTION, "start_date": "2027-13-45", "due_date": "", "target": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a real start date" in page and "Enter a real due date" in page
    assert "Enter a target you can measure" in page
    assert ACTION["description"] in page and 'value="2027-13-45"' in page
    response = client.post(f"/pledges/manage/{pledge.id}/actions/new", data={
        **ACTION, "start_date": "2027-06-01", "due_date": "2027-05-01"})
    assert "The due date must be after the start date" in response.get_data(as_text=True)
    for _ in range(3):
        assert client.post(f"/pledges/manage/{pledge.id}/actions/new", data=ACTION).status_code == 302
    response = client.post(f"/pledges/manage/{pledge.id}/actions/new", data=ACTION)
    assert "up to 3 actions" in response.get_data(as_text=True)
    db_session.expire_all()
    assert len(pledge.actions) == 3
    assert "Add an action" not in client.get(f"/pledges/manage/{pledge.id}").get_data(as_text=True)
    # Removing one renumbers the rest.
    client.post(f"/pledges/manage/{pledge.id}/actions/{pledge.actions[0].id}/remove")
    db_session.expire_all()
    assert [a.position for a in pledge.actions] == [1, 2]


def test_cannot_submit_without_actions_sponsor_and_consent(app: Flask, db_session: Session) -> None:
    client, pledge = _draft(app, db_session, "max@m.example")
    page = client.get(f"/pledges/manage/{pledge.id}").get_data(as_text=True)
    assert "Add at least one action" in page and "Send for review" not in page
    client.post(f"/pledges/manage/{pledge.id}/submit")
    db_session.expire_all()
    assert pledge.status == "draft"
    client.post(f"/pledges/manage/{pledge.id}/actions/new", data=ACTION)
    response = client.post(f"/pledges/manage/{pledge.id}/details", data={
        "sponsor_name": "Nia Jones", "sponsor_role": "Chief executive",
        "accreditations": ["disability_confident"]})
    page = response.get_data(as_text=True)
    assert "must agree to be named publicly" in page
    assert "Choose your Disability Confident level" in page and 'value="Nia Jones"' in page
    assert client.post(f"/pledges/manage/{pledge.id}/details", data={
        "sponsor_name": "Nia Jones", "sponsor_role": "Chief executive", "consent": ["yes"],
        "accreditations": ["disability_confident"], "disability_level": "3"}).status_code == 302
    db_session.expire_all()
    assert [(a.code, a.level) for a in pledge.accreditations] == [("disability_confident", "3")]
    assert client.post(f"/pledges/manage/{pledge.id}/submit").status_code == 302
    db_session.expire_all()
    assert pledge.status == "submitted"
    # Once sent, it cannot be changed until it is returned.
    response = client.post(f"/pledges/manage/{pledge.id}/actions/new", data=ACTION)
    assert response.status_code == 302
    db_session.expire_all()
    assert len(pledge.actions) == 1


def _approved(app: Flask, db_session: Session, address: str) -> tuple[FlaskClient, Pledge]:
    client, pledge = _draft(app, db_session, address)
    client.post(f"/pledges/manage/{pledge.id}/actions/new", data={
        **ACTION, "description": "Call Pat on 07700 900123 about the living wage."})
    client.post(f"/pledges/manage/{pledge.id}/details", data={
        "sponsor_name": "Pat Example", "sponsor_role": "Director", "consent": ["yes"]})
    client.post(f"/pledges/manage/{pledge.id}/submit")
    return client, pledge


def test_redactions_by_the_moderator_are_what_the_public_sees(
    app: Flask, db_session: Session
) -> None:
    client, pledge = _approved(app, db_session, "pat@p.example")
    item = moderation.find_item(db_session, "pledge", pledge.id)
    assert item is not None and item.findings, "the phone number is found"
    with app.test_request_context():
        moderation.redact_all(db_session, item, None)
    decide(app, db_session, "pledge", pledge.id, "approve")
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "07700 900123" not in page and "about the living wage." in page
    assert "07700 900123" not in client.get("/pledges/open-data.csv").get_data(as_text=True)


def test_progress_updates_are_checked_and_only_for_published_pledges(
    app: Flask, db_session: Session
) -> None:
    client, pledge = _approved(app, db_session, "quinn@q.example")
    db_session.expire_all()
    action = pledge.actions[0]
    path = f"/pledges/manage/{pledge.id}/actions/{action.id}/progress"
    assert client.get(path).status_code == 302  # not published yet
    decide(app, db_session, "pledge", pledge.id, "approve")
    response = client.post(path, data={"status": "done", "text": "", "evidence_url": "ftp:/x"})
    page = response.get_data(as_text=True)
    assert "Write a short update" in page and "Enter a web address starting with https://" in page
    assert client.post(path, data={"status": "in_progress", "text": "Half way."}).status_code == 302
    db_session.expire_all()
    update = pledge.actions[0].updates[-1]
    decide(app, db_session, "pledge_update", update.id, "reject", reason_code="other",
           reason_text="Say how many staff.")
    db_session.expire_all()
    assert update.state == "returned" and pledge.actions[0].progress_status == "planned"
    page = client.get(f"/pledges/manage/{pledge.id}").get_data(as_text=True)
    assert "Say how many staff." in page


def test_enough_reports_hide_a_pledge(app: Flask, db_session: Session) -> None:
    _client, pledge = _approved(app, db_session, "ray@r.example")
    decide(app, db_session, "pledge", pledge.id, "approve")
    item = moderation.find_item(db_session, "pledge", pledge.id)
    assert item is not None
    with app.test_request_context():
        for n in range(3):
            moderation.report(db_session, item, reason="other", details=None,
                              reporter_hash=f"visitor-{n}")
    db_session.expire_all()
    assert pledge.status == "hidden"
    assert app.test_client().get(f"/pledges/{pledge.id}").status_code == 404


def test_a_sponsor_can_withdraw_consent_after_publication(app: Flask, db_session: Session) -> None:
    client, pledge = _approved(app, db_session, "sol@s.example")
    decide(app, db_session, "pledge", pledge.id, "approve")
    assert "Pat Example" in app.test_client().get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert client.post(f"/pledges/manage/{pledge.id}/withdraw-consent").status_code == 302
    page = app.test_client().get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "Pat Example" not in page and "Director" not in page
    db_session.expire_all()
    assert pledge.status == "approved" and pledge.sponsor_name == "" and not pledge.consent_public


def test_removing_an_action_takes_its_updates_out_of_the_moderation_queue(
    app: Flask, db_session: Session
) -> None:
    """A pledge returned after publication can lose an action, and the action's progress
    updates with it: no moderator reads their words again, and a later update given the same
    id starts afresh. An open safeguarding concern stays for the safeguarding lead."""
    client, pledge = _approved(app, db_session, "uma@u.example")
    decide(app, db_session, "pledge", pledge.id, "approve")
    db_session.expire_all()
    action = pledge.actions[0]
    path = f"/pledges/manage/{pledge.id}/actions/{action.id}/progress"
    for words in ("Approved: paid from April.", "Waiting: Dr Kim Lee started the scheme.",
                  "Worrying words."):
        assert client.post(path, data={"status": "in_progress", "text": words}).status_code == 302
    db_session.expire_all()
    approved, waiting, concern = (u.id for u in action.updates)
    decide(app, db_session, "pledge_update", approved, "approve")
    decide(app, db_session, "pledge_update", concern, "escalate")
    # Reported after publication, the pledge is returned to the organisation to change.
    decide(app, db_session, "pledge", pledge.id, "reject", reason_code="other",
           reason_text="Take out the first action.")
    db_session.expire_all()
    assert pledge.status == "returned"

    assert client.post(f"/pledges/manage/{pledge.id}/actions/{action.id}/remove").status_code == 302
    db_session.expire_all()
    assert pledge.actions == []
    assert moderation.find_item(db_session, "pledge_update", approved) is None
    assert moderation.find_item(db_session, "pledge_update", waiting) is None
    queue = db_session.scalars(moderation.queue_query(moderation.QueueFilter(state="all")))
    assert "Dr Kim Lee" not in " ".join(item.original_text for item in queue)
    assert moderation.find_item(db_session, "pledge_update", concern) is None  # detached
    kept = db_session.scalar(select(ModerationItem).where(ModerationItem.kind == "pledge_update",
                                                          ModerationItem.target_id < 0))
    assert kept is not None and kept.safeguarding and kept.original_text == "Worrying words."
