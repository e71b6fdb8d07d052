"""Accessible bar charts drawn on the server as SVG, always shown beside a table of the numbers.

Build a :class:`BarChart` with :func:`bar_chart` in a service or view, then render it with the
``bar_chart`` macro in ``templates/_macros/charts.html``. The SVG is decorative for screen
readers only in the sense that the table carries the same numbers; it still has a title and a
description. Suppressed values (``None``, for groups too small to show) draw no bar and read
"suppressed" in the table.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Colours with at least 3:1 contrast against white and against each other's neighbours; the
# legend and the value printed at the end of each bar mean colour is never the only cue.
PALETTE = ("#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457")

LABEL_WIDTH = 220
PLOT_WIDTH = 420
VALUE_WIDTH = 80
BAR_HEIGHT = 18
BAR_GAP = 4
GROUP_GAP = 14
LEGEND_HEIGHT = 28

_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    height: float
    value: float | None
    text: str
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    label_y: float
    bars: tuple[Bar, ...]
    highlighted: bool


@dataclass(frozen=True)
class BarChart:
    """A grouped horizontal bar chart with everything the template needs precomputed."""

    id: str
    title: str
    description: str
    category_heading: str
    series_labels: tuple[str, ...]
    colours: tuple[str, ...]
    rows: tuple[Row, ...]
    width: int
    height: int
    plot_x: int
    unit: str

    def cell(self, row: Row, series: int) -> str:
        return row.bars[series].text


def format_value(value: float | None, unit: str, suppressed: str) -> str:
    """A value as shown at the end of a bar and in the table."""
    if value is None:
        return suppressed
    if unit == "percent":
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str = "count",
    description: str = "",
    category_heading: str = "",
    suppressed_text: str = "suppressed",
    highlighted: Sequence[bool] | None = None,
) -> BarChart:
    """Lay out a chart of ``series`` (label -> one value per category) over ``categories``.

    ``unit`` is ``"count"`` or ``"percent"`` (values already in 0-100). ``highlighted`` marks
    rows to emphasise (for example under-represented groups); pass translated strings in.
    """
    if unit not in ("count", "percent"):
        raise ValueError("unit must be 'count' or 'percent'")
    labels = tuple(series)
    for label in labels:
        if len(series[label]) != len(categories):
            raise ValueError(f"series {label!r} has {len(series[label])} values for "
                             f"{len(categories)} categories")
    present = [v for label in labels for v in series[label] if v is not None]
    top = 100.0 if unit == "percent" else max([1.0, *present])
    if unit == "percent" and present:
        top = max(top if max(present) > 50 else max(present) * 1.1, 1.0)
    group_height = len(labels) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    rows = []
    y = float(LEGEND_HEIGHT + 8)
    marks = list(highlighted) if highlighted is not None else [False] * len(categories)
    for index, category in enumerate(categories):
        bars = []
        for s, label in enumerate(labels):
            value = series[label][index]
            width = 0.0 if value is None else max(0.0, float(value)) / top * PLOT_WIDTH
            bar_y = y + s * (BAR_HEIGHT + BAR_GAP)
            bars.append(Bar(s, LABEL_WIDTH, bar_y, round(width, 2), BAR_HEIGHT, value,
                            format_value(value, unit, suppressed_text), PALETTE[s % len(PALETTE)]))
        rows.append(Row(category, y + group_height / 2, tuple(bars), bool(marks[index])))
        y += group_height + GROUP_GAP
    return BarChart(
        id=f"chart-{next(_ids)}",
        title=title,
        description=description,
        category_heading=category_heading,
        series_labels=labels,
        colours=tuple(PALETTE[i % len(PALETTE)] for i in range(len(labels))),
        rows=tuple(rows),
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=int(y),
        plot_x=LABEL_WIDTH,
        unit=unit,
    )
