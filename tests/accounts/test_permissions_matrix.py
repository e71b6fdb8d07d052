"""The accounts predicates as a matrix of roles x states (second factor given or not)."""

from __future__ import annotations

import pytest
from flask import Flask, g

from citizen.accounts.models import Organisation, OrganisationMembership, User, UserRole
from citizen.accounts.permissions import can_act_for, can_administer, can_read_audit_log
from citizen.shared.permissions import STAFF_ROLES

ROLES = ["resident", "organisation_member", "moderator", "organiser", "admin"]


def _person(role: str, member_of: int | None = None) -> User:
    user = User(email=f"{role}@example.org", password_hash="x")
    user.roles = [UserRole(role=role)]
    user.memberships = (
        [OrganisationMembership(organisation_id=member_of)] if member_of is not None else []
    )
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("second_factor", [True, False])
def test_matrix(app: Flask, role: str, second_factor: bool) -> None:
    ours, theirs = Organisation(id=1, name="Ours", slug="ours"), Organisation(
        id=2, name="Theirs", slug="theirs")
    user = _person(role, member_of=1)
    with app.test_request_context("/"):
        g.current_user = user
        counted = {role} if (second_factor or role not in STAFF_ROLES) else set()
        g.current_roles = frozenset(counted)
        admin_now = role == "admin" and second_factor
        assert can_administer(user) is admin_now
        assert can_read_audit_log(user) is admin_now
        staff_now = role in {"organiser", "admin"} and second_factor
        assert can_act_for(user, ours) is (staff_now or role == "organisation_member")
        assert can_act_for(user, theirs) is staff_now
        assert can_act_for(None, ours) is False
        assert can_administer(None) is False
