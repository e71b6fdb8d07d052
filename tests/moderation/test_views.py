"""Moderators' pages: permissions, the queue, redaction, decisions, mail, bulk, reports."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from citizen.moderation import services as moderation
from citizen.moderation.models import ModerationItem
from citizen.shared.audit import AuditEvent
from tests.conftest import Inbox
from tests.moderation.conftest import signed_in


def _submit(db_session: Session, app: Flask, target_id: int, text: str, **kwargs: object
            ) -> ModerationItem:
    with app.test_request_context():
        item = moderation.submit(db_session, kind=kwargs.pop("kind", "answer"),  # type: ignore[arg-type]
                                 target_id=target_id, text=text, **kwargs)  # type: ignore[arg-type]
    db_session.flush()
    return item


def _audit(db_session: Session, action: str, item: ModerationItem) -> list[AuditEvent]:
    return list(db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.target_id == str(item.id))))


MODERATION_PAGES = ["/moderation/", "/moderation/safeguarding", "/moderation/items/{id}"]


@pytest.mark.parametrize("roles", [("resident",), ("resident", "organisation_member"),
                                   ("organiser",), ("admin",)])
def test_people_without_moderation_rights_get_403(app: Flask, db_session: Session,
                                                 roles: tuple[str, ...]) -> None:
    item = _submit(db_session, app, 30001, "A comment")
    client, _user = signed_in(app, db_session, f"{roles[-1]}.403@example.org", *roles)
    for page in MODERATION_PAGES:
        assert client.get(page.format(id=item.id)).status_code == 403, page
    for action in (f"/moderation/items/{item.id}/decide", "/moderation/bulk",
                   f"/moderation/items/{item.id}/redact"):
        assert client.post(action, data={"decision": "approve"}).status_code == 403
    assert moderation.state_of(db_session, "answer", 30001) == "pending"


def test_nobody_signed_in_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/moderation/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_queue_lists_oldest_first_with_filters(app: Flask, db_session: Session,
                                               moderator: tuple[FlaskClient, User]) -> None:
    client, _ = moderator
    from datetime import timedelta

    from citizen.db import utcnow
    newer = _submit(db_session, app, 30002, "Newer comment about Rugby", place_slug="rugby")
    older = _submit(db_session, app, 30003, "Older comment about Coventry", place_slug="coventry")
    older.submitted_at = utcnow() - timedelta(days=10)
    db_session.flush()
    page = client.get("/moderation/").get_data(as_text=True)
    assert page.index("Older comment") < page.index("Newer comment")
    rugby = client.get("/moderation/?place=rugby").get_data(as_text=True)
    assert "Newer comment" in rugby and "Older comment" not in rugby
    aged = client.get("/moderation/?age=7").get_data(as_text=True)
    assert "Older comment" in aged and "Newer comment" not in aged
    assert "Newer comment" not in client.get("/moderation/?kind=pledge").get_data(as_text=True)
    # nonsense in the address is ignored, not an error
    assert client.get("/moderation/?age=banana&state=zzz&page=-4").status_code == 200
    assert newer.id and older.id


def test_item_page_highlights_and_redacts_one_finding(app: Flask, db_session: Session,
                                                      moderator: tuple[FlaskClient, User]) -> None:
    client, user = moderator
    item = _submit(db_session, app, 30004, "Dr Patel was great. Ring 07700 900123.")
    page = client.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert '<mark class="moderation-finding">07700 900123' in page
    assert page.count('name="digest"') == 2
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    text = item.original_text
    start = text.index("07700")
    response = client.post(f"/moderation/items/{item.id}/redact", data={
        "start": start, "end": start + len("07700 900123"), "kind": "phone", "digest": digest})
    assert response.status_code == 302
    db_session.refresh(item)
    assert item.redacted_text == "Dr Patel was great. Ring [phone number removed]."
    assert item.original_text == text
    # the same form again is stale now: refused, nothing cut
    client.post(f"/moderation/items/{item.id}/redact", data={
        "start": start, "end": start + 5, "kind": "phone", "digest": digest})
    db_session.refresh(item)
    assert item.redacted_text == "Dr Patel was great. Ring [phone number removed]."
    assert len(_audit(db_session, "moderation.redact", item)) == 1
    assert _audit(db_session, "moderation.redact", item)[0].actor_id == user.id
    page = client.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "Original text (moderators only)" in page and "07700 900123" in page


def test_remove_typed_words_and_undo(app: Flask, db_session: Session,
                                     moderator: tuple[FlaskClient, User]) -> None:
    client, _ = moderator
    item = _submit(db_session, app, 30005, "Sarah at reception was rude to Sarah's mum.")
    missing = client.post(f"/moderation/items/{item.id}/remove-text", data={"phrase": "Bob"})
    assert missing.status_code == 400
    assert "Those words are not in the text" in missing.get_data(as_text=True)
    assert 'value="Bob"' in missing.get_data(as_text=True), "what was typed is kept"
    client.post(f"/moderation/items/{item.id}/remove-text", data={"phrase": "Sarah"})
    db_session.refresh(item)
    assert item.redacted_text == ("[personal details removed] at reception was rude to "
                                  "[personal details removed]'s mum.")
    client.post(f"/moderation/items/{item.id}/redact", data={"undo": "1"})
    db_session.refresh(item)
    assert item.redacted_text is None


def test_approve_with_redactions_publishes_redacted_and_mails_author(
        app: Flask, db_session: Session, moderator: tuple[FlaskClient, User], inbox: Inbox) -> None:
    client, user = moderator
    item = _submit(db_session, app, 30006, "My email is me@example.net and the ward was clean.",
                   author_email="author@example.org")
    response = client.post(f"/moderation/items/{item.id}/decide",
                           data={"decision": "approve_redacted"})
    assert response.status_code == 302
    db_session.expire_all()
    assert moderation.public_text(db_session, "answer", 30006) == (
        "My email is [email address removed] and the ward was clean.")
    event = _audit(db_session, "moderation.approve_redacted", item)
    assert len(event) == 1 and event[0].actor_id == user.id
    message = inbox.last_to("author@example.org")
    assert message["Subject"] == "What you wrote has been published"
    body = inbox.body(message)
    assert "[email address removed]" in body and "me@example.net" not in body
    db_session.refresh(item)
    assert item.author_email is None, "the address is forgotten once the author is told"


def test_reject_needs_a_reason_and_tells_the_author(
        app: Flask, db_session: Session, moderator: tuple[FlaskClient, User], inbox: Inbox) -> None:
    client, _ = moderator
    item = _submit(db_session, app, 30007, "Buy cheap pills", author_email="spam@example.org")
    missing = client.post(f"/moderation/items/{item.id}/decide",
                          data={"decision": "reject", "reason_text": "Selling things"})
    assert missing.status_code == 400
    page = missing.get_data(as_text=True)
    assert "Choose a reason for rejecting" in page and "Selling things" in page
    assert moderation.state_of(db_session, "answer", 30007) == "pending"
    client.post(f"/moderation/items/{item.id}/decide",
                data={"decision": "reject", "reason": "spam", "reason_text": "Selling things"})
    assert moderation.state_of(db_session, "answer", 30007) == "rejected"
    body = inbox.body(inbox.last_to("spam@example.org"))
    assert "advertising or spam" in body and "Selling things" in body
    assert len(_audit(db_session, "moderation.reject", item)) == 1


def test_escalation_hides_lists_apart_and_shows_contact_to_moderators(
        app: Flask, db_session: Session, moderator: tuple[FlaskClient, User], inbox: Inbox) -> None:
    client, _ = moderator
    item = _submit(db_session, app, 30008, "Nobody visits my neighbour and she has no food.",
                   author_email="worried@example.org", post_moderated=True)
    assert moderation.is_public(db_session, "answer", 30008)
    missing = client.post(f"/moderation/items/{item.id}/decide", data={"decision": "escalate"})
    assert missing.status_code == 400 and "Say what the concern is" in missing.get_data(as_text=True)
    client.post(f"/moderation/items/{item.id}/decide",
                data={"decision": "escalate", "note": "Possible neglect"})
    db_session.expire_all()
    assert not moderation.is_public(db_session, "answer", 30008)
    assert inbox.to("worried@example.org") == [], "the author is not told of an escalation"
    listing = client.get("/moderation/safeguarding").get_data(as_text=True)
    assert "Nobody visits my neighbour" in listing and "worried@example.org" not in listing
    page = client.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "worried@example.org" in page and "Possible neglect" in page
    assert _audit(db_session, "moderation.view_contact", item)
    assert "worried@example.org" not in client.get("/moderation/").get_data(as_text=True)
    done = client.post(f"/moderation/items/{item.id}/resolve", data={"note": "Referred to council"})
    assert done.status_code == 302
    db_session.refresh(item)
    assert not item.safeguarding
    assert item.author_email is None  # kept for the safeguarding lead only
    assert _audit(db_session, "moderation.safeguarding_resolved", item)


def test_an_erased_target_under_safeguarding_waits_for_the_lead(
        app: Flask, db_session: Session, moderator: tuple[FlaskClient, User]) -> None:
    """The feature erases a text under an open concern: the item stays for the safeguarding
    lead, detached (a new text with the same id starts afresh), and goes once resolved."""
    client, _ = moderator
    item = _submit(db_session, app, 30011, "Worrying words.", author_email="author@example.org")
    client.post(f"/moderation/items/{item.id}/decide",
                data={"decision": "escalate", "note": "Possible risk"})
    _submit(db_session, app, 30012, "Plain words.", author_email="plain@example.org")
    assert moderation.forget(db_session, "answer", [30011, 30012]) == 1
    assert moderation.find_item(db_session, "answer", 30012) is None
    db_session.expire_all()
    kept = db_session.get(ModerationItem, item.id)
    assert kept is not None and kept.target_id < 0 and kept.author_email == "author@example.org"
    assert moderation.find_item(db_session, "answer", 30011) is None
    assert client.get(f"/moderation/items/{item.id}").status_code == 200
    assert "Worrying words." in client.get("/moderation/safeguarding").get_data(as_text=True)
    fresh = _submit(db_session, app, 30011, "New words from someone else.")
    assert fresh.id != item.id and not fresh.safeguarding
    item_id = item.id
    client.post(f"/moderation/items/{item_id}/resolve", data={"note": "Done"})
    db_session.expire_all()
    assert db_session.get(ModerationItem, item_id) is None


def test_bulk_approve_and_reject(app: Flask, db_session: Session,
                                 moderator: tuple[FlaskClient, User]) -> None:
    client, _ = moderator
    items = [_submit(db_session, app, 30010 + i, f"Bulk comment {i}") for i in range(4)]
    none_chosen = client.post("/moderation/bulk", data={"decision": "approve"})
    assert none_chosen.status_code == 302
    assert moderation.state_of(db_session, "answer", 30010) == "pending"
    no_reason = client.post("/moderation/bulk", data={
        "decision": "reject", "item_ids": [str(items[0].id)]})
    assert no_reason.status_code == 302
    assert moderation.state_of(db_session, "answer", 30010) == "pending"
    client.post("/moderation/bulk", data={
        "decision": "approve", "item_ids": [str(items[0].id), str(items[1].id)]})
    client.post("/moderation/bulk", data={
        "decision": "reject", "reason": "off_topic", "item_ids": [str(items[2].id), str(items[3].id)]})
    assert [moderation.state_of(db_session, "answer", 30010 + i) for i in range(4)] == [
        "approved", "approved", "rejected", "rejected"]
    for item in items[:2]:
        assert len(_audit(db_session, "moderation.approve", item)) == 1
    for item in items[2:]:
        assert len(_audit(db_session, "moderation.reject", item)) == 1


def test_decide_goes_to_next_item(app: Flask, db_session: Session,
                                  moderator: tuple[FlaskClient, User]) -> None:
    client, _ = moderator
    first = _submit(db_session, app, 30020, "First")
    response = client.post(f"/moderation/items/{first.id}/decide", data={"decision": "approve"})
    location = response.headers["Location"]
    assert location.startswith("/moderation/items/") or location == "/moderation/"
    assert location != f"/moderation/items/{first.id}"


def test_report_form_hides_after_threshold(app: Flask, db_session: Session) -> None:
    item = _submit(db_session, app, 30030, "A rude comment")
    with app.test_request_context():
        moderation.approve(db_session, item, actor_id=None)
    db_session.flush()
    url = f"/moderation/report/answer/{30030}"
    visitor = app.test_client()
    page = visitor.get(url)
    assert page.status_code == 200 and "A rude comment" in page.get_data(as_text=True)
    bad = visitor.post(url, data={"details": "x" * 1001})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Choose what is wrong with it" in text and "Use 1000 characters or fewer" in text
    for n in range(3):
        other = app.test_client()
        response = other.post(url, data={"reason": "abusive", "details": "nasty"},
                              environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
        assert response.status_code == 200
        assert "Thank you for your report" in response.get_data(as_text=True)
    assert moderation.state_of(db_session, "answer", 30030) == "hidden"
    db_session.expire_all()
    assert not moderation.is_public(db_session, "answer", 30030)
    assert len(_audit(db_session, "moderation.hide", item)) == 1


def test_report_form_404_for_unknown_or_unpublished(app: Flask, db_session: Session,
                                                    client: FlaskClient) -> None:
    _submit(db_session, app, 30031, "Not yet public")
    assert client.get("/moderation/report/answer/30031").status_code == 404
    assert client.get("/moderation/report/answer/999999").status_code == 404
    assert client.get("/moderation/report/nonsense/1").status_code == 404


def test_report_threshold_is_configurable(app: Flask, db_session: Session) -> None:
    item = _submit(db_session, app, 30032, "Another comment", post_moderated=True)
    app.config["MODERATION_REPORT_THRESHOLD"] = 1
    try:
        app.test_client().post("/moderation/report/answer/30032", data={"reason": "spam"})
    finally:
        app.config.pop("MODERATION_REPORT_THRESHOLD", None)
    assert moderation.state_of(db_session, "answer", 30032) == "hidden"
    assert item.id


def test_reporting_a_page_that_never_went_through_the_queue(app: Flask, db_session: Session) -> None:
    moderation.register_kind("test_page", label="Test page",
                             public_url=lambda target_id: f"/pages/{target_id}" if target_id < 100
                             else None)
    try:
        visitor = app.test_client()
        assert visitor.get("/moderation/report/test_page/500").status_code == 404
        assert visitor.post("/moderation/report/test_page/500",
                            data={"reason": "untrue"}).status_code == 404
        assert visitor.get("/moderation/report/test_page/7").status_code == 200
        assert moderation.find_item(db_session, "test_page", 7) is None, "a GET saves nothing"
        done = visitor.post("/moderation/report/test_page/7", data={"reason": "untrue",
                                                                   "details": "Wrong phone number"})
        assert done.status_code == 200
        item = moderation.find_item(db_session, "test_page", 7)
        assert item is not None and item.report_count == 1 and item.reports[0].reason == "untrue"
        assert moderation.find_item(db_session, "test_page", 500) is None
    finally:
        moderation._KINDS.pop("test_page", None)
    client, _ = signed_in(app, db_session, "mod.page@example.org", "moderator")
    listing = client.get("/moderation/").get_data(as_text=True)
    assert "(no text: a report about a page)" in listing
    page = client.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "visitors reported the published page itself" in page and "Wrong phone number" in page
