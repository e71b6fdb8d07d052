"""Thin, deterministic wrappers around HiGHS (through ``highspy``)."""

from __future__ import annotations

import time
from typing import Any

import highspy
import numpy as np

from .compiled import Compiled, FloatArray, IntArray
from .errors import SolverError

INF: float = float(highspy.kHighsInf)


def solver_name() -> str:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()} (highspy)"


def new_highs(**options: Any) -> highspy.Highs:
    """A silent HiGHS instance with settings that make runs reproducible."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    base: dict[str, Any] = {
        "output_flag": False,
        "threads": 1,
        "random_seed": 0,
        "time_limit": INF,
        "mip_rel_gap": 1e-9,
        "mip_abs_gap": 1e-10,
        "primal_feasibility_tolerance": 1e-9,
        "dual_feasibility_tolerance": 1e-9,
        "mip_feasibility_tolerance": 1e-9,
    }
    base.update(options)
    for key, value in base.items():
        h.setOptionValue(key, value)
    return h


def _idx(values: list[int] | IntArray) -> Any:
    return np.asarray(values, dtype=np.int32)


def _val(values: list[float] | FloatArray) -> Any:
    return np.asarray(values, dtype=np.float64)


class PanelMip:
    """Integer programme over panels: one integer count per type, quotas, households.

    The objective is set per call, so the same model serves pricing, covering and diagnosis.
    """

    def __init__(self, c: Compiled) -> None:
        self.c = c
        self.h = new_highs()
        t = c.n_types
        for i in range(t):
            self.h.addCol(0.0, 0.0, float(c.counts[i]), 0, _idx([]), _val([]))
        self.h.changeColsIntegrality(t, _idx(list(range(t))),
                                     np.full(t, highspy.HighsVarType.kInteger))
        all_idx = list(range(t))
        self.h.addRow(float(c.panel_size), float(c.panel_size), t, _idx(all_idx),
                      _val([1.0] * t))
        for m, lo, hi in zip(c.quota_members, c.quota_min, c.quota_max, strict=True):
            self.h.addRow(float(lo), float(hi), len(m), _idx(m), _val([1.0] * len(m)))
        for hh in c.households:
            self.h.addRow(-INF, 1.0, len(hh), _idx(hh), _val([1.0] * len(hh)))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.calls = 0
        self.seconds = 0.0
        self.harvest = True
        self.extra: list[IntArray] = []
        self.h.setOptionValue("mip_improving_solution_save", True)
        # a small cut pool: pricing MIPs otherwise spend most of their time separating
        # (and re-solving with) thousands of root cuts
        self.h.setOptionValue("mip_pool_soft_limit", 50)

    def solve(self, weights: FloatArray, cutoff: float | None = None,
              rel_gap: float = 1e-9) -> tuple[float, IntArray, float] | None:
        """Best panel for ``weights``: (objective, counts, dual bound).

        None if no panel exists or (with ``cutoff``) none has an objective above ``cutoff``.
        """
        t = self.c.n_types
        self.h.setOptionValue("objective_bound", INF if cutoff is None else -cutoff)
        self.h.setOptionValue("mip_rel_gap", rel_gap)
        self.h.changeColsCost(t, _idx(list(range(t))), _val(weights))
        self.calls += 1
        start = time.perf_counter()
        self.h.run()
        self.seconds += time.perf_counter() - start
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible or (
                cutoff is not None and status == highspy.HighsModelStatus.kObjectiveBound):
            return None
        if cutoff is not None and int(self.h.getInfo().primal_solution_status) == 0:
            # the search proved that no panel beats the cutoff
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError("solver_failed",
                              f"The integer solver stopped with status "
                              f"{self.h.modelStatusToString(status)}.",
                              status=self.h.modelStatusToString(status))
        sol = np.asarray(self.h.getSolution().col_value, dtype=np.float64)
        x = np.rint(sol).astype(np.int64)
        info = self.h.getInfo()
        value = float(np.dot(weights, x))
        bound = float(info.mip_dual_bound)
        self.extra = []
        if self.harvest:
            for saved in self.h.getSavedMipSolutions():
                y = np.rint(np.asarray(saved.col_value, dtype=np.float64)).astype(np.int64)
                if len(y) == len(x) and not np.array_equal(y, x):
                    self.extra.append(y)
        return value, x, bound
