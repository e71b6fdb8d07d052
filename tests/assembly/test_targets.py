"""Targets proposed from census shares and the instant feasibility check."""

from __future__ import annotations

import math

from flask import Flask

from citizen.assembly import targets
from citizen.reach import census_data


def test_proposal_is_census_share_of_panel_plus_minus_tolerance() -> None:
    proposals = targets.propose(["south-warwickshire"], ["ethnic_group"], 30, 10)
    shares = census_data.population_shares(["south-warwickshire"], "ethnic_group")
    by_value = {p.value: p for p in proposals}
    assert set(by_value) == set(shares)
    white = by_value["white"]
    expected = shares["white"] * 30
    assert white.min_seats == math.floor(expected - 3)
    assert white.max_seats == min(30, math.ceil(expected + 3))
    assert by_value["black"].min_seats == 0  # never below zero


def test_age_targets_are_for_adults_only() -> None:
    codes = {p.value for p in targets.propose(["rugby"], ["age_band"], 20, 5)}
    assert "under_16" not in codes and "75_plus" in codes
    shares = targets.shares("age_band", ["rugby"])
    assert math.isclose(sum(shares.values()), 1.0)


def test_place_targets_follow_population_of_covered_places() -> None:
    shares = targets.shares(targets.PLACE, ["coventry-and-warwickshire"])
    assert set(shares) == {"coventry", "rugby", "south-warwickshire", "warwickshire-north"}
    assert max(shares, key=lambda k: shares[k]) == "coventry"
    assert targets.value_codes(targets.PLACE, ["rugby"]) == ("rugby",)


def test_proposals_from_census_can_add_up() -> None:
    for tolerance in (5, 10, 20):
        proposals = targets.propose(["coventry-and-warwickshire"], targets.DEFAULT_CATEGORIES, 40,
                                    tolerance)
        rows = [(p.category, p.value, p.min_seats, p.max_seats) for p in proposals]
        assert targets.feasibility(rows, 40) == []


def test_feasibility_names_categories_that_cannot_add_up(app: Flask) -> None:
    rows = [("sex", "female", 6, 7), ("sex", "male", 6, 7),
            ("age_band", "16_24", 0, 1), ("age_band", "25_34", 0, 1),
            ("disability", "disabled", 3, 2), ("disability", "not_disabled", 0, 10)]
    problems = targets.feasibility(rows, 10)
    kinds = {(p.category, p.kind) for p in problems}
    assert kinds == {("sex", "mins_too_high"), ("age_band", "maxes_too_low"),
                     ("disability", "min_above_max")}
    with app.test_request_context():
        sentences = [p.sentence(10) for p in problems]
    assert "Sex: the minimums add up to 12, more than the panel size of 10." in sentences
    assert "Age: the maximums add up to 2, less than the panel size of 10." in sentences
    assert any("the minimum is more than the maximum" in s for s in sentences)
