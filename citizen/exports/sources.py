"""What can be exported, and how its rows are made: consultations and pledges.

Each source offers column choices (for the form), then, for a job, the export columns (with
their data dictionary) and an *iterator* of rows read from the database in batches
(``yield_per``: a server-side cursor on PostgreSQL), so memory stays flat.

Pseudonymity: a respondent is shown only as a code, an HMAC of their account or response id
under a random key made for this export and never stored. The same person has the same code
throughout one export (both layouts), and unrelated codes in any other export. Names, e-mail
addresses and IP addresses are never read unless contact details were allowed and asked for.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session

from citizen.exports.redaction import CHECK_AUTOMATIC, Redactor, moderated_texts
from citizen.shared.export import ExportColumn

# Long layout: answers stream in YIELD_PER rows at a time and are handled BATCH_RESPONSES
# responses at a time (one moderation look-up per batch). Smaller batches keep the peak low:
# 1,000 responses x 20 answers held at once cost about 20 MB.
BATCH_RESPONSES = 200
YIELD_PER = 2000
SUPPRESS_BELOW = 10


# ---------------------------------------------------------------- pseudonyms


class Pseudonymiser:
    """Stable codes within one export: HMAC-SHA256 under a per-export random key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def code(self, kind: str, ident: int) -> str:
        # Computed each time (about a microsecond): a cache would grow with the export.
        # hmac.digest: the one-shot form, a third of the time of hmac.new(...).hexdigest().
        return "R" + hmac.digest(self._key, f"{kind}:{ident}".encode(), "sha256").hex()[:15].upper()


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

    def _statement(self, spec: ExportSpec, plans: list[QuestionPlan]) -> Select[Any]:
        from citizen.consultations.models import Answer, RespondentContact, Response

        question_ids = [p.id for p in plans] or [-1]
        fields: list[Any] = [Response.id, Response.user_id, Response.submitted_at, Response.channel,
                             Response.locale, Response.place_slug, Response.reference,
                             Answer.id, Answer.question_id, Answer.value_text,
                             # As text: parsed only where needed (the "other" answer), which
                             # spares a JSON decode on every row.
                             cast(Answer.value_json, Text),
                             Answer.value_number]
        if spec.include_contact and "contact_email" in spec.columns:
            fields.append(RespondentContact.email)
        statement = (
            select(*fields)
            .outerjoin(Answer, (Answer.response_id == Response.id)
                       & Answer.question_id.in_(question_ids))
            .where(Response.consultation_id == self.consultation.id,
                   Response.status == "submitted")
            .order_by(Response.id)
        )
        if spec.include_contact and "contact_email" in spec.columns:
            statement = statement.outerjoin(RespondentContact,
                                            RespondentContact.response_id == Response.id)
        start, end = day_bounds(spec.date_from, spec.date_to)
        if start is not None:
            statement = statement.where(Response.submitted_at >= start)
        if end is not None:
            statement = statement.where(Response.submitted_at < end)
        return statement

    def _wide_statement(self, spec: ExportSpec, plans: list[QuestionPlan]
                        ) -> tuple[Select[Any], list[dict[str, int]], int | None]:
        """One row per response, pivoted by the database (one aggregate per question): the
        database does the heavy lifting in C, Python sees one row per response.

        ``max(x) FILTER (WHERE question_id = q)`` rather than ``max(CASE WHEN ...)``: SQLite
        (3.30+) and PostgreSQL skip the other rows before the aggregate, which measured about
        40% less database time on SQLite for 20 questions."""
        from citizen.consultations.models import Answer, RespondentContact, Response

        fields: list[Any] = [Response.id, Response.user_id, Response.submitted_at, Response.channel,
                             Response.locale, Response.place_slug, Response.reference]
        email_at = None
        if spec.include_contact and "contact_email" in spec.columns:
            email_at = len(fields)
            fields.append(func.max(RespondentContact.email))
        slots: list[dict[str, int]] = []
        for plan in plans:
            is_this = Answer.question_id == plan.id
            slot = {"text": len(fields)}
            fields.append(func.max(Answer.value_text).filter(is_this))
            if plan.kind == "text" or plan.has_other:
                slot["id"] = len(fields)
                fields.append(func.max(Answer.id).filter(is_this))
            if plan.has_other:
                # The "other" text only, taken out of the JSON by the database (a JSON decode
                # per row in Python cost more than the rest of the row's conversions).
                slot["json"] = len(fields)
                fields.append(func.max(Answer.value_json["other"].as_string()).filter(is_this))
            if plan.kind == "number":
                slot["number"] = len(fields)
                fields.append(func.max(Answer.value_number).filter(is_this))
            slots.append(slot)
        question_ids = [p.id for p in plans] or [-1]
        statement = (
            select(*fields)
            .outerjoin(Answer, (Answer.response_id == Response.id)
                       & Answer.question_id.in_(question_ids))
            .where(Response.consultation_id == self.consultation.id,
                   Response.status == "submitted")
            .group_by(Response.id)
            .order_by(Response.id)
        )
        if email_at is not None:
            statement = statement.outerjoin(RespondentContact,
                                            RespondentContact.response_id == Response.id)
        start, end = day_bounds(spec.date_from, spec.date_to)
        if start is not None:
            statement = statement.where(Response.submitted_at >= start)
        if end is not None:
            statement = statement.where(Response.submitted_at < end)
        return statement, slots, email_at

    def _wide_rows(self, spec: ExportSpec) -> Iterator[list[Any]]:
        plans = self._plans(set(spec.columns))
        meta = self._meta(spec)
        head_at = {"submitted_at": 2, "channel": 3, "locale": 4, "place": 5, "reference": 6}
        statement, slots, email_at = self._wide_statement(spec, plans)
        head_at["contact_email"] = email_at if email_at is not None else 6
        pseudonyms = Pseudonymiser(spec.key)
        redactor = Redactor()
        # Each output cell is either a database column as it is (``plain``: fetched for the
        # whole row at once by an itemgetter) or needs a conversion (``steps``: the position it
        # fills, what to do, the database columns it reads). Deciding this once, not per row,
        # keeps the per-row work to what the data needs.
        sources: list[int] = [0]  # the respondent code, filled in below
        steps: list[tuple[int, str, int, int]] = []
        for key in meta:
            if key in ("contact_email", "reference"):
                continue
            if key == "submitted_at":
                steps.append((len(sources), "utc", head_at[key], 0))
            sources.append(head_at[key])
        text_ids: list[int] = []  # columns holding the ids of free-text answers
        other_slots: list[tuple[int, int]] = []  # (json column, id column) for "other" answers
        for plan, slot in zip(plans, slots, strict=True):
            at = slot["text"]
            kind = plan.kind
            if kind == "text":
                text_ids.append(slot["id"])
                steps.append((len(sources), "text", slot["id"], at))
            elif kind == "multiple_choice":
                steps.append((len(sources), "list", at, 0))
            elif kind == "ranking":
                steps.append((len(sources), "ranking", at, 0))
            elif kind == "matrix":
                for index in range(len(plan.statements)):
                    steps.append((len(sources) + index, "matrix", at, index))
                sources.extend([at] * (len(plan.statements) - 1))
                if not plan.statements:
                    continue
            elif kind == "number":
                steps.append((len(sources), "number", slot["number"], at))
            elif kind == "rating":
                steps.append((len(sources), "rating", at, 0))
            sources.append(at)
            if plan.has_other:
                other_slots.append((slot["json"], slot["id"]))
                steps.append((len(sources), "other", slot["id"], slot["json"]))
                sources.append(slot["json"])
        sources.extend(head_at[k] for k in meta if k in ("contact_email", "reference"))
        matrix_statements = {slot["text"]: plan.statements for plan, slot in zip(plans, slots, strict=True)
                             if plan.kind == "matrix"}
        take = itemgetter(*sources) if len(sources) > 1 else (lambda row: (row[sources[0]],))
        user_at, response_at = 1, 0
        result = self.session.connection().execute(statement, execution_options={"yield_per": 2000})
        for batch in result.partitions():
            free: dict[int, str | None] = {}
            for row in batch:
                for id_at in text_ids:
                    answer_id = row[id_at]
                    if answer_id is not None:
                        text = row[id_at - 1]
                        if text:
                            free[answer_id] = text
                for other_at, id_at in other_slots:
                    other = row[other_at]
                    if other:
                        free[row[id_at]] = other
            texts = ({k: v.text for k, v in moderated_texts(self.session, "answer", free, redactor).items()}
                     if free else {})
            for row in batch:
                out = list(take(row))
                user = row[user_at]
                out[0] = (pseudonyms.code("u", user) if user is not None
                          else pseudonyms.code("r", row[response_at]))
                for position, what, at, extra in steps:
                    value = row[at]
                    if what == "text":
                        out[position] = texts.get(value) if row[extra] else None
                    elif what == "list":
                        out[position] = "; ".join(_stored_list(value)) if value is not None else None
                    elif what == "other":
                        out[position] = texts.get(value) if row[extra] else None
                    elif what == "rating":
                        if value and value.isdigit():
                            out[position] = int(value)
                    elif what == "number":
                        out[position] = _number(value, row[extra])
                    elif what == "ranking":
                        out[position] = ("; ".join(part.rsplit(":", 1)[0] for part in _stored_list(value))
                                         if value is not None else None)
                    elif what == "utc":
                        out[position] = _utc(value)
                    else:  # matrix: stored "|s1=agree|s2=disagree|"
                        chosen = dict(part.split("=", 1) for part in _stored_list(value) if "=" in part)
                        out[position] = chosen.get(matrix_statements[at][extra])
                yield out

    def _grouped(self, spec: ExportSpec, plans: list[QuestionPlan]) -> Iterator[list[tuple[Any, list[Any]]]]:
        """Batches of (response fields, [answer fields]) in response order."""
        # Core, not the ORM: plain rows, streamed (a server-side cursor on PostgreSQL).
        result = self.session.connection().execute(
            self._statement(spec, plans), execution_options={"yield_per": YIELD_PER})
        batch: list[tuple[Any, list[Any]]] = []
        current_id = None
        head: Any = None
        answers: list[Any] = []
        for row in result:
            if row[0] != current_id:
                if current_id is not None:
                    batch.append((head, answers))
                    if len(batch) >= BATCH_RESPONSES:
                        yield batch
                        batch = []
                current_id = row[0]
                head = row
                answers = []
            if row[7] is not None:
                answers.append(row)
        if current_id is not None:
            batch.append((head, answers))
        if batch:
            yield batch

    def rows(self, spec: ExportSpec) -> Iterator[list[Any]]:
        if spec.layout != "long":
            yield from self._wide_rows(spec)
            return
        plans = self._plans(set(spec.columns))
        meta = self._meta(spec)
        plain_meta = [k for k in meta if k not in ("contact_email", "reference")]
        contact = [k for k in meta if k in ("contact_email", "reference")]
        by_question = {p.id: p for p in plans}
        order = {p.id: i for i, p in enumerate(plans)}
        pseudonyms = Pseudonymiser(spec.key)
        redactor = Redactor()

        def head_cells(head: Any) -> tuple[str, list[Any], list[Any]]:
            code = (pseudonyms.code("u", head[1]) if head[1] is not None
                    else pseudonyms.code("r", head[0]))
            cells: list[Any] = []
            for key in plain_meta:
                if key == "submitted_at":
                    cells.append(_utc(head[2]))
                elif key == "channel":
                    cells.append(head[3])
                elif key == "locale":
                    cells.append(head[4])
                else:
                    cells.append(head[5])
            tail: list[Any] = []
            for key in contact:
                tail.append(head[12] if key == "contact_email" else head[6])
            return code, cells, tail

        for batch in self._grouped(spec, plans):
            free: dict[int, str | None] = {}
            for _head, answers in batch:
                for answer in answers:
                    found = by_question.get(answer[8])
                    if found is None:
                        continue
                    if found.kind == "text" and answer[9]:
                        free[answer[7]] = answer[9]
                    elif found.has_other:
                        other = _other_text(answer[10])
                        if other:
                            free[answer[7]] = other
            texts = moderated_texts(self.session, "answer", free, redactor) if free else {}
            for head, answers in batch:
                code, cells, tail = head_cells(head)
                for answer in sorted(answers, key=lambda a: order.get(a[8], 0)):
                    question = by_question[answer[8]]
                    for key, value, check in _answer_values(question, answer, texts):
                        yield [code, *cells, key, question.text, value, check, *tail]


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _number(value: float | None, text: str | None) -> Any:
    if value is None:
        return text
    return int(value) if float(value).is_integer() else value


def _stored_list(text: str | None) -> list[str]:
    """The parts of a stored "|a|b|" value (see ``consultations.models.Answer``)."""
    return [part for part in (text or "").split("|") if part]


def _other_text(raw: Any) -> str | None:
    """The "other" answer of a multiple choice, from the stored JSON (text or already parsed)."""
    if not raw:
        return None
    if isinstance(raw, str):
        if '"other"' not in raw:
            return None
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if isinstance(raw, dict):
        other = raw.get("other")
        return str(other) if other else None
    return None


def _answer_values(plan: QuestionPlan, answer: Any, texts: dict[int, Any]
                   ) -> Iterator[tuple[str, Any, str | None]]:
    """(column key, value, text check) for one stored answer."""
    answer_id, text, number = answer[7], answer[9], answer[11]
    kind = plan.kind
    if kind == "text":
        found = texts.get(answer_id)
        if found is not None:
            yield plan.code, found.text, found.check
        elif text:  # pragma: no cover - every text goes through moderated_texts
            yield plan.code, "", CHECK_AUTOMATIC
        return
    if kind == "multiple_choice":
        yield plan.code, "; ".join(_stored_list(text)), None
        if plan.has_other:
            found = texts.get(answer_id)
            if found is not None:
                yield f"{plan.code}_other", found.text, found.check
        return
    if kind == "ranking":  # stored "|o2:1|o1:2|": already in rank order
        yield plan.code, "; ".join(part.rsplit(":", 1)[0] for part in _stored_list(text)), None
        return
    if kind == "matrix":  # stored "|s1=agree|s2=disagree|"
        chosen = dict(part.split("=", 1) for part in _stored_list(text) if "=" in part)
        for statement in plan.statements:
            if statement in chosen:
                yield f"{plan.code}_{statement}", chosen[statement], None
        return
    if kind == "number":
        yield plan.code, _number(number, text), None
        return
    if kind == "rating" and text and text.isdigit():
        yield plan.code, int(text), None
        return
    yield plan.code, text, None


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
