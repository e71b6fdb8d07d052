"""Cheap pricing by local search: improve panels one swap at a time.

A swap replaces one seat of type ``a`` by one of type ``b`` while keeping every quota and the
household rule. Starting from the panels in the current basis (whose dual value equals the
convexity dual), any swap with a positive gain gives a panel that improves the master LP, so
most pricing rounds need no integer programme at all. The integer programme still certifies
the end of every level.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .compiled import Compiled, FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]


class SwapSearch:
    def __init__(self, c: Compiled) -> None:
        self.c = c
        t = c.n_types
        q = len(c.quota_keys)
        # value index (quota row) of every type in every category
        cat_of_quota = [c.categories.index(cat) for cat, _ in c.quota_keys]
        self.v = np.zeros((t, len(c.categories)), dtype=np.int64)
        for qi, members in enumerate(c.quota_members):
            self.v[members, cat_of_quota[qi]] = qi
        self.n_quotas = q
        self.incidence = np.zeros((q, t), dtype=np.int64)
        for qi, members in enumerate(c.quota_members):
            self.incidence[qi, members] = 1
        self.hh = np.full(t, -1, dtype=np.int64)
        for hi, members in enumerate(c.households):
            self.hh[members] = hi
        self.has_households = len(c.households) > 0

    def quota_counts(self, x: IntArray) -> IntArray:
        return np.asarray(self.incidence @ x, dtype=np.int64)

    def best_swap(self, x: IntArray, w: FloatArray) -> tuple[float, int, int]:
        c = self.c
        q = self.quota_counts(x)
        out = np.flatnonzero(x > 0)
        if len(out) == 0:
            return 0.0, -1, -1
        wmin = float(w[out].min())
        into = np.flatnonzero((x < c.counts) & (w > wmin + 1e-12))
        if len(into) == 0:
            return 0.0, -1, -1
        gain = w[into][None, :] - w[out][:, None]
        ok: BoolArray = gain > 1e-12
        if not ok.any():
            return 0.0, -1, -1
        for j in range(self.v.shape[1]):
            va = self.v[out, j]
            vb = self.v[into, j]
            rem_ok = q[va] > c.quota_min[va]
            add_ok = q[vb] < c.quota_max[vb]
            same = va[:, None] == vb[None, :]
            ok &= same | (rem_ok[:, None] & add_ok[None, :])
        if self.has_households:
            hh_count = np.zeros(len(c.households) + 1, dtype=np.int64)
            np.add.at(hh_count, self.hh, x)
            hb = self.hh[into]
            ha = self.hh[out]
            busy = (hb >= 0) & (hh_count[hb] > 0)
            ok &= ~busy[None, :] | ((ha[:, None] == hb[None, :]) & (hb[None, :] >= 0))
        if not ok.any():
            return 0.0, -1, -1
        masked = np.where(ok, gain, -np.inf)
        flat = int(np.argmax(masked))
        i, j = divmod(flat, len(into))
        return float(masked[i, j]), int(out[i]), int(into[j])

    def climb(self, x: IntArray, w: FloatArray, steps: int) -> IntArray | None:
        """Hill-climb from ``x``; None if not even one improving swap exists."""
        y = x.copy()
        moved = False
        for _ in range(steps):
            g, a, b = self.best_swap(y, w)
            if a < 0 or g <= 1e-12:
                break
            y[a] -= 1
            y[b] += 1
            moved = True
        return y if moved else None
