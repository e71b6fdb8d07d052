"""Rules and writes of the consultations feature. Functions flush, never commit.

Errors are :class:`ConsultationError` with a code (and a field); views turn codes into translated
messages (``messages.py``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, joinedload, lazyload, object_session
from sqlalchemy.orm.attributes import set_committed_value

from citizen.consultations import questions as kinds
from citizen.consultations.models import (
    Answer,
    Channel,
    Consultation,
    ConsultationPlace,
    ConsultationTranslation,
    EqualityMonitoringRecord,
    Question,
    RespondentContact,
    Response,
    ResponseChange,
    ResponseStatus,
    Section,
    Status,
    _aware,
)
from citizen.db import utcnow
from citizen.shared import audit
from citizen.shared.sanitize import clean_rich_text, plain_text

LONDON = ZoneInfo("Europe/London")
TOPICS = ("general", "hospitals", "gp_and_community", "mental_health", "social_care",
          "children", "public_health")
STAFF_CHANNELS = (Channel.PAPER, Channel.PHONE, Channel.EVENT, Channel.EASY_READ)


class ConsultationError(Exception):
    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def to_london(value: datetime | None) -> datetime | None:
    return None if value is None else _aware(value).astimezone(LONDON)


def from_london(value: datetime | None) -> datetime | None:
    """A wall-clock time in London (naive, as typed) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=LONDON).astimezone(UTC)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "consultation"


# ---------------------------------------------------------------- reading


def get(session: Session, consultation_id: int) -> Consultation | None:
    return session.get(Consultation, consultation_id)


def by_slug(session: Session, slug: str) -> Consultation | None:
    return session.scalar(select(Consultation).where(Consultation.slug == slug))


_PUBLIC_CACHE: OrderedDict[tuple[str, str], Consultation] = OrderedDict()
_PUBLIC_CACHE_SIZE = 64
_PUBLIC_CACHE_LOCK = threading.Lock()


def public_by_slug(session: Session, slug: str) -> Consultation | None:
    """The consultation for the public pages (hub excepted): **read only**, possibly detached.

    Every public request needs the whole consultation (texts, places, sections, questions);
    loading it is five queries and many objects. Instead each process keeps the loaded
    consultation, detached, under its :attr:`Consultation.revision`, which every change
    renews (status and dates included), and each request reads only that one column. Callers
    must not change the object, nor rely on it being in ``session``.
    """
    row = session.execute(select(Consultation.id, Consultation.revision)
                          .where(Consultation.slug == slug)).first()
    if row is None:
        return None
    key = (slug, row.revision)
    if row.revision:
        with _PUBLIC_CACHE_LOCK:
            cached = _PUBLIC_CACHE.get(key)
            if cached is not None:
                _PUBLIC_CACHE.move_to_end(key)
                return cached
    in_session = session.identity_map.get(session.identity_key(Consultation, row.id))
    if in_session is not None or not row.revision:
        return in_session or session.get(Consultation, row.id)
    consultation = session.get(Consultation, row.id)
    if consultation is None:
        return None
    # Everything residents' pages read is loaded (selectin); set the back references too, so
    # nothing ever tries to load from the database once detached.
    for child in (*consultation.translations, *consultation.places):
        set_committed_value(child, "consultation", consultation)
    for section in consultation.sections:
        set_committed_value(section, "consultation", consultation)
        for question in section.questions:
            set_committed_value(question, "section", section)
    if consultation.revision != row.revision or session.is_modified(consultation):
        return consultation  # changed meanwhile, or by this request: keep it in the session
    session.expunge(consultation)
    with _PUBLIC_CACHE_LOCK:
        _PUBLIC_CACHE[key] = consultation
        while len(_PUBLIC_CACHE) > _PUBLIC_CACHE_SIZE:
            _PUBLIC_CACHE.popitem(last=False)
    return consultation


def has_responses(session: Session, consultation: Consultation) -> bool:
    return bool(session.scalar(
        select(exists().where(Response.consultation_id == consultation.id))
    ))


@dataclass(frozen=True)
class Hub:
    open: list[Consultation]
    upcoming: list[Consultation]
    closed: list[Consultation]


def hub(session: Session, place: str | None = None, topic: str | None = None,
        now: datetime | None = None) -> Hub:
    """Published consultations split into open, upcoming and closed, filtered by place/topic."""
    query = select(Consultation).where(Consultation.status != Status.DRAFT)
    if place:
        query = query.where(Consultation.places.any(ConsultationPlace.place_slug == place))
    if topic:
        query = query.where(Consultation.topic == topic)
    query = query.order_by(Consultation.closes_at.desc(), Consultation.id.desc()).limit(200)
    found = list(session.scalars(query))
    now = now or utcnow()
    result = Hub([], [], [])
    for item in found:
        state = item.current_status(now)
        if state == Status.OPEN:
            result.open.append(item)
        elif state == Status.SCHEDULED:
            result.upcoming.append(item)
        else:
            result.closed.append(item)
    result.open.sort(key=lambda c: _aware(c.closes_at) if c.closes_at else datetime.max.replace(tzinfo=UTC))
    return result


def manage_list(session: Session) -> list[Consultation]:
    return list(session.scalars(select(Consultation).order_by(Consultation.created_at.desc())))


def response_counts(session: Session, consultation_ids: Sequence[int]) -> dict[int, int]:
    if not consultation_ids:
        return {}
    rows = session.execute(
        select(Response.consultation_id, func.count())
        .where(Response.consultation_id.in_(consultation_ids),
               Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.consultation_id)
    )
    return {cid: count for cid, count in rows}


# ---------------------------------------------------------------- the builder


@dataclass
class Details:
    title: str
    summary: str
    body: str
    privacy_notice: str
    places: list[str]
    topic: str
    opens_at: datetime | None  # London wall clock, as typed
    closes_at: datetime | None
    anonymous_allowed: bool
    post_moderated: bool
    equality_monitoring: bool
    contact: str


def _unique_slug(session: Session, base: str, ignore_id: int | None = None) -> str:
    slug, n = base, 1
    while True:
        found = session.scalar(select(Consultation.id).where(Consultation.slug == slug))
        if found is None or found == ignore_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def _check_dates(details: Details) -> None:
    if details.opens_at and details.closes_at and details.closes_at <= details.opens_at:
        raise ConsultationError("closes_before_opens", "closes_at")


def create(session: Session, actor_id: int | None, details: Details) -> Consultation:
    _check_dates(details)
    consultation = Consultation(slug=_unique_slug(session, slugify(details.title)),
                                created_by_id=actor_id)
    session.add(consultation)
    _apply_details(consultation, details)
    session.flush()
    audit.record(session, "consultation.created", actor_id=actor_id, target_type="consultation",
                 target_id=consultation.id)
    return consultation


def update_details(session: Session, actor_id: int | None, consultation: Consultation,
                   details: Details) -> None:
    _check_dates(details)
    _apply_details(consultation, details)
    session.flush()
    audit.record(session, "consultation.updated", actor_id=actor_id, target_type="consultation",
                 target_id=consultation.id)


def _apply_details(consultation: Consultation, details: Details) -> None:
    consultation.topic = details.topic if details.topic in TOPICS else "general"
    consultation.opens_at = from_london(details.opens_at)
    consultation.closes_at = from_london(details.closes_at)
    consultation.anonymous_allowed = details.anonymous_allowed
    consultation.post_moderated = details.post_moderated
    consultation.equality_monitoring = details.equality_monitoring
    consultation.contact = details.contact.strip()
    wanted = set(details.places)
    consultation.places[:] = [p for p in consultation.places if p.place_slug in wanted]
    have = {p.place_slug for p in consultation.places}
    for slug in sorted(wanted - have):
        consultation.places.append(ConsultationPlace(place_slug=slug))
    set_translation(consultation, "en", title=details.title, summary=details.summary,
                    body=details.body, privacy_notice=details.privacy_notice)


def set_translation(consultation: Consultation, locale: str, *, title: str, summary: str,
                    body: str, privacy_notice: str | None = None, outcome: str | None = None) -> None:
    """Add or change the text in ``locale``; rich text is sanitised on the way in."""
    existing = next((t for t in consultation.translations if t.locale == locale), None)
    if existing is None:
        existing = ConsultationTranslation(locale=locale, title="", summary="", body="",
                                           privacy_notice="", outcome="")
        consultation.translations.append(existing)
    existing.title = title.strip()[:200]
    existing.summary = plain_text(summary).strip()
    existing.body = str(clean_rich_text(body))
    if privacy_notice is not None:
        existing.privacy_notice = str(clean_rich_text(privacy_notice))
    if outcome is not None:
        existing.outcome = str(clean_rich_text(outcome))


def add_section(session: Session, consultation: Consultation, title: Mapping[str, str],
                intro: Mapping[str, str] | None = None,
                condition: Mapping[str, Any] | None = None) -> Section:
    if has_responses(session, consultation):
        raise ConsultationError("locked")
    section = Section(title=dict(title), intro=dict(intro or {}),
                      condition=dict(condition) if condition else None,
                      position=len(consultation.sections) + 1)
    consultation.sections.append(section)
    session.flush()
    return section


def update_section(session: Session, actor_id: int | None, section: Section,
                   title: Mapping[str, str], intro: Mapping[str, str],
                   condition: Mapping[str, Any] | None) -> None:
    consultation = section.consultation
    if has_responses(session, consultation):
        if (condition or None) != (section.condition or None):
            raise ConsultationError("locked")
        audit.record(session, "consultation.wording_fixed", actor_id=actor_id,
                     target_type="consultation_section", target_id=section.id,
                     details={"old": section.title, "new": dict(title)})
    _check_condition(consultation, condition, before=_first_question_position(section))
    section.title = dict(title)
    section.intro = dict(intro)
    section.condition = dict(condition) if condition else None
    session.flush()


def delete_section(session: Session, section: Section) -> None:
    if has_responses(session, section.consultation):
        raise ConsultationError("locked")
    consultation = section.consultation
    consultation.sections.remove(section)
    for index, remaining in enumerate(consultation.sections, start=1):
        remaining.position = index
    session.flush()


def _first_question_position(section: Section) -> int:
    order = 0
    for s in section.consultation.sections:
        if s is section:
            return order
        order += len(s.questions)
    return order


def _ordered_questions(consultation: Consultation) -> list[Question]:
    return [q for s in sorted(consultation.sections, key=lambda s: s.position)
            for q in sorted(s.questions, key=lambda q: q.position)]


def _check_condition(consultation: Consultation, condition: Mapping[str, Any] | None,
                     before: int) -> None:
    """A condition must point at an earlier choice question and one of its answers."""
    if not condition:
        return
    earlier = _ordered_questions(consultation)[:before]
    target = next((q for q in earlier if q.code == condition.get("question")), None)
    if target is None:
        raise ConsultationError("condition_question", "condition_question")
    if condition.get("op") not in kinds.CONDITION_OPS:
        raise ConsultationError("condition_op", "condition_op")
    codes = {code for code, _label in kinds.choices_of(target, "en")}
    values = condition.get("value")
    values = values if isinstance(values, list) else [values]
    if not values or any(v not in codes for v in values):
        raise ConsultationError("condition_value", "condition_value",
                                codes=", ".join(sorted(codes)))


def _next_code(consultation: Consultation) -> str:
    numbers = [int(q.code[1:]) for q in consultation.questions() if q.code[1:].isdigit()]
    return f"Q{max(numbers, default=0) + 1}"


@dataclass
class QuestionSpec:
    kind: str
    text: dict[str, str]
    help: dict[str, str]
    required: bool
    option_labels: list[str]  # English labels, one per option (choice kinds)
    statement_labels: list[str]  # English labels (matrix)
    settings: dict[str, Any]
    condition: dict[str, Any] | None


def _options(labels: Iterable[str], prefix: str, old: list[dict[str, Any]] | None = None
             ) -> list[dict[str, Any]]:
    old = old or []
    result = []
    for index, label in enumerate(x.strip() for x in labels if x.strip()):
        previous: dict[str, Any] = (old[index] if index < len(old)
                                    else {"code": f"{prefix}{index + 1}", "label": {}})
        merged: dict[str, str] = dict(previous.get("label") or {})
        merged["en"] = label
        result.append({"code": previous["code"], "label": merged})
    return result


def _validate_spec(spec: QuestionSpec) -> None:
    if spec.kind not in kinds.KINDS:
        raise ConsultationError("kind", "kind")
    if not spec.text.get("en", "").strip():
        raise ConsultationError("question_text", "text")
    if spec.kind in kinds.CHOICE_KINDS and len([x for x in spec.option_labels if x.strip()]) < 2:
        raise ConsultationError("options", "options")
    if spec.kind == "matrix" and not [x for x in spec.statement_labels if x.strip()]:
        raise ConsultationError("statements", "statements")
    low, high = spec.settings.get("minimum"), spec.settings.get("maximum")
    if low is not None and high is not None and float(low) > float(high):
        raise ConsultationError("range", "maximum")
    low, high = spec.settings.get("min_selected"), spec.settings.get("max_selected")
    if low and high and int(low) > int(high):
        raise ConsultationError("range", "max_selected")


def add_question(session: Session, section: Section, spec: QuestionSpec) -> Question:
    consultation = section.consultation
    if has_responses(session, consultation):
        raise ConsultationError("locked")
    _validate_spec(spec)
    _check_condition(consultation, spec.condition,
                     before=_first_question_position(section) + len(section.questions))
    settings = dict(spec.settings)
    if spec.kind == "matrix":
        settings["statements"] = _options(spec.statement_labels, "s")
    question = Question(
        consultation_id=consultation.id, code=_next_code(consultation), kind=spec.kind,
        required=spec.required, text=dict(spec.text), help=dict(spec.help),
        options=_options(spec.option_labels, "o") if spec.kind in kinds.CHOICE_KINDS else [],
        settings=settings, condition=spec.condition, position=len(section.questions) + 1,
    )
    section.questions.append(question)
    session.flush()
    return question


def update_question(session: Session, actor_id: int | None, question: Question,
                    spec: QuestionSpec) -> None:
    """Change a question. Once responses exist only its wording (text, help, option and
    statement labels) may change, and each change is logged."""
    consultation = question.section.consultation
    _validate_spec(spec)
    if has_responses(session, consultation):
        same_shape = (
            spec.kind == question.kind and spec.required == question.required
            and (spec.condition or None) == (question.condition or None)
            and len([x for x in spec.option_labels if x.strip()]) == len(question.options)
            and len([x for x in spec.statement_labels if x.strip()])
            == len(question.settings.get("statements", []))
            and {k: v for k, v in spec.settings.items() if k != "statements"}
            == {k: v for k, v in question.settings.items() if k != "statements"}
        )
        if not same_shape:
            raise ConsultationError("locked")
        audit.record(session, "consultation.wording_fixed", actor_id=actor_id,
                     target_type="consultation_question", target_id=question.id,
                     details={"code": question.code, "old": question.text, "new": spec.text,
                              "old_options": [o["label"].get("en") for o in question.options],
                              "new_options": [x.strip() for x in spec.option_labels if x.strip()]})
    else:
        index = _first_question_position(question.section) + question.position - 1
        _check_condition(consultation, spec.condition, before=index)
    settings = dict(spec.settings)
    if spec.kind == "matrix":
        settings["statements"] = _options(spec.statement_labels, "s",
                                          question.settings.get("statements"))
    question.kind = spec.kind
    question.required = spec.required
    question.text = {**question.text, **spec.text}
    question.help = {**question.help, **spec.help}
    question.options = (_options(spec.option_labels, "o", question.options)
                        if spec.kind in kinds.CHOICE_KINDS else [])
    question.settings = settings
    question.condition = spec.condition
    session.flush()


def translate_question(session: Session, actor_id: int | None, question: Question, locale: str,
                       text: str, help_text: str, option_labels: Sequence[str],
                       statement_labels: Sequence[str]) -> None:
    """Set the wording of a question in ``locale`` (allowed at any time; logged if locked)."""
    question.text = {**question.text, locale: text.strip()}
    question.help = {**question.help, locale: help_text.strip()}
    options = [dict(o) for o in question.options]
    for option, label in zip(options, option_labels, strict=False):
        option["label"] = {**option.get("label", {}), locale: label.strip()}
    question.options = options
    statements = [dict(s) for s in question.settings.get("statements", [])]
    for statement, label in zip(statements, statement_labels, strict=False):
        statement["label"] = {**statement.get("label", {}), locale: label.strip()}
    if statements:
        question.settings = {**question.settings, "statements": statements}
    if has_responses(session, question.section.consultation):
        audit.record(session, "consultation.wording_fixed", actor_id=actor_id,
                     target_type="consultation_question", target_id=question.id,
                     details={"code": question.code, "locale": locale})
    session.flush()


def delete_question(session: Session, question: Question) -> None:
    section = question.section
    if has_responses(session, section.consultation):
        raise ConsultationError("locked")
    depends = [q.code for q in section.consultation.questions()
               if q.condition and q.condition.get("question") == question.code]
    depends += [f"section {s.position}" for s in section.consultation.sections
                if s.condition and s.condition.get("question") == question.code]
    if depends:
        raise ConsultationError("condition_depends", codes=", ".join(depends))
    section.questions.remove(question)
    for index, remaining in enumerate(section.questions, start=1):
        remaining.position = index
    session.flush()


def move_question(session: Session, question: Question, step: int) -> None:
    """Move a question up (``-1``) or down (``+1``) within its page, before anyone answers.
    A move that would put a question before the question its condition depends on is refused."""
    section = question.section
    consultation = section.consultation
    if has_responses(session, consultation):
        raise ConsultationError("locked")
    ordered = sorted(section.questions, key=lambda q: q.position)
    index = ordered.index(question)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        return
    other = ordered[target]
    first, second = (question, other) if step < 0 else (other, question)
    if (first.condition or {}).get("question") == second.code or \
            (second.condition or {}).get("question") == first.code:
        raise ConsultationError("condition_order")
    question.position, other.position = other.position, question.position
    section.questions.sort(key=lambda q: q.position)
    session.flush()


def publish(session: Session, actor_id: int | None, consultation: Consultation) -> None:
    """Publish a draft: it opens and closes by its dates."""
    if not consultation.questions():
        raise ConsultationError("no_questions")
    if consultation.opens_at is None or consultation.closes_at is None:
        raise ConsultationError("no_dates")
    consultation.status = Status.SCHEDULED
    audit.record(session, "consultation.published", actor_id=actor_id,
                 target_type="consultation", target_id=consultation.id)
    session.flush()


def close_now(session: Session, actor_id: int | None, consultation: Consultation) -> None:
    """Close early: the closing time becomes now, which residents see and from which personal
    data is counted down (:mod:`citizen.consultations.retention`)."""
    now = utcnow()
    if consultation.closes_at is None or _aware(consultation.closes_at) > now:
        consultation.closes_at = now
    consultation.status = Status.CLOSED
    audit.record(session, "consultation.closed", actor_id=actor_id, target_type="consultation",
                 target_id=consultation.id)
    session.flush()


def duplicate(session: Session, actor_id: int | None, consultation: Consultation) -> Consultation:
    """An editable draft copy: texts, places, sections and questions; no responses."""
    copy = Consultation(
        slug=_unique_slug(session, consultation.slug + "-copy"), topic=consultation.topic,
        status=Status.DRAFT, opens_at=None, closes_at=None,
        anonymous_allowed=consultation.anonymous_allowed,
        post_moderated=consultation.post_moderated,
        equality_monitoring=consultation.equality_monitoring, contact=consultation.contact,
        created_by_id=actor_id,
    )
    for t in consultation.translations:
        copy.translations.append(ConsultationTranslation(
            locale=t.locale, title=t.title, summary=t.summary, body=t.body,
            privacy_notice=t.privacy_notice, outcome=""))
    for p in consultation.places:
        copy.places.append(ConsultationPlace(place_slug=p.place_slug))
    session.add(copy)
    session.flush()
    for s in consultation.sections:
        new_section = Section(position=s.position, title=dict(s.title), intro=dict(s.intro),
                              condition=s.condition)
        copy.sections.append(new_section)
        for q in s.questions:
            new_section.questions.append(Question(
                consultation_id=copy.id, code=q.code, position=q.position, kind=q.kind,
                required=q.required, text=dict(q.text), help=dict(q.help), options=list(q.options),
                settings=dict(q.settings), condition=q.condition))
    session.flush()
    audit.record(session, "consultation.duplicated", actor_id=actor_id, target_type="consultation",
                 target_id=copy.id, details={"from": consultation.id})
    return copy


# ---------------------------------------------------------------- responding


def answers_by_code(response: Response | None, consultation: Consultation) -> dict[str, Any]:
    if response is None:
        return {}
    by_id = {q.id: q for q in consultation.questions()}
    result: dict[str, Any] = {}
    for answer in response.answers:
        question = by_id.get(answer.question_id)
        if question is not None:
            result[question.code] = kinds.from_stored(question, answer.value_text, answer.value_json)
    return result


def visible_sections(consultation: Consultation, answers: Mapping[str, Any]) -> list[Section]:
    return [s for s in consultation.sections
            if s.questions and kinds.condition_met(s.condition, answers)]


def visible_questions(section: Section, answers: Mapping[str, Any]) -> list[Question]:
    return [q for q in section.questions if kinds.condition_met(q.condition, answers)]


def _with_answers() -> list[Any]:
    """Load a response with its answers and contact in one query (not three)."""
    return [joinedload(Response.answers), joinedload(Response.contact)]


def response_by_id(session: Session, response_id: int) -> Response | None:
    return session.get(Response, response_id, options=_with_answers())


def find_by_client_key(session: Session, client_key: str) -> Response | None:
    return session.scalars(select(Response).options(*_with_answers())
                           .where(Response.client_key_hash == hash_token(client_key))).unique().first()


# session.info key: ids of the responses this unit of work created (their updated_at is fresh).
_NEW_RESPONSES = "consultations.new_responses"


def draft_for(session: Session, consultation: Consultation, client_key: str, locale: str,
              user_id: int | None = None, channel: str = Channel.ONLINE,
              entered_by_id: int | None = None, received_at: datetime | None = None) -> Response:
    """The response this browser's form key belongs to, made on first use.

    A double-click or a retried request carries the same key, so it finds the same response;
    two racing first requests are settled by the unique key (one insert wins, the other reads).
    """
    if not client_key or len(client_key) < 16 or len(client_key) > 64:
        raise ConsultationError("form_key")
    if not consultation.is_open() and channel == Channel.ONLINE:
        raise ConsultationError("closed")
    # The insert comes first (a repeat is rare): the unique key turns it down when this form
    # already has a response, and then that response is read.
    values: dict[str, Any] = {
        "consultation_id": consultation.id, "client_key_hash": hash_token(client_key),
        "locale": locale, "user_id": user_id, "channel": channel, "entered_by_id": entered_by_id,
        "received_at": received_at, "status": ResponseStatus.DRAFT}
    # One statement (INSERT … ON CONFLICT DO NOTHING RETURNING) instead of a savepoint, the
    # insert and its release: no row back means the key is taken.
    response = session.scalars(
        _insert_for(session)(Response).values(**values)
        .on_conflict_do_nothing(index_elements=[Response.client_key_hash])
        .returning(Response)
        .options(lazyload(Response.answers), lazyload(Response.contact))).first()
    if response is None:
        # This form already has a response (or, very rarely, had one that is now gone).
        found = find_by_client_key(session, client_key)
        if found is None or found.consultation_id != consultation.id:
            raise ConsultationError("form_key")
        return found
    # A new response has no answers and no contact yet: no need to ask the database.
    set_committed_value(response, "answers", [])
    set_committed_value(response, "contact", None)
    session.info.setdefault(_NEW_RESPONSES, set()).add(response.id)
    return response


def _insert_for(session: Session) -> Any:
    """The ``insert`` of the session's database (PostgreSQL or SQLite: the two the app runs
    on), which has ``on_conflict_do_nothing``."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _may_change(response: Response, consultation: Consultation) -> None:
    staff = response.channel != Channel.ONLINE
    if not staff and not consultation.is_open():
        raise ConsultationError("closed")


def save_answers(session: Session, consultation: Consultation, response: Response,
                 values: Mapping[Question, Any], actor_id: int | None = None) -> None:
    """Store the answers of one page (``None`` removes an answer). Changes to a submitted
    response are kept in its history."""
    _may_change(response, consultation)
    existing = {a.question_id: a for a in response.answers}
    changes: dict[str, Any] = {}
    for question, value in values.items():
        answer = existing.get(question.id)
        old = kinds.from_stored(question, answer.value_text, answer.value_json) if answer else None
        if value is None:
            if answer is not None:
                response.answers.remove(answer)
                changes[question.code] = {"old": old, "new": None}
            continue
        stored = kinds.to_stored(question, value)
        if answer is None:
            answer = Answer(question_id=question.id)
            response.answers.append(answer)
        elif old == value:
            continue
        answer.value_text, answer.value_json, answer.value_number = (
            stored.text, stored.json, stored.number)
        answer.value_code = stored.code(question.kind)
        changes[question.code] = {"old": old, "new": value}
    if changes and not (response.status == ResponseStatus.DRAFT
                        and response.id in session.info.get(_NEW_RESPONSES, ())):
        response.updated_at = utcnow()  # (a draft made by this unit of work is fresh already)
    if changes and response.status == ResponseStatus.SUBMITTED:
        session.add(ResponseChange(response_id=response.id, changed_by_id=actor_id, changes=changes))
        _resubmit_to_moderation(session, consultation, response)
    session.flush()
    if changes and response.status == ResponseStatus.SUBMITTED:
        response.export_cells, response.export_cells_version = _export_cells(consultation, response)
        session.flush()


def _export_cells(consultation: Consultation, response: Response) -> tuple[str, int]:
    """The response's answers as export cells (kept on the response for fast exports)."""
    from citizen.exports.cells import CELLS_VERSION, cells_json

    if any(answer.id is None for answer in response.answers):
        object_session(response).flush()  # type: ignore[union-attr]
    return cells_json(consultation.questions(), response.answers), CELLS_VERSION


def _prune_hidden(consultation: Consultation, response: Response) -> None:
    """Drop answers to questions that the person's other answers now hide."""
    answers = answers_by_code(response, consultation)
    shown = {q.id for s in visible_sections(consultation, answers) for q in visible_questions(s, answers)}
    for answer in list(response.answers):
        if answer.question_id not in shown:
            response.answers.remove(answer)


def missing_required(consultation: Consultation, response: Response) -> list[Question]:
    answers = answers_by_code(response, consultation)
    return [q for s in visible_sections(consultation, answers) for q in visible_questions(s, answers)
            if q.required and answers.get(q.code) in (None, "", [], {})]


_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Made once: a new alias per statement would make SQLAlchemy compile the statement anew.
_TAKEN_REFERENCE = aliased(Response, name="taken")


def _reference_candidate() -> str:
    """A random reference (about 10¹² possible); :func:`submit` makes sure it is unused."""
    return "CW-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def receipt_emailed(session: Session, consultation: Consultation, reference: str) -> bool | None:
    """Whether the response with this reference left an e-mail address (``None``: no such
    response in this consultation). One query; the response itself is not loaded."""
    row = session.execute(
        select(Response.id, RespondentContact.id)
        .outerjoin(RespondentContact, RespondentContact.response_id == Response.id)
        .where(Response.reference == reference, Response.consultation_id == consultation.id)
    ).first()
    return None if row is None else row[1] is not None


@dataclass(frozen=True)
class Submitted:
    reference: str
    change_token: str | None  # for the receipt's "change your answers" link
    already: bool  # True when this was a repeat of an earlier submission


EQUALITY_FIELDS = ("age_band", "sex", "gender_identity", "ethnic_group_detailed", "disability",
                   "carer", "religion", "sexual_orientation", "postcode_district")


def submit(session: Session, consultation: Consultation, response: Response, *,
           email: str | None, consent_contact: bool, consent_publish: bool,
           equality: Mapping[str, str | None] | None, place_slug: str | None = None) -> Submitted:
    """Turn a draft into a submitted response (exactly once: a repeat gets the same reference)."""
    if response.status == ResponseStatus.SUBMITTED:
        return Submitted(response.reference or "", None, already=True)
    staff = response.channel != Channel.ONLINE
    if not staff and not consultation.is_open():
        raise ConsultationError("closed")
    if not staff and missing_required(consultation, response):
        raise ConsultationError("missing_answers")
    if email is None and not consultation.anonymous_allowed and response.user_id is None and not staff:
        raise ConsultationError("email_required", "email")
    _prune_hidden(consultation, response)
    now = utcnow()
    values: dict[str, Any] = {
        "status": ResponseStatus.SUBMITTED, "submitted_at": now,
        "updated_at": now, "consent_contact": bool(consent_contact and email),
        "consent_publish": bool(consent_publish),
        "place_slug": place_slug or response.place_slug or (
            consultation.place_slugs[0] if len(consultation.place_slugs) == 1 else None)}
    values["export_cells"], values["export_cells_version"] = _export_cells(consultation, response)
    token = None
    if email:
        token = secrets.token_urlsafe(32)
        values["resume_token_hash"] = hash_token(token)
        values["resume_expires_at"] = consultation.closes_at
    # The status change is one conditional UPDATE: of two racing submissions, one wins. It
    # carries every column the submission sets, and checks in the same statement that the new
    # reference is unused, so a win costs one statement.
    taken = _TAKEN_REFERENCE
    while True:
        reference = values["reference"] = _reference_candidate()
        won = session.execute(  # type: ignore[attr-defined]
            update(Response)
            .where(Response.id == response.id, Response.status == ResponseStatus.DRAFT,
                   ~exists().where(taken.reference == reference))
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            break
        session.refresh(response, ["status", "reference", "submitted_at"])
        if response.status != ResponseStatus.DRAFT:
            return Submitted(response.reference or "", None, already=True)
        # Still a draft: the reference was taken (about one chance in 10¹² per response).
    for name, value in values.items():
        set_committed_value(response, name, value)
    if email:
        response.contact = RespondentContact(email=email.strip().lower(), locale=response.locale)
    if equality and any(equality.get(k) for k in EQUALITY_FIELDS):
        record_equality(session, consultation, equality)
    session.flush()
    if response.consent_publish:
        _submit_to_moderation(session, consultation, response)
    return Submitted(reference, token, already=False)


def record_equality(session: Session, consultation: Consultation,
                    equality: Mapping[str, str | None]) -> None:
    """Keep equality monitoring answers apart from the response (random key, day only)."""
    from citizen.reach.census import high_level_ethnic_group

    detailed = equality.get("ethnic_group_detailed") or None
    session.add(EqualityMonitoringRecord(
        id=uuid.uuid4().hex, consultation_id=consultation.id, recorded_on=date.today(),
        age_band=equality.get("age_band") or None, sex=equality.get("sex") or None,
        gender_identity=equality.get("gender_identity") or None,
        ethnic_group=high_level_ethnic_group(detailed) if detailed else None,
        ethnic_group_detailed=detailed,
        disability=equality.get("disability") or None, carer=equality.get("carer") or None,
        religion=equality.get("religion") or None,
        sexual_orientation=equality.get("sexual_orientation") or None,
        postcode_district=(equality.get("postcode_district") or None),
    ))


def _free_text_answers(consultation: Consultation, response: Response) -> list[tuple[Answer, str]]:
    by_id = {q.id: q for q in consultation.questions()}
    out = []
    for answer in response.answers:
        question = by_id.get(answer.question_id)
        if question is None:
            continue
        if question.kind in kinds.TEXT_KINDS and answer.value_text:
            out.append((answer, answer.value_text))
        elif question.kind == "multiple_choice" and isinstance(answer.value_json, dict) \
                and answer.value_json.get("other"):
            out.append((answer, str(answer.value_json["other"])))
    return out


def _submit_to_moderation(session: Session, consultation: Consultation, response: Response) -> None:
    from citizen.moderation import services as moderation

    email = response.contact.email if response.contact else None
    for answer, text in _free_text_answers(consultation, response):
        moderation.submit(session, kind="answer", target_id=answer.id, text=text,
                          consultation_id=consultation.id, place_slug=response.place_slug,
                          author_email=email, author_locale=response.locale,
                          post_moderated=consultation.post_moderated)


def _resubmit_to_moderation(session: Session, consultation: Consultation, response: Response) -> None:
    if response.consent_publish:
        session.flush()
        _submit_to_moderation(session, consultation, response)


def start_save_for_later(session: Session, consultation: Consultation, response: Response,
                         email: str) -> str:
    """Keep the draft under a new emailed link; return the token (only its hash is stored).
    The link works until the consultation closes."""
    if response.status != ResponseStatus.DRAFT:
        raise ConsultationError("already_submitted")
    if not consultation.is_open():
        raise ConsultationError("closed")
    token = secrets.token_urlsafe(32)
    response.resume_token_hash = hash_token(token)
    response.resume_expires_at = consultation.closes_at
    if response.contact is None:
        response.contact = RespondentContact(email=email.strip().lower(), locale=response.locale)
    else:
        response.contact.email = email.strip().lower()
    session.flush()
    return token


def response_for_token(session: Session, token: str, now: datetime | None = None) -> Response:
    """The response a save-and-return or receipt link opens; errors: unknown, expired, closed."""
    if not token or len(token) > 100:
        raise ConsultationError("token_unknown")
    response = session.scalar(select(Response).where(Response.resume_token_hash == hash_token(token)))
    if response is None:
        raise ConsultationError("token_unknown")
    now = now or utcnow()
    consultation = session.get(Consultation, response.consultation_id)
    assert consultation is not None
    if response.resume_expires_at is not None and now >= _aware(response.resume_expires_at):
        raise ConsultationError("token_expired")
    if not consultation.is_open(now):
        raise ConsultationError("token_expired")
    return response


def withdraw(session: Session, consultation: Consultation, response: Response) -> str | None:
    """The respondent takes back a response they sent: it is deleted with its answers, its
    history and their address, and its answers leave the moderation queue. Only while the
    consultation is open (error ``closed``). Their equality monitoring answers stay: they are
    kept apart and nothing links them to the response. Returns the address (to confirm to);
    audited without it. Flushes."""
    if response.status != ResponseStatus.SUBMITTED or response.consultation_id != consultation.id:
        raise ConsultationError("token_unknown")
    if not consultation.is_open():
        raise ConsultationError("closed")
    audit.record(session, "consultation.response_withdrawn", target_type="consultation",
                 target_id=consultation.id, details={"channel": response.channel})
    return _delete_response(session, response)


def erase_response(session: Session, response: Response, actor_id: int | None) -> None:
    """Staff delete a response (sent or draft) on the person's request, at any time, closed
    consultations included: as :func:`withdraw` does, with its answers, history, address and
    moderation items. Audited, without the address. Flushes."""
    audit.record(session, "consultation.response_erased", actor_id=actor_id,
                 target_type="consultation_response", target_id=response.id,
                 details={"consultation_id": response.consultation_id, "channel": response.channel,
                          "status": response.status})
    _delete_response(session, response)


def _delete_response(session: Session, response: Response) -> str | None:
    """Delete ``response`` with its answers, its history and its address, and take its answers
    out of the moderation queue; no checks (the callers make them). Returns the address."""
    from citizen.moderation import services as moderation

    address = response.contact.email if response.contact is not None else None
    moderation.forget(session, "answer", [a.id for a in response.answers])
    session.delete(response)
    session.flush()
    return address


def history(session: Session, response: Response) -> list[ResponseChange]:
    return list(session.scalars(select(ResponseChange).where(ResponseChange.response_id == response.id)
                                .order_by(ResponseChange.changed_at)))


# ---------------------------------------------------------------- outcome


def save_outcome(session: Session, actor_id: int | None, consultation: Consultation, locale: str,
                 outcome: str) -> None:
    translation = next((t for t in consultation.translations if t.locale == locale), None)
    if translation is None:
        base = consultation.translation("en")
        set_translation(consultation, locale, title=base.title, summary=base.summary, body=base.body,
                        outcome=outcome)
    else:
        translation.outcome = str(clean_rich_text(outcome))
    audit.record(session, "consultation.outcome_saved", actor_id=actor_id,
                 target_type="consultation", target_id=consultation.id, details={"locale": locale})
    session.flush()


@dataclass(frozen=True)
class OutcomeRecipient:
    email: str
    locale: str


def publish_outcome(session: Session, actor_id: int | None, consultation: Consultation
                    ) -> list[OutcomeRecipient]:
    """Publish "we asked, you said, we did"; return who consented to hear about it."""
    if consultation.current_status() not in (Status.CLOSED, Status.OUTCOME_PUBLISHED):
        raise ConsultationError("not_closed")
    if not consultation.translation("en").outcome.strip():
        raise ConsultationError("no_outcome", "outcome")
    first_time = consultation.status != Status.OUTCOME_PUBLISHED
    consultation.status = Status.OUTCOME_PUBLISHED
    consultation.outcome_published_at = utcnow()
    audit.record(session, "consultation.outcome_published", actor_id=actor_id,
                 target_type="consultation", target_id=consultation.id)
    session.flush()
    if not first_time:
        return []
    rows = session.execute(
        select(RespondentContact.email, RespondentContact.locale)
        .join(Response, Response.id == RespondentContact.response_id)
        .where(Response.consultation_id == consultation.id,
               Response.status == ResponseStatus.SUBMITTED, Response.consent_contact.is_(True))
    )
    seen: set[str] = set()
    recipients = []
    for email, locale in rows:
        if email not in seen:
            seen.add(email)
            recipients.append(OutcomeRecipient(email, locale))
    return recipients


# ---------------------------------------------------------------- personal data


def answers_of(responses: Select[Any]) -> Select[Any]:
    """The ids of the answers of the responses ``responses`` (a SELECT of response ids)."""
    return select(Answer.id).where(Answer.response_id.in_(responses))


def erase_contact(session: Session, response: Response, actor_id: int | None = None) -> None:
    """Delete the address given with ``response`` (and the moderation queue's copy of it)."""
    from citizen.moderation import services as moderation

    moderation.forget_authors(session, "answer", [a.id for a in response.answers])
    if response.contact is not None:
        session.delete(response.contact)
        response.contact = None
    response.resume_token_hash = None
    response.consent_contact = False
    audit.record(session, "consultation.contact_erased", actor_id=actor_id,
                 target_type="consultation_response", target_id=response.id)
    session.flush()


@dataclass(frozen=True)
class HeldResponse:
    """A response held for one person (found by the address given with it, or their account)."""

    response: Response
    consultation: Consultation
    by_account: bool  # linked to their account (not, or not only, found by the address)


def responses_for_address(session: Session, email: str, user_id: int | None = None
                          ) -> list[HeldResponse]:
    """Every response (sent or draft) whose contact address is ``email`` (compared lower-case,
    as stored) or, given ``user_id``, that was made signed in to that account; oldest first."""
    address = email.strip().lower()
    found: list[ColumnElement[bool]] = [Response.id.in_(
        select(RespondentContact.response_id).where(RespondentContact.email == address))]
    if user_id is not None:
        found.append(Response.user_id == user_id)
    responses = list(session.scalars(
        select(Response).where(or_(*found)).options(*_with_answers())
        .order_by(Response.created_at, Response.id)).unique())
    consultations = {c.id: c for c in session.scalars(select(Consultation).where(
        Consultation.id.in_({r.consultation_id for r in responses})))}
    return [HeldResponse(r, consultations[r.consultation_id],
                         user_id is not None and r.user_id == user_id) for r in responses]


@dataclass(frozen=True)
class AnswerRow:
    page: int  # the number of the page it is on, among the pages the person saw
    section: str
    code: str
    question: str
    answer: str


def answer_rows(consultation: Consultation, response: Response | None, locale: str
                ) -> list[AnswerRow]:
    """The questions the person saw and their answers, as they read them on "check your
    answers" (in ``locale``)."""
    answers = answers_by_code(response, consultation)
    rows = []
    for number, section in enumerate(visible_sections(consultation, answers), start=1):
        for q in visible_questions(section, answers):
            rows.append(AnswerRow(number, kinds.tr(section.title, locale), q.code,
                                  kinds.tr(q.text, locale),
                                  kinds.display(q, answers.get(q.code), locale)))
    return rows


def subject_access_record(held: HeldResponse) -> dict[str, Any]:
    """One response for a subject access request: the details kept with it and its answers
    as the person read them, in the language they answered in."""
    from flask_babel import force_locale

    response, consultation = held.response, held.consultation
    locale = response.locale or "en"
    with force_locale(locale):
        rows = answer_rows(consultation, response, locale)
    return {
        "consultation": consultation.translation(locale).title,
        "reference": response.reference,
        "status": "sent" if response.status == ResponseStatus.SUBMITTED else "draft",
        "channel": response.channel,
        "language": locale,
        "signed_in_to_account": response.user_id is not None,
        "started_at": response.created_at,
        "last_changed_at": response.updated_at,
        "sent_at": response.submitted_at,
        "received_at": response.received_at,
        "email_address": response.contact.email if response.contact is not None else None,
        "wants_to_hear_the_outcome": response.consent_contact,
        "agreed_answers_may_be_published": response.consent_publish,
        "answers": [{"section": r.section, "question": r.question, "answer": r.answer}
                    for r in rows],
    }


def _on_account_deleted(session: Session, user_id: int, erase: bool) -> None:
    """Unlink the person's responses (answers stay, anonymous); erase them when asked. Their
    moderation items go with erased answers, and lose the address otherwise."""
    from citizen.moderation import services as moderation

    theirs = answers_of(select(Response.id).where(Response.user_id == user_id))
    if erase:
        moderation.forget(session, "answer", theirs)
    else:
        moderation.forget_authors(session, "answer", theirs)
    responses = list(session.scalars(select(Response).where(Response.user_id == user_id)))
    for response in responses:
        if erase:
            session.delete(response)
        else:
            response.user_id = None
            if response.contact is not None:
                session.delete(response.contact)
                response.contact = None
            response.consent_contact = False
    session.flush()


def _answer_url(target_id: int) -> str | None:
    from flask import url_for

    from citizen.db import get_session

    db = get_session()
    slug = db.scalar(select(Consultation.slug).join(Response, Response.consultation_id == Consultation.id)
                     .join(Answer, Answer.response_id == Response.id).where(Answer.id == target_id))
    return url_for("consultations.show", slug=slug) if slug else None


def _register_hooks() -> None:
    from flask_babel import lazy_gettext as _l

    from citizen.accounts.services import on_account_deleted
    from citizen.moderation import services as moderation

    on_account_deleted(_on_account_deleted)
    moderation.register_kind("answer", label=_l("Consultation answer"), public_url=_answer_url)


_register_hooks()


def search_filter(column: Any, text: str) -> Any:
    """A case-insensitive LIKE on ``column`` for each word of ``text``."""
    words = [w for w in re.split(r"\s+", text.strip()) if w][:5]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return [column.ilike(f"%{w}%", escape="\\") for w in escaped] or [true()]
