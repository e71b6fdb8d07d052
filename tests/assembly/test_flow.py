"""The whole path through the web pages: set-up, targets, registration, selection as a job
(inline), report, invitation replies, replacement and the purge."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from citizen.assembly import services
from citizen.assembly.demo import DEMO_SLUG
from citizen.assembly.models import (
    Assembly,
    Member,
    Registrant,
    RegistrantContact,
    RegistrantDemographics,
    SelectionRun,
)
from citizen.reach import representativeness
from citizen.shared.audit import AuditEvent
from tests.conftest import Inbox


def _demo(db_session: Session) -> Assembly:
    assembly = db_session.scalar(select(Assembly).where(Assembly.slug == DEMO_SLUG))
    assert assembly is not None
    return assembly


def test_organiser_sets_up_an_assembly_and_targets(organiser: FlaskClient, db_session: Session) -> None:
    today = date.today()
    response = organiser.post("/assembly/manage/new", data={
        "title": "Rugby assembly", "question": "What matters?", "places": ["rugby"],
        "panel_size": "10", "reserves": "3",
        "session_dates": "\n".join((today + timedelta(days=d)).isoformat() for d in (50, 57)),
        "honorarium": "£200", "expenses": "Travel", "registration_opens": today.isoformat(),
        "registration_closes": (today + timedelta(days=30)).isoformat(), "open_registration": "y",
        "categories": ["sex", "age_band"], "method": "leximin"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assembly = db_session.scalar(select(Assembly).where(Assembly.title == "Rugby assembly"))
    assert assembly is not None
    # Default retention: 3 months after the last session.
    assert assembly.retention_until == services.add_months(today + timedelta(days=57), 3)
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert "shares are approximate, check against ONS" in page.lower() or \
        "Census shares are approximate, check against ONS" in page
    assert 'name="min-sex-female"' in page
    # Save targets that cannot add up: named on the page, saved anyway, selection refused.
    data = {"tolerance": "10", "action": "save", "min-sex-female": "7", "max-sex-female": "8",
            "min-sex-male": "5", "max-sex-male": "6"}
    for value in ("16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"):
        data[f"min-age_band-{value}"] = "0"
        data[f"max-age_band-{value}"] = "1"
    bad = organiser.post(f"/assembly/manage/{assembly.id}/targets", data=data)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "Sex: the minimums add up to 12, more than the panel size of 10." in text
    assert "Age: the maximums add up to 7, less than the panel size of 10." in text
    started = organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    assert started.status_code == 302
    assert db_session.scalar(select(func.count()).select_from(SelectionRun).where(
        SelectionRun.assembly_id == assembly.id)) == 0
    # A box that is not a number keeps what was typed and says so at the field.
    data["min-sex-female"] = "lots"
    typed = organiser.post(f"/assembly/manage/{assembly.id}/targets", data=data).get_data(as_text=True)
    assert 'value="lots"' in typed and "Enter a whole number from 0 to 10" in typed


def test_full_journey_on_the_demo_assembly(
    app: Flask, organiser: FlaskClient, admin: FlaskClient, client: FlaskClient,
    db_session: Session, inbox: Inbox,
) -> None:
    assembly = _demo(db_session)
    # A resident registers on the public form and gets a confirmation email.
    response = client.post(f"/assembly/{DEMO_SLUG}/register", data={
        "name": "Ada Example", "email": "ada@example.org", "phone": "", "address": "1 Test Lane",
        "postcode": "CV37 6AA", "q_age_band": "25_34", "q_sex": "female", "q_ethnic_group": "black",
        "q_disability": "disabled", "access_needs": "Step-free access", "consent": "y"})
    assert response.status_code == 302
    message = inbox.last_to("ada@example.org")
    assert message["Subject"].startswith("You are registered for")
    ada = db_session.scalar(select(RegistrantContact).where(RegistrantContact.email == "ada@example.org"))
    assert ada is not None and ada.registrant.demographics is not None
    assert ada.registrant.demographics.answers["ethnic_group"] == "black"
    assert "name" not in str(ada.registrant.demographics.answers)

    # Pool against targets.
    pool_page = organiser.get(f"/assembly/manage/{assembly.id}/pool").get_data(as_text=True)
    assert "151 people can be selected." in pool_page

    # Run the selection: inline job (no Redis in this app).
    started = organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    assert started.status_code == 302
    run = db_session.scalar(select(SelectionRun).where(SelectionRun.assembly_id == assembly.id))
    assert run is not None
    db_session.refresh(run)
    assert run.status == "done", (run.status, run.error, run.diagnosis)
    assert len(run.panel) == 20 and len(run.reserves) == 5
    assert run.method == "leximin" and run.engine_version.startswith("citizen.selection@")
    assert run.run_by_id is not None and run.seed
    assert len(run.probabilities) == 151
    assert abs(sum(run.probabilities.values()) - 20) < 1e-3
    # The panel meets every target.
    people = {r.id: r for r in services.registrants(db_session, assembly)}
    for target in run.targets:
        seats = sum(1 for pid in run.panel
                    if people[int(pid)].demographics.answers[target["category"]] == target["value"])
        assert target["min"] <= seats <= target["max"], target

    # The report's numbers equal the engine's output.
    report = representativeness.assembly_report(db_session, assembly, run)
    assert report.lowest_probability == min(run.probabilities.values())
    numbers = representativeness.as_dict(report)
    assert sum(v["panel"] for v in numbers["sex"].values()) == 20
    assert sum(v["pool"] for v in numbers["sex"].values()) == 151
    page = organiser.get(f"/assembly/manage/{assembly.id}/runs/{run.id}/report").get_data(as_text=True)
    assert "<svg" in page and f"{report.lowest_probability * 100:.2f}%" in page

    # A second run needs an admin and a reason; the earlier run is kept.
    again = organiser.post(f"/assembly/manage/{assembly.id}/select", data={"reason": "x"})
    assert again.status_code == 302
    assert len(services.selection_runs(db_session, assembly)) == 1
    no_reason = admin.post(f"/assembly/manage/{assembly.id}/select", data={"reason": ""})
    assert no_reason.status_code == 302
    assert len(services.selection_runs(db_session, assembly)) == 1

    # Panel members are invited and answer by link; one declines, one is phoned.
    members = [m for m in services.members(db_session, assembly) if m.role == "panel"]
    emailed = organiser.post(f"/assembly/manage/{assembly.id}/invite", data={})
    assert emailed.status_code == 302
    first, second = members[0], members[1]
    reply_page = client.get(f"/assembly/reply/{first.registrant.ref}")
    assert reply_page.status_code == 200
    client.post(f"/assembly/reply/{first.registrant.ref}", data={"answer": "declined"})
    organiser.post(f"/assembly/manage/{assembly.id}/members/{second.id}",
                   data={"action": "response", "r-response": "confirmed"})
    db_session.refresh(first)
    db_session.refresh(second)
    assert first.response == "declined" and first.response_via == "link"
    assert second.response == "confirmed" and second.response_via == "phone"

    # Letters for those who have not answered (18 of 20), one page each, audited.
    letters = organiser.get(f"/assembly/manage/{assembly.id}/members/letters.pdf")
    assert letters.status_code == 200 and letters.mimetype == "application/pdf"
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", letters.get_data())) == 18

    # Replacement keeps the targets.
    replaced = organiser.post(f"/assembly/manage/{assembly.id}/replace", data={})
    assert replaced.status_code == 302
    db_session.expire_all()
    runs = services.selection_runs(db_session, assembly)
    replacement = runs[-1]
    db_session.refresh(replacement)
    assert replacement.kind == "replace" and replacement.status == "done", replacement.error
    assert len(replacement.panel) == 1
    panel_now = [m for m in services.members(db_session, assembly) if m.role == "panel"]
    assert len(panel_now) == 20
    assert first.registrant_id not in {m.registrant_id for m in panel_now}
    new_member = next(m for m in panel_now if m.run_id == replacement.id)
    assert new_member.registrant_id == int(replacement.panel[0])
    for target in run.targets:
        seats = sum(1 for m in panel_now
                    if people[m.registrant_id].demographics.answers[target["category"]] == target["value"])
        assert target["min"] <= seats <= target["max"], target

    # Purge: after the last session, everyone but the panel; after retention, everyone.
    last = assembly.last_session
    assert last is not None
    counts = services.purge(db_session, today=last + timedelta(days=1))
    assert counts["registrants"] == 151 - 20
    panel_ids = {m.registrant_id for m in panel_now}
    for registrant in services.registrants(db_session, assembly):
        assert (registrant.contact is not None) == (registrant.id in panel_ids)
    assert services.purge(db_session, today=last + timedelta(days=1))["registrants"] == 0
    services.purge(db_session, today=assembly.retention_until + timedelta(days=1))
    db_session.expire_all()
    mine = select(Registrant.id).where(Registrant.assembly_id == assembly.id)
    assert db_session.scalar(select(func.count()).select_from(RegistrantContact).where(
        RegistrantContact.registrant_id.in_(mine))) == 0
    assert db_session.scalar(select(func.count()).select_from(RegistrantDemographics).where(
        RegistrantDemographics.registrant_id.in_(mine))) == 0
    assert all(r.household_key is None for r in services.registrants(db_session, assembly))
    assembly = _demo(db_session)
    assert assembly.purged_at is not None
    assert sum(assembly.aggregate_counts["pool"]["sex"].values()) == 151
    assert sum(assembly.aggregate_counts["panel"]["sex"].values()) == 20
    # The report still works from the anonymous counts.
    report = representativeness.assembly_report(db_session, assembly, run)
    assert sum(v["panel"] for v in representativeness.as_dict(report)["sex"].values()) == 20
    # The audit trail is kept.
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"assembly.selection_started", "assembly.replacement_started", "assembly.purged",
            "assembly.member_confirmed"} <= actions
    _ = db_session.scalar(select(func.count()).select_from(Member))


def test_attendance_payments_and_finance_export(organiser: FlaskClient, db_session: Session) -> None:
    assembly = _demo(db_session)
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    db_session.expire_all()
    member = next(m for m in services.members(db_session, assembly) if m.role == "panel")
    first_session = assembly.sessions[0]
    url = f"/assembly/manage/{assembly.id}/members/{member.id}"
    response = organiser.post(url, data={"action": "attendance", f"session-{first_session.id}": "yes"})
    assert response.status_code == 302
    organiser.post(url, data={"action": "access", "a-access_needs": "Hearing loop, BSL interpreter"})
    db_session.expire_all()
    assert member.registrant.contact is not None
    assert member.registrant.contact.access_needs == "Hearing loop, BSL interpreter"
    bad = organiser.post(url, data={"action": "payment", "p-honorarium": "lots", "p-expenses": ""})
    assert "Enter an amount in pounds, like 25.50" in bad.get_data(as_text=True)
    organiser.post(url, data={"action": "payment", "p-honorarium": "300", "p-expenses": "£12.40",
                              "p-paid_on": date.today().isoformat()})
    db_session.expire_all()
    attended = {a.session_id: a.attended for a in member.attendance}
    assert attended[first_session.id] and not any(v for k, v in attended.items() if k != first_session.id)
    assert member.honorarium_pence == 30000 and member.expenses_pence == 1240
    assert member.paid_on == date.today()
    page = organiser.get(url).get_data(as_text=True)
    assert 'id="session-' in page and "checked" in page
    export = organiser.get(f"/assembly/manage/{assembly.id}/finance.csv").get_data(as_text=True)
    assert "300.00,12.40" in export
    assert export.count("\n") == 21  # header + 20 panel members


def test_attitude_questions_are_asked_and_targeted(
    organiser: FlaskClient, client: FlaskClient, db_session: Session,
) -> None:
    today = date.today()
    form = {
        "title": "Attitudes", "question": "Q", "places": ["coventry"], "panel_size": "4",
        "reserves": "0", "session_dates": (today + timedelta(days=30)).isoformat(),
        "registration_opens": today.isoformat(),
        "registration_closes": (today + timedelta(days=10)).isoformat(), "open_registration": "y",
        "categories": ["sex"], "method": "leximin",
        "attitude_questions": "How much do you trust local services? | A lot | A little"}
    bad = organiser.post("/assembly/manage/new", data={**form, "attitude_questions": "Only a question"})
    assert "Give each question at least two answers" in bad.get_data(as_text=True)
    assert organiser.post("/assembly/manage/new", data=form).status_code == 302
    assembly = db_session.scalar(select(Assembly).where(Assembly.title == "Attitudes"))
    assert assembly is not None
    assert assembly.categories == ["sex", "attitude_1"]
    targets_page = organiser.get(f"/assembly/manage/{assembly.id}/targets").get_data(as_text=True)
    assert "How much do you trust local services?" in targets_page and "A little" in targets_page
    register_page = client.get(f"/assembly/{assembly.slug}/register").get_data(as_text=True)
    assert "How much do you trust local services?" in register_page
    response = client.post(f"/assembly/{assembly.slug}/register", data={
        "name": "T", "email": "t@example.org", "address": "1 A", "postcode": "CV1 1AA",
        "q_sex": "female", "q_attitude_1": "2", "consent": "y"})
    assert response.status_code == 302
    person = services.pool(db_session, assembly)[0]
    assert person.demographics is not None
    assert person.demographics.answers == {"sex": "female", "attitude_1": "2"}
    pool_page = organiser.get(f"/assembly/manage/{assembly.id}/pool").get_data(as_text=True)
    assert "A little" in pool_page
    edit_page = organiser.get(f"/assembly/manage/{assembly.id}/edit").get_data(as_text=True)
    assert "How much do you trust local services? | A lot | A little" in edit_page
