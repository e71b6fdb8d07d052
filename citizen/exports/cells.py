"""Each submitted response's answers as export cells, kept on the response.

An export of 100,000 responses cannot afford to pivot two million answer rows and run the
personal-data detector over every free-text answer each time. So when a response is submitted
(and whenever it changes later) its answers are turned once into a small JSON object of
export-ready cells and stored on the response (``consultation_response.export_cells``). An
export then reads one row per response.

Keys (question ids, not codes, so the cells never depend on wording):

* ``"12"``: the cell of question 12: an option code, the chosen codes joined by ``"; "``, the
  ranked codes in order, a number, a date, or free text **with personal data already replaced
  by markers** (the automatic detector, English markers: exports go to commissioners); text
  that starts like a spreadsheet formula already has its leading apostrophe;
* ``"12#"``: for free text, the answer's id (a moderator's decision on that answer can still
  override the text at export time: see :func:`moderation_overrides`);
* ``"12o"`` and ``"12o#"``: a multiple choice's "other" text (redacted) and its answer's id;
* ``"12:s1"``: a matrix question's choice for statement ``s1``.

They are stored as a JSON array, not an object: the cells in the order of the consultation's
*layout* (every key its questions can fill, by question id; :func:`layout_of`), ``null`` where
there is no answer, after a short fingerprint of that layout. An array reads in less than half
the time of an object, and an export picks its columns by position.

``export_cells_version`` records :data:`CELLS_FORMAT` and the detector's version. Rows with any
other version (older responses, or a newer detector) or another layout's fingerprint are
rebuilt from their answers during the export by the same function, so the result never
depends on whether the cells were stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Text, cast, select, update
from sqlalchemy.orm import Session

from citizen.consultations.questions import TEXT_KINDS, stored_parts
from citizen.exports.redaction import Redactor
from citizen.moderation.pii import DETECTOR_VERSION
from citizen.shared.export import neutralise

CELLS_FORMAT = 3
CELLS_VERSION = CELLS_FORMAT * 1000 + DETECTOR_VERSION
REFRESH_BATCH = 500

class QuestionLike(Protocol):
    id: int
    kind: str
    settings: dict[str, Any]


# (answer id, question id, value_text, value_json (parsed or as text), value_number)
AnswerRow = tuple[int, int, str | None, Any, float | None]


def other_text(raw: Any) -> str | None:
    """The "other" answer of a multiple choice, from the stored JSON (text or parsed)."""
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


def number_cell(value: float | None, text: str | None) -> Any:
    if value is None:
        return text
    return int(value) if float(value).is_integer() else value


def build_cells(questions: Mapping[int, QuestionLike], answers: Iterable[AnswerRow],
                redactor: Redactor) -> dict[str, Any]:
    """The export cells of one response's answers (see the module's notes for the keys).
    Every text cell is already neutralised against spreadsheet formulas, so exports need not
    look at each cell again."""
    cells = _build(questions, answers, redactor)
    for key, value in cells.items():
        if type(value) is str:
            cells[key] = neutralise(value)
    return cells


def _build(questions: Mapping[int, QuestionLike], answers: Iterable[AnswerRow],
           redactor: Redactor) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for answer_id, question_id, text, raw_json, number in answers:
        question = questions.get(question_id)
        if question is None:
            continue
        kind = question.kind
        key = str(question_id)
        if kind in TEXT_KINDS:
            if text:
                cells[key] = redactor(text)
                cells[key + "#"] = answer_id
        elif kind == "multiple_choice":
            cells[key] = "; ".join(stored_parts(text))
            if (question.settings or {}).get("other"):
                other = other_text(raw_json)
                if other:
                    cells[key + "o"] = redactor(other)
                    cells[key + "o#"] = answer_id
        elif kind == "ranking":  # stored "|o2:1|o1:2|": already in rank order
            cells[key] = "; ".join(part.rsplit(":", 1)[0] for part in stored_parts(text))
        elif kind == "matrix":  # stored "|s1=agree|s2=disagree|"
            for part in stored_parts(text):
                if "=" in part:
                    statement, choice = part.split("=", 1)
                    cells[f"{key}:{statement}"] = choice
        elif kind == "number":
            cells[key] = number_cell(number, text)
        elif kind == "rating" and text and text.isdigit():
            cells[key] = int(text)
        else:
            cells[key] = text
    return cells


class Layout:
    """The keys a consultation's questions can fill, in order, and their fingerprint."""

    def __init__(self, questions: Iterable[QuestionLike]) -> None:
        keys: list[str] = []
        for question in sorted(questions, key=lambda q: q.id):
            key = str(question.id)
            settings = question.settings or {}
            if question.kind in TEXT_KINDS:
                keys += [key, key + "#"]
            elif question.kind == "multiple_choice":
                keys.append(key)
                if settings.get("other"):
                    keys += [key + "o", key + "o#"]
            elif question.kind == "matrix":
                keys += [f"{key}:{s['code']}" for s in settings.get("statements", [])]
            else:
                keys.append(key)
        self.keys = keys
        self.fingerprint = hashlib.blake2b("\n".join(keys).encode(), digest_size=6).hexdigest()
        # Position of each key in a stored row (the fingerprint comes first).
        self.position = {key: at for at, key in enumerate(keys, start=1)}

    def row(self, cells: Mapping[str, Any]) -> list[Any]:
        """The stored form of ``cells``: the fingerprint, then each key's cell or ``None``."""
        return [self.fingerprint, *[cells.get(key) for key in self.keys]]


def dump(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def cells_json(questions: Sequence[QuestionLike], answers: Iterable[Any]) -> str:
    """The stored form of a response's cells, from ORM ``Answer`` objects (for the services
    that write answers: they put it on the response, with :data:`CELLS_VERSION`)."""
    by_id = {q.id: q for q in questions}
    rows = [(a.id, a.question_id, a.value_text, a.value_json, a.value_number) for a in answers]
    # A redactor of its own: its memo holds residents' texts, which must not outlive the call.
    return dump(Layout(questions).row(build_cells(by_id, rows, Redactor())))


def answers_of(session: Session, response_ids: Sequence[int]) -> dict[int, list[AnswerRow]]:
    """The answers of these responses, as rows for :func:`build_cells` (one query)."""
    from citizen.consultations.models import Answer

    found: dict[int, list[AnswerRow]] = {rid: [] for rid in response_ids}
    if not response_ids:
        return found
    for response_id, *row in session.execute(
        select(Answer.response_id, Answer.id, Answer.question_id, Answer.value_text,
               cast(Answer.value_json, Text), Answer.value_number)
        .where(Answer.response_id.in_(response_ids)).order_by(Answer.id)
    ):
        found[response_id].append((row[0], row[1], row[2], row[3], row[4]))
    return found


def refresh(session: Session, consultation_id: int | None = None, *, all_rows: bool = False) -> int:
    """Store the cells of every submitted response whose cells are missing or out of date (of
    one consultation, or all); ``all_rows`` rebuilds even the current ones. Flushes in batches;
    the caller commits. Returns the number of responses refreshed."""
    from citizen.consultations.models import Question, Response

    statement = select(Response.id, Response.consultation_id).where(Response.status == "submitted")
    if consultation_id is not None:
        statement = statement.where(Response.consultation_id == consultation_id)
    if not all_rows:
        statement = statement.where((Response.export_cells_version.is_(None))
                                    | (Response.export_cells_version != CELLS_VERSION))
    todo = session.execute(statement.order_by(Response.id)).all()
    redactor = Redactor()  # its memo lives as long as this refresh
    questions: dict[int, dict[int, Any]] = {}
    layouts: dict[int, Layout] = {}
    done = 0
    for start in range(0, len(todo), REFRESH_BATCH):
        chunk = todo[start:start + REFRESH_BATCH]
        for cid in {c for _r, c in chunk} - set(questions):
            questions[cid] = {q.id: q for q in session.scalars(
                select(Question).where(Question.consultation_id == cid))}
            layouts[cid] = Layout(questions[cid].values())
        answers = answers_of(session, [r for r, _c in chunk])
        # ORM bulk UPDATE by primary key: one executemany per batch.
        session.execute(update(Response), [
            {"id": response_id, "export_cells_version": CELLS_VERSION,
             "export_cells": dump(layouts[cid].row(build_cells(questions[cid], answers[response_id],
                                                               redactor)))}
            for response_id, cid in chunk])
        done += len(chunk)
        session.flush()
    return done
