"""The public pledge wall: filters, pledge pages, totals as charts with tables, the open data
feed without personal data, the catalogue in two languages (organisers maintain it)."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.pledges.models import CatalogueAction, Pledge
from citizen.pledges.services import safe_cell
from tests.accounts.test_staff import staff_client


def test_wall_lists_demo_pledges_and_filters_them(client: object, db_session: Session) -> None:
    page = client.get("/pledges/").get_data(as_text=True)  # type: ignore[attr-defined]
    for name in ("Canal Side Bakery (demo)", "Riverside Care Home (demo)", "Arden Engineering (demo)"):
        assert name in page
    cases = {
        "?place=rugby": {"Riverside Care Home (demo)"},
        "?sector=voluntary": {"Riverside Care Home (demo)"},
        "?size=250%2B": {"Arden Engineering (demo)"},
        "?pillar=health_behaviours": {"Canal Side Bakery (demo)"},
        "?pillar=wider_determinants&place=coventry": {"Canal Side Bakery (demo)"},
        "?place=warwickshire-north&sector=public": set(),
    }
    names = {"Canal Side Bakery (demo)", "Riverside Care Home (demo)", "Arden Engineering (demo)"}
    for query, expected in cases.items():
        page = client.get("/pledges/" + query).get_data(as_text=True)  # type: ignore[attr-defined]
        assert {n for n in names if n in page} == expected, query
    # Nonsense filters and pages are ignored, never an error.
    response = client.get("/pledges/?pillar=<script>&size=huge&page=-4")  # type: ignore[attr-defined]
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True)


def test_pledge_page_shows_actions_progress_and_report_links(client: object,
                                                             db_session: Session) -> None:
    pledge = db_session.scalar(select(Pledge).join(Pledge.organisation).where(
        Pledge.status == "approved").order_by(Pledge.id))
    assert pledge is not None
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert pledge.organisation.name in page
    assert f"/moderation/report/pledge/{pledge.id}" in page
    report = client.get(f"/moderation/report/pledge/{pledge.id}")  # type: ignore[attr-defined]
    assert report.status_code == 200
    for action in pledge.actions:
        assert action.public_description in page
    assert client.get("/pledges/999999").status_code == 404  # type: ignore[attr-defined]


def test_totals_are_charts_with_tables(client: object, db_session: Session) -> None:
    page = client.get("/pledges/totals").get_data(as_text=True)  # type: ignore[attr-defined]
    assert page.count("<svg") == 2 and page.count("<table") == 2
    assert "Organisations that have pledged" in page and "Actions done" in page
    assert "Rugby" in page and "Wider determinants" in page


def test_open_data_has_no_personal_data(client: object, db_session: Session) -> None:
    data = json.loads(client.get("/pledges/open-data.json").get_data(as_text=True))  # type: ignore[attr-defined]
    assert data["count"] >= 3
    text = json.dumps(data)
    assert "Sam Example" not in text and "Managing director" not in text
    assert "@" not in text and "sponsor" not in json.dumps(data["pledges"])
    bakery = next(p for p in data["pledges"] if p["organisation"] == "Canal Side Bakery (demo)")
    assert bakery["places"] == ["coventry"] and bakery["sector"] == "private"
    assert bakery["actions"][0]["progress"] == "done"
    assert bakery["accreditations"] == [{"code": "real_living_wage", "level": None}]
    response = client.get("/pledges/open-data.csv")  # type: ignore[attr-defined]
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["organisation"] for r in rows} >= {"Canal Side Bakery (demo)"}
    assert "Sam Example" not in response.get_data(as_text=True)
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("Bakery") == "Bakery"


def test_organisers_maintain_the_catalogue_in_each_language(app: Flask, db_session: Session) -> None:
    organiser = staff_client(app, db_session, "una@partnership.example", "organiser")
    assert "Pay the real living wage" in organiser.get("/pledges/catalogue").get_data(as_text=True)
    response = organiser.post("/pledges/catalogue/new", data={
        "pillar": "health_behaviours", "beneficiaries": "workforce", "active": "yes",
        "locale": "en", "title": "", "description": "Bike racks and showers."})
    assert "Enter a title" in response.get_data(as_text=True)
    assert organiser.post("/pledges/catalogue/new", data={
        "pillar": "health_behaviours", "beneficiaries": "workforce", "active": "yes",
        "locale": "en", "title": "Help staff cycle to work",
        "description": "Bike racks and showers.", "target_example": "20 staff cycling"}
    ).status_code == 302
    action = db_session.scalar(select(CatalogueAction).join(CatalogueAction.texts).where(
        CatalogueAction.pillar == "health_behaviours").order_by(CatalogueAction.id.desc()))
    assert action is not None
    assert organiser.post(f"/pledges/catalogue/{action.id}", data={
        "pillar": "health_behaviours", "beneficiaries": "workforce", "active": "yes",
        "locale": "pa", "title": "ਸਟਾਫ਼ ਨੂੰ ਸਾਈਕਲ ਚਲਾਉਣ ਵਿੱਚ ਮਦਦ ਕਰੋ",
        "description": "ਸਾਈਕਲ ਰੈਕ ਅਤੇ ਸ਼ਾਵਰ।"}).status_code == 302
    edit = organiser.get(f"/pledges/catalogue/{action.id}?locale=pa").get_data(as_text=True)
    assert "ਸਾਈਕਲ ਰੈਕ" in edit

    reader = app.test_client()
    assert "Help staff cycle to work" in reader.get("/pledges/examples").get_data(as_text=True)
    reader.get("/language/pa?next=/pledges/examples")
    punjabi = reader.get("/pledges/examples").get_data(as_text=True)
    assert "ਸਟਾਫ਼ ਨੂੰ ਸਾਈਕਲ ਚਲਾਉਣ ਵਿੱਚ ਮਦਦ ਕਰੋ" in punjabi
    # An example not yet translated falls back to English, marked as English.
    assert 'lang="en">Help staff cycle to work' not in punjabi
    assert 'lang="en">Buy from local social enterprises' in punjabi
    # Hidden examples are not offered.
    organiser.post(f"/pledges/catalogue/{action.id}", data={
        "pillar": "health_behaviours", "beneficiaries": "workforce", "active": "no",
        "locale": "en", "title": "Help staff cycle to work", "description": "Bike racks."})
    assert "Help staff cycle to work" not in reader.get("/pledges/examples").get_data(as_text=True)
