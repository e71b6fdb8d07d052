"""Subject access, erasure on request and the purge command."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from citizen.assembly import invitations, services
from citizen.assembly.demo import DEMO_SLUG
from citizen.assembly.models import (
    Assembly,
    Invitation,
    Registrant,
    RegistrantContact,
    RegistrantDemographics,
)
from citizen.shared.audit import AuditEvent
from tests.assembly.conftest import make_assembly
from tests.conftest import Inbox


def _register(client: FlaskClient, email: str) -> None:
    response = client.post(f"/assembly/{DEMO_SLUG}/register", data={
        "name": "Dee Data", "email": email, "address": "5 Privacy Row", "postcode": "CV35 7AA",
        "q_age_band": "65_74", "q_sex": "female", "q_ethnic_group": "asian",
        "q_disability": "disabled", "access_needs": "Large print", "consent": "y"})
    assert response.status_code == 302


def test_subject_access_by_email_then_erasure(client: FlaskClient, db_session: Session,
                                              inbox: Inbox) -> None:
    _register(client, "dee@example.org")
    page = client.post("/assembly/your-data", data={"email": "DEE@example.org"}).get_data(as_text=True)
    assert "If we hold information about you, we have sent it to that address." in page
    body = Inbox.body(inbox.last_to("dee@example.org"))
    assert "Dee Data" in body and "5 Privacy Row" in body and "Large print" in body
    assert "Asian, Asian British or Asian Welsh" in body and "65 to 74" in body
    # Someone we hold nothing about sees the same page and gets no mail.
    same = client.post("/assembly/your-data", data={"email": "nobody@example.org"}).get_data(as_text=True)
    assert "If we hold information about you" in same
    assert not inbox.to("nobody@example.org")
    erase_path = re.search(r"http://localhost(/assembly/erase/\S+)", body)
    assert erase_path
    assert client.get(erase_path.group(1)).status_code == 200
    done = client.post(erase_path.group(1))
    assert "Your information is deleted" in done.get_data(as_text=True)
    assert db_session.scalar(
        select(RegistrantContact).where(RegistrantContact.email == "dee@example.org")) is None
    registrant = db_session.scalar(select(Registrant).where(Registrant.erased_at.is_not(None)))
    assert registrant is not None and registrant.demographics is None and registrant.household_key is None
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"assembly.subject_access", "assembly.erased"} <= actions
    # The erased person is no longer in the pool.
    assembly = db_session.get(Assembly, registrant.assembly_id)
    assert assembly is not None
    assert registrant.id not in {p.id for p in services.pool(db_session, assembly)}


def test_purge_command_is_idempotent_and_leaves_nothing_personal(
    app: Flask, db_session: Session,
) -> None:
    today = date.today()
    assembly = make_assembly(
        db_session, categories=["sex"], panel_size=2, reserves=0,
        registration_opens=today - timedelta(days=200), registration_closes=today - timedelta(days=150),
        session_dates=[today - timedelta(days=120)], retention_until=today - timedelta(days=1))
    with app.test_request_context():
        invitations.draw(db_session, assembly, b"address,postcode\n1 A Road,CV1 1AA\n2 B Road,CV1 1AB\n",
                         2, 0, 7, None)
    for n in range(3):
        registrant = Registrant(assembly_id=assembly.id, ref=f"purge-{n}", household_key=f"h{n}")
        registrant.contact = RegistrantContact(name=f"N{n}", email=f"n{n}@example.org",
                                               address="x", postcode="CV1 1AA")
        registrant.demographics = RegistrantDemographics(answers={"sex": "female"})
        db_session.add(registrant)
    db_session.flush()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-assembly-data"])
    assert result.exit_code == 0, result.output
    assert "Purged: 3 registrants, 2 invitation addresses" in result.output
    again = runner.invoke(args=["purge-assembly-data"])
    assert "Purged: 0 registrants, 0 invitation addresses, 0 assemblies fully." in again.output
    db_session.expire_all()
    mine = select(Registrant.id).where(Registrant.assembly_id == assembly.id)
    assert db_session.scalar(select(func.count()).select_from(RegistrantContact).where(
        RegistrantContact.registrant_id.in_(mine))) == 0
    assert db_session.scalar(select(func.count()).select_from(RegistrantDemographics).where(
        RegistrantDemographics.registrant_id.in_(mine))) == 0
    leftovers = db_session.scalars(select(Invitation).where(Invitation.assembly_id == assembly.id)).all()
    assert leftovers and all(i.address is None and i.postcode is None for i in leftovers)
    assert all(r.household_key is None and r.purged_at is not None
               for r in db_session.scalars(select(Registrant).where(Registrant.assembly_id == assembly.id)))
    db_session.refresh(assembly)
    assert assembly.purged_at is not None
    assert assembly.aggregate_counts["pool"] == {"sex": {"female": 3}}
    # The demo assembly (still running) was left alone.
    demo = db_session.scalar(select(Assembly).where(Assembly.slug == DEMO_SLUG))
    assert demo is not None and demo.purged_at is None
    assert all(r.contact is not None for r in services.registrants(db_session, demo))


def test_purge_job_runs_the_same_rules(app: Flask, db_session: Session) -> None:
    from citizen.assembly.jobs import purge_job

    with app.app_context():
        assert purge_job() == {"invitations": 0, "registrants": 0, "assemblies": 0}
