"""The base layout: landmarks, skip link, footer pages, forms, CSP and no inline code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient

PUBLIC_PAGES = [
    "/", "/places/", "/places/rugby", "/places/find", "/places/find?postcode=CV37+6AA",
    "/places/find?postcode=nonsense!", "/language", "/accessibility", "/privacy", "/cookies",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_the_landmarks_and_no_inline_code(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<a class="skip-link" href="#main-content">' in body
    assert '<main class="main" id="main-content"' in body
    assert "<header" in body and "<footer" in body and "<nav" in body
    assert "<title>" in body
    assert "<script" not in body, "no JavaScript is needed"
    assert not re.search(r"\sstyle=", body), "no inline styles (CSP forbids them)"
    assert not re.search(r"\son[a-z]+=", body), "no inline event handlers"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_footer_links_to_accessibility_privacy_and_cookies(client: FlaskClient) -> None:
    body = client.get("/").get_data(as_text=True)
    for href in ("/accessibility", "/privacy", "/cookies"):
        assert f'href="{href}"' in body
    assert "WCAG" in client.get("/accessibility").get_data(as_text=True)
    assert "lang" in client.get("/cookies").get_data(as_text=True)


def test_error_summary_links_to_the_field_and_keeps_the_input(client: FlaskClient) -> None:
    body = client.get("/places/find?postcode=nonsense!").get_data(as_text=True)
    assert "There is a problem" in body
    assert '<a href="#postcode">' in body
    assert 'value="nonsense!"' in body, "what the person typed is kept"
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="postcode-hint postcode-error-1"' in body
    assert "<title>Error:" in body


def test_error_messages_are_translated(client: FlaskClient) -> None:
    client.set_cookie("lang", "ar")
    body = client.get("/places/find?postcode=").get_data(as_text=True)
    assert "error-summary" in body
    assert "Enter your postcode" not in body


def test_radios_checkboxes_and_check_your_answers_macros(app: Flask) -> None:
    from flask_wtf import FlaskForm
    from wtforms import RadioField, SelectMultipleField
    from wtforms.fields.choices import SelectChoice
    from wtforms.validators import DataRequired

    class Demo(FlaskForm):
        class Meta:
            csrf = False

        colour = RadioField("Colour", choices=[SelectChoice("r", "Red"), SelectChoice("g", "Green")],
                            validators=[DataRequired(message="Choose a colour")])
        extras = SelectMultipleField("Extras", choices=[SelectChoice("a", "A"), SelectChoice("b", "B")])

    from werkzeug.datastructures import MultiDict

    with app.test_request_context("/"):
        form = Demo(MultiDict([("extras", "b")]))
        form.validate()
        html = render_template_string(
            '{% from "_macros/forms.html" import radios, checkboxes, check_your_answers, '
            'error_summary %}{{ error_summary(form) }}{{ radios(form.colour, hint="Pick one") }}'
            '{{ checkboxes(form.extras) }}'
            '{{ check_your_answers([{"key": "Name", "value": "Sam", "change_url": "/n"},'
            ' {"key": "Age", "value": ""}]) }}',
            form=form,
        )
    assert '<fieldset class="fieldset" aria-describedby="colour-hint colour-error-1">' in html
    assert '<legend class="fieldset__legend">' in html
    assert 'id="colour" name="colour" type="radio" value="r"' in html
    assert 'id="colour-2" name="colour" type="radio" value="g"' in html
    assert '<a href="#colour">Choose a colour</a>' in html
    assert 'type="checkbox" value="b" checked' in html
    assert '<dl class="summary-list">' in html
    assert 'Change<span class="visually-hidden"> Name</span>' in html
    assert "Not given" in html


def test_stylesheet_uses_logical_properties_only(app: Flask) -> None:
    css = "\n".join(
        sheet.read_text(encoding="utf-8") for sheet in sorted(Path(f"{app.static_folder}/css").glob("*.css"))
    )
    physical = re.findall(
        r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
        r"|text-align:\s*(left|right)|float:\s*(left|right)",
        css,
    )
    assert physical == [], "use inline-start/inline-end so right-to-left pages mirror"
    assert ":focus-visible" in css
    assert "min-block-size: 44px" in css


def test_static_files_are_served(client: FlaskClient) -> None:
    assert client.get("/static/css/main.css").status_code == 200


def test_production_sends_hsts_and_secure_cookies(database_url: str, tmp_path: Path) -> None:
    from citizen.app import create_app

    app = create_app({"env": "production", "database_url": database_url, "instance_path": tmp_path,
                      "secret_key": "p" * 48, "mail_server": "127.0.0.1"})
    response = app.test_client().get("/language/pl")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pagination_macro_keeps_the_other_url_values(app: Flask) -> None:
    from types import SimpleNamespace

    page = SimpleNamespace(number=2, pages=3, has_previous=True, has_next=True)
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_macros/navigation.html" import pagination %}'
            "{{ pagination(page, 'admin.audit_list', {'action': 'x y'}) }}", page=page)
    assert 'href="/admin/audit?page=1&amp;action=x+y">Previous page</a>' in html
    assert "Page 2 of 3" in html
    assert 'href="/admin/audit?page=3&amp;action=x+y">Next page</a>' in html
