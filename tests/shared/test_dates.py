"""Dates as people type them."""

from __future__ import annotations

import datetime as dt

import pytest

from citizen.shared.dates import parse_typed_date


@pytest.mark.parametrize("raw", ["2024-03-27", "27 3 2024", "27/03/2024", " 27.3.2024 "])
def test_the_usual_ways_of_writing_a_date(raw: str) -> None:
    assert parse_typed_date(raw) == dt.date(2024, 3, 27)


@pytest.mark.parametrize("raw", ["", "yesterday", "31/2/2024", "²/3/2024", "1/1/1899", "2024-03"])
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_typed_date(raw)


def test_the_year_bounds_are_the_callers() -> None:
    assert parse_typed_date("1/1/1950") == dt.date(1950, 1, 1)
    with pytest.raises(ValueError):
        parse_typed_date("1/1/1950", earliest_year=2000)
