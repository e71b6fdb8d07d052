"""Database ids that arrive as text (query strings, hidden form fields)."""

from __future__ import annotations

MAX_ID = 2**31 - 1  # ids are INTEGER columns; a bigger number cannot name a row


def parse_id(raw: str | None) -> int | None:
    """``raw`` as a row id, or ``None`` when it is not a whole number from 1 to ``MAX_ID``.

    ``str.isdigit`` is not enough: it accepts "²", which ``int`` refuses, and numbers too big
    for the database, which SQLite cannot even compare.
    """
    text = (raw or "").strip()
    if not text.isdecimal() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
