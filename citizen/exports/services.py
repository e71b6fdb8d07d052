"""Export jobs: asking for one, running it in the background, the private download list.

Who may export: moderators, organisers and admins (``EXPORT_ROLES``). Contact details need, on
top, an admin's grant (``ExportContactPermission``) and a reason given each time; both are in
the audit log. Every download is in the audit log. Files are kept seven days.

Services flush, never commit. A job is queued only once the request that asked for it has
committed (see :func:`queue_after_commit`), so a worker always finds its ``ExportJob``.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from citizen.db import utcnow
from citizen.exports.models import ExportContactPermission, ExportJob
from citizen.shared import audit

log = logging.getLogger("citizen.exports")

EXPORT_ROLES: tuple[str, ...] = ("moderator", "organiser", "admin")
FORMATS: tuple[str, ...] = ("csv", "xlsx", "jsonl")
LAYOUTS: tuple[str, ...] = ("wide", "long")
KEEP_FOR = timedelta(days=7)
REASON_MIN = 10


class ExportError(ValueError):
    """A request that cannot be honoured; ``code`` says why (the view words it)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class ExportRequest:
    source: str  # consultation, pledges
    consultation_id: int | None
    file_format: str
    layout: str
    columns: list[str]
    date_from: date | None = None
    date_to: date | None = None
    include_equality: bool = False
    include_contact: bool = False
    contact_reason: str = ""


# ---------------------------------------------------------------- contact-details permission


def may_include_contact(session: Session, user: User | None) -> bool:
    if user is None:
        return False
    return session.scalar(
        select(ExportContactPermission.id).where(ExportContactPermission.user_id == user.id)
    ) is not None


def contact_permissions(session: Session) -> list[tuple[ExportContactPermission, User]]:
    rows = session.execute(
        select(ExportContactPermission, User).join(User, User.id == ExportContactPermission.user_id)
        .order_by(User.email)
    )
    return [(grant, user) for grant, user in rows]


def grant_contact_permission(session: Session, admin: User, email: str, reason: str) -> User:
    """Let the staff member with ``email`` include contact details (an admin's decision)."""
    from citizen.shared.permissions import STAFF_ROLES

    person = session.scalar(select(User).where(User.email == email.strip().lower()))
    if person is None:
        raise ExportError("no_such_person", "email")
    if not (person.role_names & set(EXPORT_ROLES) & STAFF_ROLES):
        raise ExportError("not_staff", "email")
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise ExportError("reason_too_short", "reason")
    if may_include_contact(session, person):
        raise ExportError("already_granted", "email")
    session.add(ExportContactPermission(user_id=person.id, granted_by_id=admin.id, reason=reason))
    audit.record(session, "export.contact_permission_granted", actor_id=admin.id,
                 target_type="user", target_id=person.id, details={"reason": reason})
    session.flush()
    return person


def revoke_contact_permission(session: Session, admin: User, user_id: int) -> bool:
    grant = session.scalar(
        select(ExportContactPermission).where(ExportContactPermission.user_id == user_id)
    )
    if grant is None:
        return False
    session.delete(grant)
    audit.record(session, "export.contact_permission_revoked", actor_id=admin.id,
                 target_type="user", target_id=user_id)
    session.flush()
    return True


# ---------------------------------------------------------------- asking for an export


def request_export(session: Session, user: User, req: ExportRequest) -> ExportJob:
    """Check ``req``, record it (and the audit entries), and return the queued job.

    The caller queues the job with :func:`queue_after_commit` once the job row exists."""
    from citizen.exports.sources import contact_keys, source_for

    if req.file_format not in FORMATS:
        raise ExportError("bad_format", "file_format")
    if req.layout not in LAYOUTS:
        raise ExportError("bad_layout", "layout")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise ExportError("dates_reversed", "date_to")
    try:
        source = source_for(session, req.source, req.consultation_id)
    except LookupError:
        raise ExportError("no_such_source") from None
    choices = source.choices()
    known = {c.key for c in choices}
    columns = [key for key in req.columns if key in known]
    if not columns:
        raise ExportError("no_columns", "columns")
    contact = contact_keys(choices)
    wants_contact = req.include_contact or bool(set(columns) & contact)
    reason = (req.contact_reason or "").strip()
    if wants_contact:
        if not may_include_contact(session, user):
            raise ExportError("no_contact_permission", "include_contact")
        if not set(columns) & contact:
            raise ExportError("no_contact_columns", "columns")
        if len(reason) < REASON_MIN:
            raise ExportError("reason_needed", "contact_reason")
    include_equality = bool(req.include_equality and source.has_equality())
    now = utcnow()
    job = ExportJob(
        token=secrets.token_hex(16), requested_by_id=user.id, source=source.name,
        consultation_id=req.consultation_id if source.name == "consultation" else None,
        title=source.title[:200], file_format=req.file_format, layout=req.layout, columns=columns,
        date_from=req.date_from, date_to=req.date_to, include_equality=include_equality,
        include_contact=wants_contact, contact_reason=reason if wants_contact else None,
        status="queued", files=[], created_at=now, expires_at=now + KEEP_FOR,
    )
    session.add(job)
    session.flush()
    details: dict[str, Any] = {
        "source": job.source, "consultation_id": job.consultation_id, "format": job.file_format,
        "layout": job.layout, "columns": columns, "equality": include_equality,
        "date_from": job.date_from.isoformat() if job.date_from else None,
        "date_to": job.date_to.isoformat() if job.date_to else None,
        "contact_details": wants_contact,
    }
    audit.record(session, "export.requested", actor_id=user.id, target_type="export",
                 target_id=job.id, details=details)
    if wants_contact:
        audit.record(session, "export.contact_details_included", actor_id=user.id,
                     target_type="export", target_id=job.id,
                     details={"reason": reason, "columns": sorted(set(columns) & contact)})
    session.flush()
    return job


def queue_after_commit(job: ExportJob) -> None:
    """Queue ``job`` once the request has committed (the blueprint's teardown does it)."""
    pending: list[int] = g.setdefault("exports_to_queue", [])
    pending.append(job.id)


def queue_pending(app: Flask, failed: bool) -> None:
    """Called at the end of a request: queue the jobs it asked for if it committed."""
    pending: list[int] = g.pop("exports_to_queue", [])
    if failed or not pending:
        return
    from citizen.exports.jobs import run_export
    from citizen.jobs import enqueue

    for export_id in pending:
        try:
            handle = enqueue(run_export, export_id, app=app)
        except Exception:  # Redis down: say so on the list; never a 500 after a commit
            log.exception("could not queue export %s", export_id)
            _mark(app, export_id, status="failed", error="queue_unavailable")
            continue
        if not handle.finished:
            _mark(app, export_id, job_id=handle.id)


def _mark(app: Flask, export_id: int, **values: Any) -> None:
    from citizen.db import unit_of_work

    with unit_of_work(app) as session:
        job = session.get(ExportJob, export_id)
        if job is not None and job.status in ("queued", "running"):
            for name, value in values.items():
                setattr(job, name, value)


# ---------------------------------------------------------------- the download list


def export_root(app: Flask | None = None) -> Path:
    app = app or current_app
    return Path(app.instance_path) / "exports"


def folder_of(job: ExportJob, app: Flask | None = None) -> Path:
    return export_root(app) / job.token


def downloads_for(session: Session, user: User, now: datetime | None = None) -> list[ExportJob]:
    """The person's own exports that have not expired, newest first."""
    now = now or utcnow()
    return list(session.scalars(
        select(ExportJob).where(ExportJob.requested_by_id == user.id, ExportJob.expires_at > now,
                                ExportJob.status != "expired")
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
    ))


def job_for(session: Session, user: User, token: str) -> ExportJob | None:
    return session.scalar(
        select(ExportJob).where(ExportJob.token == token, ExportJob.requested_by_id == user.id)
    )


class Gone(LookupError):
    """The export expired (files deleted)."""


def download(session: Session, user: User, token: str, name: str,
             now: datetime | None = None) -> tuple[Path, dict[str, Any]]:
    """The file to send, after checking it is the person's own and still kept; audited."""
    job = job_for(session, user, token)
    if job is None:
        raise LookupError(token)
    if _aware(job.expires_at) <= (now or utcnow()) or job.status == "expired":
        raise Gone(token)
    entry = job.file(name) if job.status == "done" else None
    if entry is None:
        raise LookupError(name)
    path = folder_of(job) / entry["name"]
    if not path.is_file():
        raise Gone(name)
    audit.record(session, "export.downloaded", actor_id=user.id, target_type="export",
                 target_id=job.id, details={"file": entry["name"], "kind": entry.get("kind"),
                                            "contact_details": job.include_contact})
    session.flush()
    return path, entry


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def purge_expired(session: Session, app: Flask | None = None, now: datetime | None = None) -> int:
    """Delete the files of exports past their seven days (the rows stay, marked expired)."""
    now = now or utcnow()
    root = export_root(app)
    count = 0
    for job in session.scalars(
        select(ExportJob).where(ExportJob.expires_at <= now, ExportJob.status != "expired")
    ):
        folder = root / job.token
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        job.status = "expired"
        job.files = []
        count += 1
    session.flush()
    return count


def make_private_folder(path: Path) -> Path:
    """A folder only this process's user can read."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
