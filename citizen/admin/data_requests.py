"""Personal data requests: everything held about one e-mail address, for the person to see
(a subject access response) or to delete on their request.

Each feature finds its records, describes them for the download and erases them through its
own services; this module gathers what they find. Every search, download and erasure is in the
audit log with a keyed hash of the address (:func:`citizen.shared.audit.hash_email`), never the
address. Functions flush, never commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from citizen.accounts import services as accounts
from citizen.accounts.models import OrganisationMembership, User
from citizen.assembly import services as assembly
from citizen.consultations import services as consultations
from citizen.db import utcnow
from citizen.moderation import services as moderation
from citizen.moderation.models import ModerationItem
from citizen.pledges import services as pledges
from citizen.pledges.models import OrganisationClaim, OrganisationInvitation
from citizen.shared import audit

# What an admin may erase from the results, and what the audit log calls each record.
ERASE_KINDS: dict[str, str] = {
    "consultation-address": "consultation_response",  # the address given with a response
    "consultation-response": "consultation_response",  # the whole response
    "assembly-registration": "assembly_registrant",  # contact details and answers
    "pledge-invitation": "organisation_invitation",  # an invitation not yet accepted
    "moderation-address": "moderation_item",  # the author's address kept in the queue
}


@dataclass(frozen=True)
class Findings:
    """Everything held for one address, by feature."""

    email: str
    account: User | None
    memberships: list[OrganisationMembership]
    claims: list[OrganisationClaim]
    responses: list[consultations.HeldResponse]
    registrations: list[assembly.HeldRegistration]
    invitations: list[OrganisationInvitation]
    moderation_items: list[ModerationItem]

    def counts(self) -> dict[str, int]:
        return {
            "account": int(self.account is not None),
            "consultation_responses": len(self.responses),
            "assembly_registrations": len(self.registrations),
            "organisation_memberships": len(self.memberships),
            "organisation_claims": len(self.claims),
            "organisation_invitations": len(self.invitations),
            "moderation_items": len(self.moderation_items),
        }

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def find(session: Session, email: str) -> Findings:
    """Search every feature for ``email`` (compared without regard to case)."""
    address = audit.normalise_email(email)
    account = accounts.user_by_email(session, address) if address else None
    return Findings(
        email=address,
        account=account,
        memberships=pledges.memberships_of(session, account) if account else [],
        claims=pledges.claims_of(session, account) if account else [],
        responses=consultations.responses_for_address(
            session, address, account.id if account else None),
        registrations=assembly.registrations_for_address(session, address),
        invitations=pledges.invitations_for_address(session, address),
        moderation_items=moderation.items_by_author(session, address),
    )


def _record(session: Session, action: str, findings: Findings, actor_id: int | None,
            **details: Any) -> None:
    audit.record(session, action, actor_id=actor_id, target_type="data_request",
                 details={"email_hash": audit.hash_email(findings.email), **details})


def search(session: Session, email: str, actor_id: int | None) -> Findings:
    """:func:`find`, audited: the hashed address and how many records of each kind were found."""
    findings = find(session, email)
    _record(session, "data_request.searched", findings, actor_id, **findings.counts())
    session.flush()
    return findings


# ---------------------------------------------------------------- the download


def document(session: Session, findings: Findings) -> dict[str, Any]:
    """Everything found, as the person would read it: one dictionary, ready for JSON."""
    return {
        "email_address": findings.email,
        "made_at": utcnow(),
        "account": accounts.subject_access_record(findings.account) if findings.account else None,
        "consultation_responses": [consultations.subject_access_record(held)
                                   for held in findings.responses],
        "citizens_assembly_registrations": [assembly.subject_access_record(held)
                                            for held in findings.registrations],
        "call_to_action": pledges.subject_access_record(session, findings.account,
                                                        findings.invitations),
        "moderation_queue": [moderation.subject_access_record(item)
                             for item in findings.moderation_items],
    }


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # lazy translations


def download(session: Session, findings: Findings, actor_id: int | None) -> tuple[bytes, str]:
    """The subject access file (JSON) and its file name (without the address); audited."""
    body = json.dumps(document(session, findings), default=_json_value, ensure_ascii=False,
                      indent=2)
    _record(session, "data_request.downloaded", findings, actor_id, **findings.counts())
    session.flush()
    digest = (audit.hash_email(findings.email) or "")[:8]
    return body.encode("utf-8"), f"personal-data-{date.today().isoformat()}-{digest}.json"


# ---------------------------------------------------------------- erasure


def _response(findings: Findings, record_id: int, with_address: bool
              ) -> consultations.HeldResponse | None:
    return next((held for held in findings.responses if held.response.id == record_id
                 and (held.response.contact is not None or not with_address)), None)


_FINDERS: dict[str, Callable[[Findings, int], object | None]] = {
    "consultation-address": lambda f, i: _response(f, i, with_address=True),
    "consultation-response": lambda f, i: _response(f, i, with_address=False),
    "assembly-registration": lambda f, i: next(
        (held for held in f.registrations if held.registrant.id == i), None),
    "pledge-invitation": lambda f, i: next((inv for inv in f.invitations if inv.id == i), None),
    # An open safeguarding concern keeps the address for the safeguarding lead.
    "moderation-address": lambda f, i: next(
        (item for item in f.moderation_items if item.id == i and not item.safeguarding), None),
}


def erasable(findings: Findings, kind: str, record_id: int) -> object | None:
    """The record ``kind``/``record_id`` if it is among ``findings`` and may be erased: only
    what the search found for this address can be erased through it."""
    finder = _FINDERS.get(kind)
    return finder(findings, record_id) if finder is not None else None


def erase(session: Session, findings: Findings, kind: str, record: object,
          actor_id: int | None) -> None:
    """Erase one record found for the address, with its feature's own erasure; audited (the
    feature's own event, and this request's with the hashed address). Flushes."""
    record_id: int
    if isinstance(record, consultations.HeldResponse):
        record_id = record.response.id
        if kind == "consultation-address":
            consultations.erase_contact(session, record.response, actor_id=actor_id)
        else:
            consultations.erase_response(session, record.response, actor_id)
    elif isinstance(record, assembly.HeldRegistration):
        record_id = record.registrant.id
        assembly.erase(session, record.registrant, actor_id)
    elif isinstance(record, OrganisationInvitation):
        record_id = record.id
        pledges.delete_invitation(session, record, actor_id)
    elif isinstance(record, ModerationItem):
        record_id = record.id
        moderation.forget_authors(session, record.kind, [record.target_id])
    else:
        raise TypeError(f"cannot erase {record!r}")
    audit.record(session, "data_request.erased", actor_id=actor_id, target_type=ERASE_KINDS[kind],
                 target_id=record_id,
                 details={"email_hash": audit.hash_email(findings.email), "erased": kind})
    session.flush()
