"""Signed, expiring links for e-mail verification, password reset and e-mail change.

Each token is bound to a purpose and to the account's current state, so it stops working once
used: a reset token carries the session version (a reset bumps it); a verification token
carries the e-mail it verifies.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

MAX_AGE = {
    "verify-email": 60 * 60 * 24 * 3,
    "reset-password": 60 * 60,
    "change-email": 60 * 60 * 24,
}


class TokenError(ValueError):
    """``code`` is ``expired`` or ``invalid``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"citizen:{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    if purpose not in MAX_AGE:
        raise ValueError(purpose)
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str) -> dict[str, Any]:
    """The payload of a valid, unexpired token for ``purpose``; raise :class:`TokenError`."""
    if not token or len(token) > 1000:
        raise TokenError("invalid")
    try:
        payload = _serializer(purpose).loads(token, max_age=MAX_AGE[purpose])
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:
        raise TokenError("invalid") from None
    if not isinstance(payload, dict):
        raise TokenError("invalid")
    return payload
