"""Every URL rule declares who may use it; a new route without a declaration fails here."""

from __future__ import annotations

from flask import Flask

from citizen.shared.permissions import access_of

# Routes that are not views of ours: Flask's static files.
UNDECLARED_ALLOWED = {"static"}


def test_every_route_declares_its_access(app: Flask) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNDECLARED_ALLOWED:
            continue
        view = app.view_functions[rule.endpoint]
        if access_of(view) is None:
            missing.append(f"{rule.rule} ({rule.endpoint})")
    assert missing == [], "declare @public or @roles_required(...) on: " + ", ".join(missing)


def test_route_inventory_is_what_we_expect(app: Flask) -> None:
    inventory = {
        rule.endpoint: access_of(app.view_functions[rule.endpoint]).describe()  # type: ignore[union-attr]
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNDECLARED_ALLOWED
    }
    public = {endpoint for endpoint, access in inventory.items() if access == "public"}
    assert {"site.home", "site.healthz", "places.place_find", "site.language_set"} <= public
