"""Dates as people type them."""

from __future__ import annotations

import datetime as dt


def parse_typed_date(raw: str, *, earliest_year: int = 1900, latest_year: int = 2200) -> dt.date:
    """``YYYY-MM-DD`` (what a date input sends) or ``D M YYYY`` / ``D/M/YYYY`` / ``D.M.YYYY``
    as typed. Raises ``ValueError`` for anything else, or a year outside the bounds given."""
    cleaned = raw.strip().replace("/", " ").replace(".", " ").replace("-", " ")
    parts = cleaned.split()
    if len(parts) != 3 or not all(p.isdecimal() for p in parts):
        raise ValueError(raw)
    if len(parts[0]) == 4:
        year, month, day = (int(p) for p in parts)
    else:
        day, month, year = (int(p) for p in parts)
    if not earliest_year <= year <= latest_year:
        raise ValueError(raw)
    return dt.date(year, month, day)
