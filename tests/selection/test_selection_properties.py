from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selection_helpers import all_panels, brute_force_leximin, check_lottery, make_problem

from citizen.selection import DataError, InfeasibleQuotasError, select

Case = tuple[
    list[tuple[str, str]], dict[tuple[str, str], tuple[int, int]], int, list[str | None] | None
]


@st.composite
def instances(draw: st.DrawFn) -> Case:
    n = draw(st.integers(4, 8))
    k = draw(st.integers(1, min(4, n - 1)))
    va = draw(st.integers(1, 3))
    vb = draw(st.integers(1, 2))
    rows = [(f"a{draw(st.integers(0, va - 1))}", f"b{draw(st.integers(0, vb - 1))}")
            for _ in range(n)]
    quotas: dict[tuple[str, str], tuple[int, int]] = {}
    for cat, count in (("a", va), ("b", vb)):
        for v in range(count):
            lo = draw(st.integers(0, k))
            hi = draw(st.integers(lo, k))
            quotas[(cat, f"{cat}{v}")] = (lo, hi)
    households = None
    if draw(st.booleans()):
        households = [draw(st.sampled_from([None, "h0", "h1", "h2"])) for _ in range(n)]
    return rows, quotas, k, households


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 2**32))
def test_random_pools(case: Case, seed: int) -> None:
    rows, quotas, k, households = case
    try:
        problem = make_problem(rows, quotas, k, households=households)
    except DataError as exc:
        assert exc.code == "quotas_do_not_add_up"
        return
    panels = all_panels(problem)
    try:
        result = select(problem, seed=seed)
    except InfeasibleQuotasError as exc:
        assert not panels
        assert exc.params["diagnosis"]["seats_to_move"] >= 1
        return
    except DataError as exc:  # household rule leaves too few people
        assert not panels
        assert exc.code == "pool_cannot_fill_panel"
        return
    assert panels
    check_lottery(problem, result)
    expected = brute_force_leximin(problem)
    for pid, p in expected.items():
        assert result.probabilities[pid] == pytest.approx(p, abs=1e-6)
