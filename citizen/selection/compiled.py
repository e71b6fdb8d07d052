"""Compile a problem into *types*: groups of interchangeable people.

People with the same value in every category (and not sharing a household with another pool
member) are interchangeable, so the optimisation works with one integer variable per type.
People in households with several pool members become types of their own and get a
household constraint. Everything is ordered canonically (sorted), never by set or dict order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import Person, SelectionProblem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PersonType:
    """A group of interchangeable people: their values (in category order) and ids (sorted)."""

    values: tuple[str, ...]
    members: tuple[str, ...]
    household: str | None = None

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Compiled:
    """The optimisation view of a problem."""

    categories: tuple[str, ...]
    types: tuple[PersonType, ...]
    counts: IntArray
    quota_keys: tuple[tuple[str, str], ...]
    quota_min: IntArray
    quota_max: IntArray
    quota_members: tuple[IntArray, ...]
    households: tuple[IntArray, ...]
    panel_size: int

    @property
    def n_types(self) -> int:
        return len(self.types)

    def type_of(self) -> dict[str, int]:
        return {pid: t for t, ty in enumerate(self.types) for pid in ty.members}

    def quota_counts(self, x: IntArray) -> IntArray:
        return np.array([int(x[m].sum()) for m in self.quota_members], dtype=np.int64)

    def is_valid_panel(self, x: IntArray) -> bool:
        if int(x.sum()) != self.panel_size or bool((x < 0).any()) or bool((x > self.counts).any()):
            return False
        qc = self.quota_counts(x)
        if bool((qc < self.quota_min).any()) or bool((qc > self.quota_max).any()):
            return False
        return all(int(x[h].sum()) <= 1 for h in self.households)


def compile_problem(problem: SelectionProblem, *, exclude: Iterable[str] = (),
                    seat_offsets: Mapping[tuple[str, str], int] | None = None,
                    panel_size: int | None = None,
                    blocked_households: Iterable[str] = ()) -> Compiled:
    """Build the type table.

    ``exclude`` removes people from the pool, ``seat_offsets`` subtracts already-filled seats
    from the quotas (used for replacement; minimums are clamped at zero, maximums may become
    negative, which makes the problem infeasible and is diagnosed as such) and
    ``blocked_households`` removes everybody of those households.
    """
    cats = problem.categories
    excluded = set(exclude)
    blocked = set(blocked_households)
    people: list[Person] = []
    for p in problem.people:
        if p.id in excluded:
            continue
        if problem.use_households and p.household is not None and p.household in blocked:
            continue
        people.append(p)
    hh_size: dict[str, int] = {}
    if problem.use_households:
        for p in people:
            if p.household is not None:
                hh_size[p.household] = hh_size.get(p.household, 0) + 1
    groups: dict[tuple[tuple[str, ...], str], list[str]] = {}
    hh_of: dict[tuple[tuple[str, ...], str], str | None] = {}
    for p in people:
        values = tuple(p.value(c) for c in cats)
        hh = p.household if problem.use_households else None
        if hh is not None and hh_size.get(hh, 0) > 1:
            key = (values, "\x00" + p.id)
            hh_of[key] = hh
        else:
            key = (values, "")
            hh_of.setdefault(key, None)
        groups.setdefault(key, []).append(p.id)
    keys = sorted(groups)
    types = tuple(PersonType(k[0], tuple(sorted(groups[k])), hh_of[k]) for k in keys)
    counts = np.array([t.size for t in types], dtype=np.int64)
    quota_keys = tuple(sorted((q.category, q.value) for q in problem.quotas))
    offsets = dict(seat_offsets or {})
    qmin = np.array([max(0, problem.quota(c, v).min - offsets.get((c, v), 0))
                     for c, v in quota_keys], dtype=np.int64)
    qmax = np.array([problem.quota(c, v).max - offsets.get((c, v), 0) for c, v in quota_keys],
                    dtype=np.int64)
    cat_index = {c: i for i, c in enumerate(cats)}
    members = tuple(
        np.array([t for t, ty in enumerate(types) if ty.values[cat_index[c]] == v],
                 dtype=np.int64)
        for c, v in quota_keys)
    hh_types: dict[str, list[int]] = {}
    for t, ty in enumerate(types):
        if ty.household is not None:
            hh_types.setdefault(ty.household, []).append(t)
    households = tuple(np.array(hh_types[h], dtype=np.int64) for h in sorted(hh_types))
    k = problem.panel_size if panel_size is None else panel_size
    return Compiled(cats, types, counts, quota_keys, qmin, qmax, members, households, k)
