"""The greedy stratified draw practitioners used before leximin (for comparison).

Seats are filled one at a time: the value whose unmet minimum is largest relative to the people
still available is served first, by a uniformly random available person with that value;
values that reach their maximum are closed. A draw that gets stuck is restarted.
"""

from __future__ import annotations

import numpy as np

from .compiled import Compiled, FloatArray, IntArray
from .errors import SolverError
from .rng import RandomSource

MAX_ATTEMPTS = 1000


def _attempt(c: Compiled, incidence: IntArray, hh_of: IntArray, rng: RandomSource
             ) -> IntArray | None:
    remaining = c.counts.copy()
    chosen = np.zeros(c.n_types, dtype=np.int64)
    selected = np.zeros(len(c.quota_keys), dtype=np.int64)
    for q, members in enumerate(c.quota_members):
        if c.quota_max[q] <= 0:
            remaining[members] = 0
    for _ in range(c.panel_size):
        available = incidence @ remaining
        need = c.quota_min - selected
        if bool((available < need).any()):
            return None
        open_values = np.flatnonzero(available > 0)
        if len(open_values) == 0:
            return None
        ratio = need[open_values] / available[open_values]
        v = int(open_values[int(np.argmax(ratio))])
        members = c.quota_members[v]
        weights = remaining[members]
        pick = rng.randbelow(int(weights.sum()))
        pos = int(np.searchsorted(np.cumsum(weights), pick, side="right"))
        t = int(members[pos])
        remaining[t] -= 1
        chosen[t] += 1
        selected += incidence[:, t]
        full = np.flatnonzero(selected >= c.quota_max)
        for qf in full:
            remaining[c.quota_members[int(qf)]] = 0
        if hh_of[t] >= 0:
            remaining[c.households[int(hh_of[t])]] = 0
    if bool((selected < c.quota_min).any()):
        return None
    return chosen


def legacy_draw(c: Compiled, rng: RandomSource) -> tuple[IntArray, int]:
    """One panel (type counts) and the number of failed attempts before it."""
    incidence = np.zeros((len(c.quota_keys), c.n_types), dtype=np.int64)
    for q, members in enumerate(c.quota_members):
        incidence[q, members] = 1
    hh_of = np.full(c.n_types, -1, dtype=np.int64)
    for h, members in enumerate(c.households):
        hh_of[members] = h
    for failures in range(MAX_ATTEMPTS):
        x = _attempt(c, incidence, hh_of, rng)
        if x is not None:
            return x, failures
    raise SolverError("legacy_failed",
                      f"The greedy draw failed {MAX_ATTEMPTS} times in a row; the quotas are "
                      "too tight for it.", attempts=MAX_ATTEMPTS)


def legacy_probabilities(c: Compiled, draws: int, rng: RandomSource) -> tuple[FloatArray, int]:
    """Per-type selection probabilities estimated from ``draws`` independent draws."""
    total = np.zeros(c.n_types, dtype=np.float64)
    failures = 0
    for _ in range(draws):
        x, f = legacy_draw(c, rng)
        total += x
        failures += f
    return total / (draws * c.counts), failures
