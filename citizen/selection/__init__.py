"""Fair stratified selection (sortition) for citizens' assemblies.

Framework-free: this package imports nothing from the web application.
"""

from .compiled import PersonType
from .engine import Fairness, LotteryPanel, SelectionResult, replace, select
from .errors import DataError, InfeasibleQuotasError, SelectionError, SolverError
from .infeasible import Diagnosis, QuotaChange
from .io import load_problem
from .model import Person, Quota, SelectionProblem
from .rng import RandomSource, SeededRandom
from .transparent import TransparentLottery

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
