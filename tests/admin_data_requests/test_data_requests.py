"""Admins answer a person's request for their data: find every record holding one address,
download it all as JSON, erase record by record; audited without the address, never in a URL
or a request log line."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.admin import data_requests
from citizen.assembly.models import Registrant
from citizen.consultations import services as consultations
from citizen.consultations.models import Answer, Response
from citizen.moderation.models import ModerationItem
from citizen.pledges.models import OrganisationInvitation
from citizen.shared.audit import AuditEvent, hash_email, hash_ip
from tests.accounts.conftest import make_user, sign_in
from tests.admin_data_requests.conftest import ADDRESS, OTHER, Held, hold_records
from tests.consultations.helpers import staff_client

SEARCH = "/admin/data-requests"
RESULTS = "/admin/data-requests/results"
DOWNLOAD = "/admin/data-requests/download"


def search(client: FlaskClient, typed: str) -> str:
    posted = client.post(SEARCH, data={"email": typed})
    assert posted.status_code == 303, posted.get_data(as_text=True)
    assert posted.headers["Location"] == RESULTS
    page = client.get(RESULTS)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                .order_by(AuditEvent.id)))


def hashed(app: Flask, address: str) -> str | None:
    with app.app_context():
        return hash_email(address)


def assert_no_address(app: Flask, event: AuditEvent) -> None:
    assert "@" not in str(event.details) and "@" not in str(event.target_id)
    assert event.details["email_hash"] == hashed(app, ADDRESS)


def test_hash_email_is_keyed_normalised_and_apart_from_ip_hashes(app_ctx: Flask) -> None:
    assert hash_email(" Sam.Resident@EXAMPLE.org ") == hash_email(ADDRESS)
    assert hash_email(ADDRESS) != hash_email(OTHER)
    assert hash_email(ADDRESS) != hash_ip(ADDRESS)
    assert "@" not in (hash_email(ADDRESS) or "") and hash_email("  ") is None
    app_ctx.config["SECRET_KEY"] = "another-secret-key-that-is-long-enough-for-anything"
    try:
        assert hash_email(ADDRESS) != hash_ip(ADDRESS)
        changed = hash_email(ADDRESS)
    finally:
        app_ctx.config["SECRET_KEY"] = "test-secret-key-that-is-long-enough-for-anything"
    assert changed != hash_email(ADDRESS), "keyed by the secret key"


def test_search_finds_records_in_every_feature_whatever_the_case(
        app: Flask, admin: FlaskClient, db_session: Session) -> None:
    held = hold_records(app, db_session)
    with app.test_request_context():
        found = data_requests.find(db_session, "  SAM.Resident@Example.ORG ")
    assert found.counts() == {
        "account": 1, "consultation_responses": 2, "assembly_registrations": 1,
        "organisation_memberships": 1, "organisation_claims": 1, "organisation_invitations": 1,
        "moderation_items": 5}
    # Three free-text answers quoted for publication, one given in capitals, one safeguarding.
    assert len(held.moderation_items) == 4
    assert {i.id for i in found.moderation_items} == {
        i.id for i in [*held.moderation_items, held.safeguarding_item]}
    by_address = [h for h in found.responses if not h.by_account]
    assert [h.response.id for h in by_address] == [held.response.id]

    page = search(admin, "  SAM.Resident@Example.ORG ")
    assert f"Data held for {ADDRESS}" in page
    assert f'href="/admin/people/{held.user.id}">{ADDRESS}</a>' in page
    assert "Hospital parking" in page and held.response.reference in page
    assert "Assembly on waiting times" in page
    assert "Sam&#39;s Cafe" in page and "Big Employer Ltd" in page
    assert "Asked to act for it (through the account)" in page
    assert "Invited to join it, not accepted" in page
    assert "Consultation answer" in page and "Kept for the safeguarding lead" in page
    assert f"{found.total} records found." in page
    assert 'href="/admin/data-requests/erase/' in page and ADDRESS not in re.sub(
        r"<h1.*?</h1>|<a href=\"/admin/people/\d+\">[^<]*</a>", "", page, flags=re.S), \
        "the address shows only in the heading and the account link"
    for kind, record_id in [("consultation-address", held.response.id),
                            ("consultation-response", held.account_response.id),
                            ("assembly-registration", held.registrant_id),
                            ("pledge-invitation", held.invitation.id),
                            ("moderation-address", held.moderation_items[0].id)]:
        assert f'href="/admin/data-requests/erase/{kind}/{record_id}"' in page
    assert f"/moderation-address/{held.safeguarding_item.id}" not in page
    # No erase-the-address link for the response that was made signed in without one.
    assert f"/consultation-address/{held.account_response.id}" not in page

    [event] = events(db_session, "data_request.searched")
    assert_no_address(app, event)
    assert event.details["consultation_responses"] == 2 and event.details["account"] == 1
    assert event.actor_id is not None


def test_another_address_finds_nothing(app: Flask, admin: FlaskClient, db_session: Session) -> None:
    hold_records(app, db_session)
    page = search(admin, OTHER)
    assert "0 records found." in page and "Download as JSON" not in page
    for theirs in ("Hospital parking", "Assembly on waiting times", "Big Employer Ltd",
                   "Consultation answer", "/admin/data-requests/erase/", ADDRESS):
        assert theirs not in page
    assert page.count("None found.") == 5
    [event] = events(db_session, "data_request.searched")
    assert event.details["email_hash"] == hashed(app, OTHER)
    assert all(v == 0 for k, v in event.details.items() if k != "email_hash")


@pytest.mark.parametrize("role", ["moderator", "organiser", "resident", "anonymous"])
def test_only_admins_may_use_it(app: Flask, db_session: Session, role: str) -> None:
    held = hold_records(app, db_session)
    if role == "anonymous":
        client = app.test_client()
    elif role == "resident":
        make_user(db_session, "just.resident@example.org")
        client = app.test_client()
        sign_in(client, "just.resident@example.org")
    else:
        client = staff_client(app, db_session, f"{role}.dr@example.org", role)
    with client.session_transaction() as cookie:  # even with a search kept from before
        cookie["data_request"] = {"email": ADDRESS, "until": int(time.time()) + 600}
    erase = f"/admin/data-requests/erase/pledge-invitation/{held.invitation.id}"
    for method, path in [("GET", SEARCH), ("POST", SEARCH), ("GET", RESULTS), ("POST", DOWNLOAD),
                         ("GET", erase), ("POST", erase)]:
        response = client.open(path, method=method, data={"email": ADDRESS})
        if role == "anonymous":
            assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
        else:
            assert response.status_code == 403, (method, path)
    assert db_session.get(OrganisationInvitation, held.invitation.id) is not None
    assert not events(db_session, "data_request.searched")


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter an email address"),
    ("not an email", "Enter an email address in the right format, like name@example.com"),
    ("sam@", "Enter an email address in the right format, like name@example.com"),
    ("x" * 300 + "@example.org", "Enter an email address in the right format, like name@example.com"),
    ("\u202esam@example.org\ufffe", "Enter an email address in the right format, like name@example.com"),
])
def test_a_bad_address_is_shown_at_the_field_and_kept(
        admin: FlaskClient, db_session: Session, typed: str, message: str) -> None:
    response = admin.post(SEARCH, data={"email": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page and '<a href="#email">' + message in page
    assert f'id="email-error-1"><span class="visually-hidden">Error:</span> {message}' in page
    assert 'aria-invalid="true"' in page
    if typed:
        assert re.search(r'<input[^>]*id="email"[^>]*value="' + re.escape(typed[:50]), page)
    with admin.session_transaction() as cookie:
        assert "data_request" not in cookie
    assert not events(db_session, "data_request.searched")


def test_results_need_a_recent_search(admin: FlaskClient, db_session: Session) -> None:
    response = admin.get(RESULTS)
    assert response.status_code == 302 and response.headers["Location"] == SEARCH
    assert "a search is kept for 30 minutes only" in admin.get(SEARCH).get_data(as_text=True)
    search(admin, ADDRESS)
    with admin.session_transaction() as cookie:
        assert cookie["data_request"]["email"] == ADDRESS
        cookie["data_request"] = {"email": ADDRESS, "until": int(time.time()) - 1}
    assert admin.get(RESULTS).status_code == 302
    assert admin.post(DOWNLOAD).status_code == 302
    with admin.session_transaction() as cookie:
        assert "data_request" not in cookie, "an expired search is forgotten"
    # Opening the search page again starts a new search.
    search(admin, ADDRESS)
    admin.get(SEARCH)
    assert admin.get(RESULTS).status_code == 302


def test_download_holds_answers_and_contact_details(
        app: Flask, admin: FlaskClient, db_session: Session) -> None:
    held = hold_records(app, db_session)
    search(admin, ADDRESS.upper())
    response = admin.post(DOWNLOAD)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"personal-data-") and "@" not in disposition
    data = json.loads(response.get_data(as_text=True))
    assert data["email_address"] == ADDRESS
    assert data["account"]["email_address"] == ADDRESS and data["account"]["roles"] == [
        "organisation_member", "resident"]
    assert "password_hash" not in json.dumps(data)

    sent = next(r for r in data["consultation_responses"] if r["reference"] == held.response.reference)
    assert sent["consultation"] == "Hospital parking" and sent["status"] == "sent"
    assert sent["email_address"] == ADDRESS and sent["wants_to_hear_the_outcome"] is True
    answers = {a["question"]: a["answer"] for a in sent["answers"]}
    assert answers["Pick one"] == "Yes"
    assert answers["Pick some"] == "A, Other: Bus passes"
    assert answers["Do you agree"] == "Agree"
    assert answers["When"] == "04/03/2026"
    assert answers["Tell us more"] == "The clinic in Rugby is too far"
    assert answers["Why yes"] == "Because"
    assert sent["sent_at"].endswith("+00:00")
    signed_in = next(r for r in data["consultation_responses"] if r["reference"] != sent["reference"])
    assert signed_in["signed_in_to_account"] is True and signed_in["email_address"] is None

    [registration] = data["citizens_assembly_registrations"]
    assert registration["assembly"] == "Assembly on waiting times"
    assert registration["contact"] == {
        "name": "Sam Resident", "email_address": ADDRESS, "phone": "07700 900123",
        "address": "1 Test Street", "postcode": "CV35 7AA", "access_needs": "Step-free access"}
    labelled = {a["question"]: a["answer"] for a in registration["answers"]}
    assert "65 to 74" in labelled.values() and "Female" in labelled.values()

    pledges = data["call_to_action"]
    assert [o["organisation"] for o in pledges["organisations"]] == ["Sam's Cafe"]
    assert pledges["requests_to_join"][0]["reason"] == "I run the canteen"
    assert pledges["invitations"][0]["email_address"] == ADDRESS
    texts = {item["text"] for item in data["moderation_queue"]}
    assert {"The clinic in Rugby is too far", "Written somewhere else", "Please help me"} <= texts

    [event] = events(db_session, "data_request.downloaded")
    assert_no_address(app, event)
    assert event.details["moderation_items"] == len(data["moderation_queue"])


def test_download_in_another_language_keeps_the_residents_words(
        app: Flask, admin: FlaskClient, db_session: Session) -> None:
    hold_records(app, db_session)
    admin.get("/language/pl")
    search(admin, ADDRESS)
    data = json.loads(admin.post(DOWNLOAD).get_data(as_text=True))
    answers = {a["question"]: a["answer"] for r in data["consultation_responses"]
               for a in r["answers"]}
    assert answers["Do you agree"] == "Agree", "in the language they answered in (English)"


def _erased_contact(session: Session, held: Held) -> None:
    response = session.get(Response, held.response_id)
    assert response is not None and response.contact is None and response.answers
    answer_ids = [a.id for a in response.answers]
    assert not session.scalars(select(ModerationItem).where(
        ModerationItem.kind == "answer", ModerationItem.target_id.in_(answer_ids),
        ModerationItem.author_email.is_not(None))).all()
    assert events(session, "consultation.contact_erased")


def _erased_response(session: Session, held: Held) -> None:
    assert session.get(Response, held.response_id) is None
    assert not session.scalars(select(Answer).where(Answer.response_id == held.response_id)).all()
    [event] = events(session, "consultation.response_erased")
    assert event.actor_id is not None and "@" not in str(event.details)


def _erased_registration(session: Session, held: Held) -> None:
    registrant = session.get(Registrant, held.registrant_id)
    assert registrant is not None and registrant.erased_at is not None
    assert registrant.contact is None and registrant.demographics is None
    assert events(session, "assembly.erased")[0].actor_id is not None


def _erased_invitation(session: Session, held: Held) -> None:
    assert session.get(OrganisationInvitation, held.invitation_id) is None
    assert events(session, "organisation.invitation_deleted")


def _erased_moderation_address(session: Session, held: Held) -> None:
    first, *others = held.moderation_items
    assert session.get(ModerationItem, first.id).author_email is None  # type: ignore[union-attr]
    assert all(session.get(ModerationItem, i.id).author_email for i in others)  # type: ignore[union-attr]


ERASURES: dict[str, tuple[Callable[[Held], int], str, Callable[[Session, Held], None]]] = {
    "consultation-address": (lambda h: h.response.id, "The answers stay", _erased_contact),
    "consultation-response": (lambda h: h.response.id, "all its answers", _erased_response),
    "assembly-registration": (lambda h: h.registrant_id, "marked as dropped out",
                              _erased_registration),
    "pledge-invitation": (lambda h: h.invitation.id, "Its link will stop working",
                          _erased_invitation),
    "moderation-address": (lambda h: h.moderation_items[0].id, "The text stays in the queue",
                           _erased_moderation_address),
}


@pytest.mark.parametrize("kind", list(ERASURES))
def test_each_erasure_is_confirmed_done_and_audited_without_the_address(
        app: Flask, admin: FlaskClient, db_session: Session, kind: str) -> None:
    held = hold_records(app, db_session)
    if kind == "consultation-response":  # staff may erase after closing, unlike residents
        consultations.close_now(db_session, None, held.consultation)
    record_of, explained, check = ERASURES[kind]
    record_id = record_of(held)
    search(admin, ADDRESS)
    path = f"/admin/data-requests/erase/{kind}/{record_id}"
    confirm = admin.get(path)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert explained in page and "You cannot undo this." in page and "Yes, delete it" in page
    assert 'href="/admin/data-requests/results">Cancel</a>' in page
    assert not events(db_session, "data_request.erased"), "showing the question erases nothing"

    done = admin.post(path)
    assert done.status_code == 303 and done.headers["Location"] == RESULTS
    after = admin.get(RESULTS).get_data(as_text=True)
    assert "Deleted. The list below is up to date." in after
    assert f'href="{path}"' not in after
    db_session.expire_all()
    check(db_session, held)
    [event] = events(db_session, "data_request.erased")
    assert_no_address(app, event)
    assert event.details["erased"] == kind and event.target_id == str(record_id)
    assert event.target_type == data_requests.ERASE_KINDS[kind]
    assert admin.post(path).status_code == 404, "once only"


def test_only_what_the_search_found_can_be_erased(
        app: Flask, admin: FlaskClient, db_session: Session) -> None:
    held = hold_records(app, db_session)
    search(admin, OTHER)
    for kind, record_id in [("consultation-response", held.response.id),
                            ("pledge-invitation", held.invitation.id),
                            ("moderation-address", held.moderation_items[0].id)]:
        assert admin.post(f"/admin/data-requests/erase/{kind}/{record_id}").status_code == 404
    search(admin, ADDRESS)
    safeguarding = f"/admin/data-requests/erase/moderation-address/{held.safeguarding_item.id}"
    assert admin.get(safeguarding).status_code == 404
    assert admin.post(safeguarding).status_code == 404
    assert admin.get(f"/admin/data-requests/erase/nonsense/{held.response.id}").status_code == 404
    assert admin.get("/admin/data-requests/erase/consultation-address/"
                     f"{held.account_response.id}").status_code == 404, "it has no address"
    db_session.expire_all()
    assert db_session.get(ModerationItem, held.safeguarding_item.id).author_email == ADDRESS  # type: ignore[union-attr]
    assert db_session.get(Response, held.response.id) is not None
    assert not events(db_session, "data_request.erased")


def test_withdraw_keeps_its_checks_for_residents(app: Flask, db_session: Session) -> None:
    held = hold_records(app, db_session)
    consultations.close_now(db_session, None, held.consultation)
    with pytest.raises(consultations.ConsultationError) as closed:
        consultations.withdraw(db_session, held.consultation, held.response)
    assert closed.value.code == "closed"
    assert db_session.get(Response, held.response.id) is not None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_address_is_never_in_a_url_or_a_request_log_line(
        app: Flask, admin: FlaskClient, db_session: Session) -> None:
    held = hold_records(app, db_session)
    logger = logging.getLogger("citizen.request")
    collect = _Collect()
    logger.addHandler(collect)
    locations: list[str] = []
    try:
        for method, path, data in [
                ("GET", SEARCH, None), ("POST", SEARCH, {"email": ADDRESS.upper()}),
                ("GET", RESULTS, None), ("POST", DOWNLOAD, None),
                ("GET", f"/admin/data-requests/erase/pledge-invitation/{held.invitation.id}", None),
                ("POST", f"/admin/data-requests/erase/pledge-invitation/{held.invitation.id}", None),
                ("POST", SEARCH, {"email": "not valid@example"})]:
            response = admin.open(path, method=method, data=data)
            assert response.status_code < 500
            locations.append(response.headers.get("Location", ""))
            if response.mimetype == "text/html":
                links: list[Any] = re.findall(r'(?:href|action)="([^"]*)"', response.get_data(as_text=True))
                assert not [link for link in links if "@" in link or "example.org" in link.lower()]
    finally:
        logger.removeHandler(collect)
    assert len(collect.lines) == 7
    assert [line.split()[0:2] for line in collect.lines][:2] == [["GET", SEARCH], ["POST", SEARCH]]
    for line in collect.lines + locations:
        assert "@" not in line and "example.org" not in line.lower() and "sam.resident" not in line.lower()


def test_the_admin_pages_link_to_it(admin: FlaskClient) -> None:
    page = admin.get("/admin/people").get_data(as_text=True)
    assert f'href="{SEARCH}">Personal data requests</a>' in page


@pytest.mark.parametrize("language", ["ar", "ur", "fa", "ckb", "pl", "ro", "bn", "gu", "pa", "ti"])
def test_the_pages_are_translated(app: Flask, admin: FlaskClient, db_session: Session,
                                  language: str) -> None:
    held = hold_records(app, db_session)
    admin.get(f"/language/{language}")
    english = ("Personal data requests", "records found", "None found.", "Yes, delete it",
               "You cannot undo this.", "Delete the invitation")
    pages = [admin.get(SEARCH), admin.post(SEARCH, data={"email": "nope"})]
    search(admin, ADDRESS)
    pages += [admin.get(RESULTS), admin.get(f"/admin/data-requests/erase/pledge-invitation/"
                                            f"{held.invitation.id}")]
    for page in pages:
        assert page.status_code in (200, 400)
        text = page.get_data(as_text=True)
        assert f'lang="{language}"' in text
        assert not [words for words in english if words in text]
