"""Target categories of an assembly: census proposals and the instant feasibility check."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from citizen.places import data as places_data
from citizen.reach import census, census_data

PLACE = "place"
PREFER_NOT_TO_SAY = census.PREFER_NOT_TO_SAY

PLACE_NAMES = {a.slug: a.name for a in places_data.AREAS if a.kind == "place"}
PLACE_SLUGS = tuple(PLACE_NAMES)

# Categories an organiser can choose as targets (the census ones plus where people live).
TARGET_CATEGORIES: tuple[str, ...] = (
    "age_band", "sex", "ethnic_group", "disability", PLACE, "deprivation_quintile", "carer",
    "religion", "sexual_orientation", "gender_identity",
)
DEFAULT_CATEGORIES: tuple[str, ...] = ("age_band", "sex", "ethnic_group", "disability", PLACE)


ATTITUDE_PREFIX = "attitude_"
Attitudes = Sequence[Mapping[str, Any]]


def parse_attitudes(text: str) -> list[dict[str, Any]]:
    """Organiser's attitude questions, one a line: ``Question? | option | option``."""
    questions: list[dict[str, Any]] = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|") if p.strip()]
        if not parts:
            continue
        if len(parts) < 3:
            raise ValueError(line)
        questions.append({"code": f"{ATTITUDE_PREFIX}{len(questions) + 1}", "question": parts[0],
                          "options": parts[1:]})
    return questions


def format_attitudes(attitudes: Attitudes) -> str:
    return "\n".join(" | ".join([q["question"], *q["options"]]) for q in attitudes)


def _attitude(category: str, attitudes: Attitudes) -> Mapping[str, Any]:
    for question in attitudes:
        if question["code"] == category:
            return question
    raise KeyError(category)


def is_attitude(category: str) -> bool:
    return category.startswith(ATTITUDE_PREFIX)


def category_label(category: str, attitudes: Attitudes = ()) -> object:
    if category == PLACE:
        return _l("Where you live")
    if is_attitude(category):
        return _attitude(category, attitudes)["question"]
    return census.CATEGORIES[category].label


def covered_places(places: Sequence[str]) -> list[str]:
    if census_data.ICS_SLUG in places:
        return list(PLACE_SLUGS)
    return [p for p in PLACE_SLUGS if p in places]


def value_codes(category: str, places: Sequence[str], attitudes: Attitudes = ()) -> tuple[str, ...]:
    """The values of a category for an assembly (age without under 16: adults only)."""
    if is_attitude(category):
        return tuple(str(n) for n in range(1, len(_attitude(category, attitudes)["options"]) + 1))
    if category == PLACE:
        return tuple(covered_places(places))
    codes = census.CATEGORIES[category].value_codes()
    if category == "age_band":
        codes = tuple(c for c in codes if c != "under_16")
    return codes


def value_label(category: str, value: str, attitudes: Attitudes = ()) -> object:
    if is_attitude(category):
        if value == PREFER_NOT_TO_SAY:
            return _l("Prefer not to say")
        options = _attitude(category, attitudes)["options"]
        return options[int(value) - 1] if value.isdigit() and 0 < int(value) <= len(options) else value
    if category == PLACE:
        if value == PREFER_NOT_TO_SAY:
            return _l("Not known")
        return PLACE_NAMES.get(value, value)
    if category == "deprivation_quintile" and value == PREFER_NOT_TO_SAY:
        return _l("Not known")
    return census.CATEGORIES[category].label_of(value)


def has_shares(category: str) -> bool:
    return category == PLACE or category in census_data.CATEGORIES_WITH_DATA


def shares(category: str, places: Sequence[str], attitudes: Attitudes = ()) -> dict[str, float]:
    """Population shares of the category's values in the covered places (adults for age).
    Attitude questions have no census figure: their options get equal shares as a starting
    point that the organiser edits."""
    if is_attitude(category):
        codes = value_codes(category, places, attitudes)
        return {code: 1 / len(codes) for code in codes}
    covered = covered_places(places)
    if category == PLACE:
        weights = {p: census_data._place_population(p) for p in covered}
        total = sum(weights.values())
        return {p: w / total for p, w in weights.items()}
    return census_data.population_shares(covered, category, adults_only=True)


@dataclass(frozen=True)
class Proposal:
    category: str
    value: str
    share: float
    min_seats: int
    max_seats: int


def propose(places: Sequence[str], categories: Iterable[str], panel_size: int,
            tolerance: int, attitudes: Attitudes = ()) -> list[Proposal]:
    """Min and max seats per value: the census share of the panel, widened by ``tolerance``
    percentage points of the panel on each side (at least one seat)."""
    proposals: list[Proposal] = []
    spread = max(1.0, panel_size * tolerance / 100)
    for category in categories:
        for value, share in shares(category, places, attitudes).items():
            expected = share * panel_size
            low = max(0, math.floor(expected - spread))
            high = min(panel_size, math.ceil(expected + spread))
            proposals.append(Proposal(category, value, share, low, high))
    return proposals


@dataclass(frozen=True)
class Problem:
    """A category whose targets cannot add up to the panel size, or a bad min/max pair."""

    category: str
    kind: str  # mins_too_high | maxes_too_low | min_above_max
    min_sum: int
    max_sum: int
    value: str = ""

    def sentence(self, panel_size: int, attitudes: Attitudes = ()) -> str:
        from flask_babel import gettext as _

        label = str(category_label(self.category, attitudes))
        if self.kind == "min_above_max":
            return str(_("%(category)s, %(value)s: the minimum is more than the maximum.",
                         category=label, value=str(value_label(self.category, self.value, attitudes))))
        if self.kind == "mins_too_high":
            return str(_("%(category)s: the minimums add up to %(sum)s, more than the panel size "
                         "of %(size)s.", category=label, sum=self.min_sum, size=panel_size))
        return str(_("%(category)s: the maximums add up to %(sum)s, less than the panel size of "
                     "%(size)s.", category=label, sum=self.max_sum, size=panel_size))


def feasibility(targets: Iterable[tuple[str, str, int, int]], panel_size: int) -> list[Problem]:
    """Every category whose min and max seats cannot add up to ``panel_size`` (the check is
    per category: a panel also needs people in the pool, which the engine checks later)."""
    by_category: dict[str, list[tuple[str, int, int]]] = {}
    for category, value, low, high in targets:
        by_category.setdefault(category, []).append((value, low, high))
    problems: list[Problem] = []
    for category, rows in by_category.items():
        min_sum = sum(r[1] for r in rows)
        max_sum = sum(r[2] for r in rows)
        for value, low, high in rows:
            if low > high:
                problems.append(Problem(category, "min_above_max", min_sum, max_sum, value))
        if min_sum > panel_size:
            problems.append(Problem(category, "mins_too_high", min_sum, max_sum))
        elif max_sum < panel_size:
            problems.append(Problem(category, "maxes_too_low", min_sum, max_sum))
    return problems
