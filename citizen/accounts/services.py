"""Account rules. Every function flushes and never commits: the request's unit of work does.

Mail is queued with :func:`citizen.mail.send_after_commit`, so it leaves only if the request
succeeds. Responses to the person never reveal whether an e-mail address has an account.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyotp
from email_validator import EmailNotValidError, validate_email
from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from citizen.accounts.models import RecoveryCode, User, UserRole
from citizen.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from citizen.accounts.tokens import TokenError, make_token, read_token
from citizen.db import utcnow
from citizen.mail import render_mail, send_after_commit
from citizen.shared import audit
from citizen.shared.permissions import ROLES

RECOVERY_CODE_COUNT = 10
TOTP_ISSUER = "Have your say (Coventry and Warwickshire)"


class AccountError(ValueError):
    """A rule was broken; ``code`` says which (views turn it into a translated message)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def normalise_email(raw: str) -> str:
    """The address in canonical form (domain lower-cased); raise ``AccountError('email')``."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise AccountError("email", "email") from None
    return result.normalized.lower()


def user_for_address(session: Session, raw: str) -> User | None:
    """The account for a typed address, or ``None`` if it is malformed or unknown."""
    try:
        email = normalise_email(raw)
    except AccountError:
        return None
    return user_by_email(session, email)


def _link_payload(purpose: str, token: str) -> dict[str, object]:
    """A link token's payload; ``AccountError('link_expired'|'link_invalid')`` otherwise."""
    try:
        return read_token(purpose, token)
    except TokenError as exc:
        raise AccountError(f"link_{exc.code}") from None


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(
        select(User).where(User.email == email).options(selectinload(User.roles))
    )


def _check_password(password: str, email: str, field: str = "password") -> None:
    problem = password_problem(password, email)
    if problem:
        raise AccountError(f"password_{problem}", field)


# ---------------------------------------------------------------- registration and verification


def register(session: Session, email: str, password: str, locale: str) -> None:
    """Create an unverified resident account and mail a verification link.

    If the address already has an account, nothing is created and its owner is told by mail
    instead; the caller shows the same page either way.
    """
    email = normalise_email(email)
    _check_password(password, email)
    existing = user_by_email(session, email)
    password_hash = hash_password(password)  # hashed either way: same work, same time
    if existing is not None:
        send_after_commit(
            render_mail("already_registered", existing.email, existing.locale,
                        sign_in_url=url_for("accounts.sign_in", _external=True),
                        reset_url=url_for("accounts.forgot_password", _external=True))
        )
        return
    user = User(email=email, password_hash=password_hash, locale=locale)
    user.roles.append(UserRole(role="resident"))
    session.add(user)
    session.flush()
    audit.record(session, "account.registered", actor_id=user.id, target_type="user",
                 target_id=user.id)
    _send_verification(user)


def _send_verification(user: User) -> None:
    token = make_token("verify-email", {"uid": user.id, "email": user.email})
    send_after_commit(
        render_mail("verify_email", user.email, user.locale,
                    url=url_for("accounts.verify_email", token=token, _external=True))
    )


def resend_verification(session: Session, email: str) -> None:
    """Send a new link if the address has an unverified account; otherwise do nothing."""
    user = user_for_address(session, email)
    if user is not None and not user.email_verified:
        _send_verification(user)


def verify_email(session: Session, token: str) -> User:
    """Mark the account's address verified. Raise ``AccountError('link_expired'|'link_invalid')``."""
    payload = _link_payload("verify-email", token)
    user = session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise AccountError("link_invalid")
    if not user.email_verified:
        user.email_verified_at = utcnow()
        audit.record(session, "account.email_verified", actor_id=user.id, target_type="user",
                     target_id=user.id)
    session.flush()
    return user


# ---------------------------------------------------------------- signing in


def authenticate(session: Session, email: str, password: str) -> User:
    """The account for these credentials. Raise ``AccountError('credentials')`` for a wrong
    e-mail or password (the same error, after the same work) and ``'unverified'`` when the
    password is right but the address is not yet confirmed."""
    user = user_for_address(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok:
        audit.record(session, "sign_in.failed", actor_id=user.id if user else None,
                     target_type="user", target_id=user.id if user else None,
                     details={"reason": "credentials"})
        raise AccountError("credentials", "email")
    if not user.email_verified:
        _send_verification(user)
        raise AccountError("unverified", "email")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    audit.record(session, "sign_in.succeeded", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()
    return user


def sign_out_everywhere(session: Session, user: User) -> None:
    """End every session of ``user`` (each carries the old version number)."""
    user.session_version += 1
    audit.record(session, "account.signed_out_everywhere", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()


# ---------------------------------------------------------------- password reset and changes


def request_password_reset(session: Session, email: str) -> None:
    """Mail a reset link if the address has an account; do nothing otherwise (same page)."""
    user = user_for_address(session, email)
    if user is None:
        return
    token = make_token(
        "reset-password", {"uid": user.id, "v": user.session_version, "h": user.password_hash[-12:]}
    )
    send_after_commit(
        render_mail("reset_password", user.email, user.locale,
                    url=url_for("accounts.reset_password", token=token, _external=True))
    )
    audit.record(session, "password.reset_requested", target_type="user", target_id=user.id)


def user_for_reset_token(session: Session, token: str) -> User:
    payload = _link_payload("reset-password", token)
    user = session.get(User, payload.get("uid"))
    if (
        user is None
        or payload.get("v") != user.session_version
        or payload.get("h") != user.password_hash[-12:]
    ):
        raise AccountError("link_used")
    return user


def reset_password(session: Session, token: str, password: str) -> User:
    """Set a new password from a reset link; the link then stops working (single use) and every
    other session ends."""
    user = user_for_reset_token(session, token)
    _check_password(password, user.email)
    user.password_hash = hash_password(password)
    user.session_version += 1
    if not user.email_verified:
        user.email_verified_at = utcnow()  # they proved they read mail at this address
    audit.record(session, "password.reset", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", "current_password")
    _check_password(new, user.email, "new_password")
    user.password_hash = hash_password(new)
    user.session_version += 1
    audit.record(session, "password.changed", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()


def request_email_change(session: Session, user: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address; the change happens when it is followed."""
    if not verify_password(user.password_hash, password):
        raise AccountError("current_password", "password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError("same_email", "email")
    token = make_token("change-email", {"uid": user.id, "email": new_email,
                                        "v": user.session_version})
    if user_by_email(session, new_email) is None:
        send_after_commit(
            render_mail("change_email", new_email, user.locale,
                        url=url_for("accounts.confirm_email_change", token=token, _external=True))
        )
    audit.record(session, "email.change_requested", actor_id=user.id, target_type="user",
                 target_id=user.id)


def confirm_email_change(session: Session, token: str) -> User:
    payload = _link_payload("change-email", token)
    user = session.get(User, payload.get("uid"))
    new_email = str(payload.get("email", ""))
    if user is None or payload.get("v") != user.session_version:
        raise AccountError("link_used")
    if user.email == new_email:
        return user
    if user_by_email(session, new_email) is not None:
        raise AccountError("email_taken")
    old_email = user.email
    user.email = new_email
    user.email_verified_at = utcnow()
    user.session_version += 1
    send_after_commit(render_mail("email_changed", old_email, user.locale))
    audit.record(session, "email.changed", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()
    return user


# ---------------------------------------------------------------- deleting an account

DeletionHook = Callable[[Session, int, bool], None]
_deletion_hooks: list[DeletionHook] = []


def on_account_deleted(hook: DeletionHook) -> DeletionHook:
    """Register ``hook(session, user_id, erase_contributions)``: features that keep things a
    person wrote unlink them (or erase them when asked) before the account goes."""
    _deletion_hooks.append(hook)
    return hook


def delete_account(session: Session, user: User, password: str, erase: bool) -> None:
    if not verify_password(user.password_hash, password):
        raise AccountError("current_password", "password")
    _remove(session, user, erase)


def _remove(session: Session, user: User, erase: bool, **details: object) -> None:
    """Delete ``user``: every feature's hook first, then the account, audited. Flushes."""
    user_id = user.id
    for hook in _deletion_hooks:
        hook(session, user_id, erase)
    audit.record(session, "account.deleted", target_type="user", target_id=user_id,
                 details={"erase_contributions": erase, **details})
    session.delete(user)
    session.flush()


# An account whose address was never confirmed is deleted this long after it was made (its
# confirmation link lasted three days; someone who tries again later simply registers again).
UNCONFIRMED_DAYS = 30


def forget_unconfirmed_accounts(session: Session, before: datetime) -> int:
    """Delete accounts made before ``before`` whose address was never confirmed and that hold
    no role but resident: nobody ever signed in to them, and the address is all they hold.
    Returns how many; flushes."""
    users = list(session.scalars(
        select(User).where(User.email_verified_at.is_(None), User.created_at < before,
                           ~User.roles.any(UserRole.role != "resident"))))
    for user in users:
        _remove(session, user, False, reason="never_confirmed")
    return len(users)


# ---------------------------------------------------------------- roles (admins)


def grant_role(session: Session, actor: User, user: User, role: str) -> bool:
    """Give ``user`` the ``role``; return False if they had it already."""
    if role not in ROLES:
        raise AccountError("role", "role")
    if role in user.role_names:
        return False
    user.roles.append(UserRole(role=role, granted_by_id=actor.id))
    audit.record(session, "role.granted", actor_id=actor.id, target_type="user",
                 target_id=user.id, details={"role": role})
    session.flush()
    return True


def revoke_role(session: Session, actor: User, user: User, role: str) -> bool:
    """Take ``role`` away; the person's other sessions end at once. False if they lacked it."""
    held = next((r for r in user.roles if r.role == role), None)
    if held is None:
        return False
    if role == "admin" and actor.id == user.id:
        raise AccountError("revoke_own_admin", "role")
    user.roles.remove(held)
    user.session_version += 1
    audit.record(session, "role.revoked", actor_id=actor.id, target_type="user",
                 target_id=user.id, details={"role": role})
    session.flush()
    return True


@dataclass(frozen=True)
class UserSearch:
    users: list[User]
    total: int


def find_users(session: Session, text: str = "", role: str = "", limit: int = 50) -> UserSearch:
    query = select(User).options(selectinload(User.roles))
    if text.strip():
        query = query.where(User.email.contains(text.strip().lower(), autoescape=True))
    if role in ROLES:
        query = query.where(User.roles.any(UserRole.role == role))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = list(session.scalars(query.order_by(User.email).limit(limit)))
    return UserSearch(users=users, total=total)


def subject_access_record(user: User) -> dict[str, Any]:
    """The account, for its owner's subject access request (no password or two-factor secrets:
    those are kept only as hashes and keys and are not information about the person)."""
    return {
        "email_address": user.email,
        "language": user.locale,
        "created_at": user.created_at,
        "email_confirmed_at": user.email_verified_at,
        "last_signed_in_at": user.last_sign_in_at,
        "roles": sorted(user.role_names),
        "two_factor_sign_in": user.two_factor_enabled,
    }


def create_admin(session: Session, email: str, password: str | None) -> tuple[User, bool]:
    """Make ``email`` an admin (creating a verified account if needed). Returns (user, created)."""
    email = normalise_email(email)
    user = user_by_email(session, email)
    created = user is None
    if user is None:
        if password is None:
            raise AccountError("password_too_short", "password")
        _check_password(password, email)
        user = User(email=email, password_hash=hash_password(password), locale="en",
                    email_verified_at=utcnow())
        session.add(user)
    for role in ("resident", "admin"):
        if role not in user.role_names:
            user.roles.append(UserRole(role=role))
    session.flush()
    audit.record(session, "role.granted", target_type="user", target_id=user.id,
                 details={"role": "admin", "via": "command line"})
    session.flush()
    return user, created


# ---------------------------------------------------------------- two-factor (staff)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _totp_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` matches (allowing one step of clock drift), if not used before."""
    totp = pyotp.TOTP(secret)
    now = int(utcnow().timestamp())
    cleaned = "".join(ch for ch in code if ch.isdigit())
    if len(cleaned) != 6:
        return None
    for drift in (0, -1, 1):
        step = now // totp.interval + drift
        if (last_step is None or step > last_step) and secrets.compare_digest(
            totp.at(step * totp.interval), cleaned
        ):
            return step
    return None


def enable_two_factor(session: Session, user: User, secret: str, code: str) -> list[str]:
    """Turn on two-factor with ``secret`` once ``code`` proves the app has it; return ten new
    recovery codes (shown once, stored hashed)."""
    step = _totp_step(secret, code, None)
    if step is None:
        raise AccountError("totp_code", "code")
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    audit.record(session, "two_factor.enabled", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.clear()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        user.recovery_codes.append(RecoveryCode(code_hash=hash_password(code)))
    return codes


def check_second_factor(session: Session, user: User, code: str) -> str:
    """Accept a current authenticator code or an unused recovery code; return which was used.
    Raise ``AccountError('totp_code')`` otherwise. Each code works once."""
    if not user.two_factor_enabled or user.totp_secret is None:
        raise AccountError("totp_code", "code")
    step = _totp_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        audit.record(session, "two_factor.passed", actor_id=user.id, target_type="user",
                     target_id=user.id)
        session.flush()
        return "totp"
    cleaned = code.strip().lower()
    if len(cleaned) == 11:
        for recovery in user.recovery_codes:
            if recovery.used_at is None and verify_password(recovery.code_hash, cleaned):
                recovery.used_at = utcnow()
                audit.record(session, "two_factor.recovery_code_used", actor_id=user.id,
                             target_type="user", target_id=user.id)
                session.flush()
                return "recovery"
    audit.record(session, "two_factor.failed", actor_id=user.id, target_type="user",
                 target_id=user.id)
    session.flush()
    raise AccountError("totp_code", "code")


def reset_two_factor(session: Session, actor: User, user: User) -> None:
    """An admin clears someone's two-factor (lost phone); they set it up again at next sign-in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes.clear()
    user.session_version += 1
    audit.record(session, "two_factor.reset", actor_id=actor.id, target_type="user",
                 target_id=user.id)
    session.flush()



