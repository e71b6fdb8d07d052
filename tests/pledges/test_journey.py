"""The whole journey: an organisation signs up, pledges two actions from the catalogue, is
returned with comments, resubmits, is approved, appears on the wall, posts progress, and the
reminders go out through the real SMTP server at the right dates (time travel, no sleeps)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.moderation import services as moderation
from citizen.pledges.models import Pledge, PledgeReminder, PledgeUpdate
from citizen.pledges.reminders import add_months
from tests.accounts.test_staff import staff_client
from tests.conftest import Inbox
from tests.pledges.conftest import ACTION, catalogue_id, decide, member_client, register_organisation


def test_whole_journey(app: Flask, db_session: Session, inbox: Inbox) -> None:
    client, member = member_client(app, db_session, "jo@printers.example")

    # The organisation signs up; Jo may now act for it.
    organisation = register_organisation(client, db_session)
    db_session.expire_all()
    assert "organisation_member" in member.role_names
    page = client.get(f"/pledges/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Spon End Printers" in page and "jo@printers.example" in page

    # A pledge: two actions picked from the catalogue and adapted.
    response = client.post(f"/pledges/organisations/{organisation.slug}/pledges")
    assert response.status_code == 302
    pledge = db_session.scalar(select(Pledge).where(Pledge.organisation_id == organisation.id))
    assert pledge is not None and pledge.status == "draft"
    choose = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pay the real living wage" in choose and "Use this example" in choose
    wage = catalogue_id(db_session, "real-living-wage")
    prefilled = client.get(f"/pledges/manage/{pledge.id}/actions/new?example={wage}")
    assert "Pay everyone who works for us" in prefilled.get_data(as_text=True)
    assert client.post(f"/pledges/manage/{pledge.id}/actions/new", data={
        **ACTION, "catalogue_action_id": str(wage),
        "description": "Pay all our printers and drivers at least the real living wage.",
        "target": "Better pay",
    }).status_code == 302
    screening = catalogue_id(db_session, "screening-time")
    assert client.post(f"/pledges/manage/{pledge.id}/actions/new", data={
        **ACTION, "catalogue_action_id": str(screening), "pillar": "integrated_care",
        "description": "Paid time off for cancer screening and flu jabs.",
        "target": "Policy agreed and told to all staff twice a year",
        "start_date": "2027-02-01", "due_date": "2027-06-30",
    }).status_code == 302
    assert client.post(f"/pledges/manage/{pledge.id}/details", data={
        "sponsor_name": "Priya Kaur", "sponsor_role": "Managing director",
        "accreditations": ["real_living_wage"], "consent": ["yes"],
    }).status_code == 302
    assert client.post(f"/pledges/manage/{pledge.id}/submit").status_code == 302
    db_session.expire_all()
    assert pledge.status == "submitted"
    assert [a.catalogue_action_id for a in pledge.actions] == [wage, screening]
    assert moderation.state_of(db_session, "pledge", pledge.id) == "pending"
    # Not public while it waits.
    assert client.get(f"/pledges/{pledge.id}").status_code == 404

    # A moderator returns it with comments in the moderation queue; Jo is told and sees them.
    moderator = staff_client(app, db_session, "mod@healthwatch.example", "moderator")
    item = moderation.find_item(db_session, "pledge", pledge.id)
    assert item is not None
    queue_page = moderator.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert f"/pledges/review/{pledge.id}" in queue_page
    review = moderator.get(f"/pledges/review/{pledge.id}").get_data(as_text=True)
    assert "Priya Kaur" in review and "Pay all our printers" in review
    assert moderator.post(f"/moderation/items/{item.id}/decide", data={
        "decision": "reject", "reason": "other",
        "reason_text": "Please make the pay target measurable."}).status_code == 302
    db_session.expire_all()
    assert pledge.status == "returned"
    returned = inbox.last_to("jo@printers.example")
    assert returned["Subject"] == "Your pledge needs some changes"
    assert "Please make the pay target measurable." in inbox.body(returned)
    manage = client.get(f"/pledges/manage/{pledge.id}").get_data(as_text=True)
    assert "Please make the pay target measurable." in manage

    # Jo changes the target and sends it again.
    first = pledge.actions[0]
    assert client.post(f"/pledges/manage/{pledge.id}/actions/{first.id}", data={
        **ACTION, "description": first.description,
        "target": "Every member of staff paid at least £12.60 an hour by 31 December 2027",
    }).status_code == 302
    assert client.post(f"/pledges/manage/{pledge.id}/submit").status_code == 302
    db_session.expire_all()
    assert pledge.status == "submitted"
    assert moderation.state_of(db_session, "pledge", pledge.id) == "pending"

    # Approved: public, on the wall, in the feed; Jo is told.
    with time_machine.travel(datetime(2027, 1, 10, 9, 0, tzinfo=UTC), tick=False):
        approver = staff_client(app, db_session, "mod2@healthwatch.example", "moderator")
        assert approver.post(f"/moderation/items/{item.id}/decide",
                             data={"decision": "approve"}).status_code == 302
    db_session.expire_all()
    assert pledge.status == "approved"
    assert inbox.last_to("jo@printers.example")["Subject"] == "Your pledge is published"
    wall = client.get("/pledges/?place=rugby").get_data(as_text=True)
    assert "Spon End Printers" in wall
    shown = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "£12.60 an hour" in shown and "Priya Kaur" in shown
    assert f"/moderation/report/pledge/{pledge.id}" in shown
    feed = json.loads(client.get("/pledges/open-data.json").get_data(as_text=True))
    ours = next(p for p in feed["pledges"] if p["id"] == pledge.id)
    assert ours["organisation"] == "Spon End Printers" and len(ours["actions"]) == 2
    assert "Priya" not in json.dumps(feed) and "@" not in json.dumps(ours)

    # Progress: an update, reviewed, then public; the action is done.
    action = pledge.actions[0]
    response = client.post(f"/pledges/manage/{pledge.id}/actions/{action.id}/progress", data={
        "status": "done", "text": "Everyone is now paid the real living wage.",
        "evidence_url": "https://printers.example/pay",
    })
    assert response.status_code == 302
    update = db_session.scalar(select(PledgeUpdate).where(PledgeUpdate.action_id == action.id))
    assert update is not None and update.state == "submitted"
    assert "Everyone is now paid" not in client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    decide(app, db_session, "pledge_update", update.id, "approve")
    db_session.expire_all()
    assert action.progress_status == "done"
    shown = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "Everyone is now paid the real living wage." in shown
    assert "https://printers.example/pay" in shown
    assert f"/moderation/report/pledge_update/{update.id}" in shown

    # Reminders, at the right dates, through the real SMTP server; never twice.
    runner = app.test_cli_runner()
    approved_on = pledge.approved_at.date()  # type: ignore[union-attr]
    six_months = add_months(approved_on, 6)

    def run_on(day: datetime) -> list[str]:
        inbox.messages.clear()
        with time_machine.travel(day, tick=False):
            result = runner.invoke(args=["send-reminders"])
        assert result.exit_code == 0, result.output
        return [m["Subject"] for m in inbox.to("jo@printers.example")]

    def at(day: object) -> datetime:
        return datetime.fromisoformat(f"{day}T08:00:00+00:00")

    # The second action (due 30 June 2027) gets its reminder a week before, once.
    assert run_on(at("2027-06-22")) == []
    assert run_on(at("2027-06-23")) == ["An action in your pledge is due in a week"]
    assert "Paid time off for cancer screening" in inbox.body(inbox.last_to("jo@printers.example"))
    assert run_on(at("2027-06-24")) == []
    # 6 months after approval (10 July 2027), once.
    assert run_on(at(six_months - timedelta(days=1))) == []
    assert run_on(at(six_months)) == ["Your pledge is 6 months old: how is it going?"]
    assert run_on(at(six_months)) == []
    # The first action is done: no due-date reminder for it in December.
    assert run_on(at("2027-12-28")) == []
    # 12 months: the second action is still open, so the organisation is asked again.
    assert run_on(at(add_months(approved_on, 12))) == ["Your pledge is a year old: how is it going?"]
    assert run_on(at(add_months(approved_on, 12) + timedelta(days=3))) == []
    kinds = set(db_session.scalars(select(PledgeReminder.kind).where(
        PledgeReminder.pledge_id == pledge.id)))
    assert kinds == {"6_months", "12_months", "due_soon"}
