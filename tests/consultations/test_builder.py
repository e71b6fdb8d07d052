"""Organisers build consultations: details and dates (UK time), pages, every kind of question,
conditions, preview in each language, locking once answered, duplicating, publishing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.consultations import services
from citizen.consultations.models import Consultation, Response, Status
from citizen.shared.audit import AuditEvent
from tests.consultations.helpers import details, every_kind, spec, staff_client


def test_dates_are_uk_time_across_summer_time(db_session: Session) -> None:
    c = services.create(db_session, None, details(opens_at=datetime(2026, 7, 1, 9, 0),
                                                  closes_at=datetime(2026, 12, 1, 17, 0)))
    assert c.opens_at is not None and c.closes_at is not None
    assert c.opens_at.astimezone(UTC).hour == 8  # BST is UTC+1
    assert c.closes_at.astimezone(UTC).hour == 17  # GMT
    assert c.current_status(datetime(2026, 8, 1, tzinfo=UTC)) == Status.DRAFT
    c.status = Status.SCHEDULED
    assert c.current_status(datetime(2026, 7, 1, 7, 59, tzinfo=UTC)) == Status.SCHEDULED
    assert c.current_status(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)) == Status.OPEN
    assert c.current_status(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == Status.CLOSED
    with pytest.raises(services.ConsultationError) as error:
        services.create(db_session, None,
                        details(opens_at=datetime(2026, 7, 2), closes_at=datetime(2026, 7, 1)))
    assert error.value.code == "closes_before_opens"


def test_rich_text_is_sanitised(db_session: Session) -> None:
    c = services.create(db_session, None, details())
    assert "<script>" not in c.translation("en").body and "<p>Body" in c.translation("en").body


def test_every_kind_gets_stable_codes(db_session: Session) -> None:
    c = every_kind(db_session)
    assert [q.code for q in c.questions()] == [f"Q{n}" for n in range(1, 13)]
    assert {q.kind for q in c.questions()} == {
        "single_choice", "multiple_choice", "dropdown", "short_text", "agreement", "rating", "number",
        "date", "ranking", "matrix", "long_text"}
    matrix = next(q for q in c.questions() if q.kind == "matrix")
    assert [s["code"] for s in matrix.settings["statements"]] == ["s1", "s2"]


@pytest.mark.parametrize(("question_spec", "code"), [
    (spec("single_choice", "Only one option", options=("Yes",)), "options"),
    (spec("matrix", "No statements"), "statements"),
    (spec("number", "Range", minimum=5, maximum=1), "range"),
    (spec("short_text", ""), "question_text"),
    (spec("short_text", "Cond", condition={"question": "Q99", "op": "equals", "value": "o1"}),
     "condition_question"),
    (spec("short_text", "Cond", condition={"question": "Q1", "op": "equals", "value": "o9"}),
     "condition_value"),
])
def test_bad_questions_are_refused(db_session: Session, question_spec: services.QuestionSpec,
                                   code: str) -> None:
    c = every_kind(db_session)
    with pytest.raises(services.ConsultationError) as error:
        services.add_question(db_session, c.sections[0], question_spec)
    assert error.value.code == code


def test_questions_lock_once_answered_but_wording_can_be_fixed(db_session: Session) -> None:
    c = every_kind(db_session)
    db_session.add(Response(consultation_id=c.id, client_key_hash="k" * 64))
    db_session.flush()
    q1 = c.questions()[0]
    with pytest.raises(services.ConsultationError):
        services.add_question(db_session, c.sections[0], spec("short_text", "New"))
    with pytest.raises(services.ConsultationError):
        services.delete_question(db_session, q1)
    with pytest.raises(services.ConsultationError):
        services.update_question(db_session, None, q1, spec("single_choice", "Pick one", required=True,
                                                             options=("Yes", "No", "Maybe")))
    services.update_question(db_session, None, q1, spec("single_choice", "Pick one, please",
                                                         required=True, options=("Yes", "No!")))
    assert q1.text["en"] == "Pick one, please" and q1.options[1] == {"code": "o2", "label": {"en": "No!"}}
    logged = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "consultation.wording_fixed"))
    assert logged is not None and logged.details["old"] == {"en": "Pick one"}


def test_duplicate_makes_an_editable_draft_copy(db_session: Session) -> None:
    c = every_kind(db_session)
    db_session.add(Response(consultation_id=c.id, client_key_hash="d" * 64))
    db_session.flush()
    copy = services.duplicate(db_session, None, c)
    assert copy.status == Status.DRAFT and copy.slug != c.slug
    assert [q.code for q in copy.questions()] == [q.code for q in c.questions()]
    assert copy.sections[2].condition == {"question": "Q1", "op": "equals", "value": "o1"}
    services.add_question(db_session, copy.sections[0], spec("short_text", "Editable"))


def test_publish_needs_questions_and_dates(db_session: Session) -> None:
    c = services.create(db_session, None, details(opens_at=None))
    with pytest.raises(services.ConsultationError) as error:
        services.publish(db_session, None, c)
    assert error.value.code == "no_questions"
    section = services.add_section(db_session, c, {"en": "Page"})
    services.add_question(db_session, section, spec("short_text", "Q"))
    with pytest.raises(services.ConsultationError) as error:
        services.publish(db_session, None, c)
    assert error.value.code == "no_dates"


def test_organiser_builds_previews_and_publishes_through_pages(app: Flask, db_session: Session) -> None:
    client = staff_client(app, db_session, "builder@example.org", "organiser")
    r = client.post("/consultations/manage/new", data={
        "title": "", "summary": "", "places": [], "topic": "general"})
    html = r.get_data(as_text=True)
    assert "Enter a title" in html and "Choose at least one place" in html
    r = client.post("/consultations/manage/new", data={
        "title": "Built in a browser", "summary": "About it.", "places": ["rugby"], "topic": "general",
        "opens_at": "2026-01-01T09:00", "closes_at": "2099-01-01T09:00", "anonymous_allowed": "y"})
    assert r.status_code == 302
    c = db_session.scalar(select(Consultation).where(Consultation.slug == "built-in-a-browser"))
    assert c is not None
    base = f"/consultations/manage/{c.id}"
    assert client.post(f"{base}/sections/new", data={"title": "Page one"}).status_code == 302
    db_session.expire_all()
    section = c.sections[0]
    r = client.post(f"{base}/sections/{section.id}/questions/new",
                    data={"kind": "single_choice", "text": "Which?", "options": "Only one"})
    assert "Enter at least 2 answers" in r.get_data(as_text=True)
    assert 'Only one' in r.get_data(as_text=True)
    r = client.post(f"{base}/sections/{section.id}/questions/new",
                    data={"kind": "single_choice", "text": "Which?", "options": "Tea\nCoffee",
                          "required": "y"})
    assert r.status_code == 302
    db_session.expire_all()
    q = c.questions()[0]
    r = client.post(f"{base}/questions/{q.id}/translate/ar",
                    data={"text": "أيهما؟", "options": "شاي\nقهوة"})
    assert r.status_code == 302
    preview = client.get(f"{base}/preview/ar/1").get_data(as_text=True)
    assert "أيهما؟" in preview and "قهوة" in preview and 'dir="rtl"' in preview
    assert "Send my answers" not in preview
    assert client.post(f"{base}/publish").status_code == 302
    db_session.expire_all()
    assert c.status == Status.SCHEDULED
    assert client.get(f"/consultations/{c.slug}").status_code == 200
    r = client.post(f"{base}/duplicate")
    assert r.status_code == 302 and r.headers["Location"] != base


def test_residents_and_moderators_cannot_build(app: Flask, db_session: Session) -> None:
    moderator = staff_client(app, db_session, "mod-builder@example.org", "moderator")
    assert moderator.get("/consultations/manage/new").status_code == 403
    assert moderator.get("/consultations/manage").status_code == 200
    anonymous = app.test_client()
    assert anonymous.get("/consultations/manage").status_code == 302


def test_every_staff_page_renders(app: Flask, db_session: Session) -> None:
    c = every_kind(db_session)
    services.set_translation(c, "ar", title="عنوان", summary="", body="")
    db_session.add(Response(consultation_id=c.id, client_key_hash="r" * 64))
    db_session.flush()
    section, question = c.sections[2], c.questions()[1]
    client = staff_client(app, db_session, "pages@example.org", "organiser")
    base = f"/consultations/manage/{c.id}"
    for path in ("/consultations/manage", base, f"{base}/details", f"{base}/translate/ar",
                 f"{base}/sections/new", f"{base}/sections/{section.id}",
                 f"{base}/sections/{section.id}/questions/new", f"{base}/questions/{question.id}",
                 f"{base}/questions/{question.id}/translate/ar", f"{base}/preview/en/2",
                 f"{base}/preview/ar/3", f"{base}/entry", f"{base}/results", f"{base}/who-took-part",
                 f"{base}/outcome/en", f"{base}/outcome/ar"):
        response = client.get(path)
        assert response.status_code == 200, path
    html = client.get(base).get_data(as_text=True)
    assert "Shown only when Q1 equals o1" in html and "only correct the wording" in html
    client.set_cookie("lang", "ar")
    assert "يظهر فقط عندما Q1 يساوي o1" in client.get(base).get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert client.get(f"{base}/translate/xx").status_code == 404
    assert client.get("/consultations/manage/999999").status_code == 404


def test_questions_move_within_their_page_until_answered(app: Flask, db_session: Session) -> None:
    c = every_kind(db_session)
    first_page = c.sections[0]
    q1, q2 = first_page.questions[0], first_page.questions[1]
    client = staff_client(app, db_session, "mover@example.org", "organiser")
    assert client.post(f"/consultations/manage/{c.id}/questions/{q2.id}/up").status_code == 302
    db_session.expire_all()
    assert [q.code for q in c.sections[0].questions][:2] == ["Q2", "Q1"]
    assert q1.code == "Q1"  # codes stay stable
    services.move_question(db_session, q2, -1)  # already first: nothing happens
    db_session.add(Response(consultation_id=c.id, client_key_hash="m" * 64))
    db_session.flush()
    with pytest.raises(services.ConsultationError):
        services.move_question(db_session, q2, 1)
