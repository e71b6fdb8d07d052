"""How long consultations keep personal data: drafts never sent and e-mail addresses are deleted
by the rules in citizen/consultations/retention.py, residents are told the dates, and a
consultation closed early counts from when it really closed."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.app import create_app
from citizen.cli import alembic_config
from citizen.consultations import retention, services
from citizen.consultations.models import (
    Answer,
    Consultation,
    RespondentContact,
    Response,
    ResponseStatus,
    Status,
)
from citizen.db import get_database, utcnow
from citizen.moderation import services as moderation
from citizen.shared.audit import AuditEvent
from tests.consultations.helpers import every_kind
from tests.consultations.test_journey import answer_pages

RULES = retention.Retention(days=30, outcome_wait_days=365)


def _response(session: Session, c: Consultation, status: str, email: str | None,
              consent_contact: bool = False) -> int:
    """A response with one answer, and an address when ``email`` is given; returns its id."""
    response = Response(consultation_id=c.id, status=status, consent_contact=consent_contact,
                        client_key_hash=secrets.token_hex(32),
                        resume_token_hash=secrets.token_hex(32) if email else None,
                        resume_expires_at=c.closes_at,
                        submitted_at=utcnow() if status == ResponseStatus.SUBMITTED else None)
    if email:
        response.contact = RespondentContact(email=email)
    session.add(response)
    session.flush()
    session.add(Answer(response_id=response.id, question_id=c.questions()[0].id,
                       value_code="o1", value_text="o1"))
    session.flush()
    return response.id


def _closed(session: Session, title: str, days_ago: int) -> Consultation:
    c = every_kind(session, title)
    c.opens_at = utcnow() - timedelta(days=days_ago + 20)
    c.closes_at = utcnow() - timedelta(days=days_ago)
    session.flush()
    return c


def _state(session: Session, response_id: int) -> tuple[bool, str | None, int]:
    """(response still there, its address, its number of answers), read from the database."""
    session.expire_all()
    response = session.get(Response, response_id)
    if response is None:
        return False, None, session.query(Answer).filter_by(response_id=response_id).count()
    return True, response.contact.email if response.contact else None, len(response.answers)


def _queued(session: Session, response_id: int, address: str) -> int:
    """Put the response's answer in the moderation queue with its author's address."""
    answer_id = session.scalar(select(Answer.id).where(Answer.response_id == response_id))
    assert answer_id is not None
    moderation.submit(session, kind="answer", target_id=answer_id, text="Some words",
                      author_email=address)
    return answer_id


def _author(session: Session, answer_id: int) -> str | None:
    session.expire_all()
    item = moderation.find_item(session, "answer", answer_id)
    assert item is not None
    return item.author_email


def _events(session: Session, c: Consultation) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultation.personal_data_deleted",
        AuditEvent.target_id == str(c.id))))


def test_drafts_and_addresses_go_by_the_rules(db_session: Session) -> None:
    c = _closed(db_session, "Closed a month ago", days_ago=31)
    draft = _response(db_session, c, ResponseStatus.DRAFT, "draft@example.org")
    plain = _response(db_session, c, ResponseStatus.SUBMITTED, "plain@example.org")
    waiting = _response(db_session, c, ResponseStatus.SUBMITTED, "waiting@example.org",
                        consent_contact=True)
    plain_item = _queued(db_session, plain, "plain@example.org")
    waiting_item = _queued(db_session, waiting, "waiting@example.org")
    recent = _closed(db_session, "Closed four weeks ago", days_ago=29)
    recent_draft = _response(db_session, recent, ResponseStatus.DRAFT, "recent@example.org")
    still_open = every_kind(db_session, "Still open")
    open_draft = _response(db_session, still_open, ResponseStatus.DRAFT, "open@example.org")

    retention.purge(db_session, RULES)

    assert _state(db_session, draft) == (False, None, 0)  # answers went with it
    assert _state(db_session, plain) == (True, None, 1)  # the answers stay
    assert db_session.get(Response, plain).resume_token_hash is None  # type: ignore[union-attr]
    assert _state(db_session, waiting) == (True, "waiting@example.org", 1)  # outcome to come
    # The moderation queue's copy of an address goes with it.
    assert _author(db_session, plain_item) is None
    assert _author(db_session, waiting_item) == "waiting@example.org"
    assert _state(db_session, recent_draft) == (True, "recent@example.org", 1)
    assert _state(db_session, open_draft) == (True, "open@example.org", 1)
    [event] = _events(db_session, c)
    assert event.details == {"drafts": 1, "addresses": 1}
    assert "@" not in str(event.details) and event.actor_id is None
    assert _events(db_session, recent) == [] and _events(db_session, still_open) == []

    # Again: nothing more to delete, and no second event.
    retention.purge(db_session, RULES)
    assert len(_events(db_session, c)) == 1

    # The outcome is published and mailed; 30 days later the waiting address goes too.
    c.status = Status.OUTCOME_PUBLISHED
    c.outcome_published_at = utcnow() - timedelta(days=29)
    db_session.flush()
    retention.purge(db_session, RULES)
    assert _state(db_session, waiting)[1] == "waiting@example.org"
    totals = retention.purge(db_session, RULES, now=utcnow() + timedelta(days=2))
    assert _state(db_session, waiting) == (True, None, 1)
    assert _author(db_session, waiting_item) is None
    assert totals["addresses"] >= 1
    assert [e.details for e in _events(db_session, c)][-1] == {"drafts": 0, "addresses": 1}


def test_addresses_waiting_for_an_outcome_go_after_a_year_without_one(db_session: Session) -> None:
    c = _closed(db_session, "Closed long ago", days_ago=364)
    waiting = _response(db_session, c, ResponseStatus.SUBMITTED, "waiting@example.org",
                        consent_contact=True)
    retention.purge(db_session, RULES)
    assert _state(db_session, waiting)[1] == "waiting@example.org"
    retention.purge(db_session, RULES, now=utcnow() + timedelta(days=2))
    assert _state(db_session, waiting) == (True, None, 1)


def test_draft_consultations_are_left_alone(db_session: Session) -> None:
    c = _closed(db_session, "Never published", days_ago=100)
    c.status = Status.DRAFT
    db_session.flush()
    draft = _response(db_session, c, ResponseStatus.DRAFT, "preview@example.org")
    retention.purge(db_session, RULES)
    assert _state(db_session, draft)[0]


def test_the_daily_command_uses_the_settings(app: Flask, db_session: Session) -> None:
    c = _closed(db_session, "Closed ten days ago", days_ago=10)
    plain = _response(db_session, c, ResponseStatus.SUBMITTED, "plain@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-consultation-data"])
    assert result.exit_code == 0, result.output
    assert "Consultation data deleted:" in result.output
    assert _state(db_session, plain)[1] == "plain@example.org"  # 30 days by default
    app.config["CONSULTATION_CONTACT_DAYS"] = 7
    try:
        result = runner.invoke(args=["purge-consultation-data"])
    finally:
        app.config["CONSULTATION_CONTACT_DAYS"] = 30
    assert result.exit_code == 0, result.output
    assert _state(db_session, plain) == (True, None, 1)
    assert "@" not in result.output


def test_residents_are_told_when_their_address_is_deleted(
        client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    c.closes_at = datetime(2031, 3, 14, 12, 0, tzinfo=services.LONDON)
    db_session.flush()
    answer_pages(client, c, c.slug)
    html = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    # 30 days after 14 March 2031, and 365 days after it.
    assert "We delete your email address on 13 April 2031." in html
    assert "delete it by 13 March 2032 at the latest" in html
    saved = client.get(f"/consultations/{c.slug}/respond/save").get_data(as_text=True)
    assert "we delete them and your email address on 13 April 2031" in saved
    # In Polish, with the date in Polish.
    client.get(f"/language/pl?next=/consultations/{c.slug}/respond/check")
    polish = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    assert "Usuniemy Twój adres e-mail 13 kwietnia 2031." in polish
    assert "13 April 2031" not in polish


def test_closing_early_sets_the_closing_time_residents_see(
        client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session, "Closed early for the test")
    planned = c.closes_at
    assert planned is not None
    services.close_now(db_session, None, c)
    assert c.closes_at is not None and c.closes_at < planned
    assert abs((c.closes_at - utcnow()).total_seconds()) < 60
    hub = client.get("/consultations/").get_data(as_text=True)
    card = hub[hub.index("Closed early for the test"):][:600]
    assert re.search(r"Closed \d{1,2} \w+ \d{4}", card), card
    assert "Closes" not in card


def test_migration_gives_early_closed_consultations_their_closing_time(tmp_path: Path) -> None:
    app = create_app({"env": "test", "instance_path": tmp_path,
                      "database_url": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    config = alembic_config(app)
    with app.app_context():
        command.upgrade(config, "0011_response_export_order")
        engine = get_database(app).engine
        closed_on = datetime(2026, 5, 1, 9, 30)
        with engine.begin() as conn:
            for cid, slug, status, closes in (
                    (1, "early", "closed", "2099-01-01 00:00:00.000000"),
                    (2, "undated", "outcome_published", None),
                    (3, "on-time", "closed", "2026-02-01 00:00:00.000000"),
                    (4, "still-open", "scheduled", "2099-01-01 00:00:00.000000")):
                conn.execute(sa.text(
                    "INSERT INTO consultation (id, slug, topic, status, closes_at, anonymous_allowed,"
                    " post_moderated, equality_monitoring, contact, created_at, revision)"
                    " VALUES (:id, :slug, 'general', :status, :closes, 1, 0, 1, '',"
                    " '2026-01-01 00:00:00.000000', 'r')"),
                    {"id": cid, "slug": slug, "status": status, "closes": closes})
            conn.execute(sa.text(
                "INSERT INTO audit_event (occurred_at, action, target_type, target_id, details)"
                " VALUES (:at, 'consultation.closed', 'consultation', '1', '{}')"),
                {"at": closed_on.isoformat(sep=" ")})
        command.upgrade(config, "head")
        with engine.connect() as conn:
            rows = dict(conn.execute(sa.text("SELECT slug, closes_at FROM consultation")).all())
    assert rows["early"].startswith("2026-05-01 09:30:00")  # from the audit log
    assert rows["undated"] is not None and rows["undated"][:4] >= "2026"  # now, at the latest
    assert rows["on-time"].startswith("2026-02-01")  # already in the past: unchanged
    assert rows["still-open"].startswith("2099-01-01")  # not closed: unchanged


def test_organisers_see_what_is_held_and_when_it_goes(app: Flask, db_session: Session) -> None:
    from tests.consultations.helpers import staff_client

    c = every_kind(db_session, "Held data")
    c.closes_at = datetime(2031, 3, 14, 12, 0, tzinfo=services.LONDON)
    db_session.flush()
    _response(db_session, c, ResponseStatus.DRAFT, "draft@example.org")
    _response(db_session, c, ResponseStatus.DRAFT, None)
    _response(db_session, c, ResponseStatus.SUBMITTED, "plain@example.org")
    _response(db_session, c, ResponseStatus.SUBMITTED, "waiting@example.org", consent_contact=True)
    _response(db_session, c, ResponseStatus.SUBMITTED, None)
    assert retention.held(db_session, c) == retention.Held(addresses=3, waiting=1, drafts=2)
    client = staff_client(app, db_session, "organiser-held@example.org", "organiser")
    page = client.get(f"/consultations/manage/{c.id}").get_data(as_text=True)

    def row(key: str) -> str:
        match = re.search(re.escape(key) + r'</dt><dd class="summary-list__value">([^<]*)<', page)
        assert match, key
        return match.group(1)

    assert (row("Email addresses held"), row("Waiting to hear the outcome"),
            row("Drafts not sent")) == ("3", "1", "2")
    assert row("Drafts and other addresses deleted on") == "13 April 2031"
    assert row("Addresses waiting for the outcome deleted by") == "13 March 2032"
