from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.places import services
from citizen.places.data import COVENTRY_POPULATION
from citizen.places.models import Place, PlaceKind, PostcodeDistrict


def test_the_hierarchy_is_seeded(db_session: Session) -> None:
    ics = services.ics(db_session)
    assert ics is not None and ics.population == 943_000
    assert [p.name for p in ics.children] == [
        "Coventry", "Rugby", "South Warwickshire", "Warwickshire North"
    ]
    populations = {p.slug: p.population for p in ics.children}
    assert populations == {
        "coventry": COVENTRY_POPULATION, "rugby": 103_443,
        "south-warwickshire": 270_000, "warwickshire-north": 192_278,
    }
    assert sum(populations.values()) == ics.population
    nuneaton = db_session.scalar(select(Place).where(Place.slug == "nuneaton"))
    assert nuneaton and nuneaton.kind == PlaceKind.NEIGHBOURHOOD
    assert nuneaton.parent and nuneaton.parent.slug == "warwickshire-north"


def test_seeding_twice_adds_nothing(db_session: Session) -> None:
    before = len(db_session.scalars(select(PostcodeDistrict)).all())
    assert services.seed_places(db_session) == 0
    assert len(db_session.scalars(select(PostcodeDistrict)).all()) == before


@pytest.mark.parametrize(
    ("text", "place"),
    [("CV1", "coventry"), ("cv21", "rugby"), ("CV37", "south-warwickshire"),
     ("CV21 3AB", "rugby"), ("cv213ab", "rugby"), (" cv11  4hl ", "warwickshire-north"),
     ("CV8 1AA", "south-warwickshire"), ("B46 1AA", "warwickshire-north")],
)
def test_postcode_district_lookup(db_session: Session, text: str, place: str) -> None:
    found = services.place_for_district(db_session, text)
    assert found is not None
    assert found[0].slug == place
    assert found[0].kind == PlaceKind.PLACE


def test_districts_outside_the_area(db_session: Session) -> None:
    assert services.place_for_district(db_session, "SW1A 1AA") is None
    assert services.place_for_district(db_session, "CV99") is None


@pytest.mark.parametrize(("text", "code"), [("", "empty"), ("   ", "empty"), ("hello", "format"),
                                            ("CV", "format"), ("123", "format"), ("CV1 1", "format")])
def test_bad_postcodes(text: str, code: str) -> None:
    with pytest.raises(services.PostcodeError) as caught:
        services.postcode_district(text)
    assert caught.value.code == code


def test_find_page_shows_the_place(client: FlaskClient) -> None:
    body = client.get("/places/find?postcode=cv21+3ab").get_data(as_text=True)
    assert "CV21 is in Rugby" in body
    assert 'href="/places/rugby"' in body


def test_find_page_says_when_outside_the_area(client: FlaskClient) -> None:
    body = client.get("/places/find?postcode=SW1A+1AA").get_data(as_text=True)
    assert "not in Coventry or Warwickshire" in body


def test_find_page_explains_an_empty_postcode(client: FlaskClient) -> None:
    body = client.get("/places/find?postcode=").get_data(as_text=True)
    assert "Enter your postcode" in body


def test_place_pages(client: FlaskClient) -> None:
    body = client.get("/places/warwickshire-north").get_data(as_text=True)
    assert "192,278" in body and "Nuneaton" in body and "CV11" in body and "CV21" not in body
    assert client.get("/places/nowhere").status_code == 404
    listing = client.get("/places/").get_data(as_text=True)
    assert "South Warwickshire" in listing and "270,000" in listing
