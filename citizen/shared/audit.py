"""The audit log: an append-only record of who did what to what, and when.

Nothing in the application updates or deletes an ``AuditEvent``; a test checks that no code
path does, and the model refuses changes after insert.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from citizen.db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(80), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(80))
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: object) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: object) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be deleted")


def _keyed_hash(message: bytes) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def hash_ip(ip: str | None) -> str | None:
    """A keyed hash of an IP address: lets staff see repeats without storing the address."""
    if not ip:
        return None
    return _keyed_hash(ip.encode())


def normalise_email(email: str | None) -> str:
    """An e-mail address as the features store it: stripped and lower-cased."""
    return (email or "").strip().lower()


def hash_email(email: str | None) -> str | None:
    """A keyed hash of an e-mail address (normalised first, so ``Sam@Example.org`` and
    ``sam@example.org`` hash alike): audit details can show that two staff actions were about
    the same person without holding the address. Not the same hash as an IP address's."""
    address = normalise_email(email)
    if not address:
        return None
    return _keyed_hash(b"email:" + address.encode())


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: object = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (flushed with the caller's unit of work)."""
    ip = request.remote_addr if has_request_context() else None
    audit_event = AuditEvent(
        action=action,
        actor_id=actor_id,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip_hash=hash_ip(ip),
        details=details or {},
    )
    session.add(audit_event)
    return audit_event
