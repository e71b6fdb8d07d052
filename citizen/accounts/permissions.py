"""Named permission predicates for accounts and administration.

Views and templates ask these, never role names directly. Each takes the person (or ``None``)
and what they act on, and counts staff roles only once the second factor has been given
(see :mod:`citizen.accounts.session`).
"""

from __future__ import annotations

from citizen.accounts.models import Organisation, User
from citizen.shared.permissions import current_roles


def _roles(user: User | None) -> frozenset[str]:
    if user is None:
        return frozenset()
    return current_roles()


def can_administer(user: User | None) -> bool:
    """Find people, give and remove roles, reset two-factor."""
    return "admin" in _roles(user)


def can_read_audit_log(user: User | None) -> bool:
    return "admin" in _roles(user)


def can_act_for(user: User | None, organisation: Organisation) -> bool:
    """Members of an organisation act for it; organisers and admins may too."""
    if user is None:
        return False
    roles = _roles(user)
    if roles & {"organiser", "admin"}:
        return True
    return "organisation_member" in roles and any(
        m.organisation_id == organisation.id for m in user.memberships
    )
