"""The queue API other features code against (register_kind, submit, state_of, is_public,
public_text, public_texts), and the decisions behind it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.moderation import services as moderation
from citizen.moderation.models import ModerationItem
from citizen.shared.audit import AuditEvent


@pytest.fixture()
def calls() -> Iterator[list[tuple[str, int, str]]]:
    seen: list[tuple[str, int, str]] = []

    def on_decision(session: Session, item: ModerationItem) -> None:
        seen.append((item.kind, item.target_id, item.state))

    moderation.register_kind("test_thing", label="Test thing", on_decision=on_decision,
                             public_url=lambda target_id: f"/things/{target_id}")
    yield seen
    moderation._KINDS.pop("test_thing", None)


def test_submit_is_pending_and_not_public(app_ctx: Flask, db_session: Session) -> None:
    item = moderation.submit(db_session, kind="pledge", target_id=9001, text="We will walk more.",
                             place_slug="rugby")
    assert item.id is not None
    assert moderation.state_of(db_session, "pledge", 9001) == "pending"
    assert moderation.is_public(db_session, "pledge", 9001) is False
    assert moderation.public_text(db_session, "pledge", 9001) is None
    assert moderation.public_texts(db_session, "pledge", [9001]) == {}
    assert moderation.state_of(db_session, "pledge", 9002) is None
    assert moderation.is_public(db_session, "pledge", 9002) is False


def test_unknown_kind_is_refused(app_ctx: Flask, db_session: Session) -> None:
    with pytest.raises(ValueError):
        moderation.submit(db_session, kind="nonsense", target_id=1, text="x")


def test_submit_scans_for_personal_data(app_ctx: Flask, db_session: Session) -> None:
    item = moderation.submit(db_session, kind="answer", target_id=9003,
                             text="Ring me on 07700 900123 or write to jo@example.org",
                             consultation_id=None)
    assert sorted(f["kind"] for f in item.findings) == ["email", "phone"]
    assert item.finding_count == 2


def test_approve_publishes_and_calls_back(app_ctx: Flask, db_session: Session,
                                          calls: list[tuple[str, int, str]]) -> None:
    item = moderation.submit(db_session, kind="test_thing", target_id=1, text="Good service.")
    moderation.approve(db_session, item, actor_id=None)
    assert calls == [("test_thing", 1, "approved")]
    assert moderation.is_public(db_session, "test_thing", 1)
    assert moderation.public_text(db_session, "test_thing", 1) == "Good service."
    assert moderation.public_url_of(item) == "/things/1"
    event = db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "moderation.approve", AuditEvent.target_id == str(item.id)))
    assert event is not None and event.details["kind"] == "test_thing"


def test_redacted_text_is_published_and_original_kept(app_ctx: Flask, db_session: Session) -> None:
    text = "Dr Patel was kind. Call me on 07700 900123."
    item = moderation.submit(db_session, kind="answer", target_id=9004, text=text)
    action = moderation.approve(db_session, item, actor_id=None, redact_findings=True)
    assert action == "moderation.approve_redacted"
    published = moderation.public_text(db_session, "answer", 9004)
    assert published == "Dr [name removed] was kind. Call me on [phone number removed]."
    assert item.original_text == text
    assert moderation.public_texts(db_session, "answer", [9004, 9999]) == {9004: published}


def test_reject_and_escalate_are_not_public(app_ctx: Flask, db_session: Session,
                                            calls: list[tuple[str, int, str]]) -> None:
    first = moderation.submit(db_session, kind="test_thing", target_id=2, text="Buy now!")
    moderation.reject(db_session, first, actor_id=None, reason_code="spam", reason_text="Advert")
    assert moderation.state_of(db_session, "test_thing", 2) == "rejected"
    assert first.reason_code == "spam" and first.reason_text == "Advert"
    second = moderation.submit(db_session, kind="test_thing", target_id=3, text="I am scared",
                               post_moderated=True)
    assert moderation.is_public(db_session, "test_thing", 3)
    moderation.escalate(db_session, second, actor_id=None, reason_text="Risk of harm")
    assert moderation.state_of(db_session, "test_thing", 3) == "escalated"
    assert second.safeguarding
    assert not moderation.is_public(db_session, "test_thing", 3)
    assert calls == [("test_thing", 2, "rejected"), ("test_thing", 3, "escalated")]
    with pytest.raises(moderation.DecisionError):
        moderation.reject(db_session, first, actor_id=None, reason_code="not-a-reason")


def test_post_moderated_is_public_at_once(app_ctx: Flask, db_session: Session) -> None:
    moderation.submit(db_session, kind="pledge_update", target_id=9005, text="We planted trees.",
                      post_moderated=True)
    assert moderation.state_of(db_session, "pledge_update", 9005) == "pending"
    assert moderation.is_public(db_session, "pledge_update", 9005)
    assert moderation.public_texts(db_session, "pledge_update", [9005]) == {
        9005: "We planted trees."}


def test_resubmission_reopens(app_ctx: Flask, db_session: Session) -> None:
    item = moderation.submit(db_session, kind="pledge", target_id=9006, text="Old words")
    moderation.approve(db_session, item, actor_id=None)
    again = moderation.submit(db_session, kind="pledge", target_id=9006, text="New words")
    assert again.id == item.id
    assert moderation.state_of(db_session, "pledge", 9006) == "pending"
    assert moderation.public_text(db_session, "pledge", 9006) is None
    assert again.original_text == "New words" and again.redacted_text is None


def test_reports_hide_after_threshold(app_ctx: Flask, db_session: Session,
                                      calls: list[tuple[str, int, str]]) -> None:
    app_ctx.config["MODERATION_REPORT_THRESHOLD"] = 2
    try:
        item = moderation.submit(db_session, kind="test_thing", target_id=4, text="Rude words")
        moderation.approve(db_session, item, actor_id=None)
        assert moderation.report(db_session, item, reason="abusive", details=None,
                                 reporter_hash="a") is False
        # the same visitor again does not count twice
        assert moderation.report(db_session, item, reason="abusive", details=None,
                                 reporter_hash="a") is False
        assert moderation.is_public(db_session, "test_thing", 4)
        assert moderation.report(db_session, item, reason="abusive", details="nasty",
                                 reporter_hash="b") is True
        assert moderation.state_of(db_session, "test_thing", 4) == "hidden"
        assert not moderation.is_public(db_session, "test_thing", 4)
        assert calls[-1] == ("test_thing", 4, "hidden")
        moderation.approve(db_session, item, actor_id=None)
        assert item.report_count == 0 and moderation.is_public(db_session, "test_thing", 4)
    finally:
        app_ctx.config.pop("MODERATION_REPORT_THRESHOLD", None)


def test_bulk_decisions_write_one_audit_entry_per_item(app_ctx: Flask, db_session: Session) -> None:
    items = [moderation.submit(db_session, kind="answer", target_id=9100 + i, text=f"Text {i}")
             for i in range(3)]
    done = moderation.bulk_decide(db_session, [i.id for i in items], "reject", None,
                                  reason_code="off_topic")
    assert done == 3
    events = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "moderation.reject",
        AuditEvent.target_id.in_([str(i.id) for i in items]))).all()
    assert len(events) == 3
    with pytest.raises(moderation.DecisionError):
        moderation.bulk_decide(db_session, [items[0].id], "reject", None, reason_code=None)


def test_public_texts_in_batches(app_ctx: Flask, db_session: Session) -> None:
    for i in range(620):
        db_session.add(ModerationItem(kind="answer", target_id=20000 + i, state="approved",
                                      original_text=f"t{i}", findings=[], finding_count=0,
                                      post_moderated=False, author_locale="en",
                                      safeguarding=False, report_count=0))
    db_session.flush()
    texts = moderation.public_texts(db_session, "answer", range(20000, 20620))
    assert len(texts) == 620 and texts[20619] == "t619"


def test_review_texts_for_exports(app_ctx: Flask, db_session: Session) -> None:
    kept = moderation.submit(db_session, kind="answer", target_id=9200, text="Ring 07700 900123")
    moderation.redact_all(db_session, kept, actor_id=None)
    waiting = moderation.submit(db_session, kind="answer", target_id=9201, text="Plain words")
    assert waiting.state == "pending"
    assert moderation.review_texts(db_session, "answer", [9200, 9201, 9202]) == {
        9200: ("pending", "Ring [phone number removed]"), 9201: ("pending", "Plain words")}


def test_old_reports_that_were_dealt_with_are_deleted(app_ctx: Flask, db_session: Session,
                                                      calls: list[tuple[str, int, str]]) -> None:
    from datetime import timedelta

    from citizen.db import utcnow
    from citizen.moderation.models import ModerationReport

    item = moderation.submit(db_session, kind="test_thing", target_id=40, text="Words")
    moderation.approve(db_session, item, actor_id=None)
    moderation.report(db_session, item, reason="abusive", details="I know who wrote this: Kim",
                      reporter_hash="a")
    moderation.approve(db_session, item, actor_id=None)  # dealt with: the report is reviewed
    moderation.report(db_session, item, reason="abusive", details="Still rude", reporter_hash="b")
    worrying = moderation.submit(db_session, kind="test_thing", target_id=41, text="Other words")
    moderation.approve(db_session, worrying, actor_id=None)
    moderation.report(db_session, worrying, reason="worried", details="They may be at risk",
                      reporter_hash="c")
    for report in db_session.scalars(select(ModerationReport)):
        report.created_at = utcnow() - timedelta(days=400)
        report.reviewed = report.details != "Still rude"
    db_session.flush()
    assert moderation.purge_reports(db_session, utcnow() - timedelta(days=365)) == 1
    left = {r.details for r in db_session.scalars(select(ModerationReport).where(
        ModerationReport.item_id.in_([item.id, worrying.id])))}
    assert left == {"Still rude", "They may be at risk"}  # not dealt with; an open concern
