"""Fixtures: an app on a database built by running the migrations, a savepoint per test.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set. In CI
(``CI=true``) the PostgreSQL, Redis, browser and system-font tests must run: a skip there is a
failure.
"""

from __future__ import annotations

import email
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from wtforms.fields.choices import SelectChoice

from citizen.app import create_app
from citizen.cli import upgrade_database
from citizen.db import Database, get_database, make_engine, unit_of_work
from citizen.demo import seed_all

# ---------------------------------------------------------------- WTForms 3.4 choices


@pytest.fixture(autouse=True, scope="session")
def no_tuple_choices() -> Iterator[None]:
    """Choices must be ``SelectChoice``: WTForms 3.4 drops (value, label) tuples. WTForms 3.3
    warns only when a field is declared with tuples (pyproject turns that warning into an error),
    not when they are set later (``form.x.choices = [...]``) or come from a callable, so a tuple
    is refused here, where the field is drawn or checked."""
    original = SelectChoice.from_input.__func__

    def from_input(cls: type[SelectChoice], input: Any, optgroup: str | None = None) -> SelectChoice:
        if type(input) is tuple:
            raise TypeError(f"choice {input!r} is a tuple: use SelectChoice (WTForms 3.4)")
        return original(cls, input, optgroup)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SelectChoice, "from_input", classmethod(from_input))
        yield


# ---------------------------------------------------------------- a real SMTP server for mail


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str) -> Message:
        found = self.to(address)
        assert found, f"no mail to {address}; got {[m['To'] for m in self.messages]}"
        return found[-1]

    @staticmethod
    def body(message: Message) -> str:
        payload = message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(message.get_content_charset() or "utf-8")

    def link_in(self, message: Message) -> str:
        match = re.search(r"http://localhost(/account/\S+)", self.body(message))
        assert match, self.body(message)
        return match.group(1)


@pytest.fixture(scope="session")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


IN_CI = os.environ.get("CI", "").lower() == "true"
MUST_RUN_IN_CI = ("postgres", "redis", "e2e", "system_fonts")


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fresh_database_url(base_url: str | None, tmp_dir: Path, name: str) -> str:
    """An empty database for this test run: a new SQLite file, or a reset PostgreSQL database
    called ``name`` next to the one in ``base_url`` (created if missing; suffixed with the
    xdist worker's id when tests run in parallel)."""
    if not base_url:
        return f"sqlite:///{tmp_dir / (name + '.sqlite3')}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # each xdist worker gets databases of its own
        name = f"{name}_{worker}"
    url = make_url(base_url)
    if url.get_backend_name() != "postgresql":
        raise RuntimeError("TEST_DATABASE_URL must be PostgreSQL (postgresql+psycopg://...)")
    if name != "main":
        admin = make_engine(url.render_as_string(hide_password=False)).execution_options(
            isolation_level="AUTOCOMMIT"
        )
        target = f"{url.database}_{name}"
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target}"'))
        admin.dispose()
        url = url.set(database=target)
    rendered = url.render_as_string(hide_password=False)
    _reset_postgres(rendered)
    return rendered


def build_app(database_url: str, instance: Path, **overrides: object) -> Flask:
    """A test app on ``database_url`` with the schema migrated and demo data loaded."""
    config: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "instance_path": instance,
        "secret_key": "test-secret-key-that-is-long-enough-for-anything",
        "redis_url": None,
    }
    config.update(overrides)
    app = create_app(config)
    upgrade_database(app)
    with app.app_context(), unit_of_work(app) as session:
        seed_all(session)
    return app


def mail_app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
             smtp: tuple[Inbox, int], name: str) -> Flask:
    """A feature's test app: mail goes to the test SMTP server; CSRF and rate limits are off
    (they have tests of their own)."""
    return build_app(
        database_url, tmp_path_factory.mktemp(f"{name}-instance"),
        mail_server="127.0.0.1", mail_port=smtp[1], ratelimit_enabled=False,
        WTF_CSRF_ENABLED=False,
    )


@pytest.fixture()
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    """The test SMTP server's inbox, emptied for this test."""
    smtp[0].messages.clear()
    return smtp[0]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fresh_database_url(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("db"), "main"
    )


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return build_app(database_url, tmp_path_factory.mktemp("instance"))


@contextmanager
def rolled_back_session(app: Flask) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back at the end.

    The app's own request sessions join the same connection through savepoints, so a view's
    commit is visible to the test and undone afterwards.
    """
    database: Database = get_database(app)
    connection = database.engine.connect()
    outer = connection.begin()
    original = database.session_factory
    database.session_factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    session = database.session_factory()
    try:
        yield session
    finally:
        session.close()
        database.session_factory = original
        outer.rollback()
        connection.close()


@pytest.fixture()
def db_session(app: Flask) -> Iterator[Session]:
    with rolled_back_session(app) as session:
        yield session


@pytest.fixture()
def client(app: Flask, db_session: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def app_ctx(app: Flask, db_session: Session) -> Iterator[Flask]:
    with app.test_request_context():
        yield app


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("redis"):
            # Redis tests share one server (and some flush a database): with xdist and
            # --dist loadgroup they all run on the same worker, one after another.
            item.add_marker(pytest.mark.xdist_group("redis"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI, a skipped PostgreSQL, Redis, browser or system-font test counts as a failure."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and any(item.get_closest_marker(m) for m in MUST_RUN_IN_CI):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where it must run: {report.longrepr}"
