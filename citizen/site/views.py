"""Home, language choice, accessibility/privacy/cookies pages and ``/healthz``."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import get_locale
from sqlalchemy import text

from citizen.db import get_session
from citizen.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE, language, normalise_code
from citizen.places import services as places
from citizen.places.forms import FindAreaForm
from citizen.shared.permissions import public

bp = Blueprint("site", __name__)

STATEMENT_REVIEWED = date(2026, 11, 23)


def safe_next(raw: str | None, default: str = "/") -> str:
    """A local path to return to; anything pointing elsewhere becomes ``default``."""
    if not raw:
        return default
    parts = urlsplit(raw)
    if (parts.scheme or parts.netloc or not raw.startswith("/") or raw.startswith("//")
            or "\\" in raw):
        return default
    return raw


@bp.get("/")
@public
def home() -> str:
    from citizen.consultations import services as consultations

    session = get_session()
    return render_template(
        "site/home.html", places=places.places(session), form=FindAreaForm(formdata=None),
        open_consultations=consultations.hub(session).open[:3],
        locale=normalise_code(str(get_locale() or "en")) or "en",
    )


@bp.get("/language")
@public
def language_choose() -> str:
    return render_template("site/language_choose.html", next_url=safe_next(request.args.get("next")))


@bp.get("/language/<code>")
@public
def language_set(code: str) -> Response | tuple[str, int]:
    """Remember the chosen language in a cookie and go back to the page the person was on."""
    chosen = language(code)
    if chosen is None:
        return render_template("site/language_unknown.html", code=code[:20]), 404
    response = make_response(redirect(safe_next(request.args.get("next"))))
    response.set_cookie(
        LANG_COOKIE,
        chosen.code,
        max_age=LANG_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


@bp.get("/accessibility")
@public
def accessibility() -> str:
    return render_template("site/accessibility.html", statement_date=STATEMENT_REVIEWED)


@bp.get("/privacy")
@public
def privacy() -> str:
    return render_template("site/privacy.html")


@bp.get("/cookies")
@public
def cookies() -> str:
    return render_template("site/cookies.html")


@bp.get("/healthz")
@public
def healthz() -> tuple[Response, int]:
    """For load balancers: 200 when the database (and Redis, when configured) answer, else 503."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        get_session().execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any failure means unhealthy; the reason goes to the log, not the body
        current_app.logger.exception("health check: database unreachable")
        checks["database"] = "unreachable"
        healthy = False
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from citizen.jobs import redis_connection

        try:
            redis_connection(redis_url).ping()
            checks["redis"] = "ok"
        except Exception:
            current_app.logger.exception("health check: redis unreachable")
            checks["redis"] = "unreachable"
            healthy = False
    else:
        checks["redis"] = "not configured"
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return jsonify(body), 200 if healthy else 503
