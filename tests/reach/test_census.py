"""Census population shares per place."""

from __future__ import annotations

import math

import pytest

from citizen.places import data as places_data
from citizen.reach import census, census_data

PLACES = ("coventry", "rugby", "south-warwickshire", "warwickshire-north")


@pytest.mark.parametrize("category", [c for c, cat in census.CATEGORIES.items() if cat.has_census])
@pytest.mark.parametrize("place", [*PLACES, "coventry-and-warwickshire"])
def test_shares_sum_to_one_and_use_the_census_codes(place: str, category: str) -> None:
    shares = census.population_shares([place], category)
    assert set(shares) == set(census.CATEGORIES[category].value_codes())
    assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9)
    assert all(0 <= s <= 1 for s in shares.values())
    assert census.PREFER_NOT_TO_SAY not in shares


def test_places_are_weighted_by_population() -> None:
    cov = census_data.population_shares(["coventry"], "ethnic_group")
    rugby = census_data.population_shares(["rugby"], "ethnic_group")
    both = census_data.population_shares(["coventry", "rugby"], "ethnic_group")
    w_cov = places_data.COVENTRY_POPULATION
    w_rugby = places_data.RUGBY_POPULATION
    expected = (cov["asian"] * w_cov + rugby["asian"] * w_rugby) / (w_cov + w_rugby)
    assert math.isclose(both["asian"], expected)
    # Coventry is bigger, so the mix is nearer Coventry than a plain average would be.
    assert both["asian"] > (cov["asian"] + rugby["asian"]) / 2


def test_ics_is_all_four_places_and_duplicates_do_not_double_count() -> None:
    ics = census_data.population_shares(["coventry-and-warwickshire"], "age_band")
    four = census_data.population_shares(list(PLACES), "age_band")
    again = census_data.population_shares(["coventry", "coventry-and-warwickshire"], "age_band")
    for code in ics:
        assert math.isclose(ics[code], four[code])
        assert math.isclose(ics[code], again[code])


def test_south_warwickshire_combines_its_two_districts_by_population() -> None:
    sw = census_data.place_shares("south-warwickshire", "ethnic_group")
    strat = census_data.LA_POPULATION["stratford_on_avon"]
    warwick = census_data.LA_POPULATION["warwick"]
    expected = (0.018 * strat + 0.104 * warwick) / (strat + warwick)
    assert math.isclose(sw["asian"], expected, rel_tol=1e-3)


def test_coventry_checked_figures() -> None:
    cov = census_data.population_shares(["coventry"], "ethnic_group")
    assert cov["white"] == pytest.approx(0.655)
    assert cov["asian"] == pytest.approx(0.185)


def test_adults_only_drops_under_16_and_rescales() -> None:
    everyone = census_data.population_shares(["rugby"], "age_band")
    adults = census_data.population_shares(["rugby"], "age_band", adults_only=True)
    assert "under_16" not in adults
    assert math.isclose(sum(adults.values()), 1.0)
    assert adults["65_74"] == pytest.approx(everyone["65_74"] / (1 - everyone["under_16"]))
    # Other categories are unchanged.
    assert census_data.population_shares(["rugby"], "sex", adults_only=True) == \
        census_data.population_shares(["rugby"], "sex")


def test_unknown_category_or_place_raises_key_error() -> None:
    with pytest.raises(KeyError):
        census.population_shares(["coventry"], "shoe_size")
    with pytest.raises(KeyError):
        census.population_shares(["atlantis"], "sex")
    # No places means the whole area.
    assert census.population_shares([], "sex") == census.population_shares(
        ["coventry-and-warwickshire"], "sex")


def test_source_is_stated() -> None:
    assert "TS021" in census_data.SOURCE and "approximate" in census_data.SOURCE
