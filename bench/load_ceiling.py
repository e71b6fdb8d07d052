"""The machine's ceiling for ``bench/load.py``: the residents' journey with no application logic.

Not part of the product. ``.venv/bin/python bench/load.py --ceiling`` runs this WSGI ``app`` under
the same gunicorn settings and the same load generator as the real app, so that what gunicorn,
Flask, Jinja and PostgreSQL alone cost on this machine can be read off; everything the real app
costs beyond this skeleton is application work.

It answers the URLs and writes the HTML that the generator reads, and does, minimally but for
real, what every request of the journey must do:

* a Flask signed-cookie session holding a CSRF token that every POST must match (400 otherwise),
  the answers given on page 1 (shown on the check page) and the submission key;
* a Jinja layout with a header of 30 links around each page's body (autoescaped templates);
* one PostgreSQL transaction per request through psycopg, one connection per thread;
* on submit, ``INSERT ... ON CONFLICT (submit_key) DO NOTHING`` then a ``SELECT`` of the
  reference, so that a double-click or a retry gets the same reference: stored exactly once.

    GET  /consultations/<slug>/respond/1      page 1: CSRF token, form key, three questions
    POST /consultations/<slug>/respond/1      answers into the session; 302 to .../check
    GET  /consultations/<slug>/respond/check  the answers, CSRF token, submission key
    POST /consultations/<slug>/respond/check  store; 302 to .../done?ref=CW-XXXXXXXX
    GET  /consultations/<slug>/respond/done   the reference

The table ``load_ceiling`` is created in DATABASE_URL (``postgresql+psycopg://`` is accepted) if
missing, at import.
"""

from __future__ import annotations

import os
import secrets
import string
import threading

import psycopg
from flask import Flask, abort, redirect, render_template, request, session
from jinja2 import DictLoader
from werkzeug.wrappers import Response

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test_consultations"
# The question ids that page 1 asks, by code (as bench/load.py's generator expects them).
QUESTIONS = {"Q1": 1, "Q2": 2, "Q3": 3}
LABELS = {1: "Pick one", 2: "Do you agree", 3: "Anything else"}
ALPHABET = string.ascii_uppercase + string.digits

TEMPLATES = {
    "layout.html": """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }} - Have your say</title></head>
<body>
<header><nav><ul>
{% for href, label in links %}<li><a href="{{ href }}">{{ label }}</a></li>
{% endfor %}</ul></nav></header>
<main>{% block body %}{% endblock %}</main>
</body>
</html>
""",
    "page.html": """{% extends "layout.html" %}{% block body %}
<h1>{{ title }}</h1>
<form method="post">
<input name="csrf_token" type="hidden" value="{{ csrf_token }}">
<input name="form_key" type="hidden" value="{{ form_key }}">
{% for number, label in questions %}<label for="q{{ number }}">{{ label }}</label>
<input id="q{{ number }}" name="q{{ number }}" value="">
{% endfor %}<button name="action" value="next">Continue</button>
</form>
{% endblock %}""",
    "check.html": """{% extends "layout.html" %}{% block body %}
<h1>{{ title }}</h1>
<dl>{% for label, answer in answers %}<dt>{{ label }}</dt><dd>{{ answer }}</dd>{% endfor %}</dl>
<form method="post">
<input name="csrf_token" type="hidden" value="{{ csrf_token }}">
<input name="submit_key" type="hidden" value="{{ submit_key }}">
<button>Send my response</button>
</form>
{% endblock %}""",
    "done.html": """{% extends "layout.html" %}{% block body %}
<h1>{{ title }}</h1>
<p>Your reference is <strong>{{ reference }}</strong>.</p>
{% endblock %}""",
}
LINKS = [(f"/section/{n}", f"Section {n}") for n in range(30)]

app = Flask(__name__)
# bench/load.py passes SECRET_KEY; the fallback is shared by all workers (a session must be
# readable by any of them) and is no secret: this app is a benchmark, never deployed.
app.secret_key = os.environ.get("SECRET_KEY") or "load-ceiling-benchmark-only"
app.jinja_loader = DictLoader(TEMPLATES)

_local = threading.local()


def conninfo(url: str) -> str:
    """A libpq URL from a SQLAlchemy one (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return url.replace("+psycopg", "", 1)


DATABASE_URL = conninfo(os.environ.get("DATABASE_URL") or DEFAULT_URL)


def create_table(url: str) -> None:
    """Create the table ``load_ceiling`` if missing (under a lock: workers import at once)."""
    with psycopg.connect(conninfo(url)) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('load_ceiling'))")
        conn.execute("CREATE TABLE IF NOT EXISTS load_ceiling "
                     "(reference text NOT NULL, submit_key text PRIMARY KEY)")


def db() -> psycopg.Connection:
    """This thread's connection (autocommit: each request opens its own transaction)."""
    conn: psycopg.Connection | None = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg.connect(DATABASE_URL, autocommit=True)
    return conn


def csrf_token() -> str:
    token: str | None = session.get("csrf_token")
    if token is None:
        token = session["csrf_token"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    if not secrets.compare_digest(request.form.get("csrf_token", ""), session.get("csrf_token", "")):
        abort(400)


def render(template: str, title: str, **context: object) -> str:
    return render_template(template, title=title, links=LINKS, **context)


@app.route("/consultations/<slug>/respond/1", methods=["GET", "POST"])
def page(slug: str) -> str | Response:
    conn = db()
    with conn.transaction():
        conn.execute("SELECT 1")  # stands for reading the consultation
        if request.method == "POST":
            check_csrf()
            session["answers"] = {name: value for name, value in request.form.items()
                                  if name.startswith("q")}
            return redirect(f"/consultations/{slug}/respond/check")
        return render("page.html", "Your view", csrf_token=csrf_token(),
                      form_key=secrets.token_urlsafe(16),
                      questions=[(number, LABELS[number]) for number in QUESTIONS.values()])


@app.route("/consultations/<slug>/respond/check", methods=["GET", "POST"])
def check(slug: str) -> str | Response:
    conn = db()
    with conn.transaction():
        if request.method == "POST":
            check_csrf()
            submit_key = request.form.get("submit_key", "")
            if not submit_key or submit_key != session.get("submit_key"):
                abort(400)
            conn.execute("INSERT INTO load_ceiling (reference, submit_key) VALUES (%s, %s) "
                         "ON CONFLICT (submit_key) DO NOTHING",
                         ("CW-" + "".join(secrets.choice(ALPHABET) for _ in range(8)), submit_key))
            row = conn.execute("SELECT reference FROM load_ceiling WHERE submit_key = %s",
                               (submit_key,)).fetchone()
            assert row is not None
            session.pop("answers", None)
            session.pop("submit_key", None)
            return redirect(f"/consultations/{slug}/respond/done?ref={row[0]}")
        conn.execute("SELECT 1")  # stands for reading the consultation and the draft
        key: str | None = session.get("submit_key")
        if key is None:
            key = session["submit_key"] = secrets.token_urlsafe(16)
        given = session.get("answers", {})
        answers = [(LABELS[number], given.get(f"q{number}", "")) for number in QUESTIONS.values()]
        return render("check.html", "Check your answers", csrf_token=csrf_token(),
                      submit_key=key, answers=answers)


@app.route("/consultations/<slug>/respond/done")
def done(slug: str) -> str:
    conn = db()
    with conn.transaction():
        conn.execute("SELECT 1")  # stands for reading the response
        return render("done.html", "Response sent", reference=request.args.get("ref", ""))


@app.route("/healthz")
def healthz() -> str:
    return "ok"


create_table(DATABASE_URL)
