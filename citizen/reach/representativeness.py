"""How representative a panel is: population share vs pool vs panel, per value.

Used by the assembly's printable representativeness report. Shares come from the census
(``census_data``), the pool from the registrants' answers (or, after the purge, the anonymous
aggregate counts kept on the assembly) and the panel from the selection run. The lowest
selection probability and the spread come straight from the engine's output in the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.shared.charts import BarChart, bar_chart

if TYPE_CHECKING:
    from citizen.assembly.models import Assembly, SelectionRun


@dataclass(frozen=True)
class ValueRow:
    value: str
    label: str
    population: float | None  # percent, None where the census has no share
    pool_count: int
    pool: float
    panel_count: int
    panel: float
    min_seats: int | None
    max_seats: int | None

    @property
    def under_represented(self) -> bool:
        return self.population is not None and self.panel + 5 < self.population


@dataclass(frozen=True)
class CategoryReport:
    category: str
    label: str
    rows: tuple[ValueRow, ...]
    chart: BarChart


@dataclass(frozen=True)
class Report:
    categories: tuple[CategoryReport, ...]
    pool_size: int
    panel_size: int
    lowest_probability: float | None
    highest_probability: float | None
    mean_probability: float | None
    gini: float | None
    people_at_lowest: int


def compare(counts_pool: dict[str, int], counts_panel: dict[str, int],
            population: dict[str, float] | None, values: list[str]) -> list[tuple[str, float | None,
                                                                                 int, float, int, float]]:
    """Per value: (value, population %, pool n, pool %, panel n, panel %)."""
    pool_total = sum(counts_pool.values()) or 1
    panel_total = sum(counts_panel.values()) or 1
    out = []
    for value in values:
        pop = population.get(value) if population else None
        out.append((value, None if pop is None else round(pop * 100, 1),
                    counts_pool.get(value, 0), round(counts_pool.get(value, 0) / pool_total * 100, 1),
                    counts_panel.get(value, 0), round(counts_panel.get(value, 0) / panel_total * 100, 1)))
    return out


def assembly_report(session: Session, assembly: Assembly, run: SelectionRun) -> Report:
    from citizen.assembly import targets as target_rules
    from citizen.assembly.models import Registrant

    panel_ids = {int(i) for i in run.panel}
    pool_ids = [int(i) for i in run.pool]
    people = list(session.scalars(select(Registrant).where(Registrant.id.in_(pool_ids))))
    answers = {p.id: p.demographics.answers for p in people if p.demographics is not None}
    use_aggregates = len(answers) < len(pool_ids) and bool(assembly.aggregate_counts)
    targets = {(t["category"], t["value"]): t for t in run.targets}
    categories = []
    for category in dict.fromkeys(t["category"] for t in run.targets):
        if use_aggregates:
            pool_counts = dict(assembly.aggregate_counts.get("pool", {}).get(category, {}))
            panel_counts = dict(assembly.aggregate_counts.get("panel", {}).get(category, {}))
        else:
            pool_counts, panel_counts = {}, {}
            for pid, given in answers.items():
                value = given.get(category, target_rules.PREFER_NOT_TO_SAY)
                pool_counts[value] = pool_counts.get(value, 0) + 1
                if pid in panel_ids:
                    panel_counts[value] = panel_counts.get(value, 0) + 1
        try:
            population: dict[str, float] | None = (
                target_rules.shares(category, assembly.places) if target_rules.has_shares(category)
                else None)
        except KeyError:
            population = None
        values = [t["value"] for t in run.targets if t["category"] == category]
        for extra in sorted(set(pool_counts) - set(values)):
            values.append(extra)
        rows = []
        for value, pop, pool_n, pool_pc, panel_n, panel_pc in compare(
                pool_counts, panel_counts, population, values):
            target = targets.get((category, value))
            rows.append(ValueRow(value, _label(target_rules, category, value, assembly), pop,
                                 pool_n, pool_pc, panel_n, panel_pc,
                                 target["min"] if target else None, target["max"] if target else None))
        try:
            label = str(target_rules.category_label(category, assembly.attitude_questions))
        except KeyError:
            label = category
        chart = bar_chart(
            label, [r.label for r in rows],
            {_("Population"): [r.population for r in rows], _("Registered"): [r.pool for r in rows],
             _("Panel"): [r.panel for r in rows]},
            unit="percent", category_heading=label, suppressed_text=_("no census figure"),
            highlighted=[r.under_represented for r in rows],
            description=_("Share of the population, of the people who registered and of the panel, "
                          "in percent. The same numbers are in the table."))
        categories.append(CategoryReport(category, label, tuple(rows), chart))
    probs = list(run.probabilities.values())
    lowest = min(probs) if probs else None
    return Report(
        categories=tuple(categories), pool_size=len(pool_ids), panel_size=len(run.panel),
        lowest_probability=lowest, highest_probability=max(probs) if probs else None,
        mean_probability=sum(probs) / len(probs) if probs else None,
        gini=run.fairness.get("gini"),
        people_at_lowest=sum(1 for p in probs if lowest is not None and abs(p - lowest) < 1e-6))


def _label(target_rules: Any, category: str, value: str, assembly: Assembly) -> str:
    try:
        return str(target_rules.value_label(category, value, assembly.attitude_questions))
    except (KeyError, IndexError):
        return value


def as_dict(report: Report) -> dict[str, Any]:
    """Plain numbers (for tests and exports)."""
    return {
        c.category: {r.value: {"population": r.population, "pool": r.pool_count,
                               "panel": r.panel_count} for r in c.rows}
        for c in report.categories
    }
