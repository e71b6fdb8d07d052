"""Rounding a lottery to a uniform lottery over m concrete panels.

Following Flanigan, Kehne and Procaccia (NeurIPS 2021): each panel of the optimal lottery gets
either floor(m p) or ceil(m p) of the m tickets, chosen by a small integer programme that keeps
every group's expected seats as close as possible to the optimum; seats of each group are then
handed to its members in rotation, so each person is on floor or ceil of their share of the m
panels. The largest deviation of any person's new probability from the optimal one is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from .compiled import Compiled, FloatArray, IntArray
from .rng import RandomSource, shuffle
from .solver import INF, _idx, _val, new_highs


@dataclass(frozen=True)
class TransparentLottery:
    """m equally likely panels; drawing a number from 1 to m picks ``panels[number - 1]``."""

    size: int
    panels: tuple[tuple[str, ...], ...]
    max_deviation: float
    number: int

    def panel(self, number: int) -> tuple[str, ...]:
        return self.panels[number - 1]


def round_counts(c: Compiled, panels: tuple[IntArray, ...], weights: FloatArray,
                 type_probs: FloatArray, m: int) -> IntArray:
    """Tickets per panel (summing to m), each floor or ceil of m times its probability."""
    scaled = weights * m
    base = np.floor(scaled + 1e-9).astype(np.int64)
    base = np.minimum(base, m)
    frac = np.flatnonzero(scaled - base > 1e-9)
    missing = m - int(base.sum())
    if missing <= 0 or len(frac) == 0:
        base[int(np.argmax(weights))] += m - int(base.sum())
        return base
    target = type_probs * c.counts * m  # expected seats per type times m
    current = np.zeros(c.n_types, dtype=np.float64)
    for p, b in zip(panels, base, strict=True):
        current += b * p
    h = new_highs(mip_max_nodes=50, mip_rel_gap=1e-3)
    nb = len(frac)
    for _ in range(nb):
        h.addCol(0.0, 0.0, 1.0, 0, _idx([]), _val([]))
    h.addCol(1.0, 0.0, INF, 0, _idx([]), _val([]))  # d
    h.changeColsIntegrality(nb, _idx(list(range(nb))),
                            np.full(nb, highspy.HighsVarType.kInteger))
    h.addRow(float(missing), float(missing), nb, _idx(list(range(nb))), _val([1.0] * nb))
    for t in range(c.n_types):
        cols = [j for j, i in enumerate(frac) if panels[int(i)][t] > 0]
        coef = [float(panels[int(frac[j])][t]) / float(c.counts[t]) for j in cols]
        gap = (target[t] - current[t]) / float(c.counts[t])
        # |sum coef b - gap| <= d
        h.addRow(gap, INF, len(cols) + 1, _idx([*cols, nb]), _val([*coef, 1.0]))
        h.addRow(-INF, gap, len(cols) + 1, _idx([*cols, nb]), _val([*coef, -1.0]))
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.run()
    sol = np.asarray(h.getSolution().col_value, dtype=np.float64)
    pick = np.rint(sol[:nb]).astype(np.int64) if len(sol) > nb else np.zeros(nb, np.int64)
    if int(pick.sum()) != missing or int(pick.max(initial=0)) > 1:
        order = frac[np.argsort(-(scaled[frac] - base[frac]), kind="stable")]
        chosen = set(order[:missing].tolist())
        pick = np.array([1 if int(i) in chosen else 0 for i in frac], dtype=np.int64)
    base[frac] += pick
    return base


def make_transparent(c: Compiled, panels: tuple[IntArray, ...], weights: FloatArray,
                     type_probs: FloatArray, m: int, rng: RandomSource,
                     number: int | None = None) -> TransparentLottery:
    tickets = round_counts(c, panels, weights, type_probs, m)
    order: list[list[str]] = []
    for ty in c.types:
        members = list(ty.members)
        shuffle(members, rng)
        order.append(members)
    pointer = [0] * c.n_types
    concrete: list[tuple[str, ...]] = []
    for p, count in zip(panels, tickets, strict=True):
        for _ in range(int(count)):
            people: list[str] = []
            for t in np.flatnonzero(p):
                ti = int(t)
                size = len(order[ti])
                for _s in range(int(p[ti])):
                    people.append(order[ti][pointer[ti] % size])
                    pointer[ti] += 1
            concrete.append(tuple(sorted(people)))
    shuffle(concrete, rng)
    appearances: dict[str, int] = {}
    for panel in concrete:
        for pid in panel:
            appearances[pid] = appearances.get(pid, 0) + 1
    deviation = 0.0
    for ti, ty in enumerate(c.types):
        for pid in ty.members:
            deviation = max(deviation, abs(appearances.get(pid, 0) / m - float(type_probs[ti])))
    drawn = number if number is not None else 1 + rng.randbelow(m)
    if not 1 <= drawn <= m:
        raise ValueError("number out of range")
    return TransparentLottery(m, tuple(concrete), math.ceil(deviation * 1e12) / 1e12, drawn)
