"""The home page points residents to what they can do, with open consultations by name."""

from __future__ import annotations

from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy.orm import Session

from citizen.consultations import services


def test_home_links_the_three_things_residents_can_do(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    for path in ('href="/consultations/"', 'href="/information/"', 'href="/pledges/"'):
        assert path in html


def test_home_names_open_consultations_in_the_readers_language(
        client: FlaskClient, db_session: Session) -> None:
    open_now = services.hub(db_session).open
    assert open_now, "the demo data has an open consultation"
    first = open_now[0]
    html = client.get("/").get_data(as_text=True)
    assert f'href="/consultations/{first.slug}"' in html
    assert str(escape(first.translation("en").title)) in html
    client.set_cookie("lang", "ar")
    arabic = client.get("/").get_data(as_text=True)
    title = first.translation("ar")
    if title.locale == "ar":
        assert str(escape(title.title)) in arabic
    else:
        assert f'lang="{title.locale}"' in arabic, "an English title is marked as English"
