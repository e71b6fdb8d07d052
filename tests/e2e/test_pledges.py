"""In the browser, in English and in Punjabi: the pledge wall and its pages, an organisation
registering and pledging from the catalogue (with a mistake on the way), and the organisers'
pages; axe-core finds no WCAG 2.2 A/AA violation on any of them."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from citizen.db import unit_of_work
from citizen.demo import DEMO_PASSWORD, demo_totp_secret
from citizen.pledges.models import CatalogueAction, Pledge
from tests.e2e.conftest import check, follow


def sign_in(page: Any, live_server: str, address: str) -> None:
    page.goto(f"{live_server}/account/sign-in")
    page.fill("#email", address)
    page.fill("#password", DEMO_PASSWORD)
    follow(page.locator("form.form button[type=submit]"))


def submit(page: Any) -> None:
    follow(page.locator("main form.form button[type=submit]"))


@pytest.mark.parametrize("language", ["en", "pa"])
def test_public_pledge_pages(page: Any, live_server: str, live_app: Flask, language: str) -> None:
    failures: list[str] = []
    page.goto(f"{live_server}/language/{language}?next=/pledges/")
    assert page.locator("html").get_attribute("lang") == language
    check(page, failures)
    page.select_option("#place", "rugby")
    follow(page.locator("form.pledge-filters button[type=submit]"))
    assert "place=rugby" in page.url
    assert page.locator(".pledge-card").count() == 1
    check(page, failures)
    follow(page.locator(".pledge-card h3 a").first)
    assert "/pledges/" in page.url
    assert page.locator("a[href^='/moderation/report/pledge/']").count() == 1
    check(page, failures)
    for path in ("/pledges/totals", "/pledges/examples", "/pledges/?sector=public"):
        page.goto(live_server + path)
        check(page, failures)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("language", ["en", "pa"])
def test_an_organisation_pledges_from_the_catalogue(
    page: Any, live_server: str, live_app: Flask, language: str
) -> None:
    failures: list[str] = []
    page.goto(f"{live_server}/language/{language}?next=/account/sign-in")
    sign_in(page, live_server, "member@demo.example")
    page.goto(f"{live_server}/pledges/organisations")
    check(page, failures)
    page.goto(f"{live_server}/pledges/organisations/new")
    name = f"Browser Bikes {language}"
    page.fill("#name", name)
    submit(page)  # mistakes: no sector, size or place
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#name") == name
    check(page, failures)
    page.check("#sector")
    page.check("#size_band-2")
    page.check("#places")
    submit(page)
    assert page.locator("h1").inner_text() == name
    check(page, failures)
    follow(page.locator("main form[action$='/pledges'] button"))
    assert page.url.endswith("/examples")
    check(page, failures)
    follow(page.locator("a[href*='example=']").first)
    assert page.input_value("#description") != ""
    check(page, failures)
    page.fill("#start_date", "2027-03-01")
    page.fill("#due_date", "2027-01-01")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    check(page, failures)
    page.fill("#due_date", "2027-12-01")
    submit(page)
    assert "/manage/" in page.url
    check(page, failures)
    pledge_url = page.url
    page.goto(pledge_url + "/details")
    page.fill("#sponsor_name", "Robin Example")
    page.fill("#sponsor_role", "Owner")
    page.check("#consent")
    submit(page)
    check(page, failures)
    follow(page.locator("form[action$='/submit'] button"))
    assert page.locator(".pledge-status--submitted").count() == 1
    check(page, failures)
    with live_app.app_context(), unit_of_work(live_app) as session:
        pledge_id = int(pledge_url.rsplit("/", 1)[1])
        pledge = session.get(Pledge, pledge_id)
        assert pledge is not None and pledge.status == "submitted"
        assert pledge.actions[0].catalogue_action_id is not None
        demo = session.scalar(select(Pledge).join(Pledge.organisation).where(
            Pledge.status == "approved").order_by(Pledge.id))
        assert demo is not None and demo.organisation.slug == "canal-side-bakery-demo"
        demo_id, demo_action = demo.id, demo.actions[0].id
    # The demo bakery's pages: its pledge is published, so progress can be reported.
    bakery = "/pledges/organisations/canal-side-bakery-demo"
    for path in (bakery, bakery + "/invite", bakery + "/leave", bakery + "/edit",
                 f"/pledges/manage/{demo_id}", f"/pledges/manage/{demo_id}/actions/{demo_action}/progress"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        check(page, failures)
    submit(page)  # the progress form, empty: errors, then a real update
    assert page.locator(".error-summary").is_visible()
    check(page, failures)
    page.check("#status-2")
    page.fill("#text", "Half of the bakers are now on the real living wage.")
    submit(page)
    assert page.url.endswith(f"/pledges/manage/{demo_id}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("language", ["en", "pa"])
def test_organiser_pages(page: Any, live_server: str, live_app: Flask, language: str) -> None:
    failures: list[str] = []
    address = "organiser@demo.example"
    page.goto(f"{live_server}/language/{language}?next=/account/sign-in")
    sign_in(page, live_server, address)
    page.fill("#code", pyotp.TOTP(demo_totp_secret(address)).now())
    follow(page.locator("form.form button[type=submit]"))
    with live_app.app_context(), unit_of_work(live_app) as session:
        action_id = session.scalar(select(CatalogueAction.id).order_by(CatalogueAction.id))
        pledge_id = session.scalar(select(Pledge.id).order_by(Pledge.id))
    for path in ("/pledges/review", f"/pledges/review/{pledge_id}", "/pledges/catalogue",
                 "/pledges/catalogue/new", f"/pledges/catalogue/{action_id}?locale=pa"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        check(page, failures)
    assert failures == [], "\n".join(failures)
