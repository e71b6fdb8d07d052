"""In the browser: an admin finds everything held about one address, downloads it and erases an
invitation (real CSRF tokens); axe-core on the search page (with an error), the results and an
erase confirmation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from citizen.db import unit_of_work
from tests.admin_data_requests.conftest import hold_records
from tests.e2e.conftest import check, follow, make_staff, sign_in_staff

ADDRESS = "e2e.data.person@example.org"


def test_admin_finds_downloads_and_erases_a_persons_data(
        page: Any, live_server: str, live_app: Flask, tmp_path: Path) -> None:
    with live_app.test_request_context(), unit_of_work(live_app) as session:
        secret = make_staff(session, "e2e-data-admin@example.org", "admin")
        hold_records(live_app, session, ADDRESS)
    failures: list[str] = []
    sign_in_staff(page, live_server, "e2e-data-admin@example.org", secret)

    page.goto(live_server + "/admin/people")
    follow(page.get_by_role("link", name="Personal data requests"))
    assert page.url == live_server + "/admin/data-requests"
    check(page, failures)

    page.fill("#email", "not an address")
    follow(page.get_by_role("button", name="Search"))
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#email") == "not an address"
    check(page, failures)

    page.fill("#email", ADDRESS.upper())
    follow(page.get_by_role("button", name="Search"))
    assert page.url == live_server + "/admin/data-requests/results"
    assert page.locator("h1").inner_text() == f"Data held for {ADDRESS}"
    assert page.locator("th", has_text="Assembly on waiting times").count() == 1
    check(page, failures)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as JSON").click()
    download = download_info.value
    assert "@" not in download.suggested_filename
    saved = tmp_path / "data.json"
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["citizens_assembly_registrations"][0]["contact"]["email_address"] == ADDRESS

    follow(page.get_by_role("link", name="Delete the invitation (Big Employer Ltd)"))
    assert "/admin/data-requests/erase/pledge-invitation/" in page.url
    assert page.locator("h1").inner_text() == "Delete this invitation"
    check(page, failures)
    follow(page.get_by_role("button", name="Yes, delete it"))
    assert page.url == live_server + "/admin/data-requests/results"
    assert page.locator("text=Deleted. The list below is up to date.").count() == 1
    assert page.get_by_role("link", name="Delete the invitation (Big Employer Ltd)").count() == 0
    check(page, failures)
    assert ADDRESS not in page.url
    assert failures == [], "\n".join(failures)
