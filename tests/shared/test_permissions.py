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
    [(None, 401), (set(), 403), ({"resident"}, 403), ({"moderator"}, 200), ({"admin"}, 200),
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
        try:
            status = 200 if view() == "ok" else 0
        except HTTPException as exc:
            status = exc.code or 0
        assert status == expected
        assert has_role("admin") == bool(roles and "admin" in roles)
