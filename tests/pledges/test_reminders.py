"""Reminder dates: month arithmetic, the latest anniversary only, nothing twice, nothing for
finished actions, and a failing mail server does not undo the records."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import OrganisationMembership
from citizen.pledges.models import Pledge, PledgeAction, PledgeReminder
from citizen.pledges.reminders import add_months, due_reminders, send_reminders
from tests.accounts.conftest import make_user
from tests.conftest import Inbox

_numbers = itertools.count(1)


def test_add_months_keeps_the_day_or_uses_the_last_day() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 15), 12) == date(2028, 11, 15)


def _pledge(session: Session, approved: datetime, due: date, progress: str = "planned") -> Pledge:
    from citizen.accounts.models import Organisation

    number = next(_numbers)
    organisation = Organisation(name=f"Reminder test {number}", slug=f"reminder-test-{number}")
    session.add(organisation)
    session.flush()
    user = make_user(session, f"rt-{organisation.id}@example.org")
    session.add(OrganisationMembership(user_id=user.id, organisation_id=organisation.id))
    pledge = Pledge(organisation_id=organisation.id, status="approved", sponsor_name="S",
                    sponsor_role="R", consent_public=True, approved_at=approved)
    pledge.actions.append(PledgeAction(position=1, pillar="integrated_care", beneficiaries="both",
                                       description="Flu jabs at work", target="All staff offered",
                                       start_date=date(2027, 1, 1), due_date=due,
                                       progress_status=progress))
    session.add(pledge)
    session.flush()
    return pledge


def _kinds(session: Session, pledge: Pledge, today: date) -> set[str]:
    return {r.kind for r in due_reminders(session, today) if r.pledge.id == pledge.id}


def test_only_the_latest_anniversary_and_nothing_for_finished_work(db_session: Session) -> None:
    late = _pledge(db_session, datetime(2026, 1, 5, tzinfo=UTC), date(2030, 1, 1))
    assert _kinds(db_session, late, date(2027, 2, 1)) == {"12_months"}
    assert _kinds(db_session, late, date(2026, 7, 4)) == set()
    assert _kinds(db_session, late, date(2026, 7, 5)) == {"6_months"}
    done = _pledge(db_session, datetime(2026, 1, 5, tzinfo=UTC), date(2026, 8, 1), "done")
    assert _kinds(db_session, done, date(2026, 7, 28)) == set()
    stopped_soon = _pledge(db_session, datetime(2026, 3, 1, tzinfo=UTC), date(2026, 8, 1))
    assert _kinds(db_session, stopped_soon, date(2026, 7, 25)) == {"due_soon"}
    assert _kinds(db_session, stopped_soon, date(2026, 8, 2)) == set()  # past due: too late


def test_records_are_kept_and_mail_is_sent_once(app: Flask, db_session: Session,
                                                inbox: Inbox) -> None:
    pledge = _pledge(db_session, datetime(2026, 1, 5, tzinfo=UTC), date(2030, 1, 1))
    member = f"rt-{pledge.organisation_id}@example.org"
    assert send_reminders(app, date(2027, 1, 6)) >= 1
    assert [m["Subject"] for m in inbox.to(member)] == ["Your pledge is a year old: how is it going?"]
    keys = set(db_session.scalars(select(PledgeReminder.key).where(
        PledgeReminder.pledge_id == pledge.id)))
    assert keys == {f"pledge:{pledge.id}:12_months", f"pledge:{pledge.id}:6_months"}
    send_reminders(app, date(2027, 1, 7))
    assert len(inbox.to(member)) == 1


def test_a_failing_mail_server_does_not_undo_the_records(app: Flask, db_session: Session) -> None:
    import socket

    pledge = _pledge(db_session, datetime(2026, 1, 5, tzinfo=UTC), date(2030, 1, 1))
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    original = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = closed_port
    try:
        send_reminders(app, date(2026, 7, 6))
    finally:
        app.config["MAIL_PORT"] = original
    assert db_session.scalar(select(PledgeReminder).where(
        PledgeReminder.key == f"pledge:{pledge.id}:6_months")) is not None
