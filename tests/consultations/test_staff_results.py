"""Staff: paper and phone entry, results (SQL counts, charts, search, filters), publishing the
outcome with emails in each person's language, moderation of published answers."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.consultations import results, services
from citizen.consultations.models import Answer, Channel, Consultation, Question, Response, Status
from citizen.db import utcnow
from citizen.moderation import coding
from tests.conftest import Inbox
from tests.consultations.helpers import every_kind, form_key, page_data, staff_client


def _respond(session: Session, c: Consultation, values: dict[str, object], *, channel: str = "online",
             email: str | None = None, consent_contact: bool = False, consent_publish: bool = False,
             locale: str = "en", place: str | None = None) -> Response:
    import secrets

    response = services.draft_for(session, c, secrets.token_urlsafe(24), locale, channel=channel)
    by_code = {q.code: q for q in c.questions()}
    services.save_answers(session, c, response, {by_code[k]: v for k, v in values.items()})
    services.submit(session, c, response, email=email, consent_contact=consent_contact,
                    consent_publish=consent_publish, equality=None, place_slug=place)
    return response


BASE = {"Q1": "o2", "Q5": "agree"}


def subject(raw: str) -> str:
    from email.header import decode_header, make_header

    return str(make_header(decode_header(raw)))


def test_paper_entry_skips_required_and_is_counted(app: Flask, db_session: Session) -> None:
    c = every_kind(db_session)
    client = staff_client(app, db_session, "entry@example.org", "moderator")
    r = client.post(f"/consultations/manage/{c.id}/entry", data={"channel": "paper"})
    assert "Enter the date it was received" in r.get_data(as_text=True)
    r = client.post(f"/consultations/manage/{c.id}/entry",
                    data={"channel": "paper", "received_on": "2026-11-20", "place": "coventry"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/respond/1")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Entering a paper or phone response" in page and "Save and come back later" not in page
    key = form_key(page)
    # Staff may leave a required question blank (the person did not answer it on paper).
    r = client.post(f"/consultations/{c.slug}/respond/1",
                    data=page_data(c, {"action": "next", "q{Q4}": "From the form", "form_key": key}))
    assert r.status_code == 302, r.get_data(as_text=True)
    client.post(f"/consultations/{c.slug}/respond/2", data=page_data(c, {"action": "next", "form_key": key}))
    check = client.get(f"/consultations/{c.slug}/respond/check")
    assert "Save this response" in check.get_data(as_text=True)
    done = client.post(f"/consultations/{c.slug}/respond/check", data={"submit_key": key})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/manage/{c.id}/entry")
    response = db_session.scalar(select(Response).where(Response.consultation_id == c.id))
    assert response is not None and response.channel == Channel.PAPER and response.status == "submitted"
    assert response.place_slug == "coventry" and response.received_at is not None
    computed = results.compute(db_session, c, results.Filters(channel="paper"), "en")
    assert computed.total == 1 and computed.by_channel == [("paper", 1)]
    # Paper entry still works after the consultation closes (forms arrive late by post).
    c.status = Status.CLOSED
    db_session.flush()
    assert client.post(f"/consultations/manage/{c.id}/entry",
                       data={"channel": "phone", "received_on": "2026-11-21"}).status_code == 302


def test_residents_cannot_enter_paper_responses(app: Flask, db_session: Session) -> None:
    from tests.accounts.conftest import make_user, sign_in

    c = every_kind(db_session)
    make_user(db_session, "plain@example.org", "resident")
    client = app.test_client()
    sign_in(client, "plain@example.org")
    assert client.get(f"/consultations/manage/{c.id}/entry").status_code == 403
    assert client.get(f"/consultations/manage/{c.id}/results").status_code == 403


def test_results_are_counted_by_sql_with_filters(app: Flask, db_session: Session) -> None:
    c = every_kind(db_session)
    _respond(db_session, c, {**BASE, "Q2": {"selected": ["o1", "o3"], "other": "Buses"},
                             "Q9": ["o3", "o1", "o2"], "Q10": {"s1": "agree", "s2": "agree"}, "Q7": "4",
                             "Q11": "The buses are late"}, place="coventry")
    _respond(db_session, c, {**BASE, "Q1": "o1", "Q2": {"selected": ["o1"], "other": None},
                             "Q9": ["o1", "o3", "o2"], "Q10": {"s1": "disagree"}, "Q7": "8",
                             "Q11": "Parking is hard"}, channel="phone", place="rugby")
    computed = results.compute(db_session, c, results.Filters(), "en")
    by_code = {r.question.code: r for r in computed.questions}
    assert computed.total == 2
    assert by_code["Q1"].rows == [("Yes", 1), ("No", 1)]
    assert by_code["Q2"].rows == [("A", 2), ("B", 0), ("C", 1), ("Other", 1)]
    assert by_code["Q9"].rows == [("X", 1), ("Y", 0), ("Z", 1)]
    assert dict(by_code["Q9"].summary)["X"] == "1.50"
    assert by_code["Q10"].matrix[0] == ("S one", [0, 1, 0, 1, 0, 0])
    assert dict(by_code["Q7"].summary)["Average"] == "6.00"
    assert by_code["Q1"].chart is not None
    only_rugby = results.compute(db_session, c, results.Filters(place="rugby"), "en")
    assert only_rugby.total == 1
    tomorrow = date.today() + timedelta(days=2)
    assert results.compute(db_session, c, results.Filters(date_from=tomorrow), "en").total == 0
    page = results.text_answers(db_session, c, results.Filters(), [q.id for q in c.questions()
                                                                    if q.kind == "long_text"], "buses", 1)
    assert page.total == 1 and page.items[0].text == "The buses are late"  # type: ignore[attr-defined]
    client = staff_client(app, db_session, "reader@example.org", "moderator")
    html = client.get(f"/consultations/manage/{c.id}/results?q=parking&channel=phone").get_data(as_text=True)
    assert "Parking is hard" in html and "The buses are late" not in html
    assert "<svg" in html and "<table" in html
    assert client.get(f"/consultations/manage/{c.id}/results?date_from=bad").status_code == 200
    assert "Themes in the written answers" not in html  # nothing coded yet
    parking = coding.add_theme(db_session, c.id, "Parking")
    answer_id = db_session.scalar(select(Answer.id).join(Question).where(
        Question.consultation_id == c.id, Question.code == "Q11", Answer.value_text == "Parking is hard"))
    assert answer_id is not None
    coding.code_answer(db_session, c.id, answer_id, theme_ids=[parking.id], sentiment="negative",
                       actor_id=None)
    db_session.flush()
    html = client.get(f"/consultations/manage/{c.id}/results").get_data(as_text=True)
    assert "Themes in the written answers" in html and '<th scope="row">Parking</th>' in html
    c.status = Status.OUTCOME_PUBLISHED
    db_session.flush()
    public_page = app.test_client().get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert '<th scope="row">Parking</th>' in public_page, "themes are shown with the outcome"


def test_outcome_is_emailed_in_each_language_to_consenting_people(
        app: Flask, db_session: Session, inbox: Inbox) -> None:
    c = every_kind(db_session)
    services.set_translation(c, "ar", title="استشارة تجريبية", summary="", body="")
    _respond(db_session, c, BASE, email="yes-en@example.org", consent_contact=True)
    _respond(db_session, c, BASE, email="yes-ar@example.org", consent_contact=True, locale="ar")
    _respond(db_session, c, BASE, email="no@example.org", consent_contact=False)
    client = staff_client(app, db_session, "outcome@example.org", "organiser")
    r = client.post(f"/consultations/manage/{c.id}/outcome/en", data={"outcome": "<p>We did it</p>"})
    assert r.status_code == 302
    r = client.post(f"/consultations/manage/{c.id}/outcome/publish")
    db_session.expire_all()
    assert c.status != Status.OUTCOME_PUBLISHED  # still open: refused
    c.status = Status.CLOSED
    db_session.flush()
    client.post(f"/consultations/manage/{c.id}/outcome/publish")
    db_session.expire_all()
    assert c.status == Status.OUTCOME_PUBLISHED
    english = inbox.last_to("yes-en@example.org")
    arabic = inbox.last_to("yes-ar@example.org")
    assert "Every kind" in subject(english["Subject"])
    assert "استشارة تجريبية" in subject(arabic["Subject"]) and arabic["Content-Language"] == "ar"
    assert not inbox.to("no@example.org")
    page = app.test_client().get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert "We did it" in page and "We asked, you said, we did" in page
    assert "Themes in the written answers" not in page  # nothing was coded
    # Publishing again does not email people twice.
    before = len(inbox.messages)
    client.post(f"/consultations/manage/{c.id}/outcome/publish")
    assert len(inbox.messages) == before


def test_published_answers_go_to_moderation(db_session: Session) -> None:
    from citizen.moderation import services as moderation

    c = every_kind(db_session)
    response = _respond(db_session, c, {**BASE, "Q11": "Call me on 07700 900123"}, consent_publish=True,
                        email="quote@example.org")
    kept = _respond(db_session, c, {**BASE, "Q11": "Private thought"}, consent_publish=False)
    long_text = next(q for q in c.questions() if q.kind == "long_text")
    answer = next(a for a in response.answers if a.question_id == long_text.id)
    assert moderation.state_of(db_session, "answer", answer.id) == "pending"
    private = next(a for a in kept.answers if a.question_id == long_text.id)
    assert moderation.state_of(db_session, "answer", private.id) is None


def test_contact_is_erased_with_the_account_but_answers_stay(db_session: Session) -> None:
    from citizen.accounts.services import delete_account
    from tests.accounts.conftest import PASSWORD, make_user

    c = every_kind(db_session)
    user = make_user(db_session, "leaving@example.org")
    response = _respond(db_session, c, BASE, email="leaving@example.org", consent_contact=True)
    response.user_id = user.id
    db_session.flush()
    delete_account(db_session, user, PASSWORD, erase=False)
    db_session.expire_all()
    assert response.user_id is None and response.contact is None and len(response.answers) == 2


def test_moderation_forgets_what_people_erase(db_session: Session) -> None:
    """Erased answers leave the moderation queue; a deleted address leaves it too; an open
    safeguarding concern keeps both for the safeguarding lead."""
    from citizen.accounts.models import User
    from citizen.accounts.services import delete_account
    from citizen.moderation import services as moderation
    from citizen.moderation.models import ModerationItem
    from tests.accounts.conftest import PASSWORD, make_user

    c = every_kind(db_session)
    long_text = next(q for q in c.questions() if q.kind == "long_text")

    def quoted(address: str, words: str) -> tuple[Response, int]:
        response = _respond(db_session, c, {**BASE, "Q11": words}, consent_publish=True,
                            email=address)
        answer = next(a for a in response.answers if a.question_id == long_text.id)
        return response, answer.id

    def item(answer_id: int) -> ModerationItem | None:
        db_session.expire_all()
        return moderation.find_item(db_session, "answer", answer_id)

    erased, erased_answer = quoted("erase@example.org", "Erase me")
    unlinked, unlinked_answer = quoted("unlink@example.org", "Unlink me")
    staff_erased, staff_answer = quoted("staff@example.org", "Staff erase")
    concern, concern_answer = quoted("concern@example.org", "Worrying words")
    concern_item = item(concern_answer)
    assert concern_item is not None
    moderation.escalate(db_session, concern_item, None)
    concern_item_id = concern_item.id
    for response, address in ((erased, "erase@example.org"), (unlinked, "unlink@example.org"),
                              (concern, "concern@example.org")):
        response.user_id = make_user(db_session, address).id
    db_session.flush()
    assert all(item(a).author_email for a in (erased_answer, unlinked_answer, staff_answer))  # type: ignore[union-attr]

    delete_account(db_session, db_session.get(User, erased.user_id), PASSWORD, erase=True)
    assert item(erased_answer) is None
    delete_account(db_session, db_session.get(User, unlinked.user_id), PASSWORD, erase=False)
    kept = item(unlinked_answer)
    assert kept is not None and kept.original_text == "Unlink me" and kept.author_email is None
    services.erase_contact(db_session, staff_erased)
    assert item(staff_answer).author_email is None  # type: ignore[union-attr]
    delete_account(db_session, db_session.get(User, concern.user_id), PASSWORD, erase=True)
    assert item(concern_answer) is None  # detached from the erased answer, kept for the lead
    open_concern = db_session.get(ModerationItem, concern_item_id)
    assert open_concern is not None and open_concern.author_email == "concern@example.org"
    assert open_concern.original_text == "Worrying words"
    moderation.resolve_safeguarding(db_session, open_concern, None, "Dealt with")
    db_session.expire_all()
    assert db_session.get(ModerationItem, concern_item_id) is None


def test_closed_by_date_refuses_new_drafts_and_saving(db_session: Session) -> None:
    import pytest

    c = every_kind(db_session)
    paper = services.draft_for(db_session, c, "s" * 32, "en", channel="paper")
    c.closes_at = utcnow() - timedelta(seconds=1)
    db_session.flush()
    with pytest.raises(services.ConsultationError) as error:
        services.draft_for(db_session, c, "k" * 32, "en")
    assert error.value.code == "closed"
    with pytest.raises(services.ConsultationError) as error:
        services.start_save_for_later(db_session, c, paper, "a@b.org")
    assert error.value.code == "closed"


def test_who_took_part_page(app: Flask, db_session: Session) -> None:
    import uuid
    from datetime import date as day

    from citizen.consultations.models import EqualityMonitoringRecord

    c = every_kind(db_session)
    for _ in range(12):
        db_session.add(EqualityMonitoringRecord(id=uuid.uuid4().hex, consultation_id=c.id,
                                                recorded_on=day.today(), sex="male"))
    db_session.flush()
    client = staff_client(app, db_session, "reach@example.org", "organiser")
    html = client.get(f"/consultations/manage/{c.id}/who-took-part").get_data(as_text=True)
    assert "12 people answered" in html and "Under-represented" in html and "Census 2021" in html


def test_results_cache_follows_new_and_changed_responses(db_session: Session) -> None:
    c = every_kind(db_session)
    response = _respond(db_session, c, BASE)
    first = results.compute(db_session, c, results.Filters(), "en")
    assert results.compute(db_session, c, results.Filters(), "en") is first  # cached
    _respond(db_session, c, {**BASE, "Q1": "o1"})
    second = results.compute(db_session, c, results.Filters(), "en")
    assert second.total == 2 and second.questions[0].rows == [("Yes", 1), ("No", 1)]
    # A change to a submitted answer shows at once too.
    import time

    time.sleep(0.01)
    q1 = c.questions()[0]
    services.save_answers(db_session, c, response, {q1: "o1"})
    third = results.compute(db_session, c, results.Filters(), "en")
    assert third.questions[0].rows == [("Yes", 2), ("No", 0)]
    # A draft's answers are never counted.
    draft = services.draft_for(db_session, c, "draft-key-" + "x" * 20, "en")
    services.save_answers(db_session, c, draft, {q1: "o2"})
    assert results.compute(db_session, c, results.Filters(), "en", use_cache=False).questions[0].rows == [
        ("Yes", 2), ("No", 0)]


def test_approved_quotes_appear_with_a_report_link_once_closed(app: Flask, db_session: Session) -> None:
    from citizen.moderation import services as moderation

    c = every_kind(db_session)
    response = _respond(db_session, c, {**BASE, "Q11": "Please open on Saturdays"}, consent_publish=True)
    long_text = next(q for q in c.questions() if q.kind == "long_text")
    answer = next(a for a in response.answers if a.question_id == long_text.id)
    with app.test_request_context():
        moderation.approve(db_session, moderation.find_item(db_session, "answer", answer.id), None)
    client = app.test_client()
    assert "Please open on Saturdays" not in client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    c.status = Status.CLOSED
    db_session.flush()
    html = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert "Please open on Saturdays" in html
    assert f"/moderation/report/answer/{answer.id}" in html or f"target_id={answer.id}" in html


def test_staff_erase_a_respondents_contact_and_it_is_audited(app: Flask, db_session: Session) -> None:
    from citizen.shared.audit import AuditEvent

    c = every_kind(db_session)
    response = _respond(db_session, c, BASE, email="forget-me@example.org", consent_contact=True)
    client = staff_client(app, db_session, "eraser@example.org", "organiser")
    r = client.post(f"/consultations/manage/{c.id}/erase-contact", data={"reference": "CW-NOTREAL1"})
    assert "No response has that reference" in r.get_data(as_text=True)
    r = client.post(f"/consultations/manage/{c.id}/erase-contact", data={"reference": response.reference})
    assert r.status_code == 302
    db_session.expire_all()
    assert response.contact is None and not response.consent_contact and len(response.answers) == 2
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "consultation.contact_erased"))


def test_staff_see_one_response_with_its_history_and_the_view_is_audited(
        app: Flask, db_session: Session) -> None:
    from citizen.shared.audit import AuditEvent

    c = every_kind(db_session)
    response = _respond(db_session, c, {**BASE, "Q4": "Sam"}, email="hidden@example.org")
    q4 = next(q for q in c.questions() if q.code == "Q4")
    services.save_answers(db_session, c, response, {q4: "Alex"})
    client = staff_client(app, db_session, "viewer@example.org", "moderator")
    html = client.get(f"/consultations/manage/{c.id}/responses/{response.reference}").get_data(as_text=True)
    assert "Sam" in html and "Alex" in html and "hidden@example.org" not in html
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "consultation.response_viewed"))
    assert client.get(f"/consultations/manage/{c.id}/responses/CW-NOPE").status_code == 404
