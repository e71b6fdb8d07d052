"""Robustness: no URL, query string or form input gives a server error (a 500), for any role.

Every URL rule is visited with real demo values and with nonsense ones; every GET also gets odd
query strings, and every POST is sent empty and with every form field filled with garbage (the
field names are read from the form page's HTML). All failures are collected and reported
together, with the first lines of each traceback.
"""

from __future__ import annotations

import html
import itertools
import re
import traceback
from collections.abc import Iterator
from urllib.parse import urlencode

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation
from citizen.assembly.models import Assembly
from citizen.consultations.models import Consultation
from citizen.content.models import Page, Topic
from citizen.demo import DEMO_PASSWORD, demo_totp_secret
from citizen.places.models import Place
from tests.conftest import Inbox, mail_app, rolled_back_session

ROLES = {
    "anonymous": None,
    "resident": "resident@demo.example",
    "organisation_member": "member@demo.example",
    "moderator": "moderator@demo.example",
    "organiser": "organiser@demo.example",
    "admin": "admin@demo.example",
}
STAFF = {"moderator", "organiser", "admin"}

HUGE = "99999999999999999999"
INTS = ["1", "999999", "0", HUGE]
ODD_STRINGS = ["%00", "..", "x" * 300, "مرحبا"]
# Odd query strings, a few to a request to keep the test quick.
ODD_QUERIES = [
    "page=-1&place=nope&q=" + "q" * 2000,
    "page=abc&date_from=2024-13-45&lang=xx&next=//evil.example&example=²&what=consultation-²",
    urlencode({"page": HUGE, "example": HUGE, "what": f"consultation-{HUGE}", "topic": "nope",
               "ref": "\x00", "locale": "xx", "code": "ꙮ" * 300, "postcode": "%00",
               "status": "nope", "date_to": "2024-02-30"}),
]
# Sign-out ends the role's session: those routes go last.
LAST = {"accounts.sign_out", "accounts.sign_out_everywhere"}

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
_ACTION = re.compile(r"\baction=\"([^\"]*)\"", re.I)
_HIDDEN = re.compile(r"<input\b(?=[^>]*\btype=\"hidden\")(?=[^>]*\bname=\"([^\"]+)\")"
                     r"(?=[^>]*\bvalue=\"([^\"]*)\")[^>]*>", re.I)
_FIELD = re.compile(r"<(?:input|select|textarea|button)\b[^>]*\bname=\"([^\"]+)\"", re.I)
_CONVERTER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


@pytest.fixture(scope="module")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    return mail_app(database_url, tmp_path_factory, smtp, "robustness")


def _demo_slugs(session: Session) -> dict[str, str]:
    """A real slug for each kind of page that takes one, keyed by the rule's prefix."""
    def first(column: object) -> str:
        return session.scalar(select(column).limit(1)) or "demo"  # type: ignore[call-overload]

    return {
        "/assembly/": first(Assembly.slug),
        "/consultations/": first(Consultation.slug),
        "/information/pages/": first(Page.slug),
        "/information/topics/": first(Topic.slug),
        "/places/": first(Place.slug),
        "/pledges/organisations/": first(Organisation.slug),
    }


_CONSULTATION = "(SELECT MIN(consultation_id) FROM consultation_question)"
_ASSEMBLY = "(SELECT MIN(assembly_id) FROM assembly_selection_run)"
_PLEDGE = ("(SELECT MIN(p.id) FROM pledge p JOIN pledge_action a ON a.pledge_id = p.id"
           " JOIN organisation_membership m ON m.organisation_id = p.organisation_id)")
_REAL_IDS = {
    "consultation_id": f"SELECT {_CONSULTATION}",
    "section_id": f"SELECT MIN(id) FROM consultation_section WHERE consultation_id = {_CONSULTATION}",
    "question_id": f"SELECT MIN(id) FROM consultation_question WHERE consultation_id = {_CONSULTATION}",
    "answer_id": "SELECT MIN(answer_id) FROM coding_answer WHERE consultation_id = "
                 + _CONSULTATION,
    "theme_id": f"SELECT MIN(id) FROM coding_theme WHERE consultation_id = {_CONSULTATION}",
    "assembly_id": f"SELECT {_ASSEMBLY}",
    "run_id": f"SELECT MIN(id) FROM assembly_selection_run WHERE assembly_id = {_ASSEMBLY}",
    "member_id": f"SELECT MIN(id) FROM assembly_member WHERE assembly_id = {_ASSEMBLY}",
    "draw_id": f"SELECT MIN(id) FROM assembly_invitation_draw WHERE assembly_id = {_ASSEMBLY}",
    "pledge_id": f"SELECT {_PLEDGE}",
    "action_id": f"SELECT MIN(id) FROM pledge_action WHERE pledge_id = {_PLEDGE}",
    "catalogue_action_id": "SELECT MIN(id) FROM pledge_catalogue_action",
    "claim_id": "SELECT MIN(id) FROM organisation_claim",
    "item_id": "SELECT MIN(id) FROM moderation_item",
    "target_id": "SELECT MIN(target_id) FROM moderation_item WHERE kind = 'comment'",
    "page_id": "SELECT MIN(id) FROM content_page",
    "topic_id": "SELECT MIN(id) FROM content_topic",
    "reviewer_id": "SELECT MIN(id) FROM content_partner_reviewer",
    "assignment_id": "SELECT MIN(id) FROM content_translator",
    "user_id": "SELECT MIN(id) FROM user_account",
}


def _demo_ids(session: Session) -> dict[str, str]:
    """A real id for each kind of URL variable, where the demo data has one."""
    found = {name: session.scalar(text(query)) for name, query in _REAL_IDS.items()}
    return {name: str(value) for name, value in found.items() if value is not None}


def _values(rule: str, converter: str | None, args: str | None, name: str,
            slugs: dict[str, str]) -> list[str]:
    """Values to try for one URL variable; the first is the most likely to exist."""
    if converter == "any":
        return [a.strip(" '\"") for a in (args or "").split(",")]
    if converter == "int":
        if name == "action_id" and rule.startswith("/pledges/catalogue/"):
            name = "catalogue_action_id"
        real = slugs.get(name)
        return [real, *INTS] if real and real not in INTS else INTS
    if converter == "path":
        return ["letters.csv", "..%2f..%2fetc%2fpasswd", "%00", "x" * 300]
    real = {"code": "en", "locale": "pl", "variant": "standard", "fmt": "xliff",
            "kind": "comment", "role": "moderator"}.get(name)
    if real is None:
        real = next((s for prefix, s in slugs.items() if rule.startswith(prefix)), "demo")
    return [real, *ODD_STRINGS]


def _paths(rule: str, slugs: dict[str, str]) -> list[str]:
    """Concrete paths for a rule: each variable cycles through its values (not a product)."""
    found = _CONVERTER.findall(rule)
    if not found:
        return [rule]
    options = [_values(rule, conv, args, name, slugs) for conv, args, name in found]
    count = max(len(o) for o in options)
    paths = []
    for i in range(count):
        chosen = iter([o[i % len(o)] for o in options])
        paths.append(_CONVERTER.sub(lambda _m, chosen=chosen: next(chosen), rule))
    return paths


def _garbage(fields: list[str], hidden: dict[str, str]) -> Iterator[dict[str, object]]:
    """Form data with every field filled with garbage: huge odd text; numbers and dates that
    are not (negative, non-numeric, too big, "²"; impossible dates); several values for one
    field. The last two keep the form's hidden fields (keys, steps) so the garbage gets
    further in."""
    odd = "\x00\u202e" + "ꙮ🤷‍♀️ﷺ" * 700 + "\ufffe\x7f"
    yield {f: odd for f in fields}
    numbers = itertools.cycle(["-1", "not a number", HUGE, "2024-13-45", "²", "0"])
    yield {f: next(numbers) for f in fields} | hidden
    yield {f: ["1", "-1", "abc", HUGE] for f in fields} | hidden


def _client(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    email = ROLES[role]
    if email is None:
        return client
    response = client.post("/account/sign-in", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    if role in STAFF:
        code = pyotp.TOTP(demo_totp_secret(email)).now()
        done = client.post("/account/two-factor", data={"code": code})
        assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    return client


def _query(fields: list[str]) -> str:
    """A query string that fills a search form's fields with nonsense."""
    values = itertools.cycle(["²", "-1", "nope", "2024-13-45", "\x00", "ꙮ" * 300])
    return urlencode([(f, next(values)) for f in fields])


@pytest.mark.parametrize("role", list(ROLES))
def test_no_route_gives_a_server_error(app: Flask, role: str) -> None:
    failures: list[str] = []
    requests = 0
    # Field names of the forms seen so far, by method and target path.
    forms: dict[tuple[str, str], set[str]] = {}
    hidden: dict[tuple[str, str], dict[str, str]] = {}

    def read_forms(path: str, page: str) -> None:
        for attributes, body in _FORM.findall(page):
            action = _ACTION.search(attributes)
            target = html.unescape(action.group(1)) if action and action.group(1) else path
            method = "POST" if re.search(r"method=\"post\"", attributes, re.I) else "GET"
            key = (method, target.split("?")[0])
            forms.setdefault(key, set()).update(set(_FIELD.findall(body)) - {"csrf_token"})
            hidden.setdefault(key, {}).update(
                (name, html.unescape(value)) for name, value in _HIDDEN.findall(body)
                if name != "csrf_token")

    def check(client: FlaskClient, method: str, path: str,
              data: dict[str, object] | None = None) -> bool:
        """Send one request; record a failure if it errs. True when an HTML page came back."""
        nonlocal requests
        requests += 1
        try:
            response = client.open(path, method=method, data=data)
        except Exception as exc:
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if "/citizen/" in f.filename] or traceback.extract_tb(exc.__traceback__)
            where = "".join(traceback.format_list(frames[-4:]))
            failures.append(f"{method} {path[:160]} as {role}: "
                            f"{type(exc).__name__}: {str(exc)[:300]}\n{where}")
            return False
        if response.status_code >= 500:
            failures.append(f"{method} {path[:160]} as {role}: status {response.status_code}")
        html_page = response.status_code == 200 and response.mimetype == "text/html"
        if html_page:
            read_forms(path.split("?")[0], response.get_data(as_text=True))
        return html_page

    with rolled_back_session(app) as session:
        values = _demo_slugs(session) | _demo_ids(session)
        if role == "organisation_member" and "pledge_id" in values:
            # Sent back for changes, so its member can edit it: the action forms get tested too.
            session.execute(text("UPDATE pledge SET status = 'returned' WHERE id = :id"),
                            {"id": int(values["pledge_id"])})
        client = _client(app, role)
        rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                       key=lambda r: (r.endpoint in LAST, r.rule))
        for rule in rules:
            if "GET" not in (rule.methods or set()):
                continue
            paths = _paths(rule.rule, values)
            for path in paths[1:]:
                check(client, "GET", path)
            if check(client, "GET", paths[0]):
                for query in ODD_QUERIES:
                    check(client, "GET", f"{paths[0]}?{query}")
                search = sorted(forms.get(("GET", paths[0]), set()))
                if search:
                    check(client, "GET", f"{paths[0]}?{_query(search)}")
                    check(client, "GET", f"{paths[0]}?{urlencode(dict.fromkeys(search, HUGE))}")
        for rule in rules:
            if "POST" not in (rule.methods or set()):
                continue
            paths = _paths(rule.rule, values)
            for path in paths:
                check(client, "POST", path, {})
            fields = sorted(forms.get(("POST", paths[0]), set())) or ["name", "id", "page"]
            for data in _garbage(fields, hidden.get(("POST", paths[0]), {})):
                check(client, "POST", paths[0], data)

    assert not failures, f"{len(failures)} server errors in {requests} requests:\n\n" + \
        "\n\n".join(failures)
