"""Who may use each route.

Every view declares its access with :func:`public` or :func:`roles_required`; a test walks the
URL map and fails for any route without a declaration. Feature packages add named predicates
(``can_moderate(user)``, …) in their own ``permissions.py`` on top of :func:`has_role`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, url_for

F = TypeVar("F", bound=Callable[..., Any])

ROLES: tuple[str, ...] = ("resident", "organisation_member", "moderator", "organiser", "admin")
ACCESS_ATTRIBUTE = "citizen_access"


@dataclass(frozen=True)
class Access:
    """A route's declared access: open to everyone, or limited to people holding any of roles."""

    public: bool
    roles: frozenset[str] = frozenset()

    def describe(self) -> str:
        return "public" if self.public else "roles: " + ", ".join(sorted(self.roles))


def public(view: F) -> F:
    """Declare ``view`` open to everyone, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, Access(public=True))
    return view


STAFF_ROLES = frozenset({"moderator", "organiser", "admin"})


def current_roles() -> frozenset[str]:
    """The roles of the person making the request that count now: none when nobody is signed
    in, and no staff roles until a staff member has given their second factor."""
    roles: frozenset[str] | None = g.get("current_roles")
    if roles is None:
        user = g.get("current_user")
        roles = frozenset(getattr(user, "role_names", None) or ())
    return roles


def has_role(*roles: str) -> bool:
    """Whether the person making the request holds any of ``roles``."""
    return bool(current_roles() & set(roles))


def roles_required(*roles: str) -> Callable[[F], F]:
    """Declare and enforce that only people holding one of ``roles`` may use the view.

    Nobody signed in is sent to sign in (401 where there is no sign-in page); staff who have
    not given their second factor are sent to give it; anyone else without the role gets 403.
    """
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"roles_required needs known roles, got {roles!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.get("current_user") is None:
                if "accounts.sign_in" in current_app.view_functions:
                    return redirect(url_for("accounts.sign_in", next=request.full_path))
                abort(401)
            if not has_role(*roles):
                if g.get("needs_second_factor") and set(roles) & STAFF_ROLES:
                    return redirect(url_for("accounts.two_factor", next=request.full_path))
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, Access(public=False, roles=frozenset(roles)))
        return wrapper  # type: ignore[return-value]

    return decorate


def access_of(view: Callable[..., Any]) -> Access | None:
    """The access declared on ``view``, or ``None`` when it declares none."""
    access: Access | None = getattr(view, ACCESS_ATTRIBUTE, None)
    return access
