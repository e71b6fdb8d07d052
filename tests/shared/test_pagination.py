from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.places.models import Place
from citizen.shared.pagination import paginate, parse_page_number


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("3", 3), ("0", 1), ("-2", 1), ("x", 1)])
def test_parse_page_number(raw: str | None, number: int) -> None:
    assert parse_page_number(raw) == number


def test_paginate(db_session: Session) -> None:
    query = select(Place).order_by(Place.slug)
    first = paginate(db_session, query, 1, per_page=5)
    assert first.total == 14 and first.pages == 3 and len(first.items) == 5
    assert not first.has_previous and first.has_next
    last = paginate(db_session, query, 99, per_page=5)
    assert last.number == 3 and len(last.items) == 4 and not last.has_next


def test_a_page_of_a_list_in_memory() -> None:
    from citizen.shared.pagination import page_of

    items = list(range(5))
    assert page_of(items, 1, per_page=2).items == [0, 1]
    last = page_of(items, 99, per_page=2)
    assert (last.items, last.number, last.pages, last.has_next) == ([4], 3, 3, False)
    assert page_of([], 3, per_page=2).items == [] and page_of([], 3, per_page=2).number == 1
