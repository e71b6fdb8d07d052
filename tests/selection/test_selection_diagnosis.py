from __future__ import annotations

import dataclasses

import pytest
from selection_helpers import all_panels, check_lottery, make_problem, panel_ok

from citizen.selection import (
    DataError,
    InfeasibleQuotasError,
    Quota,
    SelectionProblem,
    replace,
    select,
)


def relaxed(problem: SelectionProblem, diagnosis: dict[str, object]) -> SelectionProblem:
    changes = {(c["category"], c["value"]): c for c in diagnosis["changes"]}  # type: ignore[attr-defined]
    quotas = []
    for q in problem.quotas:
        ch = changes.get((q.category, q.value))
        quotas.append(q if ch is None else Quota(q.category, q.value, ch["new_min"], ch["new_max"]))
    return dataclasses.replace(problem, quotas=tuple(quotas))


def test_crossed_categories_need_two_seats() -> None:
    rows = [("f", "y")] * 3 + [("m", "o")] * 3
    quotas = {("a", "f"): (2, 2), ("a", "m"): (1, 1), ("b", "y"): (1, 1), ("b", "o"): (2, 2)}
    problem = make_problem(rows, quotas, 3)
    with pytest.raises(InfeasibleQuotasError) as info:
        select(problem, seed=1)
    err = info.value
    assert err.code == "infeasible_quotas"
    diag = err.params["diagnosis"]
    assert diag["seats_to_move"] == 2
    assert "smallest change" in str(err)
    assert ("lower the minimum" in str(err)) or ("raise the maximum" in str(err))
    fixed = relaxed(problem, diag)
    assert all_panels(fixed)
    check_lottery(fixed, select(fixed, seed=1))


def test_too_few_people_with_a_value() -> None:
    rows = [("f", "y")] * 2 + [("m", "y")] * 5
    quotas = {("a", "f"): (3, 4), ("a", "m"): (0, 1), ("b", "y"): (0, 4)}
    problem = make_problem(rows, quotas, 4)
    with pytest.raises(InfeasibleQuotasError) as info:
        select(problem, seed=1)
    diag = info.value.params["diagnosis"]
    assert diag["seats_to_move"] == 2
    assert {(c["category"], c["value"]) for c in diag["conflicting_quotas"]} == {
        ("a", "f"), ("a", "m")}
    assert all_panels(relaxed(problem, diag))


def test_single_seat_change_is_found() -> None:
    rows = [("f", "y")] * 1 + [("m", "o")] * 5
    quotas = {("a", "f"): (0, 3), ("a", "m"): (0, 4), ("b", "y"): (0, 2), ("b", "o"): (0, 2)}
    problem = make_problem(rows, quotas, 4)
    with pytest.raises(InfeasibleQuotasError) as info:
        select(problem, seed=1)
    diag = info.value.params["diagnosis"]
    assert diag["seats_to_move"] == 1
    assert diag["changes"] == [{"category": "b", "value": "o", "old_min": 0, "old_max": 2,
                                "new_min": 0, "new_max": 3}]
    assert all_panels(relaxed(problem, diag))


def test_quotas_that_cannot_add_up() -> None:
    rows = [("f", "y")] * 5
    with pytest.raises(DataError) as info:
        make_problem(rows, {("a", "f"): (0, 2), ("b", "y"): (0, 5)}, 3)
    assert info.value.code == "quotas_do_not_add_up"
    assert info.value.params["category"] == "a"


def test_replacement_keeps_quotas() -> None:
    rows = [("f" if i % 2 else "m", "y" if i % 3 else "o") for i in range(24)]
    quotas = {("a", "f"): (3, 4), ("a", "m"): (3, 4), ("b", "y"): (3, 5), ("b", "o"): (2, 4)}
    problem = make_problem(rows, quotas, 7)
    first = select(problem, seed=4)
    dropped = list(first.panel[:2])
    confirmed = list(first.panel[2:])
    again = replace(problem, confirmed, dropped, seed=9)
    assert set(confirmed) <= set(again.panel)
    assert not set(dropped) & set(again.panel)
    assert len(again.new_members) == 2
    assert panel_ok(problem, again.panel)
    for pid in dropped + confirmed:
        assert pid not in again.probabilities


def test_replacement_diagnoses_impossible_refill() -> None:
    rows = [("f", "y")] * 4 + [("m", "o")] * 4
    quotas = {("a", "f"): (2, 2), ("a", "m"): (2, 2), ("b", "y"): (2, 2), ("b", "o"): (2, 2)}
    problem = make_problem(rows, quotas, 4)
    ids = [p.id for p in problem.people]
    # every other man dropped out: the free seat must go to a woman, which breaks four quotas
    with pytest.raises(InfeasibleQuotasError) as info:
        replace(problem, confirmed=[ids[0], ids[1], ids[4]], dropped=ids[5:])
    diag = info.value.params["diagnosis"]
    assert diag["seats_to_move"] == 4
    assert "m" in {c["value"] for c in diag["conflicting_quotas"]}


def test_replacement_with_households() -> None:
    rows = [("f", "y"), ("f", "o"), ("m", "y"), ("m", "o")] * 3
    hh = [f"h{i // 2}" for i in range(12)]
    quotas = {("a", "f"): (1, 2), ("a", "m"): (1, 2), ("b", "y"): (1, 2), ("b", "o"): (1, 2)}
    problem = make_problem(rows, quotas, 3, households=hh)
    first = select(problem, seed=3)
    again = replace(problem, first.panel[1:], first.panel[:1], seed=3)
    assert panel_ok(problem, again.panel)
