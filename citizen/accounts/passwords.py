"""Password hashing (argon2) and the password rules: at least 12 characters and not a common
password. There are no composition rules.

The list of common passwords is the one shipped inside the ``zxcvbn`` package (30,000 entries),
and zxcvbn's guess estimate also rejects things like ``aaaaaaaaaaaa`` or ``password2024!``.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A real hash of a random string: verified against when the email is unknown, so that a
    wrong email takes as long as a wrong password. Made on first use, not at import: argon2
    takes 64 MB for a moment, which every process (export workers too) would otherwise pay."""
    return _hasher.hash("not-a-real-password-only-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash, spend the same time and say no."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why ``password`` is not allowed, as a code (``too_short``, ``too_long``, ``common``,
    ``contains_email``), or ``None`` when it is fine."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in common_passwords():
        return "common"
    local_part = (email or "").split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return "contains_email"
    from zxcvbn import zxcvbn

    user_inputs = [local_part] if local_part else []
    if zxcvbn(password[:100], user_inputs=user_inputs)["score"] < 2:
        return "common"
    return None
