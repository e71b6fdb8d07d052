""""Your account" lists exactly the tools a person's roles open to them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.accounts.conftest import make_user, sign_in
from tests.consultations.helpers import staff_client


def _tools(html: str) -> set[str]:
    if "Your tools" not in html:
        return set()
    part = html.split("Your tools", 1)[1].split("</ul>", 1)[0]
    return {name for name in ("Your organisations", "Health information pages",
                              "Manage consultations", "Moderation queue", "Themes",
                              "Citizens&#39; assemblies", "Exports", ">Admin<")
            if name in part}


def test_a_resident_sees_only_their_organisations(app: Flask, db_session: Session) -> None:
    make_user(db_session, "tools.resident@example.org", "resident")
    client = app.test_client()
    sign_in(client, "tools.resident@example.org")
    assert _tools(client.get("/account/").get_data(as_text=True)) == {"Your organisations"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("organiser", {"Your organisations", "Health information pages", "Manage consultations",
                       "Themes", "Citizens&#39; assemblies", "Exports"}),
        ("moderator", {"Your organisations", "Manage consultations", "Moderation queue",
                       "Themes", "Exports"}),
        ("admin", {"Your organisations", "Health information pages", "Manage consultations",
                   "Citizens&#39; assemblies", "Exports", ">Admin<"}),
    ],
)
def test_staff_see_their_tools_once_signed_in_with_two_factor(
        app: Flask, db_session: Session, role: str, expected: set[str]) -> None:
    client = staff_client(app, db_session, f"tools.{role}@example.org", role)
    html = client.get("/account/").get_data(as_text=True)
    assert _tools(html) == expected
    for url in ("/consultations/manage",):
        if "Manage consultations" in expected:
            assert f'href="{url}' in html


def test_staff_before_the_second_factor_see_no_staff_tools(app: Flask, db_session: Session) -> None:
    make_user(db_session, "tools.half@example.org", "organiser")
    client = app.test_client()
    sign_in(client, "tools.half@example.org")
    html = client.get("/account/").get_data(as_text=True)
    assert "Manage consultations" not in html
