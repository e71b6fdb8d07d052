"""Input model: people, quotas and the selection problem (frozen dataclasses)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import DataError


@dataclass(frozen=True, slots=True)
class Person:
    """A pool member: an identifier, one value per category and an optional household."""

    id: str
    features: tuple[tuple[str, str], ...]
    household: str | None = None

    @classmethod
    def of(cls, id: str, features: Mapping[str, str], household: str | None = None) -> Person:
        return cls(str(id), tuple(sorted((str(k), str(v)) for k, v in features.items())),
                   household)

    def value(self, category: str) -> str:
        for cat, val in self.features:
            if cat == category:
                return val
        raise KeyError(category)


@dataclass(frozen=True, slots=True)
class Quota:
    """Seats for one value of one category: at least ``min``, at most ``max``."""

    category: str
    value: str
    min: int
    max: int


@dataclass(frozen=True, slots=True)
class SelectionProblem:
    """People, quotas and panel size. Validated on construction."""

    people: tuple[Person, ...]
    quotas: tuple[Quota, ...]
    panel_size: int
    use_households: bool = False
    categories: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", tuple(self.people))
        object.__setattr__(self, "quotas", tuple(self.quotas))
        k = self.panel_size
        if k <= 0:
            raise DataError("bad_panel_size", f"The panel size must be positive (got {k}).",
                            panel_size=k)
        seen_q: set[tuple[str, str]] = set()
        for q in self.quotas:
            key = (q.category, q.value)
            if key in seen_q:
                raise DataError("duplicate_quota",
                                f"The quota for {q.category} = {q.value} is given twice.",
                                category=q.category, value=q.value)
            seen_q.add(key)
            if q.min < 0 or q.max < q.min:
                raise DataError(
                    "bad_quota_bounds",
                    f"The quota for {q.category} = {q.value} has min {q.min} and max {q.max}; "
                    "need 0 <= min <= max.",
                    category=q.category, value=q.value, min=q.min, max=q.max)
        cats = sorted({q.category for q in self.quotas})
        object.__setattr__(self, "categories", tuple(cats))
        if not cats:
            raise DataError("no_quotas", "No quotas were given.")
        seen_ids: set[str] = set()
        for p in self.people:
            if p.id in seen_ids:
                raise DataError("duplicate_id", f"The identifier {p.id!r} appears more than once.",
                                id=p.id)
            seen_ids.add(p.id)
            pcats = [c for c, _ in p.features]
            for c in cats:
                if c not in pcats:
                    raise DataError("missing_value",
                                    f"Person {p.id!r} has no value for category {c!r}.",
                                    id=p.id, category=c)
            for c, v in p.features:
                if c in cats and (c, v) not in seen_q:
                    raise DataError(
                        "unknown_value",
                        f"Person {p.id!r} has value {v!r} for category {c!r}, "
                        "which has no quota.",
                        id=p.id, category=c, value=v)
        if len(self.people) < k:
            raise DataError("pool_too_small",
                            f"The pool has {len(self.people)} people, fewer than the panel "
                            f"size {k}.", pool_size=len(self.people), panel_size=k)
        for c in cats:
            qs = [q for q in self.quotas if q.category == c]
            lo = sum(q.min for q in qs)
            hi = sum(q.max for q in qs)
            if lo > k or hi < k:
                raise DataError(
                    "quotas_do_not_add_up",
                    f"The quotas of category {c!r} cannot add up to the panel size {k}: "
                    f"their minimums sum to {lo} and their maximums to {hi}.",
                    category=c, min_sum=lo, max_sum=hi, panel_size=k)

    def quota(self, category: str, value: str) -> Quota:
        for q in self.quotas:
            if q.category == category and q.value == value:
                return q
        raise KeyError((category, value))

    def person(self, id: str) -> Person:
        for p in self.people:
            if p.id == id:
                return p
        raise KeyError(id)

    def with_people(self, people: Iterable[Person]) -> SelectionProblem:
        return SelectionProblem(tuple(people), self.quotas, self.panel_size, self.use_households)
