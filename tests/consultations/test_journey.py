"""The resident's journey: hub, one page at a time, validation keeping input, check your answers,
confirmation, receipt email, save and return, changing answers, closing."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.consultations.models import (
    Answer,
    EqualityMonitoringRecord,
    RespondentContact,
    Response,
    ResponseChange,
    Status,
)
from citizen.db import utcnow
from tests.conftest import Inbox
from tests.consultations.helpers import (
    PAGE_ONE,
    every_kind,
    form_key,
    page_data,
    return_link,
    submit_key,
)

PAGE_TWO = {"action": "next", "q{Q5}": "agree", "q{Q6}": "4", "q{Q7}": "3", "q{Q8}": "2026-01-31",
            "q{Q9}": "2", "q{Q9}_r1": "1", "q{Q9}_r2": "3", "q{Q10}": "agree", "q{Q10}_s1": "disagree",
            "q{Q11}": "Short enough."}


def answer_pages(client: FlaskClient, c, slug: str) -> str:  # type: ignore[no-untyped-def]
    first = client.get(f"/consultations/{slug}/respond/1")
    assert first.status_code == 200
    key = form_key(first.get_data(as_text=True))
    r = client.post(f"/consultations/{slug}/respond/1", data=page_data(c, {**PAGE_ONE, "form_key": key}))
    assert r.status_code == 302 and r.headers["Location"].endswith("/respond/2"), r.get_data(as_text=True)
    r = client.post(f"/consultations/{slug}/respond/2", data=page_data(c, {**PAGE_TWO, "form_key": key}))
    assert r.headers["Location"].endswith("/respond/3")
    r = client.post(f"/consultations/{slug}/respond/3",
                    data=page_data(c, {"action": "next", "q{Q12}": "Because", "form_key": key}))
    assert r.headers["Location"].endswith("/respond/about-you")
    r = client.post(f"/consultations/{slug}/respond/about-you",
                    data={"age_band": "25_34", "ethnic_group_detailed": "asian_indian",
                          "postcode_district": "cv21 2ab", "religion": "prefer_not_to_say"})
    assert r.headers["Location"].endswith("/respond/check")
    return key


def send_with_receipt(client: FlaskClient, c, inbox: Inbox, address: str,  # type: ignore[no-untyped-def]
                      **choices: str) -> str:
    """Answer every page and send with ``address`` (and ``choices`` such as
    ``consent_publish="y"``); return the body of the receipt mailed to it."""
    answer_pages(client, c, c.slug)
    html = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    client.post(f"/consultations/{c.slug}/respond/check",
                data={"submit_key": submit_key(html), "email": address, **choices})
    return inbox.body(inbox.last_to(address))


def test_hub_lists_open_upcoming_and_closed_with_filters(client: FlaskClient, db_session: Session) -> None:
    every_kind(db_session, "Open one about hospitals")
    soon = every_kind(db_session, "Upcoming one")
    soon.opens_at = utcnow() + timedelta(days=3)
    draft = every_kind(db_session, "Still a draft")
    draft.status = Status.DRAFT
    db_session.flush()
    page = client.get("/consultations/").get_data(as_text=True)
    open_part, rest = page.split("Coming soon", 1)
    assert "Open one about hospitals" in open_part
    upcoming_part, closed_part = rest.split("Closed, and what happened next", 1)
    assert "Upcoming one" in upcoming_part
    assert "Urgent care in Nuneaton (demo)" in closed_part
    assert "Still a draft" not in page
    filtered = client.get("/consultations/?place=rugby").get_data(as_text=True)
    assert "Open one about hospitals" not in filtered and "Booking a GP appointment" in filtered
    assert "Open one about hospitals" in client.get("/consultations/?topic=hospitals").get_data(as_text=True)
    assert client.get("/consultations/?place=nowhere&topic=bad").status_code == 200
    assert client.get(f"/consultations/{draft.slug}").status_code == 404


def test_full_journey_with_receipt_and_equality_kept_apart(
        client: FlaskClient, db_session: Session, inbox: Inbox) -> None:
    c = every_kind(db_session)
    answer_pages(client, c, c.slug)
    check = client.get(f"/consultations/{c.slug}/respond/check")
    html = check.get_data(as_text=True)
    for shown in ("Pick one", "Yes", "A, B", "South", "Agree", "31/01/2026", "1. Y, 2. X, 3. Z",
                  "S one: Agree; S two: Disagree", "Because"):
        assert shown in html, shown
    done = client.post(f"/consultations/{c.slug}/respond/check",
                       data={"submit_key": submit_key(html), "email": "Resident@Example.org",
                             "consent_contact": "y"})
    assert done.status_code == 302, done.get_data(as_text=True)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    reference = re.search(r"CW-[A-Z0-9]{8}", page)
    assert reference
    response = db_session.scalar(select(Response).where(Response.reference == reference.group(0)))
    assert response is not None and response.status == "submitted" and response.consent_contact
    assert len(response.answers) == 12
    stored = {a.question_id: a for a in response.answers}
    q = {x.code: x for x in c.questions()}
    assert stored[q["Q2"].id].value_text == "|o1|o2|"
    assert stored[q["Q9"].id].value_json == ["o2", "o1", "o3"]
    assert stored[q["Q10"].id].value_json == {"s1": "agree", "s2": "disagree"}
    assert stored[q["Q7"].id].value_number == 3.0
    # The address is kept apart from the answers, lower-cased.
    contact = db_session.scalar(select(RespondentContact).where(RespondentContact.response_id == response.id))
    assert contact is not None and contact.email == "resident@example.org"
    # Equality monitoring: one record, no link to the response, high-level group derived.
    record = db_session.scalar(select(EqualityMonitoringRecord)
                               .where(EqualityMonitoringRecord.consultation_id == c.id))
    assert record is not None and record.ethnic_group == "asian" and record.postcode_district == "CV21"
    assert not hasattr(record, "response_id") and len(record.id) == 32
    mail = inbox.last_to("resident@example.org")
    body = inbox.body(mail)
    assert reference.group(0) in mail["Subject"] and "/consultations/return/" in body


def test_validation_errors_keep_everything_typed(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    key = answer_pages_first(client, c)
    bad = {**PAGE_TWO, "q{Q5}": "", "q{Q7}": "eleven", "q{Q11}": "x" * 60, "q{Q9}_r1": "2",
           "form_key": key}
    r = client.post(f"/consultations/{c.slug}/respond/2", data=page_data(c, bad))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Choose an answer" in html
    assert "Enter a number, like 12" in html
    assert "Your answer must be 50 characters or fewer. It has 60." in html
    assert "Give each answer a different rank" in html
    assert 'value="eleven"' in html and "x" * 60 in html
    assert 'value="4" checked' in html  # the rating chosen is still chosen
    # Nothing from the failed page was stored.
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None
    assert len(response.answers) == 4


def answer_pages_first(client: FlaskClient, c) -> str:  # type: ignore[no-untyped-def]
    first = client.get(f"/consultations/{c.slug}/respond/1")
    key = form_key(first.get_data(as_text=True))
    r = client.post(f"/consultations/{c.slug}/respond/1", data=page_data(c, {**PAGE_ONE, "form_key": key}))
    assert r.status_code == 302
    return key


def test_required_and_max_selected_on_first_page(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    key = form_key(client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True))
    r = client.post(f"/consultations/{c.slug}/respond/1",
                    data=page_data(c, {"action": "next", "q{Q2}": ["o1", "o2"], "q{Q2}_other": "Mine",
                                       "form_key": key}))
    html = r.get_data(as_text=True)
    assert "Choose no more than 2 answers" in html and "Choose an answer" in html
    assert 'value="Mine"' in html
    assert db_session.scalar(select(Response).where(Response.consultation_id == c.id)) is None


def test_condition_hides_a_page_and_drops_its_answers(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    key = answer_pages(client, c, c.slug)
    # Change Q1 to "No": page 3 is no longer shown and its answer is not sent.
    r = client.post(f"/consultations/{c.slug}/respond/1",
                    data=page_data(c, {**PAGE_ONE, "q{Q1}": "o2", "form_key": key}))
    assert r.status_code == 302
    html = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    assert "Why yes" not in html
    assert client.get(f"/consultations/{c.slug}/respond/3").headers["Location"].endswith("/about-you")
    client.post(f"/consultations/{c.slug}/respond/check", data={"submit_key": submit_key(html)})
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None and response.status == "submitted"
    assert "Why yes" not in {a.value_text for a in response.answers}
    assert len(response.answers) == 11


def test_double_submit_stores_one_response(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    answer_pages(client, c, c.slug)
    html = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    key = submit_key(html)
    with client.session_transaction() as saved:
        stale_cookie_state = dict(saved)
    first = client.post(f"/consultations/{c.slug}/respond/check", data={"submit_key": key})
    # A second click that left before the first reply came back carries the old cookie.
    with client.session_transaction() as saved:
        saved.clear()
        saved.update(stale_cookie_state)
    second = client.post(f"/consultations/{c.slug}/respond/check", data={"submit_key": key})
    # A retry with no cookie at all (the browser lost it) is also recognised by its key.
    with client.session_transaction() as saved:
        saved.clear()
    third = client.post(f"/consultations/{c.slug}/respond/check", data={"submit_key": key})
    assert first.headers["Location"] == second.headers["Location"] == third.headers["Location"]
    assert db_session.query(Response).filter_by(consultation_id=c.id).count() == 1


def test_double_click_on_the_first_page_makes_one_draft(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    key = form_key(client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True))
    with client.session_transaction() as saved:
        before = dict(saved)
    client.post(f"/consultations/{c.slug}/respond/1", data=page_data(c, {**PAGE_ONE, "form_key": key}))
    with client.session_transaction() as saved:
        saved.clear()
        saved.update(before)
    client.post(f"/consultations/{c.slug}/respond/1", data=page_data(c, {**PAGE_ONE, "form_key": key}))
    assert db_session.query(Response).filter_by(consultation_id=c.id).count() == 1


def test_save_and_return_later(client: FlaskClient, app, db_session: Session, inbox: Inbox) -> None:  # type: ignore[no-untyped-def]
    c = every_kind(db_session)
    answer_pages_first(client, c)
    r = client.post(f"/consultations/{c.slug}/respond/save", data={"email": "not an email"})
    assert "Enter an email address in the right format" in r.get_data(as_text=True)
    r = client.post(f"/consultations/{c.slug}/respond/save", data={"email": "later@example.org"})
    assert "Your answers are saved" in r.get_data(as_text=True)
    body = inbox.body(inbox.last_to("later@example.org"))
    path = return_link(body)
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None and response.resume_token_hash
    assert path.rsplit("/", 1)[1] not in (response.resume_token_hash or "")  # stored only as a hash
    other = app.test_client()  # another device, signed out
    back = other.get(path)
    assert back.status_code == 302 and back.headers["Location"].endswith("/respond/check")
    html = other.get(back.headers["Location"]).get_data(as_text=True)
    assert "Sam" in html and "Some required questions have no answer yet" in html
    assert other.get("/consultations/return/not-a-real-token").status_code == 404
    # The link expires when the consultation closes.
    c.closes_at = utcnow() - timedelta(minutes=1)
    db_session.flush()
    expired = app.test_client().get(path)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)


def test_change_submitted_answers_through_receipt_link_keeps_history(
        client: FlaskClient, app, db_session: Session, inbox: Inbox) -> None:  # type: ignore[no-untyped-def]
    c = every_kind(db_session)
    path = return_link(send_with_receipt(client, c, inbox, "change@example.org"))
    other = app.test_client()
    assert other.get(path).status_code == 302
    page = other.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True)
    assert "Save changes" in page
    r = other.post(f"/consultations/{c.slug}/respond/1",
                   data=page_data(c, {**PAGE_ONE, "q{Q4}": "Alex", "action": "check", "form_key": "x" * 32}))
    assert r.headers["Location"].endswith("/respond/check")
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None
    changes = db_session.scalars(
        select(ResponseChange).where(ResponseChange.response_id == response.id)).all()
    assert len(changes) == 1 and changes[0].changes == {"Q4": {"old": "Sam", "new": "Alex"}}
    assert db_session.query(Response).filter_by(consultation_id=c.id).count() == 1


def test_closed_consultation_refuses_answers_and_keeps_old_ones(
        client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    key = answer_pages_first(client, c)
    c.status = Status.CLOSED
    db_session.flush()
    r = client.post(f"/consultations/{c.slug}/respond/2", data=page_data(c, {**PAGE_TWO, "form_key": key}))
    assert r.status_code == 410 and "This consultation is closed" in r.get_data(as_text=True)
    assert client.get(f"/consultations/{c.slug}/respond/1").status_code == 410
    assert client.post(f"/consultations/{c.slug}/respond/save", data={"email": "a@b.org"}).status_code == 410
    assert client.post(f"/consultations/{c.slug}/respond/check", data={}).status_code == 410
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None and len(response.answers) == 4
    assert db_session.query(Answer).filter_by(response_id=response.id).count() == 4


def test_arabic_pages_are_right_to_left_with_arabic_wording(client: FlaskClient) -> None:
    client.set_cookie("lang", "ar")
    html = client.get("/consultations/gp-appointments-demo/respond/1").get_data(as_text=True)
    assert 'dir="rtl"' in html and "كيف حجزت آخر موعد؟" in html


def test_consultation_without_anonymous_answers_needs_an_email(client: FlaskClient,
                                                               db_session: Session) -> None:
    c = every_kind(db_session, anonymous_allowed=False)
    answer_pages(client, c, c.slug)
    html = client.get(f"/consultations/{c.slug}/respond/check").get_data(as_text=True)
    assert "(optional)" not in html.split('for="email"', 1)[1].split("</label>", 1)[0]
    r = client.post(f"/consultations/{c.slug}/respond/check", data={"submit_key": submit_key(html)})
    assert "this consultation does not take anonymous answers" in r.get_data(as_text=True)
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None and response.status == "draft"
