"""The public pages keep each consultation loaded per process, under its revision: any change
(wording, questions, status) must show at once, and the cached copy must never be written to."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from citizen.consultations import services
from citizen.consultations.models import Consultation, Response, Status
from citizen.db import get_database
from tests.consultations.helpers import PAGE_ONE, every_kind, form_key, page_data, spec


def test_every_change_gives_a_new_revision(db_session: Session) -> None:
    c = every_kind(db_session)
    seen = {c.revision}
    question = c.questions()[0]
    services.translate_question(db_session, None, question, "ar", "اختر", "", ["نعم", "لا"], [])
    assert c.revision not in seen
    seen.add(c.revision)
    section = c.sections[0]
    services.add_question(db_session, section, spec("short_text", "Another"))
    assert c.revision not in seen
    seen.add(c.revision)
    services.set_translation(c, "pl", title="Tytuł", summary="", body="")
    db_session.flush()
    assert c.revision not in seen
    seen.add(c.revision)
    services.close_now(db_session, None, c)
    assert c.revision not in seen


def test_public_pages_show_a_change_at_once(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    page = client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True)
    assert "Pick one" in page
    question = c.questions()[0]
    services.update_question(db_session, None, question, spec(
        "single_choice", "Choose one, please", required=True, options=("Yes", "No")))
    page = client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True)
    assert "Choose one, please" in page and "Pick one" not in page
    services.close_now(db_session, None, c)
    assert client.get(f"/consultations/{c.slug}/respond/1").status_code == 410


def test_a_cached_consultation_costs_one_query(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    client.get(f"/consultations/{c.slug}/respond/1")  # fills the cache
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = get_database(client.application).engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/consultations/{c.slug}/respond/1").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    consultation_reads = [s for s in statements if "FROM consultation" in s]
    assert len(consultation_reads) == 1, statements
    assert "consultation.revision" in consultation_reads[0]


def test_the_cached_copy_is_detached_and_shared(client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    with client.application.test_request_context():
        from citizen.db import get_session

        first = services.public_by_slug(get_session(), c.slug)
        again = services.public_by_slug(get_session(), c.slug)
        assert first is again
        assert first is not None and first not in get_session()
        assert [q.code for q in first.questions()] == [q.code for q in c.questions()]
        assert first.sections[0].questions[0].section is first.sections[0]


def test_an_unknown_slug_is_not_found(client: FlaskClient) -> None:
    assert client.get("/consultations/no-such-thing/respond/1").status_code == 404


def test_draft_is_made_once_per_form_key_and_not_for_another_consultation(
        client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    other = every_kind(db_session, "Another one")
    key = form_key(client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True))
    first = services.draft_for(db_session, c, key, "en")
    assert services.draft_for(db_session, c, key, "en") is first
    try:
        services.draft_for(db_session, other, key, "en")
    except services.ConsultationError as error:
        assert error.code == "form_key"
    else:
        raise AssertionError("a form key of another consultation was accepted")
    assert db_session.scalars(select(Response).where(Response.client_key_hash == first.client_key_hash)
                              ).all() == [first]


def test_submission_sets_consents_place_and_contact_in_one_update(
        client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session, equality_monitoring=False)
    key = form_key(client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True))
    client.post(f"/consultations/{c.slug}/respond/1", data=page_data(c, {**PAGE_ONE, "form_key": key}))
    client.post(f"/consultations/{c.slug}/respond/2", data=page_data(c, {
        "action": "next", "q{Q5}": "agree"}))
    client.post(f"/consultations/{c.slug}/respond/3", data=page_data(c, {"action": "next"}))
    done = client.post(f"/consultations/{c.slug}/respond/check", data={
        "submit_key": key, "email": "Someone@Example.org", "consent_contact": "y",
        "consent_publish": "y"})
    assert done.status_code == 302 and "ref=CW-" in done.headers["Location"]
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None
    db_session.refresh(response)
    assert response.status == "submitted" and response.reference in done.headers["Location"]
    assert response.consent_contact and response.consent_publish
    assert response.place_slug == "coventry"
    assert response.contact is not None and response.contact.email == "someone@example.org"
    assert response.resume_token_hash and response.resume_expires_at is not None
    page = client.get(done.headers["Location"])
    assert page.status_code == 200
    assert client.get(f"/consultations/{c.slug}/respond/done?ref=CW-NOTAREF").status_code == 404


def test_revision_of_a_consultation_left_alone_does_not_change(db_session: Session) -> None:
    c = every_kind(db_session)
    before = c.revision
    db_session.add(Response(consultation_id=c.id, client_key_hash="x" * 64, locale="en",
                            channel="online", status="draft"))
    db_session.flush()
    assert db_session.get(Consultation, c.id).revision == before  # type: ignore[union-attr]
    assert Status(c.status) == Status.SCHEDULED


def test_the_form_class_is_made_once_per_revision_language_and_page(
        client: FlaskClient, db_session: Session) -> None:
    """The answer form's class is cached per consultation revision: reused while nothing
    changes, made anew after an edit, and never shared between languages."""
    from citizen.consultations import questions as kinds

    c = every_kind(db_session)
    questions = list(c.sections[0].questions)
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        first, _views = kinds.build_form(questions, "en", cache_key=("test", c.id, c.revision))
        again, views = kinds.build_form(questions, "en", cache_key=("test", c.id, c.revision),
                                        data={kinds.field_name(questions[3]): "Sam"})
        assert type(again) is type(first)
        assert again[kinds.field_name(questions[3])].data == "Sam"
        assert first[kinds.field_name(questions[3])].data is None, "data is per form, not per class"
        assert [v.question for v in views] == questions
        fewer, _v = kinds.build_form(questions[:2], "en", cache_key=("test", c.id, c.revision))
        assert type(fewer) is not type(first) and kinds.field_name(questions[3]) not in fewer
        arabic, _v = kinds.build_form(questions, "ar", cache_key=("test", c.id, c.revision))
        assert type(arabic) is not type(first)
    services.update_question(db_session, None, questions[0], spec(
        "single_choice", "Choose one, please", required=True, options=("Yes", "No", "Maybe")))
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        edited, _v = kinds.build_form(questions, "en", cache_key=("test", c.id, c.revision))
        assert type(edited) is not type(first)
        field = edited[kinds.field_name(questions[0])]
        assert field.label.text == "Choose one, please" and len(field.choices) == 3


def test_a_cached_answer_form_is_drawn_in_each_reader_language(
        client: FlaskClient, db_session: Session) -> None:
    c = every_kind(db_session)
    services.translate_question(db_session, None, c.questions()[0], "pl", "Wybierz jedno", "",
                                ["Tak", "Nie"], [])
    english = client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True)
    client.set_cookie("lang", "pl")
    polish = client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Pick one" in english and "Wybierz jedno" not in english
    assert "Wybierz jedno" in polish and "Tak" in polish and "Pick one" not in polish
    assert "Pick one" in client.get(f"/consultations/{c.slug}/respond/1").get_data(as_text=True)


def test_a_reference_already_taken_is_not_given_again(
        client: FlaskClient, db_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The submission checks in its UPDATE that the new reference is unused; when it is
    taken (very rare) it draws another one."""
    c = every_kind(db_session, equality_monitoring=False)
    db_session.add(Response(consultation_id=c.id, client_key_hash="t" * 64, locale="en",
                            channel="online", status="submitted", reference="CW-TAKEN234"))
    draft = services.draft_for(db_session, c, "d" * 32, "en")
    questions = {q.code: q for q in c.questions()}
    services.save_answers(db_session, c, draft, {questions["Q1"]: "o2", questions["Q5"]: "agree"})
    drawn = iter(["CW-TAKEN234", "CW-FRESH234"])
    monkeypatch.setattr(services, "_reference_candidate", lambda: next(drawn))
    submitted = services.submit(db_session, c, draft, email=None, consent_contact=False,
                                consent_publish=False, equality=None)
    assert submitted.reference == "CW-FRESH234" and not submitted.already
    assert draft.reference == "CW-FRESH234" and draft.status == "submitted"
    again = services.submit(db_session, c, draft, email=None, consent_contact=False,
                            consent_publish=False, equality=None)
    assert again.already and again.reference == "CW-FRESH234"
