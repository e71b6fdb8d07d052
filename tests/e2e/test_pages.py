"""Every page in a real browser: axe-core finds no WCAG 2.2 A/AA violation, in English, in a
right-to-left language, at 320px wide and without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import axe_violations, describe, follow

PAGES = [
    "/", "/places/", "/places/rugby", "/places/warwickshire-north", "/places/find",
    "/places/find?postcode=CV21+3AB", "/places/find?postcode=not+a+postcode",
    "/places/find?postcode=SW1A+1AA", "/language", "/language/xx", "/accessibility",
    "/privacy", "/cookies", "/places/nowhere",
]


def _set_language(page: Any, live_server: str, code: str) -> None:
    page.goto(f"{live_server}/language/{code}?next=/")


@pytest.mark.parametrize("language", ["en", "ar", "pl", "ur", "ti"])
def test_every_page_passes_axe(page: Any, live_server: str, language: str) -> None:
    _set_language(page, live_server, language)
    failures = []
    for path in PAGES:
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
    assert failures == [], "\n".join(failures)


def test_arabic_page_is_mirrored(page: Any, live_server: str) -> None:
    _set_language(page, live_server, "ar")
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The service name sits at the right-hand edge when mirrored.
    box = page.locator(".site-header__name").bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] + box["width"] > width / 2
    _set_language(page, live_server, "en")
    page.goto(live_server + "/")
    box = page.locator(".site-header__name").bounding_box()
    assert box["x"] < width / 2


def test_pages_fit_a_320px_screen(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for code in ("en", "ar"):
            page.goto(f"{live_server}/language/{code}?next=/")
            for path in ("/", "/places/", "/places/find?postcode=bad!", "/cookies"):
                page.goto(live_server + path)
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                assert scroll_width <= 320, f"{code} {path} scrolls sideways ({scroll_width}px)"
                violations = axe_violations(page)
                assert violations == [], f"{code} {path}:\n{describe(violations)}"
    finally:
        context.close()


def test_find_your_area_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.get_by_label("Postcode").fill("cv37 6aa")
        follow(page.get_by_role("button", name="Find my area"))
        assert "CV37 is in South Warwickshire" in page.content()
        page.get_by_label("Postcode").fill("???")
        follow(page.get_by_role("button", name="Find my area"))
        summary = page.locator(".error-summary")
        assert summary.is_visible()
        follow(summary.get_by_role("link"))
        assert page.url.endswith("#postcode")
        assert page.get_by_label("Postcode").input_value() == "???"
    finally:
        context.close()


def test_skip_link_and_visible_focus(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert background == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")


def test_language_navigation_switches_and_remembers(page: Any, live_server: str) -> None:
    page.goto(live_server + "/places/")
    follow(page.locator(".language-nav").get_by_text("polski"))
    assert page.url == live_server + "/places/"
    assert page.locator("html").get_attribute("lang") == "pl"
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator(".language-nav__current").inner_text() == "polski"
