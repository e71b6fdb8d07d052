"""Leximin (and maximin) selection probabilities by column generation.

The master problem is a linear programme over the panels found so far (a probability for each
panel); the pricing problem is a mixed-integer programme that finds the panel with the largest
dual value. Each leximin level maximises the smallest probability among the types not yet
fixed, then fixes the types whose constraint has a positive dual (they cannot rise without
lowering someone worse off) and continues until every type is fixed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from .compiled import Compiled, FloatArray, IntArray
from .errors import SolverError
from .heuristics import BoolArray, SwapSearch
from .solver import INF, PanelMip, _idx, _val, new_highs

PRICING_EPS = 1e-9
DUAL_FIX_EPS = 1e-8
FIX_SLACK = 1e-8
LOOSE_GAP = 1e-2
PURGE_FACTOR = 1
PURGE_THRESHOLD = 1e-6
CERTAIN_EPS = 1e-9


@dataclass
class LotteryStats:
    levels: int = 0
    lp_solves: int = 0
    pricing_calls: int = 0
    heuristic_rounds: int = 0
    lp_iterations: int = 0
    columns: int = 0
    lp_seconds: float = 0.0
    pricing_seconds: float = 0.0
    level_values: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class TypeLottery:
    """A distribution over panels of types and the resulting per-type probabilities."""

    panels: tuple[IntArray, ...]
    weights: FloatArray
    type_probabilities: FloatArray
    stats: LotteryStats


class Master:
    """max z  s.t.  sum_P lambda_P x_Pt / c_t >= z (free types), >= f_t (fixed), sum lambda = 1."""

    def __init__(self, c: Compiled) -> None:
        self.c = c
        # no bound perturbation: the master is highly degenerate; without it the warm-started
        # primal re-solves took fewer iterations on the larger benchmark instances
        self.h = new_highs(presolve="off", simplex_strategy=4,
                           primal_simplex_bound_perturbation_multiplier=0.0)
        t = c.n_types
        self.h.addCol(1.0, -INF, INF, 0, _idx([]), _val([]))
        for _ in range(t):
            self.h.addRow(0.0, INF, 1, _idx([0]), _val([-1.0]))
        self.h.addRow(1.0, 1.0, 0, _idx([]), _val([]))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.panels: list[IntArray] = []
        self.keys: set[bytes] = set()
        self.inv_counts = 1.0 / c.counts.astype(np.float64)
        self.iterations = 0

    def add(self, x: IntArray) -> bool:
        key = x.tobytes()
        if key in self.keys:
            return False
        self.keys.add(key)
        self.panels.append(x.copy())
        nz = np.flatnonzero(x)
        vals = np.concatenate([x[nz] * self.inv_counts[nz], [1.0]])
        # rows 0..T-1 are the types, row T is the convexity row
        rows = np.concatenate([nz, [self.c.n_types]]).astype(np.int32)
        self.h.addCol(0.0, 0.0, INF, len(rows), rows, _val(vals))
        self.h.setOptionValue("simplex_strategy", 4)
        return True

    def purge(self, keep_if_above: float) -> BoolArray | None:
        """Drop panels whose reduced cost is below ``-keep_if_above`` (never basic ones).

        Returns the mask of kept panels (None if nothing was dropped).
        """
        sol = self.h.getSolution()
        rc = np.asarray(sol.col_dual, dtype=np.float64)[1:]
        lam = np.asarray(sol.col_value, dtype=np.float64)[1:]
        drop = np.flatnonzero((rc < -keep_if_above) & (lam <= 1e-12))
        if len(drop) == 0:
            return None
        self.h.deleteCols(len(drop), (drop + 1).astype(np.int32))
        dropped = set(drop.tolist())
        kept = [p for i, p in enumerate(self.panels) if i not in dropped]
        for i in dropped:
            self.keys.discard(self.panels[i].tobytes())
        self.panels = kept
        mask = np.ones(len(lam), dtype=bool)
        mask[drop] = False
        return mask

    def fix(self, t: int, value: float) -> None:
        self.h.changeCoeff(t, 0, 0.0)
        self.h.changeRowBounds(t, max(0.0, value - FIX_SLACK), INF)

    def solve(self) -> tuple[float, FloatArray, float, FloatArray]:
        self.h.run()
        it = int(self.h.getInfo().simplex_iteration_count)
        self.iterations += it
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError("solver_failed",
                              f"The linear programme stopped with status "
                              f"{self.h.modelStatusToString(status)}.",
                              status=self.h.modelStatusToString(status))
        sol = self.h.getSolution()
        col = np.asarray(sol.col_value, dtype=np.float64)
        dual = np.asarray(sol.row_dual, dtype=np.float64)
        t = self.c.n_types
        return float(col[0]), -dual[:t], float(dual[t]), col[1:]


def initial_panels(c: Compiled, mip: PanelMip) -> list[IntArray]:
    """Panels that together include every type that can be on a panel at all."""
    covered = np.zeros(c.n_types, dtype=bool)
    panels: list[IntArray] = []
    inv = 1.0 / c.counts.astype(np.float64)
    while not covered.all():
        w = np.where(covered, 0.0, 1.0 + inv)
        res = mip.solve(w)
        if res is None:
            break
        _, x, _ = res
        new = (~covered) & (x > 0)
        panels.append(x)
        if not new.any():
            break
        covered |= x > 0
    return panels


def heuristic_pricing(master: Master, search: SwapSearch, lam: FloatArray, w: FloatArray,
                      mu: float, limit: int = 10, steps: int = 4, starts: int = 20) -> bool:
    """Add improving panels found by local search from the basic panels; True if any."""
    basic = np.flatnonzero(lam > 1e-12)
    order = basic[np.argsort(-lam[basic], kind="stable")][:starts]
    found: list[tuple[float, int, IntArray]] = []
    for n, i in enumerate(order):
        y = search.climb(master.panels[int(i)], w, steps)
        if y is not None:
            value = float(np.dot(w, y))
            if value > mu + PRICING_EPS:
                found.append((-value, n, y))
    found.sort(key=lambda item: (item[0], item[1]))
    added = 0
    for _, _, y in found:
        if master.add(y):
            added += 1
            if added >= limit:
                break
    return added > 0


def solve_lottery(c: Compiled, *, maximin_only: bool = False) -> TypeLottery:
    """Leximin-optimal (or maximin) lottery over panels of types."""
    stats = LotteryStats()
    mip = PanelMip(c)
    master = Master(c)
    search = SwapSearch(c)
    t = c.n_types
    for x in initial_panels(c, mip):
        master.add(x)
    if not master.panels:
        raise SolverError("no_panel", "No panel meets the quotas.")
    fixed = np.zeros(t, dtype=bool)
    fixed_value = np.zeros(t, dtype=np.float64)
    lam = np.zeros(0)
    while not fixed.all():
        stats.levels += 1
        while True:
            ls = time.perf_counter()
            z, y, mu, lam = master.solve()
            stats.lp_seconds += time.perf_counter() - ls
            stats.lp_solves += 1
            y = np.maximum(y, 0.0)
            w = y / c.counts
            if heuristic_pricing(master, search, lam, w, mu):
                stats.heuristic_rounds += 1
                continue
            # the cutoff lets the solver prune every panel that cannot improve the master, so
            # proving that none exists (the end of a level) needs no second, exact solve
            res = mip.solve(w, cutoff=mu + PRICING_EPS, rel_gap=LOOSE_GAP)
            stats.pricing_calls += 1
            if res is None:
                break
            value, x, bound = res
            if value <= mu + PRICING_EPS < bound:
                res = mip.solve(w, cutoff=mu + PRICING_EPS)
                stats.pricing_calls += 1
                if res is None:
                    break
                value, x, bound = res
            if value > mu + PRICING_EPS and master.add(x):
                for extra in mip.extra:
                    if float(np.dot(w, extra)) > mu + PRICING_EPS:
                        master.add(extra)
                continue
            break
        stats.level_values.append(z)
        free = ~fixed
        to_fix = free & (y > DUAL_FIX_EPS)
        if not to_fix.any():
            cand = np.where(free, y, -1.0)
            to_fix[int(np.argmax(cand))] = True
        if maximin_only or z >= 1.0 - CERTAIN_EPS:
            # no probability exceeds one, so at z = 1 every free type is at its maximum
            to_fix = free
        more = not bool((fixed | to_fix).all())
        if more and len(master.panels) > PURGE_FACTOR * (t + 1):
            master.purge(PURGE_THRESHOLD)
        for i in np.flatnonzero(to_fix):
            fixed[i] = True
            fixed_value[i] = z
            master.fix(int(i), z)
        if maximin_only:
            break
    stats.columns = len(master.keys)
    stats.pricing_seconds = mip.seconds
    stats.lp_iterations = master.iterations
    lam = np.maximum(lam, 0.0)
    keep = lam > 1e-12
    panels = tuple(p for p, k in zip(master.panels, keep, strict=True) if k)
    weights = lam[keep] / lam[keep].sum()
    probs = np.zeros(t, dtype=np.float64)
    for p, w in zip(panels, weights, strict=True):
        probs += w * p
    probs /= c.counts
    return TypeLottery(panels, weights, probs, stats)
