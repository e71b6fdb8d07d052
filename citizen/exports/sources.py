"""What can be exported, and how its rows are made: consultations and pledges.

Each source offers column choices (for the form), then, for a job, the export columns (with
their data dictionary) and an *iterator* of rows read from the database in batches
(``yield_per``: a server-side cursor on PostgreSQL), so memory stays flat.

Pseudonymity: a respondent is shown only as a code, a keyed hash of their account or response id
under a random key made for this export and never stored. The same person has the same code
throughout one export (both layouts), and unrelated codes in any other export. Names, e-mail
addresses and IP addresses are never read unless contact details were allowed and asked for.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from hashlib import blake2b
from operator import itemgetter
from queue import Empty, Queue
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from citizen.exports.cells import CELLS_VERSION, Layout, answers_of, build_cells
from citizen.exports.redaction import (
    CHECK_AUTOMATIC,
    CHECK_REVIEWED,
    CHECK_WITHHELD,
    WITHHELD,
    Redactor,
)
from citizen.shared.export import ExportColumn, neutralise

# Responses stream from the database YIELD_PER rows at a time (a server-side cursor on
# PostgreSQL), each with its stored export cells: memory stays flat however many there are.
YIELD_PER = 5000
SUPPRESS_BELOW = 10


# ---------------------------------------------------------------- pseudonyms


class Pseudonymiser:
    """Stable codes within one export: keyed BLAKE2b (a MAC, like HMAC) under a per-export
    random key, cut to 60 bits."""

    def __init__(self, key: bytes) -> None:
        # BLAKE2b takes keys of up to 64 bytes; the keyed state is made once and copied.
        self._keyed = blake2b(key=key[:64], digest_size=8)

    def code(self, kind: str, ident: int) -> str:
        # Computed each time (under a microsecond): a cache would grow with the export.
        mac = self._keyed.copy()
        mac.update(b"%s:%d" % (kind.encode(), ident))
        return "R" + mac.hexdigest()[:15].upper()


def day_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive days as a half-open UTC range."""
    start = datetime.combine(date_from, time.min, tzinfo=UTC) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC) if date_to else None
    return start, end


@dataclass
class Choice:
    """A column (or group of columns) staff may tick."""

    key: str
    label: str
    contact: bool = False  # contact details: needs the permission and a reason


@dataclass
class ExportSpec:
    """What one job exports (read from the ``ExportJob``)."""

    columns: list[str]
    layout: str
    date_from: date | None = None
    date_to: date | None = None
    include_contact: bool = False
    consultation_id: int | None = None
    key: bytes = field(default=b"", repr=False)
    # Text formats (CSV, JSON Lines) take dates and times as ISO 8601 text, made by the source
    # (cheaper than a check on every cell); XLSX takes them as dates.
    file_format: str = "csv"


# ---------------------------------------------------------------- consultations


META_CHOICES: tuple[tuple[str, Any], ...] = (
    ("submitted_at", _l("Date and time submitted")),
    ("channel", _l("How it reached us (online, paper, phone, event, Easy Read)")),
    ("locale", _l("Language of the response")),
    ("place", _l("Place")),
)
CONTACT_CHOICES: tuple[tuple[str, Any], ...] = (
    ("contact_email", _l("E-mail address given for contact (contact details)")),
    ("reference", _l("Response reference given to the respondent (contact details)")),
)
META_DICTIONARY: dict[str, tuple[str, str, str, str]] = {
    "respondent": ("Respondent code", "code",
                   "Pseudonymous code for the respondent, stable within this export only "
                   "(keyed hash; the key was discarded).", ""),
    "submitted_at": ("Submitted", "date-time", "When the response was submitted (UTC).", ""),
    "channel": ("Channel", "code", "How the response reached us.",
                "online; paper; phone; event; easy_read"),
    "locale": ("Language", "code", "Language the respondent used (BCP 47 code).", ""),
    "place": ("Place", "code", "Place the response is about or the respondent lives in.",
              "coventry; rugby; south-warwickshire; warwickshire-north"),
    "contact_email": ("Contact e-mail", "text",
                      "E-mail address the respondent gave. CONTACT DETAILS: included with "
                      "permission, for the reason recorded in the audit log.", ""),
    "reference": ("Reference", "code", "The reference shown to the respondent. CONTACT DETAILS.", ""),
    "question": ("Question", "code", "Question code (long layout: one row per answer).", ""),
    "question_text": ("Question text", "text", "The question as asked, in English.", ""),
    "answer": ("Answer", "text", "The answer: an option code, a number, a date or free text "
                                 "with personal details removed.", ""),
    "text_check": ("Text check", "code",
                   "For free text: reviewed (approved by a moderator, then checked again "
                   "automatically), automatic (personal details removed automatically; not "
                   "reviewed), withheld (under safeguarding review).",
                   "reviewed; automatic; withheld"),
}


def _label(texts: dict[str, str] | None) -> str:
    if not texts:
        return ""
    return texts.get("en") or next(iter(texts.values()), "")


@dataclass
class QuestionPlan:
    id: int
    code: str
    kind: str
    text: str
    keys: list[str]  # export columns it fills (wide layout)
    statements: list[str] = field(default_factory=list)
    has_other: bool = False


class ConsultationSource:
    """Responses to one consultation."""

    name = "consultation"
    # Every string in its rows is neutralised against spreadsheet formulas already (the stored
    # cells when the response was submitted, the rest below), so the writers need not check.
    neutralised = True

    def __init__(self, session: Session, consultation_id: int) -> None:
        from citizen.consultations.models import Consultation

        consultation = session.get(Consultation, consultation_id)
        if consultation is None:
            raise LookupError(consultation_id)
        self.session = session
        self.consultation = consultation
        self.title = consultation.translation("en").title
        self.slug = consultation.slug
        self.questions = consultation.questions()
        self.questions_by_id = {q.id: q for q in self.questions}
        self.layout = Layout(self.questions)
        # One per export: its memo of short texts lives only as long as the export.
        self.redactor = Redactor()

    # -- the form

    def choices(self) -> list[Choice]:
        found = [Choice(key, str(label)) for key, label in META_CHOICES]
        for question in self.questions:
            found.append(Choice(question.code, f"{question.code}: {_label(question.text)}"))
        found.extend(Choice(key, str(label), contact=True) for key, label in CONTACT_CHOICES)
        return found

    def has_equality(self) -> bool:
        return bool(self.consultation.equality_monitoring)

    # -- the columns

    def _plans(self, wanted: set[str]) -> list[QuestionPlan]:
        from citizen.consultations.questions import TEXT_KINDS

        plans = []
        for question in self.questions:
            if question.code not in wanted:
                continue
            plan = QuestionPlan(question.id, question.code, question.kind, _label(question.text), [])
            if question.kind == "matrix":
                plan.statements = [s["code"] for s in question.settings.get("statements", [])]
                plan.keys = [f"{question.code}_{s}" for s in plan.statements]
            else:
                plan.keys = [question.code]
            if question.kind == "multiple_choice" and question.settings.get("other"):
                plan.has_other = True
                plan.keys.append(f"{question.code}_other")
            plan.kind = "text" if question.kind in TEXT_KINDS else question.kind
            plans.append(plan)
        return plans

    def _question_dictionary(self, plans: list[QuestionPlan]) -> dict[str, ExportColumn]:
        from citizen.consultations.questions import choices_of, scale_of, statements_of

        by_id = {q.id: q for q in self.questions}
        out: dict[str, ExportColumn] = {}
        for plan in plans:
            question = by_id[plan.id]
            if plan.kind == "matrix":
                scale = "; ".join(f"{c} = {label}" for c, label in scale_of(question))
                for code, label in statements_of(question, "en"):
                    key = f"{plan.code}_{code}"
                    out[key] = ExportColumn(key, f"{plan.text}: {label}", (
                        f"Question {plan.code} (matrix), statement {code}: the scale code chosen."),
                        "code", scale)
                continue
            values = ""
            if plan.kind in ("single_choice", "multiple_choice", "dropdown", "agreement", "rating",
                             "ranking"):
                values = "; ".join(f"{c} = {label}" for c, label in choices_of(question, "en"))
            description = {
                "text": "Free text with personal details removed (see the notes on text checks).",
                "multiple_choice": "Codes of the options chosen, separated by '; '.",
                "ranking": "Option codes in the order ranked (first = most important), separated by '; '.",
                "number": "A number.",
                "date": "A date (YYYY-MM-DD).",
            }.get(plan.kind, "The code of the option chosen.")
            kind = {"text": "text", "number": "number", "date": "date"}.get(plan.kind, "code")
            out[plan.code] = ExportColumn(plan.code, plan.text,
                                          f"Question {plan.code} ({question.kind}). {description}",
                                          kind, values)
            if plan.has_other:
                key = f"{plan.code}_other"
                out[key] = ExportColumn(key, f"{plan.text}: other", (
                    f"Question {plan.code}: the 'other' answer typed, with personal details "
                    "removed."), "text")
        return out

    def _meta(self, spec: ExportSpec) -> list[str]:
        keys = [k for k, _label in META_CHOICES if k in spec.columns]
        if spec.include_contact:
            keys += [k for k, _label in CONTACT_CHOICES if k in spec.columns]
        return keys

    def columns(self, spec: ExportSpec) -> list[ExportColumn]:
        meta = self._meta(spec)
        plans = self._plans(set(spec.columns))

        def described(key: str) -> ExportColumn:
            label, kind, description, values = META_DICTIONARY[key]
            return ExportColumn(key, label, description, kind, values)

        if spec.layout == "long":
            keys = ["respondent", *[k for k in meta if k not in ("contact_email", "reference")],
                    "question", "question_text", "answer", "text_check",
                    *[k for k in meta if k in ("contact_email", "reference")]]
            return [described(k) for k in keys]
        dictionary = self._question_dictionary(plans)
        contact = [k for k in meta if k in ("contact_email", "reference")]
        plain_meta = [k for k in meta if k not in contact]
        return ([described("respondent")] + [described(k) for k in plain_meta]
                + [dictionary[key] for plan in plans for key in plan.keys]
                + [described(k) for k in contact])

    # -- the rows

    def _statement(self, spec: ExportSpec) -> Select[Any]:
        """One row per submitted response, in id order: its details and its export cells (the
        positions in ``_ROW``), then the contact e-mail when asked for."""
        from citizen.consultations.models import RespondentContact, Response

        submitted: Any = Response.submitted_at
        if self.session.get_bind().dialect.name == "postgresql":
            # As UTC text in the form SQLite keeps (see _iso_from_text): no time zone
            # conversion per row in Python.
            submitted = func.to_char(func.timezone("UTC", Response.submitted_at),
                                     "YYYY-MM-DD HH24:MI:SS.US")
        fields: list[Any] = [Response.id, Response.user_id, submitted, Response.channel,
                             Response.locale, Response.place_slug, Response.reference,
                             Response.export_cells, Response.export_cells_version]
        if _wants_email(spec):
            fields.append(RespondentContact.email)
        statement = (
            select(*fields)
            .where(Response.consultation_id == self.consultation.id,
                   Response.status == "submitted")
            .order_by(Response.id)
        )
        if _wants_email(spec):
            statement = statement.outerjoin(RespondentContact,
                                            RespondentContact.response_id == Response.id)
        start, end = day_bounds(spec.date_from, spec.date_to)
        if start is not None:
            statement = statement.where(Response.submitted_at >= start)
        if end is not None:
            statement = statement.where(Response.submitted_at < end)
        return statement

    def _responses(self, spec: ExportSpec) -> Iterator[tuple[Any, list[Any]]]:
        """(response row, its stored cells row: see :class:`Layout`) for each response,
        streamed in batches. Cells that were not stored, or were stored by another version or
        for another layout, are built from the answers here."""
        fingerprint = self.layout.fingerprint
        cells_at, version_at = _ROW["cells"], _ROW["cells_version"]
        # The C scanner behind json.loads, called directly: a third less time per response.
        scan = json.JSONDecoder().scan_once
        for batch in _driver_rows(self.session, self._statement(spec)):
            built = self._build_stale([row[0] for row in batch
                                       if row[version_at] != CELLS_VERSION or row[cells_at] is None])
            for row in batch:
                cells = built.get(row[0])
                if cells is None:
                    cells = scan(row[cells_at], 0)[0]
                    if cells[0] != fingerprint:  # the questions changed since (not allowed now)
                        cells = self._build_stale([row[0]])[row[0]]
                yield row, cells

    def _build_stale(self, response_ids: list[int]) -> dict[int, list[Any]]:
        """The cells rows of these responses, built from their answers (what submission
        stores)."""
        if not response_ids:
            return {}
        return {response_id: self.layout.row(build_cells(self.questions_by_id, answers, self.redactor))
                for response_id, answers in answers_of(self.session, response_ids).items()}

    def _overrides(self, long: bool) -> dict[int, tuple[str | None, str]]:
        """Moderators' decisions that change how a free-text answer is exported: answer id ->
        (text to use instead, or ``None`` to keep the automatic redaction; the text check)."""
        from citizen.consultations.models import Answer, Response
        from citizen.moderation.models import ItemState, ModerationItem

        wanted = [ModerationItem.state == ItemState.ESCALATED, ModerationItem.redacted_text.is_not(None)]
        if long:  # the long layout also says which texts a moderator reviewed
            wanted.append(ModerationItem.state == ItemState.APPROVED)
        found: dict[int, tuple[str | None, str]] = {}
        redactor = self.redactor
        for target_id, state, redacted in self.session.execute(
            select(ModerationItem.target_id, ModerationItem.state, ModerationItem.redacted_text)
            .join(Answer, Answer.id == ModerationItem.target_id)
            .join(Response, Response.id == Answer.response_id)
            .where(ModerationItem.kind == "answer", Response.consultation_id == self.consultation.id,
                   or_(*wanted))
        ):
            check = CHECK_REVIEWED if state == ItemState.APPROVED else CHECK_AUTOMATIC
            if state == ItemState.ESCALATED:
                found[target_id] = (WITHHELD, CHECK_WITHHELD)
            else:
                found[target_id] = (neutralise(redactor(redacted)) if redacted is not None else None,
                                    check)
        return found

    def _head(self, spec: ExportSpec) -> tuple[list[int], list[int]]:
        """Positions in the statement's row of the chosen response details (before the
        answers) and of the contact details (after them)."""
        meta = self._meta(spec)
        contact = ("contact_email", "reference")
        return [_ROW[k] for k in meta if k not in contact], [_ROW[k] for k in meta if k in contact]

    def _wide_rows(self, spec: ExportSpec) -> Iterator[list[Any]]:
        plans = self._plans(set(spec.columns))
        head, tail = self._head(spec)
        at = self.layout.position
        picked: list[int] = []  # positions in the cells row, in column order
        texts: list[tuple[int, int]] = []  # (position in the output, position of the answer id)
        first = 1 + len(head)
        for plan in plans:
            key = str(plan.id)
            if plan.kind == "matrix":
                picked.extend(at[f"{key}:{statement}"] for statement in plan.statements)
                continue
            if plan.kind == "text":
                texts.append((first + len(picked), at[key + "#"]))
            picked.append(at[key])
            if plan.has_other:
                texts.append((first + len(picked), at[key + "o#"]))
                picked.append(at[key + "o"])
        pick: Callable[[list[Any]], Any] = (
            itemgetter(*picked) if len(picked) > 1
            else (lambda cells: (cells[picked[0]],)) if picked else (lambda cells: ()))
        overrides = self._overrides(long=False)
        if not overrides:
            texts = []
        code = Pseudonymiser(spec.key).code
        when = _when(spec)
        submitted_at = _ROW["submitted_at"]
        dated = submitted_at in head
        others = [h for h in head if h != submitted_at]
        memo = _Neutralised()
        for row, cells in self._responses(spec):
            user = row[1]
            out = [code("u", user) if user is not None else code("r", row[0])]
            if dated:
                out.append(when(row[submitted_at]))
            out += [memo[row[h]] for h in others]
            out += pick(cells)
            if tail:
                out += [neutralise(row[t]) for t in tail]
            for position, id_at in texts:
                answer_id = cells[id_at]
                if answer_id in overrides:
                    replacement = overrides[answer_id][0]
                    if replacement is not None:
                        out[position] = replacement
            yield out

    def rows(self, spec: ExportSpec) -> Iterator[list[Any]]:
        if spec.layout != "long":
            yield from self._wide_rows(spec)
            return
        plans = self._plans(set(spec.columns))
        head, tail = self._head(spec)
        at = self.layout.position
        # Per column: (column key, question text, position of the cell, of the answer id)
        parts: list[tuple[str, str, int, int | None]] = []
        for plan in plans:
            key = str(plan.id)
            text = neutralise(plan.text)
            if plan.kind == "matrix":
                parts.extend((neutralise(f"{plan.code}_{s}"), text, at[f"{key}:{s}"], None)
                             for s in plan.statements)
                continue
            parts.append((neutralise(plan.code), text, at[key],
                          at[key + "#"] if plan.kind == "text" else None))
            if plan.has_other:
                parts.append((neutralise(f"{plan.code}_other"), text, at[key + "o"], at[key + "o#"]))
        overrides = self._overrides(long=True)
        code = Pseudonymiser(spec.key).code
        when = _when(spec)
        for row, cells in self._responses(spec):
            user = row[1]
            respondent = code("u", user) if user is not None else code("r", row[0])
            cells_head = [when(row[i]) if i == _ROW["submitted_at"] else neutralise(row[i]) for i in head]
            cells_tail = [neutralise(row[i]) for i in tail]
            for column, question_text, value_at, id_at in parts:
                value = cells[value_at]
                if value is None:  # not answered
                    continue
                check = None
                if id_at is not None:
                    check = CHECK_AUTOMATIC
                    found = overrides.get(cells[id_at])
                    if found is not None:
                        value = found[0] if found[0] is not None else value
                        check = found[1]
                yield [respondent, *cells_head, column, question_text, value, check, *cells_tail]


# Where each column is in a row of ``ConsultationSource._statement`` (the e-mail is there only
# when asked for: see _wants_email).
_ROW = {"submitted_at": 2, "channel": 3, "locale": 4, "place": 5, "reference": 6, "cells": 7,
        "cells_version": 8, "contact_email": 9}


def _wants_email(spec: ExportSpec) -> bool:
    return spec.include_contact and "contact_email" in spec.columns


class _Neutralised(dict[Any, Any]):
    """Neutralised forms of the few values of a column such as the channel or the place, each
    worked out once (a dictionary look-up per cell instead of a call)."""

    def __missing__(self, value: Any) -> Any:
        safe = neutralise(value)
        if len(self) < 1000:
            self[value] = safe
        return safe


def _driver_rows(session: Session, statement: Select[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of plain tuples for ``statement``, straight from the database driver: a
    server-side cursor on PostgreSQL, so memory stays flat. This spares SQLAlchemy's row
    objects and conversions (a tenth of a large export's time); the only column that needs
    converting, the submission time, is read as the driver gives it (see :func:`_when`).

    The statement's values are written into the SQL by SQLAlchemy (``literal_binds``, each in
    the form its column type stores); they are ids, fixed words and dates, never free text."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    raw = connection.connection.dbapi_connection
    assert raw is not None
    if connection.dialect.name == "postgresql":
        cursor = raw.cursor(name="citizen_export_rows")  # type: ignore[call-arg]
    else:
        cursor = raw.cursor()
    try:
        cursor.execute(sql)
        if connection.dialect.name == "postgresql":
            batches = _read_ahead(lambda: cursor.fetchmany(YIELD_PER))
            try:
                yield from batches
            finally:
                batches.close()  # the reading thread has stopped before the cursor closes
        else:  # SQLite works in this process: nothing to overlap
            while batch := cursor.fetchmany(YIELD_PER):
                yield batch
    finally:
        cursor.close()


def _read_ahead(fetch: Callable[[], list[Any]], depth: int = 2) -> Iterator[list[Any]]:
    """The batches ``fetch`` returns (until an empty one), read ahead by a helper thread: while
    this thread turns one batch into rows, the database server prepares the next (the driver
    lets go of the GIL while it waits on the network). At most ``depth`` batches wait."""
    waiting: Queue[Any] = Queue(maxsize=depth)
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                batch = fetch()
                waiting.put(batch)
                if not batch:
                    return
        except BaseException as exc:  # handed to the reading side, raised there
            waiting.put(exc)

    reader = threading.Thread(target=read, name="export-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = waiting.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # let a reader blocked on a full queue finish
            with suppress(Empty):
                waiting.get(timeout=0.05)
        reader.join()


def _when(spec: ExportSpec) -> Callable[[datetime | None], Any]:
    """How a date and time goes into the rows: UTC, as ISO 8601 text for the text formats."""
    if spec.file_format == "xlsx":
        return _utc

    def iso(value: datetime | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return _iso_from_text(value)
        return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()

    return iso


def _iso_from_text(value: str) -> str:
    """ISO 8601 (as ``datetime.isoformat`` gives it) of a UTC time written as SQLAlchemy keeps
    it in SQLite ("2026-01-01 09:30:00.000000"; PostgreSQL is asked for the same form), without
    parsing it."""
    fraction = value[19:26]
    if fraction == ".000000" or not fraction:
        return f"{value[:10]}T{value[11:19]}+00:00"
    return f"{value[:10]}T{value[11:19]}{fraction}+00:00"


def _utc(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # UTC text, read straight from the driver
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# ---------------------------------------------------------------- equality monitoring


EQUALITY_CATEGORIES: tuple[str, ...] = (
    "age_band", "sex", "gender_identity", "ethnic_group", "ethnic_group_detailed", "disability",
    "carer", "religion", "sexual_orientation", "postcode_district",
)
SUPPRESSED = "<10"


def equality_aggregate(session: Session, consultation_id: int, date_from: date | None,
                       date_to: date | None) -> list[tuple[str, str, Any]]:
    """(category, value, count) for the consultation's equality monitoring records, counted in
    the database. Counts under 10 are suppressed; where exactly one group in a category would be
    suppressed, the next smallest is suppressed too, so it cannot be worked out from the total."""
    from citizen.consultations.models import EqualityMonitoringRecord as Record

    def filtered(statement: Select[Any]) -> Select[Any]:
        statement = statement.where(Record.consultation_id == consultation_id)
        if date_from:
            statement = statement.where(Record.recorded_on >= date_from)
        if date_to:
            statement = statement.where(Record.recorded_on <= date_to)
        return statement

    total = session.scalar(filtered(select(func.count()).select_from(Record))) or 0
    out: list[tuple[str, str, Any]] = [("all", "total", total if total >= SUPPRESS_BELOW else SUPPRESSED)]
    if total < SUPPRESS_BELOW:
        return out
    for category in EQUALITY_CATEGORIES:
        column = getattr(Record, category)
        counts = [(value or "not_answered", count) for value, count in session.execute(
            filtered(select(column, func.count()).group_by(column)))]
        counts.sort(key=lambda vc: (vc[1], vc[0]))
        hidden = {value for value, count in counts if count < SUPPRESS_BELOW}
        if len(hidden) == 1:
            for value, _count in counts:
                if value not in hidden:
                    hidden.add(value)
                    break
        for value, count in sorted(counts):
            out.append((category, value, SUPPRESSED if value in hidden else count))
    return out


EQUALITY_COLUMNS = (
    ExportColumn("category", "Category", "Equality monitoring question."),
    ExportColumn("value", "Group", "The answer given (not_answered: left blank)."),
    ExportColumn("count", "Number of respondents",
                 "Groups under 10 are shown as <10 (and one more group where needed) so that "
                 "no one can be picked out.", "number"),
)


# ---------------------------------------------------------------- pledges


PLEDGE_META: tuple[tuple[str, Any], ...] = (
    ("organisation", _l("Organisation")),
    ("sector", _l("Sector")),
    ("size_band", _l("Size")),
    ("places", _l("Places the organisation works in")),
    ("status", _l("Review status")),
    ("submitted_at", _l("Date submitted")),
    ("approved_at", _l("Date approved")),
    ("accreditations", _l("Accreditations")),
    ("actions", _l("Actions: pillar, who benefits, description, target, dates, progress")),
    ("latest_update", _l("Latest progress update for each action")),
)
PLEDGE_CONTACT: tuple[tuple[str, Any], ...] = (
    ("sponsor", _l("Senior sponsor's name and role (contact details)")),
    ("contact_emails", _l("E-mail addresses of the organisation's members (contact details)")),
)
ACTION_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("pillar", "Pillar", "code",
     "wider_determinants; health_behaviours; places_communities; integrated_care"),
    ("beneficiaries", "Who benefits", "code", "workforce; community; both"),
    ("description", "Description", "text", ""),
    ("target", "Target", "text", ""),
    ("start_date", "Start date", "date", ""),
    ("due_date", "Due date", "date", ""),
    ("progress", "Progress", "code", "planned; in_progress; done; stopped"),
)


class PledgeSource:
    """Call to Action pledges (organisations are not people: they are named; free text is the
    approved, redacted version or, before approval, redacted automatically)."""

    name = "pledges"
    neutralised = False
    title = "Call to Action pledges"
    slug = "pledges"

    def __init__(self, session: Session) -> None:
        self.session = session

    def choices(self) -> list[Choice]:
        return ([Choice(k, str(label)) for k, label in PLEDGE_META]
                + [Choice(k, str(label), contact=True) for k, label in PLEDGE_CONTACT])

    def has_equality(self) -> bool:
        return False

    def _meta(self, spec: ExportSpec) -> list[str]:
        keys = [k for k, _l in PLEDGE_META if k in spec.columns and k not in ("actions", "latest_update")]
        if spec.include_contact:
            if "sponsor" in spec.columns:
                keys += ["sponsor_name", "sponsor_role"]
            if "contact_emails" in spec.columns:
                keys.append("contact_emails")
        return keys

    def _action_keys(self, spec: ExportSpec) -> list[str]:
        keys: list[str] = []
        if "actions" in spec.columns:
            keys += [f for f, *_rest in ACTION_FIELDS]
        if "latest_update" in spec.columns:
            keys += ["latest_update", "latest_update_at"]
        return keys

    def columns(self, spec: ExportSpec) -> list[ExportColumn]:
        from citizen.pledges.models import MAX_ACTIONS

        described = {
            "pledge": ("Pledge", "code", "The pledge's number.", ""),
            "organisation": ("Organisation", "text", "Organisation's name.", ""),
            "sector": ("Sector", "code", "", "private; public; voluntary"),
            "size_band": ("Size", "code", "Number of staff.", "1-9; 10-49; 50-249; 250+"),
            "places": ("Places", "list", "Places the organisation works in, separated by '; '.", ""),
            "status": ("Status", "code", "Where the pledge is in review.",
                       "submitted; returned; approved; hidden"),
            "submitted_at": ("Submitted", "date-time", "When the pledge was submitted (UTC).", ""),
            "approved_at": ("Approved", "date-time", "When the pledge was approved (UTC).", ""),
            "accreditations": ("Accreditations", "list", "Accreditation codes, separated by '; '.", ""),
            "sponsor_name": ("Sponsor", "text", "Senior sponsor's name. CONTACT DETAILS.", ""),
            "sponsor_role": ("Sponsor's role", "text", "CONTACT DETAILS.", ""),
            "contact_emails": ("Contact e-mails", "list",
                               "E-mail addresses of people acting for the organisation. "
                               "CONTACT DETAILS.", ""),
            "action": ("Action", "number", "Action number within the pledge (1 to 3).", ""),
            "latest_update": ("Latest update", "text",
                              "Latest progress update: approved text, or with personal details "
                              "removed automatically.", ""),
            "latest_update_at": ("Latest update date", "date-time", "When it was written (UTC).", ""),
        }
        for key, label, kind, values in ACTION_FIELDS:
            text_note = (" Approved text, or with personal details removed automatically."
                         if kind == "text" else "")
            described[key] = (label, kind, f"{label} of the action.{text_note}", values)

        def column(key: str, prefix: str = "", label_prefix: str = "") -> ExportColumn:
            label, kind, description, values = described[key]
            return ExportColumn(prefix + key, label_prefix + label, description, kind, values)

        meta = self._meta(spec)
        actions = self._action_keys(spec)
        if spec.layout == "long":
            return ([column("pledge")] + [column(k) for k in meta]
                    + ([column("action")] + [column(k) for k in actions] if actions else []))
        wide = [column(k, f"action{n}_", f"Action {n}: ") for n in range(1, MAX_ACTIONS + 1) for k in actions]
        return [column("pledge")] + [column(k) for k in meta] + wide

    def rows(self, spec: ExportSpec) -> Iterator[list[Any]]:
        from sqlalchemy.orm import selectinload

        from citizen.accounts.models import OrganisationMembership, User
        from citizen.pledges.models import (
            MAX_ACTIONS,
            OrganisationPlace,
            OrganisationProfile,
            Pledge,
            PledgeAction,
        )

        redactor = Redactor()
        meta = self._meta(spec)
        actions = self._action_keys(spec)
        statement = (select(Pledge).where(Pledge.status != "draft").order_by(Pledge.id)
                     .options(selectinload(Pledge.organisation),
                              selectinload(Pledge.accreditations),
                              selectinload(Pledge.actions).selectinload(PledgeAction.updates)))
        start, end = day_bounds(spec.date_from, spec.date_to)
        if start is not None:
            statement = statement.where(Pledge.submitted_at >= start)
        if end is not None:
            statement = statement.where(Pledge.submitted_at < end)
        result = self.session.scalars(statement.execution_options(yield_per=500))
        for chunk in result.partitions():
            organisation_ids = {p.organisation_id for p in chunk}
            profiles = {p.organisation_id: p for p in self.session.scalars(
                select(OrganisationProfile).where(OrganisationProfile.organisation_id.in_(organisation_ids))
                .options(selectinload(OrganisationProfile.places).selectinload(OrganisationPlace.place)))}
            emails: dict[int, list[str]] = {}
            if "contact_emails" in meta:
                for organisation_id, email in self.session.execute(
                        select(OrganisationMembership.organisation_id, User.email)
                        .join(User, User.id == OrganisationMembership.user_id)
                        .where(OrganisationMembership.organisation_id.in_(organisation_ids))
                        .order_by(User.email)):
                    emails.setdefault(organisation_id, []).append(email)
            for pledge in chunk:
                profile = profiles.get(pledge.organisation_id)
                values: dict[str, Any] = {
                    "organisation": pledge.organisation.name,
                    "sector": profile.sector if profile else None,
                    "size_band": profile.size_band if profile else None,
                    "places": "; ".join(profile.place_slugs) if profile else None,
                    "status": pledge.status,
                    "submitted_at": _utc(pledge.submitted_at),
                    "approved_at": _utc(pledge.approved_at),
                    "accreditations": "; ".join(a.code for a in pledge.accreditations),
                    "sponsor_name": pledge.sponsor_name,
                    "sponsor_role": pledge.sponsor_role,
                    "contact_emails": "; ".join(emails.get(pledge.organisation_id, [])),
                }
                head = [pledge.id] + [values[k] for k in meta]
                action_rows = [self._action_values(action, actions, redactor) for action in pledge.actions]
                if spec.layout == "long":
                    if not actions:
                        yield head
                        continue
                    for action, cells in zip(pledge.actions, action_rows, strict=True):
                        yield [*head, action.position, *cells]
                    continue
                cells = [c for row in action_rows[:MAX_ACTIONS] for c in row]
                cells += [None] * (len(actions) * MAX_ACTIONS - len(cells))
                yield head + cells

    @staticmethod
    def _action_values(action: Any, keys: list[str], redactor: Redactor) -> list[Any]:
        latest = action.updates[-1] if action.updates else None
        latest_text = None
        if latest is not None:
            latest_text = redactor(latest.public_text if latest.public_text is not None else latest.text)
        values = {
            "pillar": action.pillar,
            "beneficiaries": action.beneficiaries,
            # Approved text is what was published (redacted by a moderator); the detector runs
            # over it as well, and over anything not yet approved.
            "description": redactor(action.public_description if action.public_description is not None
                                    else action.description),
            "target": redactor(action.public_target if action.public_target is not None else action.target),
            "start_date": action.start_date,
            "due_date": action.due_date,
            "progress": action.progress_status,
            "latest_update": latest_text,
            "latest_update_at": _utc(latest.created_at) if latest is not None else None,
        }
        return [values[k] for k in keys]


def source_for(session: Session, source: str,
               consultation_id: int | None) -> ConsultationSource | PledgeSource:
    if source == "pledges":
        return PledgeSource(session)
    if source == "consultation" and consultation_id is not None:
        return ConsultationSource(session, consultation_id)
    raise LookupError(source)


def contact_keys(choices: Sequence[Choice]) -> set[str]:
    return {c.key for c in choices if c.contact}
