"""The moderation queue: the API other features use, and the moderators' decisions.

Other features call only :func:`register_kind`, :func:`submit`, :func:`state_of`,
:func:`is_public`, :func:`public_text`, :func:`public_texts`, and, when they delete personal
data, :func:`forget` (the texts) and :func:`forget_authors` (the authors' addresses); for a
person's request for their data, :func:`items_by_author` and :func:`subject_access_record`.
Services flush, never commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from citizen.db import utcnow
from citizen.moderation import pii
from citizen.moderation.models import ItemState, ModerationItem, ModerationReport
from citizen.shared import audit

# ---------------------------------------------------------------- kinds

KNOWN_KINDS: tuple[str, ...] = ("answer", "pledge", "pledge_update", "page_feedback", "page")

DecisionCallback = Callable[[Session, ModerationItem], None]
UrlMaker = Callable[[int], str | None]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # a lazy string
    on_decision: DecisionCallback | None = None
    public_url: UrlMaker | None = None


_DEFAULT_LABELS: dict[str, Any] = {
    "answer": _l("Consultation answer"),
    "pledge": _l("Pledge"),
    "pledge_update": _l("Pledge progress update"),
    "page_feedback": _l("Feedback on a page"),
    "page": _l("Information page"),
}

_KINDS: dict[str, Kind] = {}


def register_kind(
    code: str,
    *,
    label: Any = None,
    on_decision: DecisionCallback | None = None,
    public_url: UrlMaker | None = None,
) -> Kind:
    """Declare a kind of publishable text (once, at import time). Registering again replaces."""
    if not code or len(code) > 30:
        raise ValueError(f"bad moderation kind code {code!r}")
    kind = Kind(code, label if label is not None else _DEFAULT_LABELS.get(code, code),
                on_decision, public_url)
    _KINDS[code] = kind
    return kind


def kind_of(code: str) -> Kind:
    """The registered kind ``code`` (or a default one for the contract's known kinds)."""
    kind = _KINDS.get(code)
    if kind is not None:
        return kind
    if code in KNOWN_KINDS:
        return Kind(code, _DEFAULT_LABELS[code])
    raise ValueError(f"unknown moderation kind {code!r}")


def label_of(code: str) -> str:
    """A kind's label for display; the bare code for a kind nobody registers any more."""
    try:
        return str(kind_of(code).label)
    except ValueError:
        return code


def kinds() -> list[Kind]:
    """Every kind that may be in the queue: the known ones and any registered."""
    codes = list(KNOWN_KINDS) + [c for c in _KINDS if c not in KNOWN_KINDS]
    return [kind_of(code) for code in codes]


def public_url_of(item: ModerationItem) -> str | None:
    kind = _KINDS.get(item.kind)
    if kind is None or kind.public_url is None or item.target_id < 0:  # (< 0: erased)
        return None
    try:
        return kind.public_url(item.target_id)
    except Exception:  # a broken link maker must not break the queue
        current_app.logger.exception("public_url failed for moderation kind %s", item.kind)
        return None


# ---------------------------------------------------------------- the API for other features


def _item(session: Session, kind: str, target_id: int) -> ModerationItem | None:
    return session.scalar(
        select(ModerationItem).where(ModerationItem.kind == kind,
                                     ModerationItem.target_id == target_id)
    )


def _scan(text: str) -> list[dict[str, Any]]:
    return [finding.as_dict() for finding in pii.detect(text)]


def submit(
    session: Session,
    *,
    kind: str,
    target_id: int,
    text: str,
    place_slug: str | None = None,
    consultation_id: int | None = None,
    author_email: str | None = None,
    author_locale: str = "en",
    post_moderated: bool = False,
) -> ModerationItem:
    """Put a text in the queue (or re-open its item with the new text). Scans it at once."""
    kind_of(kind)  # raises for an unknown kind
    text = text or ""
    item = _item(session, kind, target_id)
    if item is None:
        item = ModerationItem(kind=kind, target_id=target_id, report_count=0, safeguarding=False)
        session.add(item)
    item.original_text = text
    item.redacted_text = None
    item.findings = _scan(text)
    item.finding_count = len(item.findings)
    item.state = ItemState.PENDING
    item.post_moderated = post_moderated
    item.place_slug = place_slug
    item.consultation_id = consultation_id
    item.author_email = (author_email or "").strip() or None
    item.author_locale = author_locale or "en"
    item.reason_code = None
    item.reason_text = None
    item.submitted_at = utcnow()
    item.decided_at = None
    item.decided_by_id = None
    item.report_count = 0
    session.flush()
    return item


TargetIds = Iterable[int] | Select[Any]


def _targets(target_ids: TargetIds) -> Select[Any] | list[int]:
    return target_ids if isinstance(target_ids, Select) else list(target_ids)


def forget(session: Session, kind: str, target_ids: TargetIds) -> int:
    """The feature has erased these targets: delete their items (text, redactions, reports), so
    no moderator sees the text again and a later target with the same id starts afresh.

    An item with an open safeguarding concern stays, with its text and contact, for the
    safeguarding lead, but is detached from the erased target (its ``target_id`` becomes minus
    its own id); :func:`resolve_safeguarding` deletes it. ``target_ids`` may be a SELECT of
    ids. Returns how many were deleted; flushes.
    """
    session.flush()
    targets = _targets(target_ids)
    session.execute(
        update(ModerationItem)
        .where(ModerationItem.kind == kind, ModerationItem.target_id.in_(targets),
               ModerationItem.safeguarding.is_(True))
        .values(target_id=-ModerationItem.id)
        .execution_options(synchronize_session="fetch")
    )
    deleted = session.execute(
        delete(ModerationItem)
        .where(ModerationItem.kind == kind, ModerationItem.target_id.in_(targets))
        .execution_options(synchronize_session="fetch")
    ).rowcount
    session.flush()
    return int(deleted or 0)


def forget_authors(session: Session, kind: str, target_ids: TargetIds) -> int:
    """The feature has deleted the author's address of these targets: remove it from their
    items too (the author will not be told the decision). Items with an open safeguarding
    concern keep it. ``target_ids`` may be a SELECT of ids. Returns how many items changed; flushes."""
    session.flush()
    changed = session.execute(
        update(ModerationItem)
        .where(ModerationItem.kind == kind, ModerationItem.target_id.in_(_targets(target_ids)),
               ModerationItem.author_email.is_not(None),
               ModerationItem.safeguarding.is_(False))
        .values(author_email=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    session.flush()
    return int(changed or 0)


def items_by_author(session: Session, email: str) -> list[ModerationItem]:
    """The items whose author gave the address ``email`` (compared without regard to case:
    the queue keeps addresses as it was given them). Oldest first."""
    address = email.strip().lower()
    if not address:
        return []
    return list(session.scalars(
        select(ModerationItem).where(func.lower(ModerationItem.author_email) == address)
        .order_by(ModerationItem.submitted_at, ModerationItem.id)))


def subject_access_record(item: ModerationItem) -> dict[str, Any]:
    """One item for its author's subject access request: what they wrote, what was published
    and what was decided."""
    return {
        "what": label_of(item.kind),
        "state": str(item.state),
        "sent_at": item.submitted_at,
        "text": item.original_text,
        "published_text": item.published_text if item.is_public else None,
        "decided_at": item.decided_at,
        "email_address": item.author_email,
        "safeguarding_concern": item.safeguarding,
    }


def state_of(session: Session, kind: str, target_id: int) -> str | None:
    """``pending``, ``approved``, ``rejected``, ``escalated``, ``hidden``, or ``None``."""
    state = session.scalar(
        select(ModerationItem.state).where(ModerationItem.kind == kind,
                                           ModerationItem.target_id == target_id)
    )
    return None if state is None else str(state)


def _public_clause() -> Any:
    return or_(
        ModerationItem.state == ItemState.APPROVED,
        (ModerationItem.post_moderated.is_(True)) & (ModerationItem.state == ItemState.PENDING),
    )


def is_public(session: Session, kind: str, target_id: int) -> bool:
    """Approved, or post-moderated and still awaiting review (not rejected, hidden or
    escalated for safeguarding)."""
    item = _item(session, kind, target_id)
    return item is not None and item.is_public


def public_text(session: Session, kind: str, target_id: int) -> str | None:
    """The text to publish (redacted if redacted), or ``None`` when it is not public."""
    item = _item(session, kind, target_id)
    if item is None or not item.is_public:
        return None
    return item.published_text


def public_texts(session: Session, kind: str, target_ids: Iterable[int]) -> dict[int, str]:
    """Batch form of :func:`public_text`: only the public ones are in the result."""
    ids = sorted(set(target_ids))
    result: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = session.execute(
            select(ModerationItem.target_id, ModerationItem.original_text,
                   ModerationItem.redacted_text)
            .where(ModerationItem.kind == kind, ModerationItem.target_id.in_(chunk),
                   _public_clause())
        )
        for target_id, original, redacted in rows:
            result[target_id] = redacted if redacted is not None else original
    return result


def review_texts(session: Session, kind: str, target_ids: Iterable[int]
                 ) -> dict[int, tuple[str, str]]:
    """For exports and analysis (not publication): ``target_id -> (state, text)`` for every
    queued item, public or not, where text is the moderator's redacted text if any, else the
    original. Items never queued are absent. Batched, so any number of ids is fine."""
    ids = sorted(set(target_ids))
    result: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(ModerationItem.target_id, ModerationItem.state, ModerationItem.original_text,
                   ModerationItem.redacted_text)
            .where(ModerationItem.kind == kind, ModerationItem.target_id.in_(ids[start:start + 500])))
        for target_id, state, original, redacted in rows:
            result[target_id] = (str(state), redacted if redacted is not None else original)
    return result


# ---------------------------------------------------------------- reading the queue


@dataclass(frozen=True)
class QueueFilter:
    kind: str | None = None
    consultation_id: int | None = None
    place_slug: str | None = None
    state: str | None = None  # "review" (default), a state, "reported", "all"
    older_than_days: int | None = None
    with_findings: bool = False
    safeguarding: bool = False


REVIEW = "review"
REPORTED = "reported"


def queue_query(flt: QueueFilter) -> Select[Any]:
    """Items matching ``flt``, oldest first."""
    query = select(ModerationItem)
    state = flt.state or REVIEW
    if flt.safeguarding:
        query = query.where(ModerationItem.safeguarding.is_(True))
    elif state == REVIEW:
        query = query.where(or_(
            ModerationItem.state.in_([ItemState.PENDING, ItemState.HIDDEN]),
            (ModerationItem.state == ItemState.APPROVED) & (ModerationItem.report_count > 0),
        ))
    elif state == REPORTED:
        query = query.where(ModerationItem.report_count > 0)
    elif state != "all":
        query = query.where(ModerationItem.state == state)
    if flt.kind:
        query = query.where(ModerationItem.kind == flt.kind)
    if flt.consultation_id is not None:
        query = query.where(ModerationItem.consultation_id == flt.consultation_id)
    if flt.place_slug:
        query = query.where(ModerationItem.place_slug == flt.place_slug)
    if flt.older_than_days:
        query = query.where(
            ModerationItem.submitted_at <= utcnow() - timedelta(days=flt.older_than_days))
    if flt.with_findings:
        query = query.where(ModerationItem.finding_count > 0)
    return query.order_by(ModerationItem.submitted_at, ModerationItem.id)


def counts_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(ModerationItem.state, func.count()).group_by(ModerationItem.state))
    counts = {str(state): int(n) for state, n in rows}
    counts["safeguarding"] = session.scalar(
        select(func.count()).select_from(ModerationItem)
        .where(ModerationItem.safeguarding.is_(True))) or 0
    return counts


def get_item(session: Session, item_id: int) -> ModerationItem | None:
    return session.get(ModerationItem, item_id)


def find_item(session: Session, kind: str, target_id: int) -> ModerationItem | None:
    return _item(session, kind, target_id)


def consultation_ids_in_queue(session: Session) -> list[int]:
    return [i for i in session.scalars(
        select(ModerationItem.consultation_id).where(ModerationItem.consultation_id.is_not(None))
        .distinct().order_by(ModerationItem.consultation_id)) if i is not None]


def place_slugs_in_queue(session: Session) -> list[str]:
    return [str(s) for s in session.scalars(
        select(ModerationItem.place_slug).where(ModerationItem.place_slug.is_not(None))
        .distinct().order_by(ModerationItem.place_slug))]


# ---------------------------------------------------------------- redaction


def working_text(item: ModerationItem) -> str:
    """The text a moderator is working on: the redacted text so far, or the original."""
    return item.published_text


def text_digest(text: str) -> str:
    """A short fingerprint of a text, so that a redaction form for an older version of the
    text is refused rather than cutting the wrong characters."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def current_findings(item: ModerationItem) -> list[pii.Finding]:
    """Personal data still in the working text."""
    return pii.detect(working_text(item))


class StaleText(ValueError):
    """The text changed since the moderator's page was drawn."""


def marker_for(kind: str, locale: str) -> str:
    """The marker replacing personal data, in the language the text was written in."""
    if has_app_context():
        with force_locale(locale or "en"):
            return str(pii.marker(kind))
    return str(pii.marker(kind))


def redact(session: Session, item: ModerationItem, *, start: int, end: int, kind: str,
           digest: str, actor_id: int | None) -> str:
    """Replace ``[start, end)`` of the working text by the marker for ``kind``."""
    text = working_text(item)
    if digest != text_digest(text) or not (0 <= start < end <= len(text)):
        raise StaleText()
    if kind not in pii.KINDS and kind != "other":
        raise ValueError(f"unknown personal data kind {kind!r}")
    item.redacted_text = text[:start] + marker_for(kind, item.author_locale) + text[end:]
    audit.record(session, "moderation.redact", actor_id=actor_id, target_type="moderation_item",
                 target_id=item.id, details={"kind": kind, "item_kind": item.kind,
                                             "target_id": item.target_id, "length": end - start})
    session.flush()
    return item.redacted_text


def redact_phrase(session: Session, item: ModerationItem, phrase: str, actor_id: int | None) -> int:
    """Remove every occurrence of a phrase the moderator typed (names the detector missed)."""
    phrase = phrase.strip()
    text = working_text(item)
    if not phrase or phrase not in text:
        return 0
    count = text.count(phrase)
    item.redacted_text = text.replace(phrase, marker_for("other", item.author_locale))
    audit.record(session, "moderation.redact", actor_id=actor_id, target_type="moderation_item",
                 target_id=item.id, details={"kind": "other", "item_kind": item.kind,
                                             "target_id": item.target_id, "count": count})
    session.flush()
    return count


def redact_all(session: Session, item: ModerationItem, actor_id: int | None) -> int:
    """Replace every finding in the working text by its marker."""
    text = working_text(item)
    found = pii.detect(text)
    if not found:
        return 0
    item.redacted_text = pii.redact(text, found, lambda kind: marker_for(kind, item.author_locale))
    audit.record(session, "moderation.redact_all", actor_id=actor_id,
                 target_type="moderation_item", target_id=item.id,
                 details={"kinds": sorted({f.kind for f in found}), "count": len(found),
                          "item_kind": item.kind, "target_id": item.target_id})
    session.flush()
    return len(found)


def undo_redactions(session: Session, item: ModerationItem, actor_id: int | None) -> None:
    item.redacted_text = None
    audit.record(session, "moderation.undo_redactions", actor_id=actor_id,
                 target_type="moderation_item", target_id=item.id,
                 details={"item_kind": item.kind, "target_id": item.target_id})
    session.flush()


# ---------------------------------------------------------------- decisions

REJECT_REASONS: tuple[tuple[str, Any], ...] = (
    ("personal_data", _l("It has personal details we could not remove")),
    ("abusive", _l("It is abusive, offensive or discriminatory")),
    ("off_topic", _l("It is not about this subject")),
    ("spam", _l("It is advertising or spam")),
    ("individual_complaint", _l("It is about one person's care: we will pass on how to complain")),
    ("duplicate", _l("It repeats something already sent")),
    ("other", _l("Another reason")),
)
REJECT_REASON_CODES = frozenset(code for code, _ in REJECT_REASONS)

REPORT_REASONS: tuple[tuple[str, Any], ...] = (
    ("personal_data", _l("It has someone's personal details")),
    ("abusive", _l("It is abusive, offensive or discriminatory")),
    ("untrue", _l("It is untrue or misleading")),
    ("spam", _l("It is advertising or spam")),
    ("worried", _l("I am worried about someone's safety")),
    ("other", _l("Something else")),
)
REPORT_REASON_CODES = frozenset(code for code, _ in REPORT_REASONS)


def reason_label(code: str | None) -> str:
    for known, label in REJECT_REASONS:
        if known == code:
            return str(label)
    return code or ""


class DecisionError(ValueError):
    pass


def _decided(session: Session, item: ModerationItem, state: str, action: str,
             actor_id: int | None, details: dict[str, Any] | None = None) -> None:
    item.state = state
    item.decided_at = utcnow()
    item.decided_by_id = actor_id
    item.report_count = 0
    for report in item.reports:
        report.reviewed = True
    audit.record(session, action, actor_id=actor_id, target_type="moderation_item",
                 target_id=item.id,
                 details={"kind": item.kind, "target_id": item.target_id, "state": state,
                          **(details or {})})
    session.flush()
    kind = _KINDS.get(item.kind)
    if kind is not None and kind.on_decision is not None:
        kind.on_decision(session, item)


def approve(session: Session, item: ModerationItem, actor_id: int | None,
            *, redact_findings: bool = False) -> str:
    """Approve (with redactions if any were made, or all findings when ``redact_findings``).
    Returns the audit action used."""
    if redact_findings:
        redact_all(session, item, actor_id)
    action = "moderation.approve_redacted" if item.is_redacted else "moderation.approve"
    item.reason_code = None
    item.reason_text = None
    _decided(session, item, ItemState.APPROVED, action, actor_id,
             {"redacted": item.is_redacted})
    _tell_author(item, "moderation_approved")
    return action


def reject(session: Session, item: ModerationItem, actor_id: int | None, *, reason_code: str,
           reason_text: str | None = None) -> None:
    if reason_code not in REJECT_REASON_CODES:
        raise DecisionError("reason")
    item.reason_code = reason_code
    item.reason_text = (reason_text or "").strip() or None
    _decided(session, item, ItemState.REJECTED, "moderation.reject", actor_id,
             {"reason": reason_code})
    _tell_author(item, "moderation_rejected")


def escalate(session: Session, item: ModerationItem, actor_id: int | None,
             *, reason_text: str | None = None) -> None:
    """Safeguarding: hide it, flag it and list it apart. The author is not e-mailed."""
    item.safeguarding = True
    item.reason_code = "safeguarding"
    item.reason_text = (reason_text or "").strip() or None
    _decided(session, item, ItemState.ESCALATED, "moderation.escalate", actor_id)


def resolve_safeguarding(session: Session, item: ModerationItem, actor_id: int | None,
                         note: str | None = None) -> None:
    """Mark a safeguarding concern as dealt with (the item stays as decided). The author's
    address, kept only for the safeguarding lead, goes; so does the whole item when the feature
    erased its target meanwhile (see :func:`forget`)."""
    item.safeguarding = False
    item.author_email = None
    audit.record(session, "moderation.safeguarding_resolved", actor_id=actor_id,
                 target_type="moderation_item", target_id=item.id,
                 details={"kind": item.kind, "target_id": item.target_id,
                          "note": (note or "").strip()[:500]})
    if item.target_id < 0:
        session.delete(item)
    session.flush()


def bulk_decide(session: Session, item_ids: Iterable[int], decision: str, actor_id: int | None,
                *, reason_code: str | None = None, reason_text: str | None = None) -> int:
    """Approve or reject many items; one audit entry per item. Returns how many."""
    if decision not in ("approve", "reject"):
        raise DecisionError("decision")
    if decision == "reject" and reason_code not in REJECT_REASON_CODES:
        raise DecisionError("reason")
    ids = sorted(set(item_ids))
    if not ids:
        return 0
    done = 0
    for item in session.scalars(select(ModerationItem).where(ModerationItem.id.in_(ids))):
        if decision == "approve":
            approve(session, item, actor_id)
        else:
            reject(session, item, actor_id, reason_code=reason_code or "other",
                   reason_text=reason_text)
        done += 1
    return done


def view_contact(session: Session, item: ModerationItem, actor_id: int | None) -> str | None:
    """The author's e-mail, for a moderator (audited: it is personal data)."""
    audit.record(session, "moderation.view_contact", actor_id=actor_id,
                 target_type="moderation_item", target_id=item.id,
                 details={"kind": item.kind, "target_id": item.target_id})
    session.flush()
    return item.author_email


def _tell_author(item: ModerationItem, template: str) -> None:
    """E-mail the outcome to an author who gave an address, then forget the address."""
    address = item.author_email
    if not address or not has_app_context():
        return
    from citizen.mail import render_mail, send_after_commit

    mail = render_mail(template, address, item.author_locale or "en",
                       item=item, kind_label=label_of(item.kind),
                       reason=reason_label(item.reason_code), reason_text=item.reason_text,
                       public_url=public_url_of(item))
    send_after_commit(mail)
    item.author_email = None


# ---------------------------------------------------------------- reports from the public


def reportable_item(session: Session, kind: str, target_id: int,
                    create: bool = True) -> ModerationItem | None:
    """The item a visitor may report: a public (or already hidden) one. Published things that
    never went through the queue (information pages, written by staff) get an item made for
    them now, but only when their feature gives a public address for ``target_id`` (so that
    made-up numbers cannot fill the queue). With ``create=False`` such an item is not saved."""
    item = _item(session, kind, target_id)
    if item is not None:
        return item if item.is_public or item.state == ItemState.HIDDEN else None
    if kind not in _KINDS or public_url_of(ModerationItem(kind=kind, target_id=target_id)) is None:
        return None
    item = ModerationItem(kind=kind, target_id=target_id, state=ItemState.APPROVED,
                          post_moderated=False, original_text="", findings=[], finding_count=0,
                          author_locale="en", safeguarding=False, report_count=0)
    if create:
        session.add(item)
        session.flush()
    return item


def purge_reports(session: Session, before: datetime) -> int:
    """Delete visitors' reports made before ``before`` that a moderator has dealt with (their
    details are free text from the public). Reports on an item with an open safeguarding
    concern stay. Returns how many; flushes."""
    concerns = select(ModerationItem.id).where(ModerationItem.safeguarding.is_(True))
    deleted = session.execute(
        delete(ModerationReport)
        .where(ModerationReport.reviewed.is_(True), ModerationReport.created_at < before,
               ModerationReport.item_id.not_in(concerns))
        .execution_options(synchronize_session="fetch")
    ).rowcount
    session.flush()
    return int(deleted or 0)


def report_threshold() -> int:
    try:
        value = int(current_app.config.get("MODERATION_REPORT_THRESHOLD", 3))
    except (TypeError, ValueError):
        value = 3
    return max(1, value)


def report(session: Session, item: ModerationItem, *, reason: str, details: str | None,
           reporter_hash: str | None) -> bool:
    """Record a visitor's report. Returns whether this report hid the item. The same visitor
    (same keyed IP hash) counts once per item until the next decision."""
    if reason not in REPORT_REASON_CODES:
        raise DecisionError("reason")
    repeat = reporter_hash is not None and any(
        r.reporter_hash == reporter_hash and not r.reviewed for r in item.reports)
    item.reports.append(ModerationReport(reason=reason, details=(details or "").strip() or None,
                                         reporter_hash=reporter_hash, reviewed=False))
    if not repeat:
        item.report_count = (item.report_count or 0) + 1
    if reason == "worried":
        item.safeguarding = True
    hidden = False
    if item.is_public and item.report_count >= report_threshold():
        item.state = ItemState.HIDDEN
        hidden = True
        audit.record(session, "moderation.hide", actor_id=None, target_type="moderation_item",
                     target_id=item.id, details={"kind": item.kind, "target_id": item.target_id,
                                                 "reports": item.report_count})
    session.flush()
    if hidden:
        kind = _KINDS.get(item.kind)
        if kind is not None and kind.on_decision is not None:
            kind.on_decision(session, item)
    return hidden


def age_in_days(item: ModerationItem, now: datetime | None = None) -> int:
    now = now or utcnow()
    submitted = item.submitted_at
    if submitted.tzinfo is None:  # SQLite drops the zone
        submitted = submitted.replace(tzinfo=now.tzinfo)
    return max(0, (now - submitted).days)
