"""Selection runs: infeasible targets and the accepted relaxation, the public draw, and a full
run as a job on a real Redis queue (burst SimpleWorker, Redis db 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.assembly import services
from citizen.assembly.models import (
    Assembly,
    Registrant,
    RegistrantContact,
    RegistrantDemographics,
    SelectionRun,
)
from citizen.db import unit_of_work
from tests.assembly.conftest import assembly_data, make_assembly
from tests.conftest import build_app, fresh_database_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def add_people(session: Session, assembly: Assembly, answers: list[dict[str, str]]) -> list[Registrant]:
    people = []
    for n, given in enumerate(answers):
        registrant = Registrant(assembly_id=assembly.id, ref=f"ref-{assembly.id}-{n}",
                                household_key=f"house-{assembly.id}-{n}")
        registrant.contact = RegistrantContact(name=f"Person {n}", email=f"p{n}@example.org",
                                               address=f"{n} Road", postcode="CV37 6AA")
        registrant.demographics = RegistrantDemographics(answers=given)
        session.add(registrant)
        people.append(registrant)
    session.flush()
    return people


def _latest_run(session: Session, assembly: Assembly) -> SelectionRun:
    session.expire_all()
    return services.selection_runs(session, assembly)[-1]


def test_infeasible_targets_are_explained_and_the_relaxation_can_be_accepted(
    organiser: FlaskClient, db_session: Session,
) -> None:
    assembly = make_assembly(db_session, categories=["sex"], panel_size=4, reserves=0)
    services.save_targets(db_session, assembly, [("sex", "female", 3, 4), ("sex", "male", 0, 1)], 10, None)
    add_people(db_session, assembly, [{"sex": "female"}] + [{"sex": "male"}] * 5)
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    run = _latest_run(db_session, assembly)
    assert run.status == "infeasible"
    assert run.diagnosis["changes"], run.diagnosis
    page = organiser.get(f"/assembly/manage/{assembly.id}/runs/{run.id}").get_data(as_text=True)
    assert "No panel can meet these targets" in page
    assert "Sex, Female: lower the fewest seats from 3 to 1" in page
    assert organiser.post(f"/assembly/manage/{assembly.id}/runs/{run.id}/relax").status_code == 302
    db_session.expire_all()
    female = next(t for t in assembly.targets if t.value == "female")
    assert female.min_seats == 1
    # Not a done run, so the organiser may run again; now it works and both runs are kept.
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    run2 = _latest_run(db_session, assembly)
    assert run2.status == "done" and len(run2.panel) == 4
    assert len(services.selection_runs(db_session, assembly)) == 2
    from citizen.shared.audit import AuditEvent
    assert db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "assembly.relaxation_accepted")) is not None


def test_admin_rerun_needs_reason_and_keeps_earlier_run(
    organiser: FlaskClient, admin: FlaskClient, db_session: Session,
) -> None:
    assembly = make_assembly(db_session, categories=["sex"], panel_size=2, reserves=1)
    services.save_targets(db_session, assembly, [("sex", "female", 1, 1), ("sex", "male", 1, 1)], 10, None)
    add_people(db_session, assembly, [{"sex": "female"}, {"sex": "male"}] * 3)
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    first = _latest_run(db_session, assembly)
    assert first.status == "done"
    page = organiser.get(f"/assembly/manage/{assembly.id}").get_data(as_text=True)
    assert "Only an admin can run the selection again." in page
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={"reason": "try again"})
    assert len(services.selection_runs(db_session, assembly)) == 1
    admin.post(f"/assembly/manage/{assembly.id}/select", data={"reason": "A registrant was missed"})
    runs = services.selection_runs(db_session, assembly)
    assert len(runs) == 2 and runs[0].panel == first.panel
    assert runs[1].reason == "A registrant was missed" and runs[1].status == "done"
    from citizen.shared.audit import AuditEvent
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "assembly.selection_rerun"))
    assert event is not None and event.details["reason"] == "A registrant was missed"


def test_public_draw_publishes_fingerprints_then_shows_the_chosen_one(
    organiser: FlaskClient, client: FlaskClient, db_session: Session,
) -> None:
    assembly = make_assembly(db_session, categories=["sex"], panel_size=2, reserves=0,
                             transparent_panels=12)
    services.save_targets(db_session, assembly, [("sex", "female", 1, 1), ("sex", "male", 1, 1)], 10, None)
    add_people(db_session, assembly, [{"sex": "female"}, {"sex": "male"}] * 4)
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    run = _latest_run(db_session, assembly)
    assert run.status == "awaiting_number" and run.panel == []
    fingerprints = run.transparent["fingerprints"]
    assert len(fingerprints) == 12
    page = client.get(f"/assembly/{assembly.slug}/draw").get_data(as_text=True)
    assert all(fp in page for fp in fingerprints)
    assert "The number has not been drawn yet." in page
    bad = organiser.post(f"/assembly/manage/{assembly.id}/runs/{run.id}/number", data={"number": "13"})
    assert bad.status_code == 302
    assert _latest_run(db_session, assembly).public_number is None
    organiser.post(f"/assembly/manage/{assembly.id}/runs/{run.id}/number", data={"number": "5"})
    run = _latest_run(db_session, assembly)
    assert run.status == "done" and run.public_number == 5
    refs = [db_session.get(Registrant, int(i)).ref for i in run.panel]  # type: ignore[union-attr]
    assert services.fingerprint(refs) == fingerprints[4]
    page = client.get(f"/assembly/{assembly.slug}/draw").get_data(as_text=True)
    assert f'<code id="chosen-fingerprint">{fingerprints[4]}</code>' in page
    assert f'<code id="announced-fingerprint">{fingerprints[4]}</code>' in page


def test_engine_errors_are_shown_in_plain_words(organiser: FlaskClient, db_session: Session) -> None:
    assembly = make_assembly(db_session, categories=["sex"], panel_size=4, reserves=0)
    services.save_targets(db_session, assembly, [("sex", "female", 2, 2), ("sex", "male", 2, 2)], 10, None)
    add_people(db_session, assembly, [{"sex": "female"}, {"sex": "male"}])
    organiser.post(f"/assembly/manage/{assembly.id}/select", data={})
    run = _latest_run(db_session, assembly)
    assert run.status == "failed" and run.diagnosis["code"] == "pool_too_small"
    page = organiser.get(f"/assembly/manage/{assembly.id}/runs/{run.id}").get_data(as_text=True)
    assert "Only 2 people are in the pool, fewer than the 4 seats." in page


@pytest.mark.redis
def test_selection_runs_as_a_job_on_real_redis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import redis
    from rq import Queue, SimpleWorker

    from citizen.jobs import QUEUE_NAME, redis_connection

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    url = fresh_database_url(os.environ.get("TEST_DATABASE_URL"), tmp_path, "assembly_redis")
    app: Flask = build_app(url, tmp_path / "instance", redis_url=REDIS_URL)
    connection = redis_connection(REDIS_URL)
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()
    with app.test_request_context(), unit_of_work(app) as session:
        assembly = services.save_assembly(session, assembly_data(categories=["sex"], panel_size=4,
                                                                 reserves=1), None)
        services.save_targets(session, assembly, [("sex", "female", 2, 2), ("sex", "male", 2, 2)],
                              10, None)
        add_people(session, assembly, [{"sex": "female"}, {"sex": "male"}] * 5)
        run = services.start_selection(session, assembly, None, ["organiser"])
        run_id, assembly_id = run.id, assembly.id
    with unit_of_work(app) as session:
        row = session.get(SelectionRun, run_id)
        assert row is not None and row.status == "queued" and row.job_id
    assert queue.count == 1
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CITIZEN_ENV", "test")
    monkeypatch.setenv("CITIZEN_INSTANCE_PATH", str(tmp_path / "instance"))
    SimpleWorker([queue], connection=connection).work(burst=True)
    job = queue.fetch_job(row.job_id)
    assert job is not None and job.return_value() == "done"
    with unit_of_work(app) as session:
        row = session.get(SelectionRun, run_id)
        assert row is not None and row.status == "done" and len(row.panel) == 4
        assembly = session.get(Assembly, assembly_id)
        assert assembly is not None
        members = services.members(session, assembly)
        assert sorted(m.role for m in members) == ["panel"] * 4 + ["reserve"]
    if url.startswith("postgresql"):
        return
    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
