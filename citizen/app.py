"""The application factory."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, abort, g, request
from flask_babel.speaklater import LazyString
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from citizen import cli, db, errors, i18n
from citizen.accounts import session as account_session
from citizen.config import PROJECT_ROOT, Settings, load_settings
from citizen.extensions import babel, csrf, limiter
from citizen.shared.ids import MAX_ID
from citizen.shared.urls import fixed_url_for

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# Added to every response unless the view set its own (Strict-Transport-Security too, in
# production).
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)

_EMAIL = re.compile(r"[^/\s@]+@[^/\s@]+")
_TOKEN = re.compile(r"[A-Za-z0-9_\-\.]{24,}")


def loggable_path(path: str) -> str:
    """The request path with e-mail addresses and long tokens replaced, for the access log."""
    return _TOKEN.sub("[token]", _EMAIL.sub("[email]", path))


def _configure_logging(app: Flask, settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("citizen", app.logger.name):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(settings.log_level)
        logger.propagate = False
    # Werkzeug's own access log prints client IP addresses and query strings: silence it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _register_request_hooks(app: Flask) -> None:
    access_log = logging.getLogger("citizen.request")

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = uuid.uuid4().hex[:12]

    @app.before_request
    def _refuse_nul_characters() -> None:
        """A NUL character is never part of real text (no keyboard types one) and PostgreSQL
        cannot store or even compare it: a path with one is no page (404), a query string or
        form with one is a bad request (400), before any view sees it."""
        if "\x00" in request.path:
            abort(404)
        if any("\x00" in value for value in request.args.values()):
            abort(400)
        sends_form = request.method in {"POST", "PUT", "PATCH"} and request.mimetype in FORM_TYPES
        if sends_form and any("\x00" in key or "\x00" in value
                              for key, value in request.form.items(multi=True)):
            abort(400)

    security_headers = list(SECURITY_HEADERS)
    if app.config.get("CITIZEN_ENV") == "production":
        security_headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        # One look at the headers already set (a view may set its own), not one per header.
        present = {name.lower() for name, _value in headers.items()}
        for name, value in security_headers:
            if name.lower() not in present:
                headers.add(name, value)
        if "cache-control" not in present and "text/html" in (response.content_type or ""):
            headers.add("Cache-Control", "no-store")
        headers.add("Vary", "Cookie")
        headers.add("Vary", "Accept-Language")
        return response

    @app.teardown_request
    def _log_request(_exc: BaseException | None = None) -> None:
        started = g.get("request_started")
        if started is None or not access_log.isEnabledFor(logging.INFO):
            return
        duration_ms = (time.perf_counter() - started) * 1000
        status = g.get("response_status") or (500 if _exc is not None else "-")
        access_log.info(
            "%s %s %s %.1fms id=%s",
            request.method,
            loggable_path(request.path),
            status,
            duration_ms,
            g.get("request_id", "-"),
        )

    @app.after_request
    def _remember_status(response: Response) -> Response:
        g.response_status = response.status_code
        return response


def _escape_lazy_strings(value: object) -> object:
    """Output lazy translations as plain text so that autoescaping applies to them.

    Flask-Babel's lazy strings claim to be safe HTML; a validation message that repeats what
    someone typed would otherwise reach the page unescaped.
    """
    return str(value) if isinstance(value, LazyString) else value


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs: ids are database integers, so a number too big for one (which
    SQLite cannot even compare) is no page at all, a 404, rather than a server error."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _register_blueprints(app: Flask) -> None:
    from citizen.accounts.views import bp as accounts_bp
    from citizen.admin.views import bp as admin_bp
    from citizen.assembly.views import bp as assembly_bp
    from citizen.consultations.views import bp as consultations_bp
    from citizen.content.views import bp as content_bp
    from citizen.exports.views import bp as exports_bp
    from citizen.moderation.views import bp as moderation_bp
    from citizen.places.views import bp as places_bp
    from citizen.pledges.views import bp as pledges_bp
    from citizen.site.views import bp as site_bp

    for blueprint in (
        site_bp,
        places_bp,
        accounts_bp,
        admin_bp,
        consultations_bp,
        moderation_bp,
        exports_bp,
        pledges_bp,
        content_bp,
        assembly_bp,
    ):
        app.register_blueprint(blueprint)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    ``config`` overrides settings by name (``env``, ``database_url``, ``redis_url`` …); any
    other key is passed to Flask's config as is. Raises :class:`citizen.config.ConfigError`
    with a plain message when the configuration cannot work.
    """
    settings = load_settings(overrides=config)
    app = Flask(
        "citizen",
        instance_path=str(settings.instance_path),
        instance_relative_config=False,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings.flask_config())
    app.extensions["citizen_settings"] = settings
    _configure_logging(app, settings)

    if settings.proxy_fix_hops:
        hops = settings.proxy_fix_hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.finalize = _escape_lazy_strings
    app.jinja_env.globals["fixed_url_for"] = fixed_url_for

    db.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    account_session.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    _register_request_hooks(app)
    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    return app
