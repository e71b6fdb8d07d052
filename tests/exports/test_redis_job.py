"""The export job on real Redis: queued by the request after it commits, run by an RQ worker
that builds its own app from the environment, as in production."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from citizen.db import get_database, unit_of_work, utcnow
from citizen.exports.models import ExportJob
from tests.accounts.conftest import make_user
from tests.conftest import fresh_database_url
from tests.exports.conftest import Seeded, make_app, seed_consultation, signed_in

pytestmark = pytest.mark.redis


def _redis_url() -> str:
    """The exports tests' own Redis database (7) on the server the suite is told to use."""
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    return re.sub(r"/\d*$", "", base) + "/7"


REDIS_URL = _redis_url()


@pytest.fixture()
def redis_app(tmp_path: Path) -> Iterator[Flask]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    url = fresh_database_url(os.environ.get("TEST_DATABASE_URL"), tmp_path, "exports_redis")
    app = make_app(url, tmp_path / "instance", redis_url=REDIS_URL)
    yield app
    get_database(app).engine.dispose()


def staff(session: Session, role: str) -> User:
    """A member of staff with two-factor sign-in set up, committed with the caller's unit."""
    user = make_user(session, f"exporter-{role}@staff.example", role)
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = utcnow()
    session.flush()
    return user


def _job(app: Flask) -> ExportJob:
    with unit_of_work(app) as session:
        job = session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
        assert job is not None
        session.expunge(job)
        return job


def test_export_runs_in_an_rq_worker(redis_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from rq import Queue, SimpleWorker

    from citizen.jobs import QUEUE_NAME, redis_connection

    connection = redis_connection(REDIS_URL)
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()
    with redis_app.app_context(), unit_of_work(redis_app) as session:
        seeded: Seeded = seed_consultation(session, responses=15)
        user = staff(session, "moderator")
    client = signed_in(redis_app, user, session)

    response = client.post(f"/exports/new?what=consultation-{seeded.consultation_id}",
                           data={"columns": ["channel", "Q1", "Q2", "Q5"], "layout": "wide",
                                 "file_format": "jsonl"})
    assert response.status_code == 302
    job = _job(redis_app)
    assert job.status == "queued" and job.job_id, "queued, not run inline"
    assert queue.count == 1
    assert "Waiting to start" in client.get("/exports/").get_data(as_text=True)

    # The worker builds its own app from the environment, as it would in production.
    monkeypatch.setenv("DATABASE_URL", redis_app.config["DATABASE_URL"])
    monkeypatch.setenv("CITIZEN_ENV", "test")
    monkeypatch.setenv("CITIZEN_INSTANCE_PATH", redis_app.instance_path)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    SimpleWorker([queue], connection=connection).work(burst=True)
    rq_job = queue.fetch_job(job.job_id or "")
    assert rq_job is not None and rq_job.return_value() == 15

    job = _job(redis_app)
    assert job.status == "done" and job.row_count == 15
    page = client.get("/exports/").get_data(as_text=True)
    assert "Ready" in page
    data = client.get(f"/exports/{job.token}/{job.files[0]['name']}")
    assert data.status_code == 200
    with zipfile.ZipFile(io.BytesIO(data.data)) as archive:
        text = archive.read("data.jsonl")
    assert text.count(b"\n") == 15
    for email in seeded.emails:
        assert email.encode() not in text
    assert b"@" not in text


def test_queue_down_marks_the_export_failed_without_an_error_page(tmp_path: Path) -> None:
    url = fresh_database_url(os.environ.get("TEST_DATABASE_URL"), tmp_path, "exports_redis")
    app = make_app(url, tmp_path / "instance", redis_url="redis://127.0.0.1:1/0")
    with app.app_context(), unit_of_work(app) as session:
        seeded = seed_consultation(session, responses=2)
        user = staff(session, "organiser")
    client = signed_in(app, user, session)
    response = client.post(f"/exports/new?what=consultation-{seeded.consultation_id}",
                           data={"columns": ["Q1"], "layout": "wide", "file_format": "csv"})
    assert response.status_code == 302
    assert _job(app).status == "failed"
    assert "Something went wrong" in client.get("/exports/").get_data(as_text=True)
    get_database(app).engine.dispose()
