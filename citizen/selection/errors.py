"""Error type of the selection engine: a stable code, parameters and an English message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class SelectionError(Exception):
    """An error the web layer can translate.

    ``code`` is a stable machine-readable identifier, ``params`` holds the values needed to
    build a message in any language and ``str(error)`` is the English message.
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code: str = code
        self.params: dict[str, Any] = dict(params)
        self.message: str = message

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "params": dict(self.params)}


class DataError(SelectionError):
    """Malformed or inconsistent input (files, values, identifiers)."""


class InfeasibleQuotasError(SelectionError):
    """No panel meets the quotas; ``params['diagnosis']`` explains what to change."""

    def __init__(self, message: str, diagnosis: Mapping[str, Any]) -> None:
        super().__init__("infeasible_quotas", message, diagnosis=dict(diagnosis))


class SolverError(SelectionError):
    """The optimisation solver failed in an unexpected way."""
