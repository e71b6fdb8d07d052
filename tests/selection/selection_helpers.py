"""Shared helpers for the selection tests: small pools and a brute-force leximin."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import highspy
import numpy as np

from citizen.selection import Person, Quota, SelectionProblem, SelectionResult


def make_problem(rows: Sequence[tuple[str, ...]], quotas: dict[tuple[str, str], tuple[int, int]],
                 k: int, categories: Sequence[str] = ("a", "b"),
                 households: Sequence[str | None] | None = None) -> SelectionProblem:
    people = []
    for i, row in enumerate(rows):
        hh = households[i] if households is not None else None
        people.append(Person.of(f"p{i:03d}", dict(zip(categories, row, strict=True)), hh))
    qs = [Quota(c, v, lo, hi) for (c, v), (lo, hi) in sorted(quotas.items())]
    return SelectionProblem(tuple(people), tuple(qs), k, use_households=households is not None)


def panel_ok(problem: SelectionProblem, ids: Sequence[str]) -> bool:
    if len(ids) != problem.panel_size or len(set(ids)) != len(ids):
        return False
    people = [problem.person(i) for i in ids]
    for q in problem.quotas:
        n = sum(1 for p in people if p.value(q.category) == q.value)
        if not q.min <= n <= q.max:
            return False
    if problem.use_households:
        hh = [p.household for p in people if p.household is not None]
        if len(hh) != len(set(hh)):
            return False
    return True


def all_panels(problem: SelectionProblem) -> list[tuple[str, ...]]:
    ids = [p.id for p in problem.people]
    return [c for c in itertools.combinations(ids, problem.panel_size) if panel_ok(problem, c)]


def brute_force_leximin(problem: SelectionProblem) -> dict[str, float]:
    """Leximin by enumerating every panel and testing every person at every level."""
    panels = all_panels(problem)
    ids = [p.id for p in problem.people]
    n, m = len(ids), len(panels)
    a = np.zeros((n, m))
    for j, panel in enumerate(panels):
        for pid in panel:
            a[ids.index(pid), j] = 1.0
    fixed: dict[int, float] = {}

    def solve(objective_person: int | None, z_floor: float | None) -> float:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        inf = highspy.kHighsInf
        h.addCol(1.0 if objective_person is None else 0.0, -inf, inf, 0,
                 np.array([], dtype=np.int32), np.array([]))
        for _ in range(m):
            h.addCol(0.0, 0.0, inf, 0, np.array([], dtype=np.int32), np.array([]))
        h.addRow(1.0, 1.0, m, np.arange(1, m + 1, dtype=np.int32), np.ones(m))
        for i in range(n):
            cols = np.flatnonzero(a[i]) + 1
            if i in fixed:
                h.addRow(fixed[i] - 1e-9, inf, len(cols), cols.astype(np.int32), np.ones(len(cols)))
            elif z_floor is not None:
                h.addRow(z_floor - 1e-9, inf, len(cols), cols.astype(np.int32),
                         np.ones(len(cols)))
            else:
                idx = np.concatenate([[0], cols]).astype(np.int32)
                h.addRow(0.0, inf, len(idx), idx, np.concatenate([[-1.0], np.ones(len(cols))]))
        if objective_person is not None:
            cols = np.flatnonzero(a[objective_person]) + 1
            h.changeColsCost(len(cols), cols.astype(np.int32), np.ones(len(cols)))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.run()
        return float(h.getInfo().objective_function_value)

    while len(fixed) < n:
        z = solve(None, None)
        newly = [i for i in range(n) if i not in fixed and solve(i, z) <= z + 1e-7]
        for i in newly:
            fixed[i] = z
        if not newly:  # pragma: no cover - impossible by LP duality
            raise AssertionError("no progress")
    return {ids[i]: v for i, v in fixed.items()}


def check_lottery(problem: SelectionProblem, result: SelectionResult) -> None:
    """Every lottery panel meets the quotas; probabilities sum to one; marginals agree."""
    assert abs(sum(lp.probability for lp in result.lottery) - 1.0) < 1e-9
    type_of = {pid: t for t, ty in enumerate(result.types) for pid in ty.members}
    for lp in result.lottery:
        assert lp.probability > 0
        seats = dict(lp.composition)
        assert sum(seats.values()) == problem.panel_size
        for q in problem.quotas:
            cat = problem.categories.index(q.category)
            n = sum(s for t, s in seats.items() if result.types[t].values[cat] == q.value)
            assert q.min <= n <= q.max
        for t, s in seats.items():
            assert 0 < s <= result.types[t].size
            if result.types[t].household is not None:
                assert s == 1
        hh = [result.types[t].household for t in seats if result.types[t].household]
        assert len(hh) == len(set(hh))
    marg = result.marginals_from_lottery()
    for pid, p in result.probabilities.items():
        assert abs(marg[pid] - p) < 1e-9
    assert type_of.keys() == result.probabilities.keys()
    assert panel_ok(problem, result.panel)
