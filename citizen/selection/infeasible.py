"""Diagnosis of infeasible quotas: the fewest seats of quota change that allow a panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from .compiled import Compiled, IntArray
from .errors import DataError, InfeasibleQuotasError
from .solver import INF, _idx, _val, new_highs


@dataclass(frozen=True, slots=True)
class QuotaChange:
    category: str
    value: str
    old_min: int
    old_max: int
    new_min: int
    new_max: int

    @property
    def seats(self) -> int:
        return (self.old_min - self.new_min) + (self.new_max - self.old_max)

    def sentence(self) -> str:
        parts = []
        if self.new_min != self.old_min:
            parts.append(f"lower the minimum for {self.category} = {self.value} from "
                         f"{self.old_min} to {self.new_min}")
        if self.new_max != self.old_max:
            parts.append(f"raise the maximum for {self.category} = {self.value} from "
                         f"{self.old_max} to {self.new_max}")
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Which quotas conflict and the smallest change (in seats) that makes selection possible."""

    seats_to_move: int
    changes: tuple[QuotaChange, ...]
    message: str

    @property
    def conflicting(self) -> tuple[tuple[str, str], ...]:
        return tuple((ch.category, ch.value) for ch in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seats_to_move": self.seats_to_move,
            "conflicting_quotas": [{"category": c, "value": v} for c, v in self.conflicting],
            "changes": [
                {"category": ch.category, "value": ch.value, "old_min": ch.old_min,
                 "old_max": ch.old_max, "new_min": ch.new_min, "new_max": ch.new_max}
                for ch in self.changes],
            "message": self.message,
        }


def diagnose(c: Compiled, original_min: IntArray | None = None,
             original_max: IntArray | None = None) -> Diagnosis | None:
    """None if some panel meets the quotas, else the minimal relaxation.

    ``original_min``/``original_max`` are the quotas as the organiser wrote them (they differ
    from ``c.quota_min``/``c.quota_max`` during replacement, where seats already filled are
    subtracted); changes are reported against them.
    """
    omin = c.quota_min if original_min is None else original_min
    omax = c.quota_max if original_max is None else original_max
    t = c.n_types
    nq = len(c.quota_keys)
    h = new_highs()
    for i in range(t):
        h.addCol(0.0, 0.0, float(c.counts[i]), 0, _idx([]), _val([]))
    for _ in range(2 * nq):
        h.addCol(1.0, 0.0, INF, 0, _idx([]), _val([]))
    n = t + 2 * nq
    h.changeColsIntegrality(n, _idx(list(range(n))), np.full(n, highspy.HighsVarType.kInteger))
    h.addRow(float(c.panel_size), float(c.panel_size), t, _idx(list(range(t))),
             _val([1.0] * t))
    for qi, members in enumerate(c.quota_members):
        m = len(members)
        # sum x + lower >= min ; sum x - raise <= max
        h.addRow(float(c.quota_min[qi]), INF, m + 1, _idx([*members.tolist(), t + qi]),
                 _val([1.0] * (m + 1)))
        h.addRow(-INF, float(c.quota_max[qi]), m + 1, _idx([*members.tolist(), t + nq + qi]),
                 _val([1.0] * m + [-1.0]))
    for hh in c.households:
        h.addRow(-INF, 1.0, len(hh), _idx(hh), _val([1.0] * len(hh)))
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise DataError("pool_cannot_fill_panel",
                          f"No panel of {c.panel_size} can be formed from this pool, whatever "
                          "the quotas (the household rule leaves too few people).",
                          panel_size=c.panel_size)
    sol = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
    lower = sol[t:t + nq]
    raise_ = sol[t + nq:]
    total = int(lower.sum() + raise_.sum())
    if total == 0:
        return None
    changes = []
    for qi, (cat, val) in enumerate(c.quota_keys):
        if lower[qi] or raise_[qi]:
            changes.append(QuotaChange(cat, val, int(omin[qi]), int(omax[qi]),
                                       int(omin[qi] - lower[qi]), int(omax[qi] + raise_[qi])))
    seats = "seat" if total == 1 else "seats"
    message = ("No panel meets the quotas. The smallest change that makes selection possible "
               f"moves {total} {seats}: " + "; ".join(ch.sentence() for ch in changes) + ".")
    return Diagnosis(total, tuple(changes), message)


def ensure_feasible(c: Compiled, original_min: IntArray | None = None,
                    original_max: IntArray | None = None) -> None:
    d = diagnose(c, original_min, original_max)
    if d is not None:
        raise InfeasibleQuotasError(d.message, d.to_dict())
