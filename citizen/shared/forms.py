"""Choices for WTForms select, radio and checkbox fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wtforms.fields.choices import SelectChoice


def select_choices(pairs: Mapping[Any, Any] | Iterable[tuple[Any, Any]], *,
                   blank: Any = None) -> list[SelectChoice]:
    """The choices of a select, radio or checkbox field, from ``(value, label)`` pairs or a
    mapping of value to label, in order; first an empty value labelled ``blank`` when given.

    WTForms 3.4 takes only :class:`SelectChoice`, not tuples. Labels are kept as they are, so
    a lazy one made once at import is still translated into each request's language."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    first = [SelectChoice("", blank)] if blank is not None else []
    return [*first, *(SelectChoice(value, label) for value, label in items)]
