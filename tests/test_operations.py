"""Health check, request logging, proxy headers and background jobs."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.app import create_app, loggable_path
from citizen.jobs import enqueue

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok", "checks": {"database": "ok", "redis": "not configured"}
    }


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_one_log_line_per_request_without_personal_data(client: FlaskClient) -> None:
    logger = logging.getLogger("citizen.request")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        client.get(
            "/places/find?postcode=CV21+3AB&email=sam@example.org",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        )
    finally:
        logger.removeHandler(collect)
    lines = [r.getMessage() for r in collect.records]
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("GET /places/find 200 ")
    assert "ms" in line
    for secret in ("CV21", "sam@example.org", "203.0.113.9", "198.51.100.7"):
        assert secret not in line


def test_loggable_path_hides_emails_and_tokens() -> None:
    assert loggable_path("/verify/sam@example.org") == "/verify/[email]"
    assert loggable_path("/reset/" + "a" * 40) == "/reset/[token]"
    assert loggable_path("/places/rugby") == "/places/rugby"


def test_proxy_fix_is_configurable(database_url: str, tmp_path: Path) -> None:
    seen: dict[str, str] = {}
    for hops in (0, 1):
        app = create_app({"env": "test", "instance_path": tmp_path, "database_url": database_url,
                          "proxy_fix_hops": hops})

        @app.get("/_test/whoami")
        def whoami(hops: int = hops) -> str:
            seen[str(hops)] = f"{request.scheme} {request.remote_addr}"
            return "ok"

        from citizen.shared.permissions import public

        public(whoami)
        app.test_client().get(
            "/_test/whoami",
            headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
    assert seen == {"0": "http 10.0.0.1", "1": "https 203.0.113.9"}


def test_jobs_run_inline_without_redis(app: Flask) -> None:
    handle = enqueue(pow, 2, 10, app=app)
    assert handle.finished and handle.result == 1024


@pytest.fixture()
def redis_app(database_url: str, tmp_path: Path) -> Flask:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    return create_app({"env": "test", "instance_path": tmp_path, "database_url": database_url,
                       "redis_url": REDIS_URL})


@pytest.mark.redis
def test_healthz_checks_redis_when_configured(redis_app: Flask) -> None:
    response = redis_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.redis
def test_healthz_fails_when_redis_is_down(database_url: str, tmp_path: Path) -> None:
    app = create_app({"env": "test", "instance_path": tmp_path, "database_url": database_url,
                      "redis_url": "redis://127.0.0.1:1/0"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == "unreachable"


@pytest.mark.redis
def test_jobs_go_to_an_rq_worker_when_redis_is_configured(
    redis_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rq import Queue, SimpleWorker

    from citizen.jobs import QUEUE_NAME, redis_connection

    connection = redis_connection(REDIS_URL)
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()
    # The worker builds its own app from the environment, as it would in production.
    monkeypatch.setenv("DATABASE_URL", redis_app.config["DATABASE_URL"])
    monkeypatch.setenv("CITIZEN_ENV", "test")
    monkeypatch.setenv("CITIZEN_INSTANCE_PATH", redis_app.instance_path)
    with redis_app.app_context():
        handle = enqueue(pow, 3, 4)
    assert not handle.finished
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    job = queue.fetch_job(handle.id)
    assert job is not None and job.return_value() == 81


def test_daily_runs_every_daily_task_and_goes_on_after_a_failure(
        app: Flask, db_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from citizen.cli import DAILY_COMMANDS

    runner = app.test_cli_runner()
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 0, result.output
    for path in DAILY_COMMANDS:
        assert f"== {' '.join(path)}" in result.output
    for said in ("Pledge reminders sent:", "Purged:", "Consultation data deleted:",
                 "Feedback deleted:", "Unconfirmed accounts deleted:", "expired exports deleted"):
        assert said in result.output, said

    # One task fails: the ones after it still run, and the command says which failed.
    from citizen.consultations import retention

    def broken(*_args: object, **_kwargs: object) -> dict[str, int]:
        raise RuntimeError("the database went away\nINSERT ... parameters: someone@example.org")

    monkeypatch.setattr(retention, "purge", broken)
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 1
    assert "These daily tasks failed: purge-consultation-data." in result.output
    assert "the database went away" in result.output
    assert "someone@example.org" not in result.output  # only the first line is shown
    assert "expired exports deleted" in result.output
