"""Who may do what with organisations, pledges and the catalogue.

Acting for an organisation is decided by :func:`citizen.accounts.permissions.can_act_for`
(members of that organisation, organisers and admins). Views ask these predicates, never roles.
"""

from __future__ import annotations

from citizen.accounts.models import Organisation, User
from citizen.accounts.permissions import can_act_for as accounts_can_act_for
from citizen.shared.permissions import current_roles

REVIEW_ROLES = frozenset({"moderator", "organiser", "admin"})
ORGANISER_ROLES = frozenset({"organiser", "admin"})


def can_act_for(user: User | None, organisation: Organisation) -> bool:
    return accounts_can_act_for(user, organisation)


def is_member(user: User | None, organisation: Organisation) -> bool:
    """A member in the strict sense (staff act for organisations without being members)."""
    return user is not None and any(m.organisation_id == organisation.id for m in user.memberships)


def can_review(user: User | None) -> bool:
    """See submitted pledges and updates before they are public (the review list)."""
    return user is not None and bool(current_roles() & REVIEW_ROLES)


def can_decide_claims(user: User | None) -> bool:
    return user is not None and bool(current_roles() & ORGANISER_ROLES)


def can_manage_catalogue(user: User | None) -> bool:
    return user is not None and bool(current_roles() & ORGANISER_ROLES)
