"""In the browser: the public Citizens' Assembly registration journey in English and in Urdu
(right to left), and the organiser pages, with axe-core on every page."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from citizen.assembly.demo import DEMO_SLUG
from citizen.assembly.models import Assembly
from citizen.db import unit_of_work
from tests.conftest import Inbox
from tests.e2e.conftest import check, follow, make_staff, sign_in_staff


@pytest.mark.parametrize("language", ["en", "ur"])
def test_public_registration_journey(page: Any, live_server: str, smtp: tuple[Inbox, int],
                                     language: str) -> None:
    inbox = smtp[0]
    address = f"assembly-{language}@example.org"
    failures: list[str] = []
    page.goto(f"{live_server}/language/{language}?next=/assembly/{DEMO_SLUG}")
    assert page.locator("html").get_attribute("lang") == language
    check(page, failures)
    follow(page.locator(f"a[href='/assembly/{DEMO_SLUG}/register']").first)
    assert page.url.endswith(f"/assembly/{DEMO_SLUG}/register")
    check(page, failures)
    page.fill("#name", "Browser Resident")
    page.fill("#email", address)
    page.fill("#address", "7 Browser Road")
    page.fill("#postcode", "CV37 6AA")
    page.check("#q_age_band")
    page.check("#q_sex")
    page.check("#q_ethnic_group-3")
    page.check("#q_disability-2")
    # Forgetting consent: the error summary appears and nothing typed is lost.
    follow(page.locator("form.form button[type=submit]"))
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#name") == "Browser Resident"
    assert page.input_value("#postcode") == "CV37 6AA"
    check(page, failures)
    page.check("#consent")
    follow(page.locator("form.form button[type=submit]"))
    assert page.url.endswith(f"/assembly/{DEMO_SLUG}/registered")
    check(page, failures)
    assert inbox.to(address), "a confirmation email was sent"
    page.goto(f"{live_server}/assembly/your-data")
    check(page, failures)
    assert not failures, "\n\n".join(failures)


def test_organiser_pages_pass_axe(page: Any, live_server: str, live_app: Flask) -> None:
    """Set-up, targets (with a mistake), pool, a selection run, the report and the members."""
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = make_staff(session, "e2e-assembly-organiser@example.org", "organiser")
        assembly = session.scalar(select(Assembly).where(Assembly.slug == DEMO_SLUG))
        assert assembly is not None
        assembly_id = assembly.id
    failures: list[str] = []
    sign_in_staff(page, live_server, "e2e-assembly-organiser@example.org", secret)
    base = f"{live_server}/assembly/manage"
    for path in ("", "/new", f"/{assembly_id}", f"/{assembly_id}/edit", f"/{assembly_id}/pool",
                 f"/{assembly_id}/invitations", f"/{assembly_id}/phone-registration"):
        page.goto(base + path)
        check(page, failures)
    page.goto(f"{base}/{assembly_id}/targets")
    check(page, failures)
    page.fill("#min-sex-female", "nine hundred")
    follow(page.locator("button[value=save]"))
    assert page.locator(".error-message").count() >= 1
    check(page, failures)
    page.goto(f"{base}/{assembly_id}")
    follow(page.locator("form[action$='/select'] button[type=submit]"))
    assert "/runs/" in page.url
    check(page, failures)
    follow(page.locator("a[href$='/report']"))
    assert page.locator("svg.chart__svg").count() >= 4
    check(page, failures)
    page.goto(f"{base}/{assembly_id}/members")
    check(page, failures)
    follow(page.locator("table a").first)
    check(page, failures)
    assert not failures, "\n\n".join(failures)
