"""Export cells kept on each response: written on submission and on every change, rebuilt when
missing or out of date, and giving exactly the export the answers give."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from citizen.consultations import services
from citizen.consultations.models import Answer, Consultation, Response
from citizen.exports.cells import CELLS_VERSION, Layout, answers_of, build_cells, refresh
from citizen.exports.redaction import Redactor
from citizen.exports.sources import _iso_from_text
from citizen.moderation import pii
from tests.consultations.helpers import every_kind
from tests.exports.conftest import person, seed_consultation
from tests.exports.test_exports import files_of, start

EVERYTHING = {"Q1": "o2", "Q2": {"selected": ["o1", "o3"], "other": "by bus, ring 07700 900123"},
              "Q3": "o2", "Q4": "-Sam", "Q5": "agree", "Q6": "4", "Q7": "7", "Q8": "2026-03-14",
              "Q9": ["o3", "o1", "o2"], "Q10": {"s1": "agree", "s2": "disagree"},
              "Q11": "=SUM(A1) ring 07700 900456"}


def respond(session: Session, c: Consultation, values: dict[str, object], *,
            consent_publish: bool = False) -> Response:
    response = services.draft_for(session, c, secrets.token_urlsafe(24), "en")
    by_code = {q.code: q for q in c.questions()}
    services.save_answers(session, c, response, {by_code[k]: v for k, v in values.items()})
    services.submit(session, c, response, email=None, consent_contact=False,
                    consent_publish=consent_publish, equality=None)
    return response


def stored(session: Session, c: Consultation, response: Response) -> tuple[dict[str, object], int | None]:
    """The stored cells by key (unanswered keys left out), and their version."""
    cells, version = session.execute(
        select(Response.export_cells, Response.export_cells_version).where(Response.id == response.id)
    ).one()
    row = json.loads(cells)
    layout = Layout(c.questions())
    assert row[0] == layout.fingerprint and len(row) == len(layout.keys) + 1
    return {k: v for k, v in zip(layout.keys, row[1:], strict=True) if v is not None}, version


def rebuilt(session: Session, c: Consultation, response: Response) -> dict[str, object]:
    questions = {q.id: q for q in c.questions()}
    return build_cells(questions, answers_of(session, [response.id])[response.id], Redactor())


def test_submission_stores_the_cells_of_the_answers(app: Flask, db_session: Session) -> None:
    c = every_kind(db_session)
    response = respond(db_session, c, EVERYTHING)
    cells, version = stored(db_session, c, response)
    assert version == CELLS_VERSION
    assert cells == rebuilt(db_session, c, response)
    q = {x.code: str(x.id) for x in c.questions()}
    assert cells[q["Q2"]] == "o1; o3; _other"  # "_other": the "other" box was used
    assert cells[q["Q2"] + "o"] == "by bus, ring [phone number removed]"
    assert cells[q["Q9"]] == "o3; o1; o2"
    assert cells[q["Q10"] + ":s1"] == "agree" and cells[q["Q10"] + ":s2"] == "disagree"
    assert cells[q["Q7"]] == 7 and cells[q["Q6"]] == 4 and cells[q["Q8"]] == "2026-03-14"
    # Personal data removed and formula starters neutralised once, at submission.
    assert cells[q["Q11"]] == "'=SUM(A1) ring [phone number removed]"
    assert cells[q["Q4"]] == "'-Sam"
    assert isinstance(cells[q["Q11"] + "#"], int)


def test_a_change_after_submission_refreshes_the_cells(app: Flask, db_session: Session) -> None:
    c = every_kind(db_session)
    response = respond(db_session, c, EVERYTHING)
    by_code = {x.code: x for x in c.questions()}
    services.save_answers(db_session, c, response, {by_code["Q11"]: "Changed my mind",
                                                   by_code["Q4"]: None})
    cells, version = stored(db_session, c, response)
    assert version == CELLS_VERSION
    assert cells[str(by_code["Q11"].id)] == "Changed my mind"
    assert str(by_code["Q4"].id) not in cells
    assert cells == rebuilt(db_session, c, response)


def _data_rows(client: FlaskClient, consultation_id: int, layout: str, fmt: str) -> list[list[str]]:
    """The export's data rows without the respondent codes (new for every export)."""
    job = start(client, f"consultation-{consultation_id}", layout=layout, file_format=fmt,
                columns=["submitted_at", "channel", "locale", "place",
                         *[f"Q{i}" for i in range(1, 13)]])
    data = files_of(client, job)["data"]
    if fmt == "jsonl":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            lines = archive.read("data.jsonl").decode().splitlines()
        return [[json.dumps(v) for k, v in json.loads(line).items() if k != "respondent"]
                for line in lines]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [row[1:] for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("layout", ["wide", "long"])
def test_stored_missing_and_old_cells_export_the_same(app: Flask, db_session: Session, layout: str,
                                                      fmt: str) -> None:
    from citizen.moderation import services as moderation

    c = every_kind(db_session)
    respond(db_session, c, EVERYTHING, consent_publish=True)
    respond(db_session, c, {**EVERYTHING, "Q11": "Dr Patel at CV1 2AB was great"}, consent_publish=True)
    respond(db_session, c, {**EVERYTHING, "Q11": "worrying", "Q2": {"selected": ["o2"], "other": None}},
            consent_publish=True)
    respond(db_session, c, {"Q1": "o1", "Q5": "disagree", "Q12": "Because"})
    moderator, client = person(app, db_session, "moderator")
    q11 = next(q for q in c.questions() if q.code == "Q11")
    answer_ids = {text: aid for aid, text in db_session.execute(
        select(Answer.id, Answer.value_text).where(Answer.question_id == q11.id))}
    reviewed = moderation.find_item(db_session, "answer", answer_ids["Dr Patel at CV1 2AB was great"])
    assert reviewed is not None
    moderation.redact_phrase(db_session, reviewed, "was great", moderator.id)
    moderation.approve(db_session, reviewed, moderator.id)
    worrying = moderation.find_item(db_session, "answer", answer_ids["worrying"])
    assert worrying is not None
    moderation.escalate(db_session, worrying, moderator.id, reason_text="safeguarding")
    db_session.flush()

    with_stored = _data_rows(client, c.id, layout, fmt)
    joined = json.dumps(with_stored)
    assert "07700" not in joined and "worrying" not in joined and "Dr Patel" not in joined
    assert "[withheld: under safeguarding review]" in joined
    assert "[personal details removed]" in joined  # the moderator's redaction
    if layout == "long":
        assert "reviewed" in joined and "withheld" in joined

    db_session.execute(update(Response).where(Response.consultation_id == c.id)
                       .values(export_cells=None, export_cells_version=None))
    assert _data_rows(client, c.id, layout, fmt) == with_stored
    db_session.execute(update(Response).where(Response.consultation_id == c.id)
                       .values(export_cells='{"1": "stale"}', export_cells_version=CELLS_VERSION - 1))
    assert _data_rows(client, c.id, layout, fmt) == with_stored
    # Current version but another layout (as if the questions had changed since): rebuilt too.
    db_session.execute(update(Response).where(Response.consultation_id == c.id)
                       .values(export_cells='["000000000000", "stale"]', export_cells_version=CELLS_VERSION))
    assert _data_rows(client, c.id, layout, fmt) == with_stored


def test_refresh_stores_missing_cells_once(app: Flask, db_session: Session) -> None:
    seeded = seed_consultation(db_session, responses=5)  # answers written directly: no cells
    assert refresh(db_session, seeded.consultation_id) == 5
    assert refresh(db_session, seeded.consultation_id) == 0
    versions = set(db_session.scalars(select(Response.export_cells_version)
                                      .where(Response.consultation_id == seeded.consultation_id,
                                             Response.status == "submitted")))
    assert versions == {CELLS_VERSION}
    assert refresh(db_session, seeded.consultation_id, all_rows=True) == 5


def test_refresh_command(app: Flask, db_session: Session) -> None:
    seeded = seed_consultation(db_session, responses=3)
    result = app.test_cli_runner().invoke(args=["exports", "refresh-cells"])
    assert result.exit_code == 0, result.output
    assert "Export cells stored for" in result.output
    assert None not in set(db_session.scalars(
        select(Response.export_cells).where(Response.consultation_id == seeded.consultation_id,
                                            Response.status == "submitted")))


def test_detector_changes_come_with_a_new_version() -> None:
    """Exports keep each answer's automatic redaction: a change to the detector must bump
    DETECTOR_VERSION (so older cells are rebuilt), then record the file's new digest here."""
    digest = hashlib.sha256(Path(pii.__file__).read_bytes()).hexdigest()
    assert (pii.DETECTOR_VERSION, digest) == (
        1, "7e4fb7f9b8f7477a56a651a46082a17195e64a7dbf6828fdbcb76895ca511de5")


@pytest.mark.parametrize("when", [datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                                  datetime(2026, 11, 30, 23, 59, 59, 120, tzinfo=UTC)])
def test_times_read_as_text_are_written_as_isoformat(when: datetime) -> None:
    assert _iso_from_text(when.strftime("%Y-%m-%d %H:%M:%S.%f")) == when.isoformat()
    assert _iso_from_text(when.strftime("%Y-%m-%d %H:%M:%S")) == when.replace(microsecond=0).isoformat()


def test_submission_times_in_the_export(app: Flask, db_session: Session) -> None:
    """Read as text from either database, written exactly as ISO 8601 in UTC."""
    seeded = seed_consultation(db_session, responses=2)
    exact = datetime(2026, 6, 1, 12, 30, 15, 250000, tzinfo=UTC)
    response = db_session.get(Response, seeded.response_ids[1])
    assert response is not None
    response.submitted_at = exact
    db_session.flush()
    _user, client = person(app, db_session, "moderator")
    rows = _data_rows(client, seeded.consultation_id, "wide", "csv")
    assert [row[0] for row in rows[1:]] == ["2026-11-02T10:00:00+00:00", "2026-06-01T12:30:15.250000+00:00"]


def test_read_ahead_keeps_order_and_passes_errors_on() -> None:
    from citizen.exports.sources import _read_ahead

    batches = iter([[1, 2], [3], [4, 5, 6], []])
    assert list(_read_ahead(lambda: next(batches))) == [[1, 2], [3], [4, 5, 6]]

    def broken() -> list[int]:
        raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError, match="connection lost"):
        list(_read_ahead(broken))


def test_read_ahead_stops_its_reader_when_the_export_stops_early() -> None:
    """An export that fails half-way closes the generator: the reading thread must stop (it
    shares the database connection) before the cursor is closed."""
    import threading

    from citizen.exports.sources import _read_ahead

    fetched = []

    def endless() -> list[int]:
        fetched.append(len(fetched))
        return [len(fetched)]

    reader = _read_ahead(endless, depth=2)
    assert next(reader) == [1]
    reader.close()
    assert not any(t.name == "export-read-ahead" for t in threading.enumerate())
    assert len(fetched) <= 4  # one returned, at most two queued, one in hand
