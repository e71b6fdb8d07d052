"""A live server on 127.0.0.1 and Debian's Chromium driven by Playwright, with axe-core.

The live server has its own database (a fresh SQLite file, or ``<test db>_e2e`` on PostgreSQL),
built by the migrations and the demo seeders, because the browser's requests commit for real.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import Inbox, build_app, fresh_database_url

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, smtp: tuple[Inbox, int]) -> Flask:
    url = fresh_database_url(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("e2e-db"), "e2e"
    )
    return build_app(url, tmp_path_factory.mktemp("e2e-instance"), mail_server="127.0.0.1",
                     mail_port=smtp[1], ratelimit_enabled=False)


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


AXE_SOURCE: str | None = None


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page with the WCAG 2.2 A/AA rules; return its violations."""
    global AXE_SOURCE
    if AXE_SOURCE is None:
        AXE_SOURCE = _axe_source()
    # A click that navigates returns once the new page commits; wait for its stylesheets too,
    # or a busy machine has axe judge an unstyled page.
    page.wait_for_load_state("load")
    page.evaluate(AXE_SOURCE)
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


STAFF_PASSWORD = "a long walk round the lake"


def make_staff(session: Any, email: str, role: str, *, locale: str = "en") -> str:
    """Add a confirmed ``role`` account with two-factor sign-in set up (password
    ``STAFF_PASSWORD``) to ``session``; return its two-factor key."""
    import pyotp

    from citizen.accounts.models import User, UserRole
    from citizen.accounts.passwords import hash_password
    from citizen.db import utcnow

    secret = pyotp.random_base32()
    user = User(email=email, password_hash=hash_password(STAFF_PASSWORD), locale=locale,
                email_verified_at=utcnow(), totp_secret=secret, totp_enabled_at=utcnow())
    user.roles.append(UserRole(role=role))
    session.add(user)
    session.flush()
    return secret


def sign_in_staff(page: Any, live_server: str, email: str, secret: str,
                  language: str | None = None) -> None:
    """Sign in through the browser with the password and the two-factor code (in
    ``language`` when given)."""
    import pyotp

    path = "/account/sign-in"
    page.goto(live_server + (f"/language/{language}?next={path}" if language else path))
    page.fill("#email", email)
    page.fill("#password", STAFF_PASSWORD)
    follow(page.locator("form.form button[type=submit]"))
    assert "/account/two-factor" in page.url
    page.fill("#code", pyotp.TOTP(secret).now())
    follow(page.locator("form.form button[type=submit]"))
    assert "/account/two-factor" not in page.url


def follow(target: Any) -> None:
    """Click ``target`` and return once the page it leads to has fully loaded.

    Playwright's click returns when a new page starts to arrive, so reading the page straight
    after it can see the old page or half of the new one; a test that reads what a click led to
    clicks through here. A click that stays on the page returns at once.
    """
    target.click()
    target.page.wait_for_load_state("load")


def check(page: Any, failures: list[str]) -> None:
    """Run axe on the page; add what it finds, with the address, to ``failures``."""
    violations = axe_violations(page)
    if violations:
        failures.append(f"{page.url}:\n{describe(violations)}")
