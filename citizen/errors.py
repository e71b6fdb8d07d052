"""Error pages: every error gets a plain, translated page and never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

KNOWN_PAGES = {400, 401, 403, 404, 405, 413, 429, 500, 503}


def _render(status: int) -> tuple[str, int]:
    template = f"errors/{status}.html" if status in KNOWN_PAGES else "errors/generic.html"
    return render_template(template, status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int]:
        return _render(exc.code or 500)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html", status=400), 400

    @app.errorhandler(OperationalError)
    def _database_down(_exc: OperationalError) -> tuple[str, int]:
        app.logger.exception("database error")
        return _render(503)

    @app.errorhandler(InternalServerError)
    def _server_error(_exc: InternalServerError) -> tuple[str, int]:
        return _render(500)
