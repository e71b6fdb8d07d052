"""In the browser: an admin asks for an export (with a mistake first), finds it in their
list, and reads who may include contact details; axe-core on every page, in English and
Arabic."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from citizen.db import unit_of_work
from tests.e2e.conftest import check, follow, make_staff, sign_in_staff


@pytest.mark.parametrize("language", ["en", "ar"])
def test_export_pages_pass_axe(page: Any, live_server: str, live_app: Flask, language: str) -> None:
    address = f"e2e-exports-admin-{language}@example.org"
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = make_staff(session, address, "admin", locale=language)
    failures: list[str] = []
    sign_in_staff(page, live_server, address, secret, language)
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
