"""Tables of the exports feature.

An ``ExportJob`` is one export a member of staff asked for: what (a consultation or the
pledges), which columns, dates, layout and format, whether contact details were included and
why, and the files it made. The files live in a private folder under the instance folder
(never under ``static/``), are served only to the person who asked, and are deleted after
seven days. The key that made the export's respondent codes is never stored, so codes cannot be
linked across exports or back to people.

``ExportContactPermission`` is an admin's grant letting one person include contact details.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citizen.db import Base, utcnow

JOB_STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed", "expired")


class ExportJob(Base):
    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the id in URLs: not guessable
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))  # consultation, pledges
    # No foreign key: an export is a snapshot and outlives a deleted consultation.
    consultation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(10))  # csv, xlsx, jsonl
    layout: Mapped[str] = mapped_column(String(10))  # wide, long
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    include_equality: Mapped[bool] = mapped_column(Boolean, default=False)
    include_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    error: Mapped[str | None] = mapped_column(String(300))
    row_count: Mapped[int | None] = mapped_column(Integer)
    # [{"name": "…csv", "size": 123, "kind": "data" | "dictionary" | "equality"}]
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    job_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def file(self, name: str) -> dict[str, Any] | None:
        return next((f for f in self.files or [] if f.get("name") == name), None)

    def __repr__(self) -> str:
        return f"<ExportJob {self.id} {self.source} {self.status}>"


class ExportContactPermission(Base):
    """An admin let this person include contact details in exports (they still give a reason
    each time). Removing the permission deletes the row; the audit log keeps the history."""

    __tablename__ = "export_contact_permission"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
