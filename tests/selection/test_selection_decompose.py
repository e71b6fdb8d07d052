"""The fast path: leximin of the relaxation, its decomposition, and the exact fallback."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selection_helpers import all_panels, brute_force_leximin, check_lottery, make_problem

from citizen.selection import DataError, SelectionProblem, select
from citizen.selection.compiled import compile_problem
from citizen.selection.decompose import caratheodory, relaxed_leximin
from citizen.selection.leximin import column_generation, solve_lottery

CATS = ("a", "b", "c")


@st.composite
def three_category_pools(draw: st.DrawFn) -> SelectionProblem | None:
    """Small pools with three categories (their panel polytope need not be integral)."""
    n = draw(st.integers(4, 9))
    k = draw(st.integers(1, min(4, n - 1)))
    rows = [tuple(f"{c}{draw(st.integers(0, 1))}" for c in CATS) for _ in range(n)]
    quotas: dict[tuple[str, str], tuple[int, int]] = {}
    for cat in CATS:
        for v in range(2):
            lo = draw(st.integers(0, k // 2))
            quotas[(cat, f"{cat}{v}")] = (lo, draw(st.integers(max(lo, (k + 1) // 2), k)))
    households = None
    if draw(st.booleans()):
        households = [draw(st.sampled_from([None, "h0", "h1"])) for _ in range(n)]
    try:
        problem = make_problem(rows, quotas, k, categories=CATS, households=households)
    except DataError:
        return None
    return problem if all_panels(problem) else None


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(three_category_pools())
def test_three_categories_match_brute_force(problem: SelectionProblem | None) -> None:
    if problem is None:
        return
    result = select(problem, seed=1)
    check_lottery(problem, result)
    expected = brute_force_leximin(problem)
    for pid, p in expected.items():
        assert result.probabilities[pid] == pytest.approx(p, abs=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(three_category_pools())
def test_fast_path_agrees_with_column_generation(problem: SelectionProblem | None) -> None:
    if problem is None:
        return
    c = compile_problem(problem)
    fast = solve_lottery(c)
    exact = column_generation(c)
    assert np.allclose(fast.type_probabilities, exact.type_probabilities, atol=1e-6)
    for x in fast.panels:
        assert c.is_valid_panel(x)


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(three_category_pools())
def test_decomposition_panels_are_valid_and_add_up(problem: SelectionProblem | None) -> None:
    if problem is None:
        return
    c = compile_problem(problem)
    relaxed = relaxed_leximin(c)
    assert relaxed is not None
    target, _ = relaxed
    dec = caratheodory(c, target)
    assert all(c.is_valid_panel(x) for x in dec.panels)
    assert sum(dec.weights) + dec.mass_left == pytest.approx(1.0, abs=1e-9)
    seats = sum((w * x for w, x in zip(dec.weights, dec.panels, strict=True)),
                np.zeros(c.n_types))
    # what is covered never exceeds the target
    assert bool((seats <= target * c.counts + 1e-9).all())


def test_two_categories_take_the_fast_path() -> None:
    rows = [("f" if i % 3 else "m", "y" if i % 2 else "o") for i in range(40)]
    quotas = {("a", "f"): (3, 7), ("a", "m"): (3, 7), ("b", "y"): (3, 7), ("b", "o"): (3, 7)}
    problem = make_problem(rows, quotas, 10)
    lot = solve_lottery(compile_problem(problem))
    assert lot.stats.method.startswith("relaxation")


def test_non_integral_relaxation_falls_back_to_column_generation() -> None:
    # a panel of two needs one person of each value in every category, so only the
    # complementary pair p000 + p004 forms a panel; the relaxation also mixes the other three
    rows = [("a0", "b0", "c0"), ("a0", "b1", "c1"), ("a1", "b0", "c1"), ("a1", "b1", "c0"),
            ("a1", "b1", "c1")]
    quotas = {(c, f"{c}{v}"): (1, 1) for c in CATS for v in range(2)}
    problem = make_problem(rows, quotas, 2, categories=CATS)
    c = compile_problem(problem)
    relaxed = relaxed_leximin(c)
    assert relaxed is not None
    assert float(relaxed[0].min()) > 0.0  # the relaxation is not the integer answer
    lot = solve_lottery(c)
    assert lot.stats.method == "column generation"
    result = select(problem, seed=4)
    check_lottery(problem, result)
    assert result.probabilities == pytest.approx(
        {"p000": 1.0, "p001": 0.0, "p002": 0.0, "p003": 0.0, "p004": 1.0}, abs=1e-6)
