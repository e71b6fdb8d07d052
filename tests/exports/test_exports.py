"""Exports end to end (jobs inline): permissions, pseudonymity, columns, redaction, equality
summary, contact details, the private download list, expiry and the audit of downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.db import utcnow
from citizen.exports.models import ExportJob
from citizen.shared.audit import AuditEvent
from tests.exports.conftest import Seeded, person, seed_consultation
from tests.exports.xlsx_reader import Workbook

ALL_META = ["submitted_at", "channel", "locale", "place"]
ALL_QUESTIONS = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+\.[\w.]+")


def start(client: FlaskClient, what: str, **fields: object) -> ExportJob:
    data: dict[str, object] = {"columns": ALL_META + ALL_QUESTIONS, "layout": "wide",
                               "file_format": "csv", "include_equality": "no"}
    data.update(fields)
    response = client.post(f"/exports/new?what={what}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/exports/")
    return latest_job(client)


def latest_job(client: FlaskClient) -> ExportJob:
    from citizen.db import get_database

    app = client.application
    with get_database(app).session_factory() as session:
        job = session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
        assert job is not None
        session.expunge(job)
        return job


def files_of(client: FlaskClient, job: ExportJob) -> dict[str, bytes]:
    assert job.status == "done", (job.status, job.error)
    page = client.get("/exports/").get_data(as_text=True)
    out = {}
    for entry in job.files:
        url = f"/exports/{job.token}/{entry['name']}"
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
        out[entry["kind"]] = response.data
    return out


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def everything_in(kind_to_bytes: dict[str, bytes], fmt: str) -> bytes:
    """Every byte a person could read from the files, with zips (xlsx, jsonl) opened."""
    blob = b""
    for data in kind_to_bytes.values():
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    blob += archive.read(name)
        else:
            blob += data
    return blob


@pytest.fixture()
def seeded(db_session: Session) -> Seeded:
    return seed_consultation(db_session, responses=12, equality=14)


# ---------------------------------------------------------------- who may export


@pytest.mark.parametrize("roles", [("resident",), ("resident", "organisation_member")])
def test_residents_and_organisation_members_get_403(app: Flask, db_session: Session, seeded: Seeded,
                                                    roles: tuple[str, ...]) -> None:
    _user, client = person(app, db_session, *roles)
    what = f"consultation-{seeded.consultation_id}"
    assert client.get("/exports/").status_code == 403
    assert client.get(f"/exports/new?what={what}").status_code == 403
    assert client.post(f"/exports/new?what={what}", data={"columns": ["Q1"]}).status_code == 403
    assert client.get("/exports/contact-permissions").status_code == 403
    assert client.get("/exports/0123456789abcdef0123456789abcdef/x.csv").status_code == 403


def test_nobody_signed_in_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/exports/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["moderator", "organiser", "admin"])
def test_staff_may_export(app: Flask, db_session: Session, seeded: Seeded, role: str) -> None:
    _user, client = person(app, db_session, role)
    page = client.get("/exports/").get_data(as_text=True)
    assert f"consultation-{seeded.consultation_id}" in page
    form = client.get(f"/exports/new?what=consultation-{seeded.consultation_id}")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert "Q2: Tell us more" in text
    assert "contact_email" not in text, "no contact details without an admin's permission"


def test_only_admins_manage_contact_permission(app: Flask, db_session: Session) -> None:
    for role in ("moderator", "organiser"):
        _user, client = person(app, db_session, role)
        assert client.get("/exports/contact-permissions").status_code == 403
        assert client.post("/exports/contact-permissions",
                           data={"email": "x@y.example", "reason": "because I say so"}).status_code == 403


# ---------------------------------------------------------------- pseudonymous by default


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
@pytest.mark.parametrize("layout", ["wide", "long"])
def test_default_export_has_no_email_anywhere(app: Flask, db_session: Session, seeded: Seeded,
                                              fmt: str, layout: str) -> None:
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}", file_format=fmt, layout=layout,
                include_equality="yes")
    files = files_of(client, job)
    blob = everything_in(files, fmt)
    for email in seeded.emails:
        assert email.encode() not in blob
    assert not EMAIL.search(blob), EMAIL.search(blob)
    assert b"07700 900123" not in blob and b"07700 900002" not in blob
    assert b"CV1 2AB" not in blob
    assert b"[phone number removed]" in blob and b"[email address removed]" in blob
    expected = {"csv": {"data", "dictionary", "equality"}, "xlsx": {"data", "equality"},
                "jsonl": {"data", "equality"}}[fmt]
    assert set(files) == expected


def test_wide_csv_rows_codes_and_values(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "organiser")
    job = start(client, f"consultation-{seeded.consultation_id}")
    files = files_of(client, job)
    rows = read_csv(files["data"])
    assert len(rows) == 12 == job.row_count, "drafts are left out"
    assert list(rows[0]) == ["respondent", *ALL_META, "Q1", "Q2", "Q3", "Q3_other", "Q4_s1",
                             "Q4_s2", "Q5", "Q6"]
    codes = [r["respondent"] for r in rows]
    assert all(re.fullmatch(r"R[0-9A-F]{15}", c) for c in codes)
    assert codes[0] == codes[1], "the same signed-in resident has the same code"
    assert len(set(codes)) == 11
    first = rows[0]
    assert first["Q3"] == "o1; o3" and first["Q4_s1"] == "agree" and first["Q4_s2"] == "disagree"
    assert first["channel"] == "online" and first["place"] == "coventry"
    assert first["submitted_at"] == "2026-11-02T10:00:00+00:00"
    assert rows[3]["Q5"] == "15" and rows[3]["Q6"] == "4"
    assert rows[1]["Q2"] == "'=HYPERLINK(\"[web address removed]\",\"click\")", "neutralised"
    assert rows[2]["Q3_other"] == "by bus, ring [phone number removed]"
    assert rows[0]["Q2"].startswith("The nurse was kind. Call me on [phone number removed]")
    dictionary = read_csv(files["dictionary"])
    by_column = {d["column"]: d for d in dictionary}
    assert by_column["Q1"]["values"] == "o1 = Yes; o2 = No; o3 = Sometimes"
    assert by_column["Q4_s1"]["label"] == "How far do you agree?: Fees are fair"
    assert "discarded" in by_column["respondent"]["description"]
    assert [d["column"] for d in dictionary] == list(rows[0])


def test_codes_differ_between_exports(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    what = f"consultation-{seeded.consultation_id}"
    first = read_csv(files_of(client, start(client, what))["data"])
    second = read_csv(files_of(client, start(client, what))["data"])
    assert not {r["respondent"] for r in first} & {r["respondent"] for r in second}


def test_column_selection_and_dates(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}", columns=["channel", "Q1", "Q5"],
                date_from="2026-11-04", date_to="2026-11-06")
    rows = read_csv(files_of(client, job)["data"])
    assert list(rows[0]) == ["respondent", "channel", "Q1", "Q5"]
    assert [r["Q5"] for r in rows] == ["10", "15", "20"], "only 4, 5 and 6 November"


def test_long_layout_one_row_per_answer(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}", layout="long",
                columns=["Q1", "Q2", "Q4"])
    rows = read_csv(files_of(client, job)["data"])
    assert list(rows[0]) == ["respondent", "question", "question_text", "answer", "text_check"]
    assert len(rows) == 12 * 4  # Q1, Q2, Q4_s1, Q4_s2
    first = [r for r in rows if r["respondent"] == rows[0]["respondent"]][:4]
    assert [r["question"] for r in first] == ["Q1", "Q2", "Q4_s1", "Q4_s2"]
    assert {r["text_check"] for r in rows if r["question"] == "Q2"} == {"automatic"}


def test_bad_input_is_explained_and_kept(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    url = f"/exports/new?what=consultation-{seeded.consultation_id}"
    response = client.post(url, data={"columns": [], "layout": "wide", "file_format": "xlsx",
                                      "date_from": "31/02/2026", "date_to": "2026-11-01"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose at least one column" in page and "Enter a real date" in page
    assert 'value="xlsx" checked' in page and 'value="31/02/2026"' in page
    reversed_dates = client.post(url, data={"columns": ["Q1"], "layout": "wide", "file_format": "csv",
                                            "date_from": "2026-11-05", "date_to": "2026-11-01"})
    assert reversed_dates.status_code == 400
    assert "The end date must be the same as or after the start date" in reversed_dates.get_data(as_text=True)
    assert client.get("/exports/new?what=consultation-999999").status_code == 404
    assert client.get("/exports/new?what=nonsense").status_code == 404


# ---------------------------------------------------------------- moderation decides the text


def test_moderators_redactions_reach_the_export(app: Flask, db_session: Session, seeded: Seeded) -> None:
    from citizen.moderation import services as moderation

    moderator, client = person(app, db_session, "moderator")
    reviewed = seeded.answer_ids["Q2-2"]  # "Parking is hard near the hospital at CV1 2AB"
    item = moderation.submit(db_session, kind="answer", target_id=reviewed,
                             text="Parking is hard near the hospital at CV1 2AB")
    moderation.redact_phrase(db_session, item, "the hospital", moderator.id)
    moderation.approve(db_session, item, moderator.id)
    escalated = seeded.answer_ids["Q2-0"]
    item2 = moderation.submit(db_session, kind="answer", target_id=escalated, text="worrying text")
    moderation.escalate(db_session, item2, moderator.id, reason_text="safeguarding")
    db_session.flush()
    job = start(client, f"consultation-{seeded.consultation_id}", layout="long", columns=["Q2"])
    rows = read_csv(files_of(client, job)["data"])
    by_text = {r["answer"]: r["text_check"] for r in rows}
    assert by_text["Parking is hard near [personal details removed] at [postcode removed]"] == "reviewed"
    assert by_text["[withheld: under safeguarding review]"] == "withheld"
    assert "worrying text" not in by_text


# ---------------------------------------------------------------- equality monitoring


def test_equality_summary_suppresses_small_groups(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}", include_equality="yes")
    rows = read_csv(files_of(client, job)["equality"])
    table = {(r["category"], r["value"]): r["count"] for r in rows}
    assert table[("all", "total")] == "14"
    # 10 aged 25-34, 2 aged 85+ and 2 aged 16-24: the small groups are hidden.
    assert table[("age_band", "25-34")] == "10"
    assert table[("age_band", "85+")] == "<10" and table[("age_band", "16-24")] == "<10"
    assert table[("gender_identity", "not_answered")] == "14"
    # 13 white, 1 asian: hiding only the 1 would let it be worked out from 14, so both hide.
    assert table[("ethnic_group", "asian")] == "<10" and table[("ethnic_group", "white")] == "<10"
    assert table[("sex", "female")] == "<10" and table[("sex", "male")] == "<10"
    assert all(c == "<10" or int(c) >= 10 for c in table.values())
    # The response file carries nothing from equality monitoring.
    data = read_csv(files_of(client, job)["data"])
    assert "age_band" not in data[0] and "ethnic_group" not in data[0]


def test_equality_summary_of_fewer_than_10_people_shows_nothing(app: Flask, db_session: Session) -> None:
    seeded = seed_consultation(db_session, responses=3, equality=5)
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}", include_equality="yes")
    rows = read_csv(files_of(client, job)["equality"])
    assert rows == [{"category": "all", "value": "total", "count": "<10"}]


# ---------------------------------------------------------------- contact details


def test_contact_details_need_permission_and_a_reason(app: Flask, db_session: Session,
                                                      seeded: Seeded) -> None:
    admin, admin_client = person(app, db_session, "admin")
    organiser, client = person(app, db_session, "organiser")
    what = f"consultation-{seeded.consultation_id}"
    # Without permission the contact columns are ignored: still pseudonymous.
    job = start(client, what, contact_columns=["contact_email"], contact_reason="I want them all")
    assert not job.include_contact
    assert not EMAIL.search(everything_in(files_of(client, job), "csv"))
    # An admin grants it, with a reason; both recorded.
    refused = admin_client.post("/exports/contact-permissions",
                                data={"email": organiser.email, "reason": "short"})
    assert refused.status_code == 400 and "Say why (at least 10 characters)" in refused.get_data(as_text=True)
    granted = admin_client.post("/exports/contact-permissions",
                                data={"email": organiser.email,
                                      "reason": "Runs the follow-up interviews for this consultation"})
    assert granted.status_code == 302
    assert organiser.email in admin_client.get("/exports/contact-permissions").get_data(as_text=True)
    form = client.get(f"/exports/new?what={what}").get_data(as_text=True)
    assert 'value="contact_email"' in form
    # A reason is needed each time.
    no_reason = client.post(f"/exports/new?what={what}",
                            data={"columns": ["Q1"], "layout": "wide", "file_format": "csv",
                                  "contact_columns": ["contact_email"], "contact_reason": ""})
    assert no_reason.status_code == 400
    assert "Say why you need contact details" in no_reason.get_data(as_text=True)
    reason = "Inviting people who agreed to a follow-up interview"
    job = start(client, what, columns=["Q1"], contact_columns=["contact_email"], contact_reason=reason)
    assert job.include_contact and job.contact_reason == reason
    rows = read_csv(files_of(client, job)["data"])
    assert list(rows[0]) == ["respondent", "Q1", "contact_email"]
    assert {r["contact_email"] for r in rows} == set(seeded.emails[1:])
    assert "contact details" in client.get("/exports/").get_data(as_text=True).lower()
    events = list(db_session.scalars(select(AuditEvent).where(AuditEvent.action.like("export.%"))
                                      .order_by(AuditEvent.id)))
    actions = [(e.action, e.actor_id) for e in events]
    assert ("export.contact_permission_granted", admin.id) in actions
    assert ("export.contact_details_included", organiser.id) in actions
    included = next(e for e in events if e.action == "export.contact_details_included")
    assert included.details["reason"] == reason
    grant = next(e for e in events if e.action == "export.contact_permission_granted")
    assert grant.target_id == str(organiser.id) and "follow-up" in grant.details["reason"]
    # Removing the permission is recorded and takes effect.
    assert admin_client.post(f"/exports/contact-permissions/{organiser.id}/remove").status_code == 302
    assert 'value="contact_email"' not in client.get(f"/exports/new?what={what}").get_data(as_text=True)
    assert db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "export.contact_permission_revoked")) is not None


def test_permission_only_for_staff(app: Flask, db_session: Session) -> None:
    from tests.accounts.conftest import make_user

    _admin, client = person(app, db_session, "admin")
    resident = make_user(db_session, "someone-resident@people.example", "resident")
    response = client.post("/exports/contact-permissions",
                           data={"email": resident.email, "reason": "They asked nicely for it"})
    assert response.status_code == 400
    assert "Only moderators, organisers and admins" in response.get_data(as_text=True)


# ---------------------------------------------------------------- downloads: private, audited, 7 days


def test_downloads_are_private_audited_and_expire(app: Flask, db_session: Session, seeded: Seeded) -> None:
    owner, client = person(app, db_session, "moderator")
    _other, other_client = person(app, db_session, "admin")
    job = start(client, f"consultation-{seeded.consultation_id}", file_format="xlsx")
    assert job.expires_at - job.created_at == timedelta(days=7)
    url = f"/exports/{job.token}/{job.files[0]['name']}"
    # Another member of staff, even an admin, neither sees nor downloads it.
    assert job.token not in other_client.get("/exports/").get_data(as_text=True)
    assert other_client.get(url).status_code == 404
    assert client.get(f"/exports/{job.token}/../../secret_key").status_code == 404
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    downloads = list(db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.downloaded", AuditEvent.target_id == str(job.id))))
    assert len(downloads) == 2 and all(e.actor_id == owner.id for e in downloads)
    assert downloads[0].details["file"] == job.files[0]["name"]
    requested = db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "export.requested", AuditEvent.target_id == str(job.id)))
    assert requested is not None and requested.details["columns"] == ALL_META + ALL_QUESTIONS
    # The file sits in a private folder under the instance folder.
    folder = Path(app.instance_path) / "exports" / job.token
    path = folder / job.files[0]["name"]
    assert path.is_file() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    workbook = Workbook(path)
    assert workbook.sheetnames == ["Data", "Data dictionary"] and not workbook.has_formula
    # Seven days later it is gone: not listed, not downloadable, files deleted.
    stored = db_session.get(ExportJob, job.id)
    assert stored is not None
    stored.expires_at = utcnow() - timedelta(minutes=1)
    db_session.flush()
    assert client.get(url).status_code == 410
    page = client.get("/exports/").get_data(as_text=True)
    assert job.token not in page
    assert not folder.exists()
    db_session.refresh(stored)
    assert stored.status == "expired" and stored.files == []


def test_purge_command(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}")
    stored = db_session.get(ExportJob, job.id)
    assert stored is not None
    stored.expires_at = utcnow() - timedelta(days=1)
    db_session.flush()
    result = app.test_cli_runner().invoke(args=["exports", "purge"])
    assert result.exit_code == 0 and "expired exports deleted" in result.output
    assert not (Path(app.instance_path) / "exports" / job.token).exists()


def test_jsonl_zip_contents(app: Flask, db_session: Session, seeded: Seeded) -> None:
    _user, client = person(app, db_session, "moderator")
    job = start(client, f"consultation-{seeded.consultation_id}", file_format="jsonl", columns=["Q1", "Q5"])
    data = files_of(client, job)["data"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        records = [json.loads(line) for line in archive.read("data.jsonl").splitlines()]
        dictionary = json.loads(archive.read("data_dictionary.json"))
    assert records[3] == {"respondent": records[3]["respondent"], "Q1": "o1", "Q5": 15}
    assert [c["column"] for c in dictionary["columns"]] == ["respondent", "Q1", "Q5"]
