"""Coding free text: a codebook of themes per consultation, answers tagged with themes and a
sentiment, progress ("% coded"), and counts per theme x sentiment for the results page.

The answers themselves belong to the consultations feature. This module only reads them
(submitted responses, free-text questions) and shows them with personal data removed: the
moderator's redacted text when there is one, otherwise the detector's automatic redaction.
Services flush, never commit; every change is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from citizen.db import utcnow
from citizen.moderation import pii
from citizen.moderation.models import (
    AnswerCoding,
    AnswerTheme,
    CodingTheme,
    ModerationItem,
    Sentiment,
)
from citizen.shared import audit
from citizen.shared.pagination import Page

SENTIMENTS: tuple[tuple[str, Any], ...] = (
    (Sentiment.POSITIVE, _l("Positive")),
    (Sentiment.NEGATIVE, _l("Negative")),
    (Sentiment.MIXED, _l("Mixed")),
    (Sentiment.NEUTRAL, _l("Neutral")),
)
SENTIMENT_CODES: tuple[str, ...] = tuple(str(code) for code, _ in SENTIMENTS)


def sentiment_label(code: str | None) -> str:
    return next((str(label) for known, label in SENTIMENTS if known == code), "")


class CodingError(ValueError):
    """A refused change; ``code`` names the problem (views turn it into a message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


ERRORS: dict[str, Any] = {
    "name_taken": _l("There is already a theme with that name here"),
    "name_missing": _l("Enter a name for the theme"),
    "parent": _l("Sub-themes can only go under a main theme of the same consultation"),
    "theme": _l("That theme is not in this consultation's codebook"),
    "answer": _l("That answer is not a free-text answer to this consultation"),
    "sentiment": _l("Choose positive, negative, mixed or neutral"),
}


# ---------------------------------------------------------------- the answers (read only)


def _answer_models() -> tuple[Any, Any, Any, Any, frozenset[str]]:
    from citizen.consultations.models import Answer, Question, Response, ResponseStatus
    from citizen.consultations.questions import TEXT_KINDS

    return Answer, Question, Response, ResponseStatus, frozenset(TEXT_KINDS)


def _codable(consultation_id: int) -> Select[Any]:
    """The answer ids that can be coded: free text in submitted responses."""
    answer, question, response, status, text_kinds = _answer_models()
    return (
        select(answer.id)
        .join(response, response.id == answer.response_id)
        .join(question, question.id == answer.question_id)
        .where(response.consultation_id == consultation_id,
               response.status == status.SUBMITTED,
               question.kind.in_(text_kinds),
               answer.value_text.is_not(None), answer.value_text != "")
    )


@dataclass
class CodableAnswer:
    answer_id: int
    question_code: str
    text: str
    sentiment: str | None = None
    theme_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class AnswerFilter:
    theme_id: int | None = None
    sentiment: str | None = None
    uncoded: bool = False
    search: str = ""


def _safe_texts(session: Session, rows: Sequence[tuple[int, str]]) -> dict[int, str]:
    """The text to show a coder: the moderator's redacted text, else automatically redacted."""
    ids = [answer_id for answer_id, _ in rows]
    redacted: dict[int, str] = {}
    if ids:
        for target_id, text in session.execute(
            select(ModerationItem.target_id, ModerationItem.redacted_text)
            .where(ModerationItem.kind == "answer", ModerationItem.target_id.in_(ids),
                   ModerationItem.redacted_text.is_not(None))
        ):
            if text is not None:
                redacted[target_id] = text
    out = {}
    for answer_id, text in rows:
        out[answer_id] = pii.redact(redacted.get(answer_id, text or ""))
    return out


def answers(session: Session, consultation_id: int, flt: AnswerFilter, page_number: int,
            per_page: int = 20) -> Page:
    """One page of codable answers (oldest first) with their coding."""
    answer, question, _response, _status, _kinds = _answer_models()
    ids = _codable(consultation_id)
    query = (select(answer.id, question.code, answer.value_text)
             .join(question, question.id == answer.question_id)
             .where(answer.id.in_(ids)))
    if flt.search.strip():
        for word in flt.search.split()[:5]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(answer.value_text.ilike(f"%{escaped}%", escape="\\"))
    coded = select(AnswerCoding.answer_id).where(AnswerCoding.consultation_id == consultation_id)
    if flt.uncoded:
        query = query.where(answer.id.not_in(coded))
    if flt.sentiment:
        query = query.where(answer.id.in_(coded.where(AnswerCoding.sentiment == flt.sentiment)))
    if flt.theme_id:
        theme_ids = [flt.theme_id, *session.scalars(
            select(CodingTheme.id).where(CodingTheme.parent_id == flt.theme_id))]
        query = query.where(answer.id.in_(
            select(AnswerCoding.answer_id).join(AnswerTheme, AnswerTheme.coding_id == AnswerCoding.id)
            .where(AnswerTheme.theme_id.in_(theme_ids))))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, page_number), pages)
    rows = list(session.execute(query.order_by(answer.id).limit(per_page)
                                .offset((number - 1) * per_page)))
    texts = _safe_texts(session, [(r[0], r[2]) for r in rows])
    items = {r[0]: CodableAnswer(r[0], r[1], texts[r[0]]) for r in rows}
    if items:
        for coding in session.scalars(select(AnswerCoding)
                                      .where(AnswerCoding.answer_id.in_(list(items)))):
            target = items[coding.answer_id]
            target.sentiment = coding.sentiment
            target.theme_ids = {t.theme_id for t in coding.themes}
    return Page(list(items.values()), number, per_page, total)


# ---------------------------------------------------------------- the codebook


def codebook(session: Session, consultation_id: int) -> list[CodingTheme]:
    """Main themes in order (each with ``children``, the sub-themes)."""
    return list(session.scalars(
        select(CodingTheme).where(CodingTheme.consultation_id == consultation_id,
                                  CodingTheme.parent_id.is_(None))
        .order_by(CodingTheme.position, CodingTheme.id)))


def all_themes(session: Session, consultation_id: int) -> list[CodingTheme]:
    """Every theme, main themes each followed by their sub-themes."""
    out: list[CodingTheme] = []
    for theme in codebook(session, consultation_id):
        out.append(theme)
        out.extend(theme.children)
    return out


def get_theme(session: Session, consultation_id: int, theme_id: int) -> CodingTheme | None:
    theme = session.get(CodingTheme, theme_id)
    return theme if theme is not None and theme.consultation_id == consultation_id else None


def add_theme(session: Session, consultation_id: int, name: str, *, parent_id: int | None = None,
              description: str = "", actor_id: int | None = None) -> CodingTheme:
    name = " ".join((name or "").split())
    if not name:
        raise CodingError("name_missing")
    parent = None
    if parent_id is not None:
        parent = get_theme(session, consultation_id, parent_id)
        if parent is None or parent.parent_id is not None:
            raise CodingError("parent")
    siblings = session.scalars(select(CodingTheme.name).where(
        CodingTheme.consultation_id == consultation_id,
        CodingTheme.parent_id.is_(None) if parent_id is None else CodingTheme.parent_id == parent_id))
    if name.casefold() in {s.casefold() for s in siblings}:
        raise CodingError("name_taken")
    position = (session.scalar(select(func.max(CodingTheme.position)).where(
        CodingTheme.consultation_id == consultation_id)) or 0) + 1
    theme = CodingTheme(consultation_id=consultation_id, parent_id=parent_id, name=name,
                        description=(description or "").strip()[:500], position=position)
    session.add(theme)
    session.flush()
    audit.record(session, "coding.theme_add", actor_id=actor_id, target_type="coding_theme",
                 target_id=theme.id, details={"consultation_id": consultation_id,
                                              "name": name, "parent_id": parent_id})
    return theme


def rename_theme(session: Session, theme: CodingTheme, name: str, actor_id: int | None) -> None:
    name = " ".join((name or "").split())
    if not name:
        raise CodingError("name_missing")
    siblings = session.scalars(select(CodingTheme.name).where(
        CodingTheme.consultation_id == theme.consultation_id, CodingTheme.id != theme.id,
        CodingTheme.parent_id.is_(None) if theme.parent_id is None
        else CodingTheme.parent_id == theme.parent_id))
    if name.casefold() in {s.casefold() for s in siblings}:
        raise CodingError("name_taken")
    old = theme.name
    theme.name = name
    audit.record(session, "coding.theme_rename", actor_id=actor_id, target_type="coding_theme",
                 target_id=theme.id, details={"from": old, "to": name})
    session.flush()


def delete_theme(session: Session, theme: CodingTheme, actor_id: int | None) -> int:
    """Delete a theme (and its sub-themes); answers lose those tags. Returns tags removed."""
    ids = [theme.id, *(child.id for child in theme.children)]
    removed = session.scalar(select(func.count()).select_from(AnswerTheme)
                             .where(AnswerTheme.theme_id.in_(ids))) or 0
    session.execute(delete(AnswerTheme).where(AnswerTheme.theme_id.in_(ids)))
    audit.record(session, "coding.theme_delete", actor_id=actor_id, target_type="coding_theme",
                 target_id=theme.id, details={"name": theme.name, "tags_removed": removed or 0})
    session.delete(theme)
    session.flush()
    session.expire_all()
    return int(removed or 0)


# ---------------------------------------------------------------- tagging


def is_codable(session: Session, consultation_id: int, answer_id: int) -> bool:
    answer = _answer_models()[0]
    return session.scalar(_codable(consultation_id).where(answer.id == answer_id)) is not None


def code_answer(session: Session, consultation_id: int, answer_id: int, *,
                theme_ids: Iterable[int], sentiment: str | None,
                actor_id: int | None) -> AnswerCoding | None:
    """Set an answer's themes and sentiment (replacing what was there). Nothing chosen
    un-codes it. Returns the coding, or ``None`` when un-coded."""
    if not is_codable(session, consultation_id, answer_id):
        raise CodingError("answer")
    sentiment = sentiment or None
    if sentiment is not None and sentiment not in SENTIMENT_CODES:
        raise CodingError("sentiment")
    wanted = set(theme_ids)
    valid = set(session.scalars(select(CodingTheme.id).where(
        CodingTheme.consultation_id == consultation_id, CodingTheme.id.in_(wanted or {0}))))
    if wanted - valid:
        raise CodingError("theme")
    coding = session.scalar(select(AnswerCoding).where(AnswerCoding.answer_id == answer_id))
    if not wanted and sentiment is None:
        if coding is not None:
            session.delete(coding)
            audit.record(session, "coding.uncode", actor_id=actor_id, target_type="answer",
                         target_id=answer_id, details={"consultation_id": consultation_id})
            session.flush()
        return None
    if coding is None:
        coding = AnswerCoding(answer_id=answer_id, consultation_id=consultation_id)
        session.add(coding)
    coding.sentiment = sentiment
    coding.coded_by_id = actor_id
    coding.coded_at = utcnow()
    have = {t.theme_id: t for t in coding.themes}
    for theme_id, tag in have.items():
        if theme_id not in wanted:
            coding.themes.remove(tag)
    for theme_id in sorted(wanted - set(have)):
        coding.themes.append(AnswerTheme(theme_id=theme_id))
    audit.record(session, "coding.code", actor_id=actor_id, target_type="answer",
                 target_id=answer_id, details={"consultation_id": consultation_id,
                                               "themes": sorted(wanted), "sentiment": sentiment})
    session.flush()
    return coding


# ---------------------------------------------------------------- progress and counts


@dataclass(frozen=True)
class Progress:
    coded: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.coded / self.total) if self.total else 0


def progress(session: Session, consultation_id: int) -> Progress:
    codable = _codable(consultation_id)
    total = session.scalar(select(func.count()).select_from(codable.subquery())) or 0
    coded = session.scalar(select(func.count()).select_from(AnswerCoding).where(
        AnswerCoding.consultation_id == consultation_id,
        AnswerCoding.answer_id.in_(codable))) or 0
    return Progress(int(coded), int(total))


@dataclass(frozen=True)
class ThemeCount:
    theme_id: int
    name: str
    parent_name: str | None
    by_sentiment: dict[str, int]  # sentiment code (and "none") -> answers
    total: int


def theme_sentiment_counts(session: Session, consultation_id: int) -> list[ThemeCount]:
    """Answers per theme x sentiment, codebook order. A main theme counts each answer tagged
    with it or with any of its sub-themes once. Sentiment ``"none"``: tagged, no sentiment."""
    themes = all_themes(session, consultation_id)
    parent_of = {t.id: t.parent_id for t in themes}
    seen: dict[int, dict[int, str]] = defaultdict(dict)  # theme -> answer -> sentiment
    rows = session.execute(
        select(AnswerTheme.theme_id, AnswerCoding.answer_id, AnswerCoding.sentiment)
        .join(AnswerCoding, AnswerCoding.id == AnswerTheme.coding_id)
        .where(AnswerCoding.consultation_id == consultation_id))
    for theme_id, answer_id, sentiment in rows:
        seen[theme_id][answer_id] = sentiment or "none"
        parent = parent_of.get(theme_id)
        if parent is not None:
            seen[parent][answer_id] = sentiment or "none"
    names = {t.id: t.name for t in themes}
    out = []
    for theme in themes:
        counts = {code: 0 for code in (*SENTIMENT_CODES, "none")}
        for sentiment in seen[theme.id].values():
            counts[sentiment] += 1
        out.append(ThemeCount(theme.id, theme.name,
                              names.get(theme.parent_id) if theme.parent_id else None,
                              counts, len(seen[theme.id])))
    return out


def theme_chart(session: Session, consultation_id: int, title: str,
                counts: list[ThemeCount] | None = None) -> Any:
    """A bar chart (``citizen.shared.charts``) of answers per main theme and sentiment, or
    ``None`` when nothing is coded. Render with ``_macros/charts.html`` ``bar_chart``.
    ``counts``: :func:`theme_sentiment_counts` when the caller has them already."""
    from citizen.shared.charts import bar_chart

    if counts is None:
        counts = theme_sentiment_counts(session, consultation_id)
    main = [c for c in counts if c.parent_name is None]
    if not any(c.total for c in main):
        return None
    series = {str(label): [float(c.by_sentiment[str(code)]) for c in main]
              for code, label in SENTIMENTS}
    return bar_chart(title, [c.name for c in main], series, unit="count",
                     category_heading=str(_l("Theme")))


def results_context(session: Session, consultation_id: int, title: str) -> dict[str, Any]:
    """What ``templates/moderation/_theme_counts.html`` needs, for the consultation results
    page: ``{% include "moderation/_theme_counts.html" %}`` with this dict in the context.
    Without a codebook the section is not shown, so nothing else is counted."""
    counts = theme_sentiment_counts(session, consultation_id)
    if not counts:
        return {"theme_counts": []}
    return {
        "theme_counts": counts,
        "theme_chart": theme_chart(session, consultation_id, title, counts),
        "theme_progress": progress(session, consultation_id),
        "theme_sentiments": [(str(code), str(label)) for code, label in SENTIMENTS],
    }
