from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask, g

from citizen.shared.permissions import Access, access_of, has_role, public, roles_required


def test_public_declares_access() -> None:
    @public
    def view() -> str:
        return "ok"

    assert access_of(view) == Access(public=True)


def test_roles_required_rejects_unknown_roles() -> None:
    with pytest.raises(ValueError):
        roles_required("wizard")
    with pytest.raises(ValueError):
        roles_required()


@pytest.mark.parametrize(
    ("roles", "expected"),
    [(None, 302), (set(), 403), ({"resident"}, 403), ({"moderator"}, 200), ({"admin"}, 200),
     ({"resident", "admin"}, 200)],
)
def test_roles_required_matrix(app: Flask, roles: set[str] | None, expected: int) -> None:
    from werkzeug.exceptions import HTTPException

    @roles_required("moderator", "admin")
    def view() -> str:
        return "ok"

    assert access_of(view) == Access(public=False, roles=frozenset({"moderator", "admin"}))
    with app.test_request_context("/"):
        g.current_user = None if roles is None else SimpleNamespace(role_names=roles)
        g.current_roles = frozenset(roles or ())
        try:
            result = view()
            status = 200 if result == "ok" else result.status_code
        except HTTPException as exc:
            status = exc.code or 0
        assert status == expected
        assert has_role("admin") == bool(roles and "admin" in roles)


def test_staff_without_second_factor_are_sent_to_give_it(app: Flask) -> None:
    @roles_required("moderator")
    def view() -> str:
        return "ok"

    with app.test_request_context("/moderation"):
        g.current_user = SimpleNamespace(role_names={"moderator", "resident"})
        g.current_roles = frozenset({"resident"})  # staff roles do not count yet
        g.needs_second_factor = True
        result = view()
        assert result.status_code == 302
        assert "/account/two-factor" in result.headers["Location"]
