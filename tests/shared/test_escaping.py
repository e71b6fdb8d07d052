"""Lazy translations are escaped like any other text when a template prints them."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import lazy_gettext as _l


def test_lazy_string_with_markup_is_escaped(app: Flask) -> None:
    message = _l("%(value)s is not allowed", value="<script>alert(1)</script>")
    with app.test_request_context("/"):
        html = render_template_string("<p>{{ message }}</p>", message=message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not allowed" in html


def test_ordinary_markup_from_gettext_still_renders(app: Flask) -> None:
    with app.test_request_context("/"):
        html = render_template_string('{{ _("<strong>%(n)s</strong>", n="<b>") }}')
    assert html == "<strong>&lt;b&gt;</strong>"
