"""Results of a consultation, counted by the database (SQL aggregates), never by loading rows.

Every question is counted in one ``GROUP BY (question, stored value)`` scan. Multiple choice,
ranking and matrix answers keep a delimited copy in ``value_text`` (``|o1|o3|``), so their few
distinct stored values are split into per-option counts after the database has counted them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from citizen.consultations import questions as kinds
from citizen.consultations.models import Answer, Consultation, Question, Response, ResponseStatus
from citizen.consultations.services import LONDON, search_filter
from citizen.shared.charts import BarChart, bar_chart
from citizen.shared.pagination import Page

SINGLE_VALUE = ("single_choice", "dropdown", "agreement", "rating")


@dataclass(frozen=True)
class Filters:
    place: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def clauses(self) -> list[Any]:
        out: list[Any] = []
        if self.place:
            out.append(Response.place_slug == self.place)
        if self.channel:
            out.append(Response.channel == self.channel)
        when = func.coalesce(Response.received_at, Response.submitted_at)
        if self.date_from:
            out.append(when >= datetime.combine(self.date_from, time(), LONDON).astimezone(UTC))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time(), LONDON).astimezone(UTC)
            out.append(when < end)
        return out


@dataclass
class QuestionResult:
    question: Question
    label: str
    answered: int = 0
    rows: list[tuple[str, int]] = field(default_factory=list)  # (label, count)
    chart: BarChart | None = None
    summary: list[tuple[str, str]] = field(default_factory=list)  # (what, value) for numbers/dates
    matrix: list[tuple[str, list[int]]] = field(default_factory=list)
    matrix_scale: list[str] = field(default_factory=list)


@dataclass
class Results:
    total: int
    by_channel: list[tuple[str, int]]
    questions: list[QuestionResult]


def _base(consultation: Consultation, filters: Filters) -> list[Any]:
    return [Response.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED, *filters.clauses()]


def _answers(consultation: Consultation, filters: Filters, *columns: Any) -> Select[Any]:
    return select(*columns).select_from(Answer).join(Response, Response.id == Answer.response_id).where(
        *_base(consultation, filters))


def _distinct_counts(session: Session, consultation: Consultation, filters: Filters,
                     questions: Sequence[Question]) -> dict[int, dict[str | None, int]]:
    """How many submitted answers share each (question, ``value_code``); free text is only counted
    (its ``value_code`` is NULL).

    Without filters the database counts every answer of the questions straight from the
    ``(question_id, value_code)`` index and then takes away the answers of drafts (few), which
    avoids joining each answer to its response. With filters it joins and counts in one scan.
    """
    ids = [q.id for q in questions]
    out: dict[int, dict[str | None, int]] = {}
    if filters.clauses():
        rows = session.execute(
            _answers(consultation, filters, Answer.question_id, Answer.value_code, func.count())
            .where(Answer.question_id.in_(ids)).group_by(Answer.question_id, Answer.value_code))
        for qid, code, n in rows:
            out.setdefault(qid, {})[code] = int(n)
        return out
    rows = session.execute(select(Answer.question_id, Answer.value_code, func.count())
                           .where(Answer.question_id.in_(ids))
                           .group_by(Answer.question_id, Answer.value_code))
    for qid, code, n in rows:
        out.setdefault(qid, {})[code] = int(n)
    drafts = session.execute(
        select(Answer.question_id, Answer.value_code, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(Response.consultation_id == consultation.id, Response.status != ResponseStatus.SUBMITTED)
        .group_by(Answer.question_id, Answer.value_code))
    for qid, code, n in drafts:
        if qid in out and code in out[qid]:
            out[qid][code] -= int(n)
            if out[qid][code] <= 0:
                del out[qid][code]
    return out


_CACHE: OrderedDict[tuple[Any, ...], Results] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def version(session: Session, consultation: Consultation) -> tuple[int, str]:
    """Changes whenever a response is submitted, changed after submission or removed (drafts
    being saved do not change results, so they do not change this)."""
    count, latest = session.execute(
        select(func.count(), func.max(Response.updated_at))
        .where(Response.consultation_id == consultation.id,
               Response.status == ResponseStatus.SUBMITTED)).one()
    return int(count), str(latest)


def compute(session: Session, consultation: Consultation, filters: Filters, locale: str,
            *, use_cache: bool = True) -> Results:
    """Counts for every question of ``consultation`` (kept in a small per-process cache until
    :func:`version` changes, so repeated views of a large consultation cost one cheap query)."""
    if not use_cache:
        return _compute(session, consultation, filters, locale)
    key = (consultation.id, filters, locale, version(session, consultation),
           tuple((q.id, str(q.text), str(q.options), str(q.settings)) for q in consultation.questions()))
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    result = _compute(session, consultation, filters, locale)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def _compute(session: Session, consultation: Consultation, filters: Filters, locale: str) -> Results:
    """Counts for every question of ``consultation``.

    The database does the counting in one ``GROUP BY (question, stored value)`` scan; Python then
    only splits the few distinct stored values of multiple choice, ranking and matrix answers
    (``|o1|o3|``) into per-option counts, weighting each by how many answers share it.
    """
    base = _base(consultation, filters)
    total = session.scalar(select(func.count()).select_from(Response).where(*base)) or 0
    by_channel = [(str(c), int(n)) for c, n in session.execute(
        select(Response.channel, func.count()).where(*base).group_by(Response.channel)
        .order_by(Response.channel))]
    questions = consultation.questions()
    distinct = _distinct_counts(session, consultation, filters, questions) if questions else {}
    results = []
    for q in questions:
        found = distinct.get(q.id, {})
        result = QuestionResult(q, kinds.tr(q.text, locale), answered=sum(found.values()))
        if q.kind in SINGLE_VALUE:
            result.rows = [(label, found.get(code, 0)) for code, label in kinds.choices_of(q, locale)]
        elif q.kind == "multiple_choice":
            options = kinds.choices_of(q, locale)
            counts = dict.fromkeys([code for code, _l in options] + ["_other"], 0)
            for stored, n in found.items():
                for token in kinds.stored_parts(stored):
                    if token in counts:
                        counts[token] += n
            result.rows = [(label, counts[code]) for code, label in options]
            if q.settings.get("other"):
                result.rows.append((_("Other"), counts["_other"]))
        elif q.kind == "ranking":
            options = kinds.choices_of(q, locale)
            per_rank: dict[str, list[int]] = {code: [0] * len(options) for code, _l in options}
            for stored, n in found.items():
                for token in kinds.stored_parts(stored):
                    code, _sep, rank = token.partition(":")
                    if code in per_rank and rank.isdigit() and 1 <= int(rank) <= len(options):
                        per_rank[code][int(rank) - 1] += n
            result.rows = [(label, per_rank[code][0]) for code, label in options]
            for code, label in options:
                ranks = per_rank[code]
                ranked = sum(ranks)
                mean = sum((r + 1) * c for r, c in enumerate(ranks)) / ranked if ranked else None
                result.summary.append((label, f"{mean:.2f}" if mean is not None else "–"))
        elif q.kind == "matrix":
            statements = kinds.statements_of(q, locale)
            scale = kinds.scale_of(q)
            cells = {(s, v): 0 for s, _sl in statements for v, _vl in scale}
            for stored, n in found.items():
                for token in kinds.stored_parts(stored):
                    s_code, _sep, v_code = token.partition("=")
                    if (s_code, v_code) in cells:
                        cells[(s_code, v_code)] += n
            result.matrix_scale = [label for _c, label in scale]
            result.matrix = [(label, [cells[(s, v)] for v, _vl in scale]) for s, label in statements]
        elif q.kind == "number":
            numbers = [(float(v), n) for v, n in found.items() if v is not None and _is_number(v)]
            if numbers:
                count = sum(n for _v, n in numbers)
                result.summary = [(_("Average"), f"{sum(v * n for v, n in numbers) / count:,.2f}"),
                                  (_("Lowest"), f"{min(v for v, _n in numbers):,g}"),
                                  (_("Highest"), f"{max(v for v, _n in numbers):,g}")]
        elif q.kind == "date":
            dates = sorted(v for v in found if v)
            if dates:
                result.summary = [(_("Earliest"), dates[0]), (_("Latest"), dates[-1])]
        if result.rows:
            result.chart = bar_chart(
                result.label, [label for label, _n in result.rows],
                {_("Responses") if q.kind != "ranking" else _("Ranked first"):
                 [n for _label, n in result.rows]},
                category_heading=_("Answer"), suppressed_text=_("suppressed"))
        results.append(result)
    return Results(total, by_channel, results)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class TextAnswer:
    answer_id: int
    code: str
    text: str
    reference: str | None
    channel: str
    when: datetime | None


def text_answers(session: Session, consultation: Consultation, filters: Filters,
                 question_ids: Sequence[int], search: str, page_number: int,
                 per_page: int = 25, known_total: int | None = None) -> Page:
    """Free-text answers, newest response first, searchable, one page. ``known_total`` (the
    count :func:`compute` already made) saves a count when there is no search."""
    if not question_ids:
        return Page([], 1, per_page, 0)
    codes = {q.id: q.code for q in consultation.questions()}
    where = [*_base(consultation, filters), Answer.question_id.in_(question_ids),
             Answer.value_text.is_not(None)]
    if search.strip():
        where += search_filter(Answer.value_text, search)
    if known_total is not None and not search.strip():
        total = known_total
    else:
        total = session.scalar(select(func.count()).select_from(Answer)
                               .join(Response, Response.id == Answer.response_id).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, page_number), pages)
    rows = session.execute(
        select(Answer.id, Answer.question_id, Answer.value_text, Answer.value_json, Response.reference,
               Response.channel, func.coalesce(Response.received_at, Response.submitted_at))
        .join(Response, Response.id == Answer.response_id).where(*where)
        .order_by(Response.id.desc(), Answer.question_id).limit(per_page).offset((number - 1) * per_page))
    items: list[object] = []
    for aid, qid, text, value_json, reference, channel, when in rows:
        if isinstance(value_json, dict) and "selected" in value_json:
            text = value_json.get("other") or ""
            if not text:
                continue
        items.append(TextAnswer(aid, codes.get(qid, ""), text or "", reference, channel, when))
    return Page(items, number, per_page, total)
