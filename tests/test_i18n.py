"""Language choice, right-to-left, catalogues and locale formatting."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from citizen.i18n import (
    SUPPORTED_CODES,
    catalogue_status,
    language,
    language_name,
    languages,
    normalise_code,
)

ROOT = Path(__file__).resolve().parent.parent
RTL = {"ar", "ur", "fa", "ckb"}
REQUIRED = {"pl", "pa", "ur", "ro", "ar", "bn", "gu", "ckb", "ti", "fa"}


def html_lang(client: FlaskClient, path: str = "/", **headers: str) -> tuple[str, str]:
    body = client.get(path, headers=headers).get_data(as_text=True)
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', body)
    assert match, body[:300]
    return match.group(1), match.group(2)


def test_english_plus_the_ten_community_languages_are_offered() -> None:
    assert set(SUPPORTED_CODES) == REQUIRED | {"en"}
    assert languages()[0].code == "en"
    assert {lang.code for lang in languages() if lang.rtl} == RTL
    assert language("ckb") and language("ckb").endonym == "کوردیی سۆرانی"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ar", "ar"), ("AR", "ar"), ("ar-EG", "ar"), ("pa_IN", "pa"), (" pl ", "pl"),
     ("xx", None), ("", None), (None, None), ("a" * 100, None), ("'; drop", None)],
)
def test_normalise_code(raw: str | None, expected: str | None) -> None:
    assert normalise_code(raw) == expected


def test_default_is_english(client: FlaskClient) -> None:
    assert html_lang(client) == ("en", "ltr")


def test_accept_language_is_used(client: FlaskClient) -> None:
    assert html_lang(client, **{"Accept-Language": "fr;q=0.9, pl;q=0.8"}) == ("pl", "ltr")
    assert html_lang(client, **{"Accept-Language": "ur-PK,en;q=0.5"}) == ("ur", "rtl")


@pytest.mark.parametrize(
    "header", ["", ";;;", "q=0.5", "ar;q=abc", "💥", "en;q=0.5, ,", "*", "x" * 500]
)
def test_malformed_accept_language_falls_back_quietly(client: FlaskClient, header: str) -> None:
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200


def test_explicit_choice_beats_accept_language(client: FlaskClient) -> None:
    response = client.get("/language/ar?next=/places/", headers={"Accept-Language": "pl"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/places/"
    cookie = response.headers["Set-Cookie"]
    assert "lang=ar" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_lang(client, "/places/", **{"Accept-Language": "pl"}) == ("ar", "rtl")


def test_unknown_cookie_value_is_ignored(client: FlaskClient) -> None:
    client.set_cookie("lang", "klingon")
    assert html_lang(client) == ("en", "ltr")


def test_unknown_language_code_gets_a_clear_page(client: FlaskClient) -> None:
    client.set_cookie("lang", "pl")
    response = client.get("/language/xx")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "xx" in body
    assert 'lang="pl"' in body
    assert "Set-Cookie" not in response.headers or "lang=xx" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "javascript:x"])
def test_language_switch_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language/pl", query_string={"next": target})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("code", sorted(RTL))
def test_right_to_left_languages_mirror_the_page(client: FlaskClient, code: str) -> None:
    client.set_cookie("lang", code)
    assert html_lang(client) == (code, "rtl")


def test_language_navigation_names_each_language_in_itself(client: FlaskClient) -> None:
    client.set_cookie("lang", "ar")
    body = client.get("/").get_data(as_text=True)
    nav = body[body.index('class="language-nav"'):body.index("</nav>", body.index('class="language-nav"'))]
    assert 'aria-current="true">العربية</span>' in nav
    for lang in languages():
        assert f'lang="{lang.code}"' in nav
        assert lang.endonym in nav
        if lang.code != "ar":
            assert f'hreflang="{lang.code}"' in nav


def test_ui_strings_are_translated(client: FlaskClient) -> None:
    english = client.get("/").get_data(as_text=True)
    client.set_cookie("lang", "pl")
    polish = client.get("/").get_data(as_text=True)
    assert "Skip to main content" in english
    assert "Skip to main content" not in polish


def test_numbers_are_formatted_for_the_locale(client: FlaskClient) -> None:
    assert "943,000" in client.get("/places/").get_data(as_text=True)
    client.set_cookie("lang", "pl")
    assert "943\xa0000" in client.get("/places/").get_data(as_text=True)


def test_machine_drafted_catalogues_say_so_in_the_footer(client: FlaskClient) -> None:
    english = client.get("/").get_data(as_text=True)
    assert "site-footer__translation" not in english
    for code in REQUIRED:
        status = catalogue_status(code)
        client.set_cookie("lang", code)
        body = client.get("/").get_data(as_text=True)
        if status["machine_drafted"]:
            assert "site-footer__translation" in body, code


def _messages(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_messages_pot_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "--ignore-dirs", ".* .venv",
         "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "--no-location",
         "--omit-header", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    committed = set(_messages(ROOT / "translations" / "messages.pot"))
    current = set(_messages(fresh))
    assert current - committed == set(), "new strings: run `make translations`"
    assert committed - current == set(), "strings no longer used: run `make translations`"


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_every_catalogue_is_complete_and_keeps_placeholders(code: str) -> None:
    template = _messages(ROOT / "translations" / "messages.pot")
    path = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
    catalogue = _messages(path)
    assert set(template) <= set(catalogue), f"{code}: missing entries, run `make translations`"
    for msgid in template:
        translated = catalogue[msgid]
        strings = translated if isinstance(translated, tuple) else (translated,)
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        assert all(strings), f"{code}: {ids[0]!r} is not translated"
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings:
            assert set(PLACEHOLDER.findall(str(text))) == wanted, f"{code}: {ids[0]!r}"
    header = path.read_text(encoding="utf-8").split('msgid ""', 1)[0]
    assert "Machine-drafted: yes" in header and "Reviewed: no" in header


def test_compiled_catalogues_exist_for_every_language() -> None:
    for code in REQUIRED:
        assert (ROOT / "translations" / code / "LC_MESSAGES" / "messages.mo").exists(), code


def test_strings_in_macro_folders_are_extracted() -> None:
    # Babel skips folders starting with "_" unless told otherwise; the macros live in one.
    committed = set(_messages(ROOT / "translations" / "messages.pot"))
    assert {"There is a problem", "(optional)", "Not given", "Breadcrumb"} <= committed


def test_dates_are_formatted_for_the_locale(client: FlaskClient) -> None:
    assert "23 November 2026" in client.get("/accessibility").get_data(as_text=True)
    client.set_cookie("lang", "pl")
    assert "23 listopada 2026" in client.get("/accessibility").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/places/?q=a%26b&x=%3F", "/consultations/é?page=2"])
def test_language_links_match_url_for(app: Flask, path: str) -> None:
    from flask import request, url_for

    from citizen.i18n import language_link

    with app.test_request_context(path, base_url="https://example.org:8443/sub"):
        for code in SUPPORTED_CODES:
            for external in (False, True):
                assert language_link(code, external=external) == url_for(
                    "site.language_set", code=code, next=request.full_path.rstrip("?"),
                    _external=external)


def test_template_gettext_follows_the_request_language_and_force_locale(app: Flask) -> None:
    """Templates translate through a per-request cache of the catalogue: it must follow the
    language of each request, a ``force_locale`` block (mail in the recipient's language) and
    the end of that block, and format like Jinja's own newstyle gettext."""
    from flask import render_template_string
    from flask_babel import force_locale

    source = ('{{ _("Home") }}|{{ _("Page %(step)s of %(total)s", step=1, total=2) }}'
              '|{{ _("<b>") }}|{{ ngettext("%(num)s item", "%(num)s items", 3) }}')
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(source) == "Home|Page 1 of 2|<b>|3 items"
        with force_locale("pl"):
            polish = render_template_string(source)
        assert polish.split("|")[0] != "Home"
        assert render_template_string(source).split("|")[0] == "Home"
    with app.test_request_context("/", headers={"Accept-Language": "pl"}):
        assert render_template_string(source) == polish
    with app.test_request_context("/"):
        # Autoescaping: a message is safe markup (as with Jinja's gettext), a value is escaped.
        assert render_template_string('{{ _("%(x)s", x="<i>") }}') == "&lt;i&gt;"
        assert render_template_string('{{ _("100%%") }}') == "100%"


def test_layout_links_come_from_the_cache_and_follow_the_mount_point(app: Flask) -> None:
    """The layout's fixed links (stylesheets, navigation) are cached per process: they must be
    what ``url_for`` gives, also when the app is mounted under a path."""
    from flask import url_for

    from citizen.shared.urls import fixed_url_for

    for base_url in ("http://localhost/", "https://example.org/sub/"):
        with app.test_request_context("/", base_url=base_url):
            for _ in range(2):  # the second time from the cache
                assert fixed_url_for("site.home") == url_for("site.home")
                assert fixed_url_for("static", filename="css/main.css") == url_for(
                    "static", filename="css/main.css")
    with app.test_request_context("/", base_url="https://example.org/sub/"):
        assert fixed_url_for("site.home") == "/sub/"


def test_the_layout_is_translated_on_each_request(client: FlaskClient) -> None:
    english = client.get("/").get_data(as_text=True)
    client.set_cookie("lang", "ar")
    arabic = client.get("/").get_data(as_text=True)
    client.set_cookie("lang", "en")
    again = client.get("/").get_data(as_text=True)
    assert ">Skip to main content<" in english and ">Skip to main content<" not in arabic
    assert again == english


def test_language_names_for_each_reader() -> None:
    assert language_name("ar", "en") == "Arabic"
    assert language_name("ar", "ar") == "العربية"
    assert language_name("ar", "pl") == "arabski"
    assert language_name("ckb", "en") == "Kurdish (Sorani)"
    assert language_name("ckb", "ckb") == "کوردیی سۆرانی"
