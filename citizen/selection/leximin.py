"""Leximin (and maximin) selection probabilities by column generation.

The master problem is a linear programme over the panels found so far (a probability for each
panel); the pricing problem is a mixed-integer programme that finds the panel with the largest
dual value. Each leximin level maximises the smallest probability among the types not yet
fixed, then fixes the types whose constraint has a positive dual (they cannot rise without
lowering someone worse off) and continues until every type is fixed.

Column generation is the exact fallback: :func:`solve_lottery` first computes the leximin
point of the linear relaxation and decomposes it into integer panels (``decompose``), which
is exact whenever it succeeds and is much faster.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from .compiled import Compiled, FloatArray, IntArray
from .decompose import ACCEPT_DEVIATION, ACCEPT_MASS, caratheodory, relaxed_leximin
from .errors import SolverError
from .heuristics import BoolArray, SwapSearch
from .solver import INF, PanelMip, _idx, _val, new_highs

PRICING_EPS = 1e-9
DUAL_FIX_EPS = 1e-8
FIX_SLACK = 1e-12  # below the LP tolerances; 1e-8 let later levels gain up to 1e-5
LOOSE_GAP = 1e-2
PURGE_FACTOR = 1
PURGE_THRESHOLD = 1e-6
CERTAIN_EPS = 1e-9
POLISH_EPS = 1e-9


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
    method: str = ""
    relaxation_seconds: float = 0.0
    decomposition_steps: int = 0
    face_mips: int = 0
    face_seconds: float = 0.0


@dataclass(frozen=True)
class TypeLottery:
    """A distribution over panels of types and the resulting per-type probabilities."""

    panels: tuple[IntArray, ...]
    weights: FloatArray
    type_probabilities: FloatArray
    stats: LotteryStats


class Master:
    """max z  s.t.  sum_P lambda_P x_Pt / s_t >= z (free types), >= f_t (fixed), sum lambda = 1.

    ``s_t`` is the type's size (rows are probabilities) unless ``scale`` is given.
    """

    def __init__(self, c: Compiled, scale: FloatArray | None = None) -> None:
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
        self.inv_counts = 1.0 / (c.counts.astype(np.float64) if scale is None else scale)
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


def price(master: Master, search: SwapSearch, mip: PanelMip, lam: FloatArray, w: FloatArray,
          mu: float, stats: LotteryStats) -> bool:
    """Add panels with dual value above ``mu``: swap search first, else the integer programme.

    False means the integer programme proved that no such panel exists.
    """
    if heuristic_pricing(master, search, lam, w, mu):
        stats.heuristic_rounds += 1
        return True
    # the cutoff lets the solver prune every panel that cannot improve the master, so
    # proving that none exists (the end of a level) needs no second, exact solve
    res = mip.solve(w, cutoff=mu + PRICING_EPS, rel_gap=LOOSE_GAP)
    stats.pricing_calls += 1
    if res is None:
        return False
    value, x, bound = res
    if value <= mu + PRICING_EPS < bound:
        res = mip.solve(w, cutoff=mu + PRICING_EPS)
        stats.pricing_calls += 1
        if res is None:
            return False
        value, x, bound = res
    if value > mu + PRICING_EPS and master.add(x):
        for extra in mip.extra:
            if float(np.dot(w, extra)) > mu + PRICING_EPS:
                master.add(extra)
        return True
    return False


def lottery_of(c: Compiled, panels: list[IntArray], lam: FloatArray,
               stats: LotteryStats) -> TypeLottery:
    """The lottery with (unnormalised) weights ``lam``; repeated panels are merged."""
    lam = np.maximum(lam, 0.0)
    merged: dict[bytes, int] = {}
    kept: list[IntArray] = []
    mass: list[float] = []
    for p, w in zip(panels, lam.tolist(), strict=True):
        if w <= 1e-12:
            continue
        key = p.tobytes()
        if key in merged:
            mass[merged[key]] += w
        else:
            merged[key] = len(kept)
            kept.append(p)
            mass.append(w)
    weights = np.asarray(mass, dtype=np.float64)
    weights /= weights.sum()
    probs = np.zeros(c.n_types, dtype=np.float64)
    for p, w in zip(kept, weights, strict=True):
        probs += w * p
    probs /= c.counts
    return TypeLottery(tuple(kept), weights, probs, stats)


def solve_lottery(c: Compiled, *, maximin_only: bool = False) -> TypeLottery:
    """Leximin-optimal lottery over panels of types (also maximin-optimal).

    Tries the relaxation and its decomposition first; falls back to column generation (seeded
    with the panels found so far) when the relaxation's optimum is not a lottery of panels.
    """
    stats = LotteryStats()
    seeds: list[IntArray] = []
    fast = relaxation_lottery(c, stats, seeds)
    if fast is not None:
        return fast
    return column_generation(c, maximin_only=maximin_only, seeds=seeds, stats=stats)


def relaxation_lottery(c: Compiled, stats: LotteryStats, seeds: list[IntArray]
                       ) -> TypeLottery | None:
    """Leximin lottery realising the relaxation's leximin point, or None if there is none.

    Panels found on the way are appended to ``seeds``.
    """
    start = time.perf_counter()
    relaxed = relaxed_leximin(c)
    stats.relaxation_seconds = time.perf_counter() - start
    if relaxed is None:
        return None
    target, stats.levels = relaxed
    dec = caratheodory(c, target)
    stats.decomposition_steps = dec.steps
    stats.face_mips = dec.oracle_calls
    stats.face_seconds = dec.oracle_seconds
    seeds.extend(dec.panels)
    if dec.panels and dec.mass_left <= ACCEPT_MASS:
        lot = lottery_of(c, dec.panels, np.asarray(dec.weights), stats)
        if float(np.abs(lot.type_probabilities - target).max()) <= ACCEPT_DEVIATION:
            stats.method = "relaxation"
            stats.columns = len(lot.panels)
            return lot
    return polish(c, target, seeds, stats)


def polish(c: Compiled, target: FloatArray, panels: list[IntArray], stats: LotteryStats
           ) -> TypeLottery | None:
    """Reach ``target`` by column generation: max z with every type at z times its target.

    Returns None if the integer programme proves that z = 1 is out of reach.
    """
    reachable = target > 0.0
    scale = np.where(reachable, c.counts * target, 1.0)
    master = Master(c, scale)
    for i in np.flatnonzero(~reachable):
        master.fix(int(i), 0.0)
    mip = PanelMip(c)
    search = SwapSearch(c)
    for x in panels:
        master.add(x)
    for x in initial_panels(c, mip):
        master.add(x)
    try:
        while True:
            ls = time.perf_counter()
            z, y, mu, lam = master.solve()
            stats.lp_seconds += time.perf_counter() - ls
            stats.lp_solves += 1
            if z >= 1.0 - POLISH_EPS:
                stats.method = "relaxation+polish"
                stats.columns = len(master.keys)
                stats.lp_iterations = master.iterations
                return lottery_of(c, master.panels, lam, stats)
            w = np.maximum(y, 0.0) / scale
            if not price(master, search, mip, lam, w, mu, stats):
                panels.extend(master.panels)
                return None
    finally:
        stats.pricing_seconds += mip.seconds


def column_generation(c: Compiled, *, maximin_only: bool = False,
                      seeds: list[IntArray] | None = None,
                      stats: LotteryStats | None = None) -> TypeLottery:
    """Leximin-optimal (or maximin) lottery by column generation, level by level."""
    stats = LotteryStats() if stats is None else stats
    stats.method = "column generation"
    stats.levels = 0
    mip = PanelMip(c)
    master = Master(c)
    search = SwapSearch(c)
    t = c.n_types
    for x in initial_panels(c, mip):
        master.add(x)
    if not master.panels:
        raise SolverError("no_panel", "No panel meets the quotas.")
    for x in seeds or []:
        master.add(x)
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
            if not price(master, search, mip, lam, w, mu, stats):
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
    stats.pricing_seconds += mip.seconds
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
