"""Fair stratified selection (sortition) for citizens' assemblies.

Framework-free: this package imports nothing from the web application. The model, errors and
random sources load at once; the solver-backed parts (and NumPy and HiGHS with them) load the
first time one of their names is used, so a web process that never draws pays nothing for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import DataError, InfeasibleQuotasError, SelectionError, SolverError
from .model import Person, Quota, SelectionProblem
from .rng import RandomSource, SeededRandom

if TYPE_CHECKING:
    from .compiled import PersonType
    from .engine import Fairness, LotteryPanel, SelectionResult, replace, select
    from .infeasible import Diagnosis, QuotaChange
    from .io import load_problem
    from .transparent import TransparentLottery

_LAZY = {
    "PersonType": "compiled",
    "Fairness": "engine",
    "LotteryPanel": "engine",
    "SelectionResult": "engine",
    "replace": "engine",
    "select": "engine",
    "Diagnosis": "infeasible",
    "QuotaChange": "infeasible",
    "load_problem": "io",
    "TransparentLottery": "transparent",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DataError",
    "Diagnosis",
    "Fairness",
    "InfeasibleQuotasError",
    "LotteryPanel",
    "Person",
    "PersonType",
    "Quota",
    "QuotaChange",
    "RandomSource",
    "SeededRandom",
    "SelectionError",
    "SelectionProblem",
    "SelectionResult",
    "SolverError",
    "TransparentLottery",
    "load_problem",
    "replace",
    "select",
]
