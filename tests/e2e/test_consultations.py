"""The whole response journey in a real browser, in English and Arabic: axe-core finds no WCAG
2.2 A/AA violation on any page of it (hub, consultation, each page, an error, about you, check your
answers, confirmation); it also works without JavaScript and on a 320px screen."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import Inbox
from tests.e2e.conftest import check, follow, make_staff, sign_in_staff

SLUG = "gp-appointments-demo"


def _continue(page: Any) -> None:
    follow(page.locator("form.form button[type=submit]").first)


def _journey(page: Any, live_server: str, language: str, check_axe: bool = True) -> tuple[str, list[str]]:
    failures: list[str] = []
    axe = (lambda: check(page, failures)) if check_axe else (lambda: None)
    page.goto(f"{live_server}/language/{language}?next=/consultations/")
    assert page.locator("html").get_attribute("lang") == language
    axe()
    follow(page.locator(f"a[href='/consultations/{SLUG}']").first)
    axe()
    follow(page.locator(f"a[href='/consultations/{SLUG}/respond/1']"))
    assert "/respond/1" in page.url
    axe()
    # Page 1: the first answer of the first question ("By phone") shows page 3 later.
    page.locator("input.radios__input").first.check()
    page.locator("input.checkboxes__input").nth(1).check()
    page.locator("select.select").first.select_option(index=2)
    page.locator("input.input").nth(1).fill("Polski" if language == "en" else "العربية")
    _continue(page)
    assert "/respond/2" in page.url
    # Leave the required agreement question out: the page comes back with the error.
    page.locator("input[inputmode=decimal]").fill("3")
    _continue(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("input[inputmode=decimal]").input_value() == "3"
    axe()
    for group in page.locator("fieldset .radios").all():
        group.locator("input").first.check()
    page.locator("input[type=date]").fill("2026-01-31")
    _continue(page)
    assert "/respond/3" in page.url
    axe()
    page.locator("textarea").fill("More lines in the morning.")
    _continue(page)
    assert "/respond/about-you" in page.url
    axe()
    page.locator("input[name=age_band]").nth(2).check()
    page.locator("select[name=ethnic_group_detailed]").select_option("asian_indian")
    _continue(page)
    assert "/respond/check" in page.url
    assert "More lines in the morning." in page.content()
    axe()
    page.locator("input[name=email]").fill(f"e2e-{language}@example.org")
    page.locator("#consent_contact").check()
    _continue(page)
    assert "/respond/done" in page.url
    axe()
    reference = re.search(r"CW-[A-Z0-9]{8}", page.content())
    assert reference
    return reference.group(0), failures


@pytest.mark.parametrize("language", ["en", "ar"])
def test_response_journey_passes_axe(page: Any, live_server: str, language: str,
                                     smtp: tuple[Inbox, int]) -> None:
    reference, failures = _journey(page, live_server, language)
    assert failures == [], "\n".join(failures)
    receipt = smtp[0].last_to(f"e2e-{language}@example.org")
    body = smtp[0].body(receipt)
    assert reference in body and receipt["Content-Language"] == language
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
    # Back through the receipt's link, the resident withdraws the response.
    link = re.search(r"https?://[^/\s]+(/consultations/return/\S+)", body)
    assert link
    page.goto(live_server + link.group(1))
    assert "/respond/check" in page.url
    follow(page.locator(f"a[href='/consultations/{SLUG}/respond/withdraw']"))
    check(page, failures)
    follow(page.locator("main form button.button--warning"))
    assert page.url.endswith("/respond/withdrawn")
    check(page, failures)
    assert failures == [], "\n".join(failures)


def test_journey_works_without_javascript_on_a_small_screen(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/language/en?next=/consultations/{SLUG}/respond/1")
        reference, _failures = _journey(page, live_server, "en", check_axe=False)
        assert reference.startswith("CW-")
    finally:
        context.close()


def test_pages_fit_320px(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for code in ("en", "ar"):
            page.goto(f"{live_server}/language/{code}?next=/consultations/")
            for path in ("/consultations/", f"/consultations/{SLUG}", f"/consultations/{SLUG}/respond/1",
                         f"/consultations/{SLUG}/respond/2"):
                page.goto(live_server + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 320, f"{code} {path} scrolls sideways ({width}px)"
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_staff_pages_pass_axe(page: Any, live_server: str, live_app: Any, language: str) -> None:
    """The organiser's pages for an open and a closed consultation: the list, the overview
    (with what personal data it holds), details, paper entry, results and who took part."""
    from sqlalchemy import select

    from citizen.consultations.models import Consultation
    from citizen.db import unit_of_work

    address = f"e2e-consultation-organiser-{language}@example.org"
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = make_staff(session, address, "organiser", locale=language)
        ids = list(session.scalars(select(Consultation.id).where(
            Consultation.slug.in_((SLUG, "urgent-care-nuneaton-demo")))))
    assert len(ids) == 2
    failures: list[str] = []
    sign_in_staff(page, live_server, address, secret, language)
    page.goto(f"{live_server}/consultations/manage")
    check(page, failures)
    for cid in ids:
        for path in ("", "/details", "/entry", "/results", "/who-took-part", "/erase-contact",
                     "/outcome/en", "/translate/ar", "/preview/ar/1"):
            page.goto(f"{live_server}/consultations/manage/{cid}{path}")
            assert page.locator("h1").count() == 1, page.url
            check(page, failures)
    assert failures == [], "\n".join(failures)
