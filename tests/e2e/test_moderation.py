"""In the browser: a moderator works the queue (redact one finding, approve, reject with an
error first, escalate), a visitor reports an item, an organiser codes answers; axe-core on
every moderation page (and the public report form in Urdu, right to left)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from citizen.db import unit_of_work
from citizen.moderation import services as moderation
from tests.e2e.conftest import check, follow, make_staff, sign_in_staff
from tests.moderation.conftest import make_consultation


def test_moderator_works_the_queue(page: Any, live_server: str, live_app: Flask) -> None:
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = make_staff(session, "e2e-moderator@example.org", "moderator")
        first = moderation.submit(
            session, kind="answer", target_id=880001, place_slug="rugby",
            text="Dr Patel was kind. Ring me on 07700 900123 or mail jo@example.com.",
            author_email="author-e2e@example.org")
        second = moderation.submit(session, kind="answer", target_id=880002,
                                   text="Buy cheap pills at www.example.com")
        third = moderation.submit(session, kind="answer", target_id=880003,
                                  text="My neighbour has had no food for days.",
                                  author_email="worried-e2e@example.org")
        ids = (first.id, second.id, third.id)
    failures: list[str] = []
    sign_in_staff(page, live_server, "e2e-moderator@example.org", secret)

    page.goto(live_server + "/moderation/")
    assert page.locator("text=Dr Patel was kind").count() == 1
    check(page, failures)
    page.goto(live_server + "/moderation/?state=all&age=1&findings=yes")
    check(page, failures)

    # one finding removed with its own button, from the keyboard
    page.goto(f"{live_server}/moderation/items/{ids[0]}")
    check(page, failures)
    button = page.locator(".moderation-findings form", has_text="07700 900123").locator("button")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "[phone number removed]" in page.locator(".moderation-text").first.inner_text()
    follow(page.locator("summary", has_text="Original text"))
    check(page, failures)
    with page.expect_navigation():
        follow(page.locator("button[value=approve]"))

    # reject: a missing reason is an error at the field, the message typed is kept
    page.goto(f"{live_server}/moderation/items/{ids[1]}")
    page.fill("#reason_text", "Advert")
    follow(page.locator("form.moderation-decision", has_text="Reject").locator("button"))
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#reason_text") == "Advert"
    check(page, failures)
    page.check("#reason-4")  # spam
    with page.expect_navigation():
        follow(page.locator("form.moderation-decision", has_text="Reject").locator("button"))

    # escalate, then the safeguarding list and the contact details
    page.goto(f"{live_server}/moderation/items/{ids[2]}")
    page.fill("#note", "No food: call adult social care")
    with page.expect_navigation():
        follow(page.locator("button.button--warning"))
    page.goto(live_server + "/moderation/safeguarding")
    assert page.locator("text=My neighbour has had no food").count() == 1
    check(page, failures)
    page.goto(f"{live_server}/moderation/items/{ids[2]}")
    assert page.locator("text=worried-e2e@example.org").count() >= 1
    check(page, failures)

    with live_app.app_context(), unit_of_work(live_app) as session:
        assert moderation.public_text(session, "answer", 880001) == (
            "Dr Patel was kind. Ring me on [phone number removed] or mail jo@example.com.")
        assert moderation.state_of(session, "answer", 880002) == "rejected"
        assert moderation.state_of(session, "answer", 880003) == "escalated"
    assert not failures, "\n\n".join(failures)


def test_visitor_reports_an_item(page: Any, live_server: str, live_app: Flask) -> None:
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        item = moderation.submit(session, kind="answer", target_id=880010,
                                 text="A published comment", post_moderated=True)
        assert item.id
    failures: list[str] = []
    for language in ("en", "ur"):
        page.goto(f"{live_server}/language/{language}?next=/moderation/report/answer/880010")
        assert page.locator("html").get_attribute("lang") == language
        check(page, failures)
    page.goto(f"{live_server}/language/en?next=/moderation/report/answer/880010")
    follow(page.locator("form.form button[type=submit]"))
    assert page.locator(".error-summary").is_visible()
    check(page, failures)
    page.check("#reason")
    page.fill("#details", "It names someone")
    follow(page.locator("form.form button[type=submit]"))
    assert page.locator("h1", has_text="Thank you for your report").count() == 1
    check(page, failures)
    assert not failures, "\n\n".join(failures)


def test_organiser_codes_answers(page: Any, live_server: str, live_app: Flask) -> None:
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = make_staff(session, "e2e-organiser@example.org", "organiser")
        cid, ids = make_consultation(session, "e2e-coding", [
            "Parking costs too much.", "The nurse was lovely.", "Buses do not run on Sundays."])
    failures: list[str] = []
    sign_in_staff(page, live_server, "e2e-organiser@example.org", secret)
    page.goto(live_server + "/moderation/coding")
    check(page, failures)
    page.goto(f"{live_server}/moderation/coding/{cid}")
    check(page, failures)
    page.fill("#name", "Getting there")
    follow(page.locator("form.form", has_text="Add theme").locator("button[type=submit]"))
    page.fill("#name", "Parking")
    page.select_option("#parent", label="Getting there")
    follow(page.locator("form.form", has_text="Add theme").locator("button[type=submit]"))
    follow(page.locator("a", has_text="Code the answers"))
    check(page, failures)
    answer = page.locator(f"#answer-{ids[0]}")
    answer.locator("label", has_text="Parking").click()
    answer.locator("label", has_text="Negative").click()
    follow(answer.locator("button[type=submit]"))
    page.goto(f"{live_server}/moderation/coding/{cid}")
    assert "1 of 3 written answers coded (33%)" in page.content()
    check(page, failures)
    assert not failures, "\n\n".join(failures)
