from __future__ import annotations

import pytest
from selection_helpers import brute_force_leximin, check_lottery, make_problem, panel_ok

from citizen.selection import select

ROWS = [("f", "y"), ("f", "y"), ("f", "o"), ("m", "o"), ("m", "o"), ("m", "o"), ("m", "y"),
        ("f", "o"), ("m", "o")]
QUOTAS = {("a", "f"): (1, 2), ("a", "m"): (1, 2), ("b", "y"): (1, 2), ("b", "o"): (1, 2)}


def profile(p: dict[str, float]) -> list[float]:
    return sorted(p.values())


@pytest.mark.parametrize("method", ["leximin", "maximin"])
def test_lottery_is_valid(method: str) -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    result = select(problem, method, seed=1)
    check_lottery(problem, result)
    assert result.seed == 1


def test_leximin_matches_brute_force() -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    result = select(problem, seed=3)
    expected = brute_force_leximin(problem)
    for pid, p in expected.items():
        assert result.probabilities[pid] == pytest.approx(p, abs=1e-6)


def test_leximin_with_households_matches_brute_force() -> None:
    hh = ["h1", "h1", None, "h2", "h2", None, None, "h3", "h3"]
    problem = make_problem(ROWS, QUOTAS, 3, households=hh)
    result = select(problem, seed=3)
    check_lottery(problem, result)
    expected = brute_force_leximin(problem)
    for pid, p in expected.items():
        assert result.probabilities[pid] == pytest.approx(p, abs=1e-6)


def test_maximin_minimum_equals_leximin_minimum() -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    lex = select(problem, "leximin", seed=1)
    mm = select(problem, "maximin", seed=1)
    assert mm.fairness.minimum == pytest.approx(lex.fairness.minimum, abs=1e-6)


def test_identical_people_get_identical_probabilities() -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    result = select(problem, seed=5)
    by_values: dict[tuple[str, ...], set[float]] = {}
    for p in problem.people:
        by_values.setdefault(p.features, set()).add(round(result.probabilities[p.id], 9))
    assert all(len(v) == 1 for v in by_values.values())


def test_legacy_states_draws_and_meets_quotas() -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    result = select(problem, "legacy", seed=2, legacy_draws=200)
    assert result.legacy_draws == 200
    assert panel_ok(problem, result.panel)
    assert sum(result.probabilities.values()) == pytest.approx(3.0)


def test_reserves_are_distinct_from_panel() -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    result = select(problem, seed=2, reserves=4)
    assert len(result.reserves) == 4
    assert not set(result.reserves) & set(result.panel)
    assert len(set(result.reserves)) == 4


def test_seeded_runs_reproduce_and_unseeded_differ() -> None:
    rows = [("f" if i % 3 else "m", "y" if i % 2 else "o") for i in range(40)]
    quotas = {("a", "f"): (3, 7), ("a", "m"): (3, 7), ("b", "y"): (3, 7), ("b", "o"): (3, 7)}
    problem = make_problem(rows, quotas, 10)
    a = select(problem, seed=11, reserves=5)
    b = select(problem, seed=11, reserves=5)
    assert (a.panel, a.reserves, a.probabilities) == (b.panel, b.reserves, b.probabilities)
    seeds = {select(problem).seed for _ in range(3)}
    assert len(seeds) == 3
    panels = {select(problem).panel for _ in range(6)}
    assert len(panels) > 1


def test_fairness_summary() -> None:
    problem = make_problem(ROWS, QUOTAS, 3)
    result = select(problem, seed=1)
    f = result.fairness
    assert f.minimum == pytest.approx(min(result.probabilities.values()))
    assert f.mean == pytest.approx(3 / len(ROWS))
    assert 0 <= f.gini < 1
    assert f.minimum <= f.geometric_mean <= f.mean + 1e-12
