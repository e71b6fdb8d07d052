"""In the browser: an admin asks for an export (with a mistake first), finds it in their
list, and reads who may include contact details; axe-core on every page, in English and
Arabic."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from flask import Flask

from citizen.accounts.models import User, UserRole
from citizen.accounts.passwords import hash_password
from citizen.db import unit_of_work, utcnow
from tests.e2e.conftest import check, follow

PASSWORD = "a slow boat along the avon"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_export_pages_pass_axe(page: Any, live_server: str, live_app: Flask, language: str) -> None:
    address = f"e2e-exports-admin-{language}@example.org"
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = pyotp.random_base32()
        user = User(email=address, password_hash=hash_password(PASSWORD), locale=language,
                    email_verified_at=utcnow(), totp_secret=secret, totp_enabled_at=utcnow())
        user.roles.append(UserRole(role="admin"))
        session.add(user)
    failures: list[str] = []
    page.goto(f"{live_server}/language/{language}?next=/account/sign-in")
    page.fill("#email", address)
    page.fill("#password", PASSWORD)
    follow(page.locator("form.form button[type=submit]"))
    page.fill("#code", pyotp.TOTP(secret).now())
    follow(page.locator("form.form button[type=submit]"))
    assert "/account/two-factor" not in page.url
    page.goto(f"{live_server}/exports/")
    check(page, failures)
    page.locator("select#what").select_option(index=1)
    follow(page.locator("main form.form button[type=submit]"))
    assert "/exports/new" in page.url
    check(page, failures)
    # No column ticked: the page comes back with the error, keeping the dates typed.
    for box in page.locator("input[name=columns]").all():
        box.uncheck()
    page.fill("#date_from", "2026-01-31")
    follow(page.locator("main form.form button[type=submit]"))
    assert page.locator(".error-summary").count() == 1
    assert page.input_value("#date_from") == "2026-01-31"
    check(page, failures)
    page.locator("input[name=columns]").first.check()
    follow(page.locator("main form.form button[type=submit]"))
    assert page.url.endswith("/exports/")
    assert page.locator("table.exports-table tbody tr").count() >= 1
    check(page, failures)
    page.goto(f"{live_server}/exports/contact-permissions")
    check(page, failures)
    assert failures == [], "\n".join(failures)
