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
