"""Selection: compile, optimise the lottery, draw the panel and reserves."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .compiled import Compiled, IntArray, PersonType, compile_problem
from .errors import DataError, InfeasibleQuotasError
from .infeasible import diagnose
from .legacy import legacy_draw, legacy_probabilities
from .leximin import solve_lottery
from .model import SelectionProblem
from .rng import RandomSource, SeededRandom, choose_index, new_seed, sample, shuffle
from .solver import solver_name
from .transparent import TransparentLottery, make_transparent

METHODS = ("leximin", "maximin", "legacy")
DEFAULT_LEGACY_DRAWS = 1000


@dataclass(frozen=True, slots=True)
class LotteryPanel:
    """One panel of the lottery: its probability and seats per type (type index, seats)."""

    probability: float
    composition: tuple[tuple[int, int], ...]

    def counts(self, n_types: int) -> IntArray:
        x = np.zeros(n_types, dtype=np.int64)
        for t, s in self.composition:
            x[t] = s
        return x


@dataclass(frozen=True, slots=True)
class Fairness:
    minimum: float
    maximum: float
    mean: float
    gini: float
    geometric_mean: float


@dataclass(frozen=True)
class SelectionResult:
    method: str
    seed: int | None
    panel_size: int
    panel: tuple[str, ...]
    new_members: tuple[str, ...]
    reserves: tuple[str, ...]
    probabilities: dict[str, float]
    types: tuple[PersonType, ...]
    lottery: tuple[LotteryPanel, ...]
    drawn_lottery_panel: int | None
    fairness: Fairness
    solver: str
    timings: dict[str, float]
    stats: dict[str, Any] = field(default_factory=dict)
    legacy_draws: int | None = None
    transparent: TransparentLottery | None = None

    def marginals_from_lottery(self) -> dict[str, float]:
        """Selection probability of each person recomputed as a sum over lottery panels."""
        per_type = np.zeros(len(self.types))
        for lp in self.lottery:
            for t, s in lp.composition:
                per_type[t] += lp.probability * s
        out: dict[str, float] = {}
        for t, ty in enumerate(self.types):
            for pid in ty.members:
                out[pid] = float(per_type[t] / ty.size)
        return out


def fairness_summary(probs: Iterable[float]) -> Fairness:
    p = np.sort(np.asarray(list(probs), dtype=np.float64))
    n = len(p)
    mean = float(p.mean())
    gini = 0.0
    if mean > 0:
        ranks = np.arange(1, n + 1)
        gini = float(np.sum((2 * ranks - n - 1) * p) / (n * n * mean))
    geo = 0.0 if bool((p <= 0).any()) else float(math.exp(float(np.log(p).mean())))
    return Fairness(float(p[0]), float(p[-1]), mean, max(0.0, gini), geo)


def _people_for(c: Compiled, x: IntArray, rng: RandomSource) -> list[str]:
    chosen: list[str] = []
    for t in np.flatnonzero(x):
        chosen.extend(sample(c.types[int(t)].members, int(x[int(t)]), rng))
    return chosen


def _source(seed: int | None, random_source: RandomSource | None
            ) -> tuple[int | None, RandomSource, RandomSource, RandomSource, RandomSource]:
    if random_source is not None:
        return seed, random_source, random_source, random_source, random_source
    if seed is None:
        seed = new_seed()
    root = SeededRandom(seed)
    return (seed, root.child("panel"), root.child("reserves"), root.child("transparent"),
            root.child("legacy-estimate"))


def run_selection(problem: SelectionProblem, c: Compiled, *, method: str, seed: int | None,
                  random_source: RandomSource | None, transparent: int | None,
                  transparent_number: int | None, reserves: int, legacy_draws: int,
                  confirmed: tuple[str, ...] = (),
                  original_quotas: tuple[IntArray, IntArray] | None = None) -> SelectionResult:
    if method not in METHODS:
        raise DataError("unknown_method",
                        f"Unknown method {method!r}; use one of {', '.join(METHODS)}.",
                        method=method, allowed=list(METHODS))
    if transparent is not None and (transparent < 1 or method == "legacy"):
        raise DataError("bad_transparent",
                        "A transparent lottery needs a positive number of panels and the "
                        "leximin or maximin method.", m=transparent, method=method)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    seed, rng_panel, rng_reserves, rng_transparent, rng_legacy = _source(seed, random_source)
    if c.panel_size > 0:
        omin, omax = original_quotas if original_quotas else (None, None)
        d = diagnose(c, omin, omax)
        if d is not None:
            raise InfeasibleQuotasError(d.message, d.to_dict())
    timings["feasibility"] = time.perf_counter() - start
    stats: dict[str, Any] = {"types": c.n_types, "pool": int(c.counts.sum())}
    lottery: tuple[LotteryPanel, ...] = ()
    drawn: int | None = None
    tl: TransparentLottery | None = None
    used_draws: int | None = None
    t0 = time.perf_counter()
    if c.panel_size == 0:
        type_probs = np.zeros(c.n_types)
        new_members: list[str] = []
        reserve_list: list[str] = []
    elif method == "legacy":
        used_draws = legacy_draws
        type_probs, failures = legacy_probabilities(c, legacy_draws, rng_legacy)
        stats["legacy_failed_attempts"] = failures
        timings["estimate"] = time.perf_counter() - t0
        x, _ = legacy_draw(c, rng_panel)
        new_members = _people_for(c, x, rng_panel)
        reserve_list = []
        taken = set(new_members)
        for _ in range(50 * max(1, reserves)):
            if len(reserve_list) >= reserves:
                break
            y, _ = legacy_draw(c, rng_reserves)
            extra = [p for p in _people_for(c, y, rng_reserves) if p not in taken]
            for p in extra[: reserves - len(reserve_list)]:
                reserve_list.append(p)
                taken.add(p)
    else:
        tlot = solve_lottery(c, maximin_only=(method == "maximin"))
        timings["optimise"] = time.perf_counter() - t0
        s = tlot.stats
        stats.update({"algorithm": s.method, "decomposition_steps": s.decomposition_steps,
                      "face_mips": s.face_mips, "face_seconds": round(s.face_seconds, 3),
                      "relaxation_seconds": round(s.relaxation_seconds, 3),
                      "levels": s.levels, "lp_solves": s.lp_solves,
                      "lp_iterations": s.lp_iterations, "pricing_mips": s.pricing_calls,
                      "heuristic_rounds": s.heuristic_rounds, "columns": s.columns,
                      "lp_seconds": round(s.lp_seconds, 3),
                      "pricing_seconds": round(s.pricing_seconds, 3)})
        type_probs = tlot.type_probabilities
        items = sorted(
            (tuple((int(t), int(p[t])) for t in np.flatnonzero(p)), float(w))
            for p, w in zip(tlot.panels, tlot.weights, strict=True))
        lottery = tuple(LotteryPanel(w, comp) for comp, w in items)
        weights = [lp.probability for lp in lottery]
        t1 = time.perf_counter()
        if transparent is not None:
            counts = tuple(lp.counts(c.n_types) for lp in lottery)
            tl = make_transparent(c, counts, np.asarray(weights), type_probs, transparent,
                                  rng_transparent, transparent_number)
            new_members = list(tl.panel(tl.number))
        else:
            drawn = choose_index(weights, rng_panel)
            new_members = _people_for(c, lottery[drawn].counts(c.n_types), rng_panel)
        reserve_list = []
        taken = set(new_members)
        for _ in range(50 * max(1, reserves)):
            if len(reserve_list) >= reserves:
                break
            i = choose_index(weights, rng_reserves)
            extra = [p for p in _people_for(c, lottery[i].counts(c.n_types), rng_reserves)
                     if p not in taken]
            shuffle(extra, rng_reserves)
            for p in extra[: reserves - len(reserve_list)]:
                reserve_list.append(p)
                taken.add(p)
        timings["draw"] = time.perf_counter() - t1
    probabilities: dict[str, float] = {}
    for t, ty in enumerate(c.types):
        for pid in ty.members:
            probabilities[pid] = float(type_probs[t])
    timings["total"] = time.perf_counter() - start
    pool_probs = list(probabilities.values()) or [0.0]
    panel = tuple(sorted([*confirmed, *new_members]))
    return SelectionResult(
        method=method, seed=seed, panel_size=problem.panel_size, panel=panel,
        new_members=tuple(sorted(new_members)), reserves=tuple(reserve_list),
        probabilities=probabilities, types=c.types, lottery=lottery,
        drawn_lottery_panel=drawn, fairness=fairness_summary(pool_probs),
        solver=solver_name() if method != "legacy" else "none (greedy draw)",
        timings={k: round(v, 4) for k, v in timings.items()}, stats=stats,
        legacy_draws=used_draws, transparent=tl)


def select(problem: SelectionProblem, method: str = "leximin", seed: int | None = None, *,
           random_source: RandomSource | None = None, transparent: int | None = None,
           transparent_number: int | None = None, reserves: int = 0,
           legacy_draws: int = DEFAULT_LEGACY_DRAWS) -> SelectionResult:
    """Select a panel.

    ``seed`` makes the run replayable (a secret seed is drawn and recorded when omitted);
    ``random_source`` replaces the built-in generator entirely (``seed`` is then only
    recorded). ``transparent=m`` rounds the lottery to m equally likely panels and picks panel
    ``transparent_number`` (drawn from the seed when omitted).
    """
    c = compile_problem(problem)
    return run_selection(problem, c, method=method, seed=seed, random_source=random_source,
                         transparent=transparent, transparent_number=transparent_number,
                         reserves=reserves, legacy_draws=legacy_draws)


def replace(problem: SelectionProblem, confirmed: Iterable[str], dropped: Iterable[str],
            method: str = "leximin", seed: int | None = None, *,
            random_source: RandomSource | None = None, reserves: int = 0,
            excluded: Iterable[str] = ()) -> SelectionResult:
    """Fill the seats left free by drop-outs.

    ``confirmed`` are the panel members who stay; ``dropped`` (and ``excluded``, for example
    earlier reserves who declined) are removed from the pool. The free seats are filled by a
    fair (leximin) lottery over the rest of the pool with the quotas reduced by the confirmed
    members, so the whole panel meets the quotas. Raises :class:`InfeasibleQuotasError` with
    a diagnosis against the original quotas if that is impossible.
    """
    conf = tuple(sorted(set(confirmed)))
    gone = set(dropped) | set(excluded)
    ids = {p.id for p in problem.people}
    for pid in (*conf, *sorted(gone)):
        if pid not in ids:
            raise DataError("unknown_person", f"No person with identifier {pid!r} is in the pool.",
                            id=pid)
    overlap = sorted(set(conf) & gone)
    if overlap:
        raise DataError("confirmed_and_dropped",
                        f"{overlap[0]!r} is listed both as confirmed and as dropped.",
                        id=overlap[0])
    if len(conf) > problem.panel_size:
        raise DataError("too_many_confirmed",
                        f"{len(conf)} confirmed members exceed the panel size "
                        f"{problem.panel_size}.", confirmed=len(conf),
                        panel_size=problem.panel_size)
    offsets: dict[tuple[str, str], int] = {}
    households: set[str] = set()
    for pid in conf:
        person = problem.person(pid)
        for cat in problem.categories:
            key = (cat, person.value(cat))
            offsets[key] = offsets.get(key, 0) + 1
        if problem.use_households and person.household is not None:
            households.add(person.household)
    c = compile_problem(problem, exclude=(*conf, *gone), seat_offsets=offsets,
                        panel_size=problem.panel_size - len(conf),
                        blocked_households=sorted(households))
    keys = c.quota_keys
    omin = np.array([problem.quota(k0, k1).min for k0, k1 in keys], dtype=np.int64)
    omax = np.array([problem.quota(k0, k1).max for k0, k1 in keys], dtype=np.int64)
    if c.n_types == 0 and c.panel_size > 0:
        raise DataError("pool_exhausted", "Nobody is left in the pool to fill the free seats.",
                        free_seats=c.panel_size)
    return run_selection(problem, c, method=method, seed=seed, random_source=random_source,
                         transparent=None, transparent_number=None, reserves=reserves,
                         legacy_draws=DEFAULT_LEGACY_DRAWS, confirmed=conf,
                         original_quotas=(omin, omax))


def result_summary(result: SelectionResult) -> dict[str, Any]:
    return asdict(result.fairness)
