"""Helpers for the consultations tests: a consultation with every kind of question, staff sign-in."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.consultations import services
from citizen.consultations.models import Consultation, Status
from citizen.db import utcnow
from tests.accounts.conftest import make_user, sign_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def staff_client(app: Flask, db_session: Session, address: str, *roles: str) -> FlaskClient:
    user = make_user(db_session, address, *roles)
    user.totp_secret = SECRET
    user.totp_enabled_at = utcnow()
    db_session.flush()
    client = app.test_client()
    sign_in(client, address)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(SECRET).now()})
    assert done.status_code == 302, done.get_data(as_text=True)
    return client


def spec(kind: str, text: str, *, required: bool = False, options: tuple[str, ...] = (),
         statements: tuple[str, ...] = (), condition: dict[str, object] | None = None,
         **settings: object) -> services.QuestionSpec:
    return services.QuestionSpec(kind=kind, text={"en": text}, help={}, required=required,
                                 option_labels=list(options), statement_labels=list(statements),
                                 settings=dict(settings), condition=condition)


def details(title: str = "Test consultation", **overrides: object) -> services.Details:
    now = utcnow().astimezone(services.LONDON).replace(tzinfo=None, second=0, microsecond=0)
    values: dict[str, object] = dict(
        title=title, summary="A summary.", body="<p>Body <script>x</script></p>", privacy_notice="",
        places=["coventry"], topic="hospitals", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10), anonymous_allowed=True, post_moderated=False,
        equality_monitoring=True, contact="")
    values.update(overrides)
    return services.Details(**values)  # type: ignore[arg-type]


def every_kind(session: Session, title: str = "Every kind", **overrides: object) -> Consultation:
    """Page 1: Q1 single (required), Q2 multiple (other, max 2), Q3 dropdown, Q4 short text;
    page 2: Q5 agreement (required), Q6 rating, Q7 number 0-10, Q8 date, Q9 ranking, Q10 matrix,
    Q11 long text (limit 50); page 3 (only when Q1 = o1): Q12 short text."""
    c = services.create(session, None, details(title, **overrides))
    one = services.add_section(session, c, {"en": "First page"})
    services.add_question(session, one, spec("single_choice", "Pick one", required=True,
                                             options=("Yes", "No")))
    services.add_question(session, one, spec("multiple_choice", "Pick some", options=("A", "B", "C"),
                                             other=True, max_selected=2))
    services.add_question(session, one, spec("dropdown", "Which area", options=("North", "South")))
    services.add_question(session, one, spec("short_text", "Your name for this"))
    two = services.add_section(session, c, {"en": "Second page"})
    services.add_question(session, two, spec("agreement", "Do you agree", required=True))
    services.add_question(session, two, spec("rating", "Rate it"))
    services.add_question(session, two, spec("number", "How many", minimum=0, maximum=10))
    services.add_question(session, two, spec("date", "When"))
    services.add_question(session, two, spec("ranking", "Order these", options=("X", "Y", "Z")))
    services.add_question(session, two, spec("matrix", "Statements", statements=("S one", "S two")))
    services.add_question(session, two, spec("long_text", "Tell us more", max_length=50))
    three = services.add_section(session, c, {"en": "Third page"},
                                 condition={"question": "Q1", "op": "equals", "value": "o1"})
    services.add_question(session, three, spec("short_text", "Why yes"))
    c.status = Status.SCHEDULED
    session.flush()
    return c


def form_key(html: str) -> str:
    match = re.search(r'name="form_key"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="form_key"', html)
    assert match, html
    return match.group(1)


def submit_key(html: str) -> str:
    match = re.search(r'name="submit_key"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*name="submit_key"', html)
    assert match, html
    return match.group(1)


PAGE_ONE = {"action": "next", "q{Q1}": "o1", "q{Q2}": ["o1", "o2"], "q{Q3}": "o2", "q{Q4}": "Sam"}


def ids(c: Consultation) -> dict[str, int]:
    return {q.code: q.id for q in c.questions()}


def page_data(c: Consultation, data: dict[str, object]) -> dict[str, object]:
    """``data`` with ``q{Q1}`` style names turned into field names (``q17``)."""
    by_code = ids(c)
    out: dict[str, object] = {}
    for key, value in data.items():
        out[re.sub(r"\{(Q\d+)\}", lambda m: str(by_code[m.group(1)]), key)] = value
    return out


RETURN_LINK = re.compile(r"http://localhost(/consultations/return/\S+)")


def return_link(body: str) -> str:
    """The path of the come-back link (save for later, or the receipt's change link) in a mail."""
    match = RETURN_LINK.search(body)
    assert match, body
    return match.group(1)
