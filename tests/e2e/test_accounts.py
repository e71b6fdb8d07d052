"""In the browser: sign up, confirm by the emailed link, sign in, reset a password, set up
two-factor; axe-core on every accounts page, in English and in Urdu (right to left)."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from flask import Flask

from citizen.db import unit_of_work
from tests.conftest import Inbox
from tests.e2e.conftest import check, follow

PASSWORD = "a sunny walk by the canal"


def emailed_link(inbox: Inbox, address: str, live_server: str) -> str:
    body = inbox.body(inbox.last_to(address))
    match = re.search(r"http://[^/\s]+(/account/\S+)", body)
    assert match, body
    return live_server + match.group(1)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_sign_up_confirm_sign_in_reset_and_delete(
    page: Any, live_server: str, smtp: tuple[Inbox, int], language: str
) -> None:
    inbox = smtp[0]
    address = f"browser-{language}@example.org"
    failures: list[str] = []
    page.goto(f"{live_server}/language/{language}?next=/account/register")
    assert page.locator("html").get_attribute("lang") == language
    check(page, failures)
    # A mistake first: the error summary appears and the email is kept.
    page.fill("#email", address)
    page.fill("#password", "short")
    follow(page.locator("form.form button[type=submit]"))
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#email") == address
    check(page, failures)
    page.fill("#password", PASSWORD)
    follow(page.locator("form.form button[type=submit]"))
    assert page.url.endswith("/account/check-your-email")
    check(page, failures)

    page.goto(emailed_link(inbox, address, live_server))
    assert page.url.endswith("/account/sign-in")
    check(page, failures)
    page.fill("#email", address)
    page.fill("#password", PASSWORD)
    follow(page.locator("form.form button[type=submit]"))
    assert page.url.endswith("/account/")
    assert address in page.content()
    check(page, failures)
    for path in ("/account/change-password", "/account/change-email", "/account/delete"):
        page.goto(live_server + path)
        check(page, failures)

    # Sign out, then reset the password by the emailed link.
    page.goto(live_server + "/account/")
    follow(page.locator("form[action='/account/sign-out'] button"))
    page.goto(live_server + "/account/forgot-password")
    check(page, failures)
    page.fill("#email", address)
    follow(page.locator("form.form button[type=submit]"))
    check(page, failures)
    page.goto(emailed_link(inbox, address, live_server))
    check(page, failures)
    page.fill("#password", PASSWORD + " again")
    follow(page.locator("form.form button[type=submit]"))
    page.fill("#email", address)
    page.fill("#password", PASSWORD + " again")
    follow(page.locator("form.form button[type=submit]"))
    assert page.url.endswith("/account/")

    # Delete the account.
    page.goto(live_server + "/account/delete")
    page.fill("#password", PASSWORD + " again")
    follow(page.locator("form.form button[type=submit]"))
    assert page.url.endswith("/account/deleted")
    check(page, failures)
    assert failures == [], "\n".join(failures)


def test_staff_two_factor_and_admin_pages(page: Any, live_server: str, live_app: Flask) -> None:
    from citizen.accounts.services import create_admin

    with live_app.app_context(), unit_of_work(live_app) as session:
        create_admin(session, "e2e-admin@example.org", PASSWORD)
    failures: list[str] = []
    page.goto(live_server + "/account/sign-in")
    page.fill("#email", "e2e-admin@example.org")
    page.fill("#password", PASSWORD)
    follow(page.locator("form.form button[type=submit]"))
    assert "/account/two-factor/set-up" in page.url
    check(page, failures)
    secret = page.locator(".secret").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    follow(page.locator("form.form button[type=submit]"))
    assert page.locator(".code-list li").count() == 10
    check(page, failures)
    for path in ("/admin/people", "/admin/people?q=e2e", "/admin/audit",
                 "/admin/audit?since=bad"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        check(page, failures)
    page.goto(live_server + "/admin/people?q=e2e-admin")
    follow(page.get_by_role("link", name="e2e-admin@example.org"))
    check(page, failures)
    page.goto(live_server + "/account/timed-out")
    check(page, failures)
    # Sign in again: now the code page.
    page.goto(live_server + "/account/")
    follow(page.locator("form[action='/account/sign-out'] button"))
    page.fill("#email", "e2e-admin@example.org")
    page.fill("#password", PASSWORD)
    follow(page.locator("form.form button[type=submit]"))
    assert page.url.startswith(live_server + "/account/two-factor")
    page.fill("#code", "000000")
    follow(page.locator("form.form button[type=submit]"))
    assert page.locator(".error-summary").is_visible()
    check(page, failures)
    assert failures == [], "\n".join(failures)
