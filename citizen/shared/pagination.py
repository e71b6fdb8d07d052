"""Page numbers for long lists, validated so a bad ``?page=`` never becomes an error."""

from __future__ import annotations

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


def paginate(session: Session, query: Select[Any], number: int, per_page: int = 25) -> Page:
    """One page of ``query``'s rows; a page past the end gives the last page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    items = list(session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total)
