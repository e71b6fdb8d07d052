"""The schema comes from the migrations, and the models agree with it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import select

from citizen.app import create_app
from citizen.db import Base, get_database, get_session
from citizen.models import metadata
from citizen.places.models import Place, PlaceKind
from citizen.shared.permissions import public
from tests.conftest import rolled_back_session


def test_models_and_migrations_agree(app: Flask) -> None:
    with get_database(app).engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == [], f"models and migrations differ: {differences}"


def test_naming_convention_is_used() -> None:
    assert Base.metadata.naming_convention["fk"].startswith("fk_")
    place = metadata.tables["place"]
    assert {c.name for c in place.constraints if c.name} >= {"pk_place", "uq_place_slug"}


@pytest.fixture()
def probe_app(database_url: str, tmp_path: Path) -> Flask:
    """A second app on the test database with two extra routes, registered before first use."""
    probe = create_app({"env": "test", "instance_path": tmp_path, "database_url": database_url,
                       "PROPAGATE_EXCEPTIONS": False})

    @probe.get("/_test/write")
    @public
    def _write() -> str:
        get_session().add(Place(slug="temporary-test-place", name="Temp", kind=PlaceKind.PLACE))
        return "ok"

    @probe.get("/_test/fail")
    @public
    def _fail() -> str:
        get_session().add(Place(slug="should-not-exist", name="No", kind=PlaceKind.PLACE))
        get_session().flush()
        raise RuntimeError("boom")

    return probe


def test_a_request_commits_once_at_its_end(probe_app: Flask) -> None:
    with rolled_back_session(probe_app) as session:
        response = probe_app.test_client().get("/_test/write")
        assert response.status_code == 200
        assert session.scalar(select(Place).where(Place.slug == "temporary-test-place"))


def test_a_failed_request_rolls_back_and_shows_no_traceback(probe_app: Flask) -> None:
    with rolled_back_session(probe_app) as session:
        response = probe_app.test_client().get("/_test/fail")
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "Traceback" not in body and "boom" not in body
        assert "Sorry, there is a problem with the service" in body
        assert session.scalar(select(Place).where(Place.slug == "should-not-exist")) is None


UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"


def test_unreachable_database_gives_a_plain_503_page(tmp_path: Path) -> None:
    app = create_app({"env": "test", "instance_path": tmp_path, "database_url": UNREACHABLE})
    client = app.test_client()
    client.set_cookie("lang", "pl")
    response = client.get("/")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "psycopg" not in body
    assert 'lang="pl"' in body
    health = app.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["checks"]["database"] == "unreachable"


def test_db_upgrade_against_unreachable_database_explains_and_changes_nothing(tmp_path: Path) -> None:
    app = create_app({"env": "test", "instance_path": tmp_path, "database_url": UNREACHABLE})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 1
    assert "Cannot reach the database at postgresql+psycopg://nobody@127.0.0.1:1/none" in result.output
    assert "Nothing was changed" in result.output


def test_seed_demo_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "0 added" in second.output
    with app.app_context():
        count = len(list(get_database(app).session_factory().scalars(select(Place))))
    assert count == 14


@pytest.mark.postgres
def test_ci_runs_the_suite_on_postgresql(app: Flask) -> None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL URL")
    assert get_database(app).engine.dialect.name == "postgresql"


def test_seed_demo_lists_the_demo_sign_ins_and_demo_code_works(app: Flask) -> None:
    import pyotp

    from citizen.demo import demo_totp_secret

    runner = app.test_cli_runner()
    output = runner.invoke(args=["seed-demo"]).output
    for address in ("resident@demo.example", "moderator@demo.example", "admin@demo.example"):
        assert address in output
    code = runner.invoke(args=["demo-code", "admin@demo.example"]).output.strip()
    assert code == pyotp.TOTP(demo_totp_secret("admin@demo.example")).now()
    refused = runner.invoke(args=["demo-code", "someone@example.org"])
    assert refused.exit_code == 1 and "not a demo account" in refused.output


def test_seed_demo_on_an_empty_database_says_to_migrate(tmp_path: Path) -> None:
    app = create_app({"env": "test", "instance_path": tmp_path,
                      "database_url": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "not set up yet" in result.output and "db upgrade" in result.output
