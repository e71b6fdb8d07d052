"""Page numbers for long lists, validated so a bad ``?page=`` never becomes an error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    items: list[object]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def parse_page_number(raw: str | None) -> int:
    """``?page=`` as a positive whole number; anything else is page 1."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return number if number >= 1 else 1


def _within(number: int, total: int, per_page: int) -> int:
    """``number`` as a page that exists: at least 1, at most the last."""
    return min(max(1, number), max(1, -(-total // per_page)))


def paginate(session: Session, query: Select[Any], number: int, per_page: int = 25) -> Page:
    """One page of ``query``'s rows; a page past the end gives the last page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = _within(number, total, per_page)
    items = list(session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)


def page_of(items: Sequence[Any], number: int, per_page: int = 25) -> Page:
    """One page of a list already in memory; a page past the end gives the last page."""
    number = _within(number, len(items), per_page)
    start = (number - 1) * per_page
    return Page(items=list(items[start:start + per_page]), number=number, per_page=per_page,
                total=len(items))
