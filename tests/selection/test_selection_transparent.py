from __future__ import annotations

from collections import Counter

import pytest
from selection_helpers import make_problem, panel_ok

from citizen.selection import DataError, select

ROWS = [("f" if i % 3 else "m", ["y", "o", "o"][i % 3 - 1] if i % 5 else "y") for i in range(30)]
QUOTAS = {("a", "f"): (3, 6), ("a", "m"): (2, 5), ("b", "y"): (2, 6), ("b", "o"): (2, 6)}


@pytest.mark.parametrize("m", [1000, 37])
def test_transparent_marginals_within_reported_deviation(m: int) -> None:
    problem = make_problem(ROWS, QUOTAS, 8)
    result = select(problem, seed=5, transparent=m)
    tl = result.transparent
    assert tl is not None and tl.size == m and len(tl.panels) == m
    counts = Counter(pid for panel in tl.panels for pid in panel)
    for pid, p in result.probabilities.items():
        assert abs(counts[pid] / m - p) <= tl.max_deviation + 1e-12
    assert all(panel_ok(problem, panel) for panel in tl.panels)
    assert 1 <= tl.number <= m
    assert result.panel == tuple(sorted(tl.panel(tl.number)))
    if m == 1000:
        assert tl.max_deviation < 0.01


def test_public_number_picks_the_panel() -> None:
    problem = make_problem(ROWS, QUOTAS, 8)
    result = select(problem, seed=5, transparent=100, transparent_number=42)
    assert result.transparent is not None
    assert result.panel == tuple(sorted(result.transparent.panels[41]))


def test_transparent_needs_optimised_lottery() -> None:
    problem = make_problem(ROWS, QUOTAS, 8)
    with pytest.raises(DataError):
        select(problem, "legacy", seed=5, transparent=10)
