"""Fast path for leximin: solve the linear relaxation, then decompose its optimum into panels.

Let P be the polytope of *fractional* panels (expected seats per type that meet the panel
size, quotas and household rules) and H ⊆ P the convex hull of the integer panels. The
leximin point of P is found with a handful of small linear programmes (one per level, one
variable per type). If that point also lies in H, it is the leximin point of H too (nothing in
H can be lexicographically better than the best point of the larger P), so a lottery that
realises it is leximin-optimal; the proof is the chain of linear programmes on P.

The decomposition follows Carathéodory's construction: take an integer panel v on the smallest
face of P that holds the remaining point p (so every constraint tight at p is tight at v), move
as far as possible away from v through p (p = a v + (1 - a) p' with p' still in P and on a
smaller face) and repeat with p'. Each step makes at least one more constraint tight, so it
stops after at most (number of types + 1) panels. If the integer programme finds no panel on
some face the relaxation was not exact there; the caller then falls back to column generation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .compiled import Compiled, FloatArray, IntArray
from .solver import INF, PanelMip, _idx, _val, new_highs

DUAL_FIX_EPS = 1e-8
CERTAIN_EPS = 1e-9
FACE_EPS = 1e-7
MASS_EPS = 1e-10
ACCEPT_MASS = 1e-8
ACCEPT_DEVIATION = 1e-8


def relaxed_leximin(c: Compiled) -> tuple[FloatArray, int] | None:
    """Leximin probabilities over fractional panels and the number of levels (None: LP failed)."""
    t = c.n_types
    h = new_highs()
    cnt = c.counts.astype(np.float64)
    h.addVars(t, _val(np.zeros(t)), _val(np.ones(t)))
    h.addCol(1.0, -INF, INF, 0, _idx([]), _val([]))
    h.addRow(float(c.panel_size), float(c.panel_size), t, _idx(np.arange(t)), _val(cnt))
    for m, lo, hi in zip(c.quota_members, c.quota_min, c.quota_max, strict=True):
        h.addRow(float(lo), float(hi), len(m), _idx(m), _val(cnt[m]))
    for hh in c.households:
        h.addRow(-INF, 1.0, len(hh), _idx(hh), _val(cnt[hh]))
    first = h.getNumRow()
    for i in range(t):
        # pi_i - z >= 0 while type i is free, pi_i >= its level once fixed
        h.addRow(0.0, INF, 2, _idx([i, t]), _val([1.0, -1.0]))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    fixed = np.zeros(t, dtype=bool)
    value = np.zeros(t, dtype=np.float64)
    levels = 0
    while not fixed.all():
        levels += 1
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        z = float(sol.col_value[t])
        y = -np.asarray(sol.row_dual, dtype=np.float64)[first:first + t]
        free = ~fixed
        to_fix = free & (y > DUAL_FIX_EPS)
        if not to_fix.any():
            to_fix[int(np.argmax(np.where(free, y, -1.0)))] = True
        if z >= 1.0 - CERTAIN_EPS:
            to_fix = free
        z = min(max(z, 0.0), 1.0)
        for i in np.flatnonzero(to_fix).tolist():
            fixed[i] = True
            value[i] = z
            h.changeCoeff(first + i, t, 0.0)
            h.changeRowBounds(first + i, z, INF)
    return value, levels


class FaceMip:
    """Finds some integer panel on a face of P (constraints forced tight, types forced 0/full)."""

    def __init__(self, c: Compiled) -> None:
        self.c = c
        self.mip = PanelMip(c)
        self.mip.harvest = False
        h = self.mip.h
        # any panel on the face will do: stop at the first one
        h.setOptionValue("mip_max_improving_sols", 1)
        h.setOptionValue("mip_rel_gap", 1.0)
        h.setOptionValue("mip_improving_solution_save", False)
        # the same model without integrality: its optimal vertex is often (nearly) integral
        self.lp = PanelMip(c)
        t = c.n_types
        self.lp.h.changeColsIntegrality(t, _idx(np.arange(t)),
                                        np.full(t, highspy.HighsVarType.kContinuous))
        self.calls = 0
        self.lp_hits = 0
        self.support_hits = 0
        self.seconds = 0.0

    def find(self, weights: FloatArray, col_lo: FloatArray, col_hi: FloatArray,
             row_lo: FloatArray, row_hi: FloatArray) -> IntArray | None:
        """A panel within the given bounds (rows: size, quotas, households), or None.

        Tries the vertex of the linear programme, then the integer programme restricted to
        that vertex's support, then the full integer programme.
        """
        self.calls += 1
        start = time.perf_counter()
        try:
            t = self.c.n_types
            lp = self.lp.h
            self._set(lp, weights, col_lo, col_hi, row_lo, row_hi)
            lp.run()
            if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
            xs = np.asarray(lp.getSolution().col_value, dtype=np.float64)
            x = np.rint(xs).astype(np.int64)
            if float(np.abs(xs - x).max()) <= 1e-9 and self.c.is_valid_panel(x):
                self.lp_hits += 1
                return x
            h = self.mip.h
            support_hi = np.where(xs > 1e-9, col_hi, col_lo)
            self._set(h, weights, col_lo, support_hi, row_lo, row_hi)
            y = self._run()
            if y is not None:
                self.support_hits += 1
                return y
            h.changeColsBounds(t, _idx(np.arange(t)), _val(col_lo), _val(col_hi))
            return self._run()
        finally:
            self.seconds += time.perf_counter() - start

    def _set(self, h: highspy.Highs, weights: FloatArray, col_lo: FloatArray,
             col_hi: FloatArray, row_lo: FloatArray, row_hi: FloatArray) -> None:
        t = self.c.n_types
        h.changeColsBounds(t, _idx(np.arange(t)), _val(col_lo), _val(col_hi))
        rows = len(row_lo)
        h.changeRowsBounds(rows, _idx(np.arange(rows)), _val(row_lo),  # type: ignore[attr-defined]
                           _val(row_hi))
        h.changeColsCost(t, _idx(np.arange(t)), _val(weights))

    def _run(self) -> IntArray | None:
        h = self.mip.h
        h.run()
        status = h.getModelStatus()
        ok = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit)
        if status not in ok or int(h.getInfo().primal_solution_status) != 2:
            return None
        x = np.rint(np.asarray(h.getSolution().col_value, dtype=np.float64)).astype(np.int64)
        return x if self.c.is_valid_panel(x) else None


@dataclass
class Decomposition:
    panels: list[IntArray]
    weights: list[float]
    mass_left: float
    steps: int
    oracle_calls: int
    oracle_seconds: float


def caratheodory(c: Compiled, target: FloatArray, max_steps: int | None = None
                 ) -> Decomposition:
    """Write ``target`` (probabilities per type) as a lottery over integer panels, greedily."""
    t = c.n_types
    cnt = c.counts.astype(np.float64)
    nq = len(c.quota_members)
    inc = np.zeros((nq, t), dtype=np.float64)
    for qi, members in enumerate(c.quota_members):
        inc[qi, members] = 1.0
    hinc = np.zeros((len(c.households), t), dtype=np.float64)
    for hi, members in enumerate(c.households):
        hinc[hi, members] = 1.0
    qmin = c.quota_min.astype(np.float64)
    qmax = c.quota_max.astype(np.float64)
    k = float(c.panel_size)
    oracle = FaceMip(c)
    rest = target * cnt  # expected seats not yet covered, times the mass left
    mass = 1.0
    panels: list[IntArray] = []
    weights: list[float] = []
    limit = 2 * t + 50 if max_steps is None else max_steps
    steps = 0
    while mass > MASS_EPS and steps < limit:
        steps += 1
        p = rest / mass
        qp = inc @ p
        hp = hinc @ p
        col_lo = np.where(p >= cnt - FACE_EPS, cnt, 0.0)
        col_hi = np.where(p <= FACE_EPS, 0.0, cnt)
        q_lo = np.where(qp >= qmax - FACE_EPS, qmax, qmin)
        q_hi = np.where(qp <= qmin + FACE_EPS, qmin, qmax)
        h_lo = np.where(hp >= 1.0 - FACE_EPS, 1.0, -INF)
        row_lo = np.concatenate([[k], q_lo, h_lo])
        row_hi = np.concatenate([[k], q_hi, np.ones(len(hp))])
        v = oracle.find(p / cnt, col_lo, col_hi, row_lo, row_hi)
        if v is None:
            break
        vf = v.astype(np.float64)
        qv = inc @ vf
        hv = hinc @ vf
        with np.errstate(divide="ignore", invalid="ignore"):
            limits = [
                np.where(vf > 0, p / vf, INF),
                np.where(vf < cnt, (cnt - p) / (cnt - vf), INF),
                np.where(qv > qmin, (qp - qmin) / (qv - qmin), INF),
                np.where(qv < qmax, (qmax - qp) / (qmax - qv), INF),
                np.where(hv < 1.0, (1.0 - hp) / (1.0 - hv), INF),
            ]
        a = min(1.0, *(float(lim.min()) for lim in limits if len(lim)))
        if a <= 1e-12:
            break
        panels.append(v)
        weights.append(a * mass)
        rest = np.maximum(rest - (a * mass) * vf, 0.0)
        mass *= 1.0 - a
    return Decomposition(panels, weights, mass, steps, oracle.calls, oracle.seconds)
