"""Database engine, declarative base and the unit of work.

One SQLAlchemy session per request (or CLI command, or job): views and services use
:func:`get_session`; the session commits once when the request has produced its response
without error, and rolls back otherwise. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_app_context
from flask import current_app as flask_current_app
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model; its metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def _configure_sqlite(engine: Engine) -> None:
    """Make SQLite behave: foreign keys on, and real transactions with working savepoints."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create the engine for ``url`` with settings fit for SQLite or PostgreSQL."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


@dataclass
class Database:
    """The engine and session factory of one application instance."""

    engine: Engine
    session_factory: sessionmaker[Session]

    @classmethod
    def from_url(cls, url: str, echo: bool = False) -> Database:
        engine = make_engine(url, echo=echo)
        return cls(engine, sessionmaker(bind=engine, expire_on_commit=False))


def safe_url(url: str) -> str:
    """The database URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def get_database(app: Flask | None = None) -> Database:
    app = app or flask_current_app
    database: Database = app.extensions["citizen_db"]
    return database


def get_session() -> Session:
    """The session of the current unit of work, created on first use."""
    session: Session | None = g.get("db_session")
    if session is None:
        session = get_database().session_factory()
        g.db_session = session
    return session


def _close_session(exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None) if has_app_context() else None
    if session is None:
        return
    if exc is not None or session.in_transaction():
        session.rollback()
    session.close()


def _commit_on_success(response: Response) -> Response:
    """Commit the request's work before the response leaves; an error here becomes a 500."""
    from citizen.mail import discard_outbox, flush_outbox

    session: Session | None = g.get("db_session")
    if response.status_code < 400:
        if session is not None:
            session.commit()
        flush_outbox()
    else:
        if session is not None:
            session.rollback()
        discard_outbox()
    return response


@contextmanager
def unit_of_work(app: Flask | None = None) -> Iterator[Session]:
    """A session for a CLI command or job outside a request: commits once at the end."""
    session = get_database(app).session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def init_app(app: Flask) -> None:
    """Attach the engine to ``app`` and wire the per-request unit of work."""
    app.extensions["citizen_db"] = Database.from_url(
        app.config["DATABASE_URL"], echo=bool(app.config.get("SQL_ECHO"))
    )
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close_session)
