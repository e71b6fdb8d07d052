"""Who took part: respondents' equality monitoring against the census profile of the places.

For each category (age, sex, ethnic group, ...) and each group in it: how many respondents, their
share of those who answered that question (leaving out "prefer not to say"), and the group's
share of the population of the consultation's places. Groups with fewer than
:data:`MINIMUM_GROUP` respondents are suppressed (no count, no share); when exactly one group in a
category is suppressed, the next smallest is suppressed too, so the hidden count cannot be worked
out from the total. A group is under-represented when its share of respondents is below
:data:`UNDER_REPRESENTED` times its population share; a suppressed group is marked so only when
that follows from "fewer than 10" alone.

Counts come from SQL ``GROUP BY`` queries; no record is read one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from citizen.consultations.models import EqualityMonitoringRecord
from citizen.reach.census import CATEGORIES, PREFER_NOT_TO_SAY, population_shares
from citizen.shared.charts import BarChart, bar_chart

MINIMUM_GROUP = 10
UNDER_REPRESENTED = 0.8
REPORTED = ("age_band", "sex", "gender_identity", "ethnic_group", "disability", "carer", "religion",
            "sexual_orientation")
ALL_PLACES = ("coventry", "rugby", "south-warwickshire", "warwickshire-north")


@dataclass(frozen=True)
class GroupRow:
    code: str
    label: str
    count: int | None  # None when suppressed
    respondent_share: float | None  # 0-1; None when suppressed
    population_share: float | None
    under_represented: bool


@dataclass
class CategoryReport:
    code: str
    label: str
    answered: int  # excluding "prefer not to say"
    prefer_not_to_say: int | None
    rows: list[GroupRow] = field(default_factory=list)


@dataclass
class Report:
    respondents: int
    minimum: int
    source: str
    categories: list[CategoryReport]


def suppress(counts: dict[str, int], minimum: int = MINIMUM_GROUP) -> set[str]:
    """Codes to hide: groups under ``minimum``, plus the next smallest when only one is hidden."""
    hidden = {code for code, n in counts.items() if 0 < n < minimum}
    if len(hidden) == 1:
        others = sorted((n, code) for code, n in counts.items() if code not in hidden and n > 0)
        if others:
            hidden.add(others[0][1])
    return hidden


def _shares(place_slugs: Sequence[str], category: str) -> dict[str, float]:
    try:
        return population_shares(list(place_slugs) or list(ALL_PLACES), category,
                                 adults_only=category == "age_band")
    except (KeyError, ImportError, AttributeError):
        return {}


def category_report(code: str, counts: dict[str, int], place_slugs: Sequence[str],
                    minimum: int = MINIMUM_GROUP) -> CategoryReport:
    category = CATEGORIES[code]
    prefer = counts.get(PREFER_NOT_TO_SAY, 0)
    group_counts = {v: counts.get(v, 0) for v in category.value_codes()}
    answered = sum(group_counts.values())
    hidden = suppress(group_counts, minimum)
    shares = _shares(place_slugs, code)
    report = CategoryReport(code, str(category.label), answered,
                            prefer if prefer >= minimum or prefer == 0 else None)
    for value in category.values:
        n = group_counts[value.code]
        population = shares.get(value.code)
        if value.code in hidden:
            expected = (population or 0) * answered
            report.rows.append(GroupRow(value.code, str(value.label), None, None, population,
                                        expected * UNDER_REPRESENTED >= minimum))
            continue
        share = n / answered if answered else 0.0
        under = population is not None and answered > 0 and share < population * UNDER_REPRESENTED
        report.rows.append(GroupRow(value.code, str(value.label), n, share, population, under))
    return report


def report(session: Session, consultation_id: int, place_slugs: Sequence[str],
           minimum: int = MINIMUM_GROUP) -> Report:
    """The "who took part" report of one consultation."""
    from citizen.reach import census_data

    where = EqualityMonitoringRecord.consultation_id == consultation_id
    respondents = session.scalar(select(func.count()).select_from(EqualityMonitoringRecord)
                                 .where(where)) or 0
    categories = []
    for code in REPORTED:
        column = getattr(EqualityMonitoringRecord, code)
        counts = {value: int(n) for value, n in session.execute(
            select(column, func.count()).where(where, column.is_not(None)).group_by(column))}
        if not counts:
            continue
        categories.append(category_report(code, counts, place_slugs, minimum))
    return Report(respondents, minimum, getattr(census_data, "SOURCE", ""), categories)


def charts(result: Report) -> list[BarChart]:
    """One chart (and table) per category: share of respondents beside share of population."""
    out = []
    for category in result.categories:
        out.append(bar_chart(
            category.label, [row.label for row in category.rows],
            {_("People who answered"): [None if row.respondent_share is None
                                        else round(row.respondent_share * 100, 1)
                                        for row in category.rows],
             _("Population"): [None if row.population_share is None
                               else round(row.population_share * 100, 1) for row in category.rows]},
            unit="percent", category_heading=_("Group"),
            description=_("%(count)s people answered this question.", count=category.answered),
            suppressed_text=_("fewer than %(count)s", count=result.minimum),
            highlighted=[row.under_represented for row in category.rows],
        ))
    return out
