"""Who is signed in, kept in Flask's signed session cookie.

The cookie holds the user id, the account's session version (bumping it ends every session),
a random session id (new at each sign-in), when the person was last seen (staff sign out after
30 idle minutes) and whether the second factor was given. Staff roles count only after it.
"""

from __future__ import annotations

import secrets
import time

from flask import Flask, current_app, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from citizen.accounts.models import STAFF_ROLES, User
from citizen.db import get_session

IDLE_EXEMPT_ENDPOINTS = {"static", "site.healthz"}


def sign_in(user: User, second_factor_done: bool = False) -> None:
    """Start a fresh session for ``user`` (any earlier session data is dropped)."""
    locale = session.get("locale")
    session.clear()
    session["uid"] = user.id
    session["ver"] = user.session_version
    session["sid"] = secrets.token_urlsafe(16)
    session["seen"] = int(time.time())
    session["2fa"] = second_factor_done
    if locale:
        session["locale"] = locale
    session.permanent = False


def mark_second_factor_done() -> None:
    session["2fa"] = True
    session["sid"] = secrets.token_urlsafe(16)


def sign_out() -> None:
    session.clear()


def current_user() -> User | None:
    user: User | None = g.get("current_user")
    return user


def needs_second_factor() -> bool:
    """Staff who have signed in with a password but not yet given their second factor."""
    return bool(g.get("needs_second_factor"))


def _load_user() -> Response | None:
    g.current_user = None
    g.current_roles = frozenset()
    g.needs_second_factor = False
    uid = session.get("uid")
    if uid is None:
        return None
    user = get_session().get(User, uid)
    if user is None or session.get("ver") != user.session_version:
        session.clear()
        return None
    roles = user.role_names
    staff = bool(roles & STAFF_ROLES)
    now = int(time.time())
    idle_limit = int(current_app.config.get("STAFF_IDLE_MINUTES", 30)) * 60
    if staff and now - int(session.get("seen", 0)) > idle_limit:
        session.clear()
        if request.endpoint not in IDLE_EXEMPT_ENDPOINTS:
            return redirect(url_for("accounts.timed_out"))
        return None
    if request.endpoint not in IDLE_EXEMPT_ENDPOINTS:
        session["seen"] = now
    g.current_user = user
    if staff and not session.get("2fa"):
        g.needs_second_factor = True
        roles = roles - STAFF_ROLES
    g.current_roles = frozenset(roles)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_load_user)

    @app.context_processor
    def _inject_user() -> dict[str, object]:
        from citizen.accounts.permissions import can_administer

        user = g.get("current_user")
        return {"current_user": user,
                "needs_second_factor": g.get("needs_second_factor", False),
                "can_administer": can_administer(user)}
