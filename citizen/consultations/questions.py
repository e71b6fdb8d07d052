"""Question kinds: the form fields each kind asks with, how an answer is checked, stored, shown
and compared in conditions.

An answer's Python value is: a string (text kinds, one choice code, a date ``YYYY-MM-DD``,
a number written as typed), ``{"selected": [codes], "other": str | None}`` for multiple choice,
a list of option codes in ranked order for ranking, and ``{statement code: scale code}`` for a
matrix. ``None`` means not answered.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField

from citizen.consultations.models import Question
from citizen.shared.dates import parse_typed_date
from citizen.shared.forms import select_choices

KINDS: dict[str, object] = {
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "dropdown": _l("Dropdown"),
    "agreement": _l("Agreement scale"),
    "rating": _l("Rating 1 to 5"),
    "number": _l("Number"),
    "date": _l("Date"),
    "ranking": _l("Ranking"),
    "matrix": _l("Matrix of statements and a scale"),
}
CHOICE_KINDS = frozenset({"single_choice", "multiple_choice", "dropdown", "ranking"})
TEXT_KINDS = frozenset({"short_text", "long_text"})
SHORT_TEXT_MAX = 500
LONG_TEXT_DEFAULT_MAX = 2000

AGREEMENT: tuple[tuple[str, object], ...] = (
    ("strongly_agree", _l("Strongly agree")),
    ("agree", _l("Agree")),
    ("neutral", _l("Neither agree nor disagree")),
    ("disagree", _l("Disagree")),
    ("strongly_disagree", _l("Strongly disagree")),
    ("dont_know", _l("Don't know")),
)
RATING: tuple[tuple[str, object], ...] = (
    ("1", _l("1 (very poor)")),
    ("2", _l("2")),
    ("3", _l("3")),
    ("4", _l("4")),
    ("5", _l("5 (very good)")),
)
CONDITION_OPS: dict[str, object] = {
    "equals": _l("equals"),
    "not_equals": _l("does not equal"),
    "any_of": _l("is any of"),
}


def tr(texts: Mapping[str, str] | None, locale: str) -> str:
    """The text in ``locale``, falling back to English."""
    if not texts:
        return ""
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def field_name(question: Question, part: str | int | None = None) -> str:
    return f"q{question.id}" if part is None else f"q{question.id}_{part}"


def choices_of(question: Question, locale: str) -> list[tuple[str, str]]:
    """(code, label) of the answers a resident picks from, in ``locale``."""
    if question.kind in ("agreement",):
        return [(code, str(label)) for code, label in AGREEMENT]
    if question.kind == "rating":
        return [(code, str(label)) for code, label in RATING]
    return [(o["code"], tr(o.get("label"), locale)) for o in question.options]


def statements_of(question: Question, locale: str) -> list[tuple[str, str]]:
    return [(s["code"], tr(s.get("label"), locale)) for s in question.settings.get("statements", [])]


def scale_of(question: Question) -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in AGREEMENT]


# ---------------------------------------------------------------- forms


@dataclass(frozen=True)
class QuestionView:
    """What a template needs to draw one question."""

    question: Question
    kind: str
    label: str
    help: str
    main: str  # name of the main field (the one errors attach to)
    parts: tuple[tuple[str, str], ...] = ()  # (field name, label) for ranking and matrix rows
    other: str | None = None
    max_length: int | None = None


_FORM_CLASSES: OrderedDict[tuple[Hashable, ...], tuple[type[FlaskForm], tuple[QuestionView, ...]]] = \
    OrderedDict()
_FORM_CLASSES_SIZE = 256
_FORM_CLASSES_LOCK = threading.Lock()


def build_form(questions: list[Question], locale: str, *, staff: bool = False,
               data: Mapping[str, Any] | None = None, prefix_fields: Mapping[str, Field] | None = None,
               cache_key: Hashable | None = None) -> tuple[FlaskForm, list[QuestionView]]:
    """A form for ``questions`` (those shown on one page). ``data`` prefills it (on GET).

    With ``cache_key`` (something that changes whenever any of the questions does, such as
    the consultation's id and :attr:`~citizen.consultations.models.Consultation.revision`),
    the form class is made once per process and reused: making one costs more than filling
    it in. The key is combined with the questions shown, the language and ``staff``.
    """
    if cache_key is None:
        form_class, views = _form_class(questions, locale, staff, prefix_fields)
    else:
        key = (cache_key, tuple(q.id for q in questions), locale, str(get_locale()), staff,
               tuple(prefix_fields or ()))
        with _FORM_CLASSES_LOCK:
            found = _FORM_CLASSES.get(key)
            if found is not None:
                _FORM_CLASSES.move_to_end(key)
        if found is None:
            found = _form_class(questions, locale, staff, prefix_fields)
            with _FORM_CLASSES_LOCK:
                _FORM_CLASSES[key] = found
                while len(_FORM_CLASSES) > _FORM_CLASSES_SIZE:
                    _FORM_CLASSES.popitem(last=False)
        form_class, cached_views = found
        # The views name this request's question objects (the cached ones may be older copies).
        views = tuple(replace(view, question=q) if view.question is not q else view
                      for view, q in zip(cached_views, questions, strict=True))
    form = form_class(data=dict(data or {}))
    form.question_views = list(views)
    form.staff_entry = staff
    return form, list(views)


def _form_class(questions: list[Question], locale: str, staff: bool,
                prefix_fields: Mapping[str, Field] | None
                ) -> tuple[type[FlaskForm], tuple[QuestionView, ...]]:
    """The form class for ``questions`` and how to draw each of them."""

    class SectionForm(FlaskForm):
        pass

    views: list[QuestionView] = []
    for name, field in (prefix_fields or {}).items():
        setattr(SectionForm, name, field)
    for q in questions:
        label = tr(q.text, locale)
        help_text = tr(q.help, locale)
        main = field_name(q)
        parts: list[tuple[str, str]] = []
        other = None
        max_length = None
        if q.kind == "short_text":
            setattr(SectionForm, main, StringField(label, description=help_text))
            max_length = SHORT_TEXT_MAX
        elif q.kind == "long_text":
            max_length = int(q.settings.get("max_length") or LONG_TEXT_DEFAULT_MAX)
            setattr(SectionForm, main, TextAreaField(label, description=help_text))
        elif q.kind in ("single_choice", "agreement", "rating"):
            setattr(SectionForm, main, RadioField(label, choices=select_choices(choices_of(q, locale)),
                                                  description=help_text, validate_choice=False))
        elif q.kind == "dropdown":
            setattr(SectionForm, main, SelectField(
                label, choices=select_choices(choices_of(q, locale), blank=_("Choose an answer")),
                description=help_text, validate_choice=False))
        elif q.kind == "multiple_choice":
            setattr(SectionForm, main, SelectMultipleField(
                label, choices=select_choices(choices_of(q, locale)), description=help_text,
                validate_choice=False))
            if q.settings.get("other"):
                other = field_name(q, "other")
                setattr(SectionForm, other, StringField(_("Other, please say")))
        elif q.kind in ("number", "date"):
            setattr(SectionForm, main, StringField(label, description=help_text))
        elif q.kind == "ranking":
            options = choices_of(q, locale)
            ranks = select_choices(((str(i), str(i)) for i in range(1, len(options) + 1)),
                                   blank=_("Choose a rank"))
            for index, (_code, option_label) in enumerate(options):
                name = main if index == 0 else field_name(q, f"r{index}")
                setattr(SectionForm, name, SelectField(option_label, choices=ranks, validate_choice=False))
                parts.append((name, option_label))
        elif q.kind == "matrix":
            for index, (_code, statement) in enumerate(statements_of(q, locale)):
                name = main if index == 0 else field_name(q, f"s{index}")
                setattr(SectionForm, name, RadioField(statement, choices=select_choices(scale_of(q)),
                                                      validate_choice=False))
                parts.append((name, statement))
        else:  # pragma: no cover - kinds are checked when questions are made
            raise ValueError(q.kind)
        views.append(QuestionView(q, q.kind, label, help_text, main, tuple(parts), other, max_length))
    return SectionForm, tuple(views)


def form_data_for(question: Question, value: Any) -> dict[str, Any]:
    """Field data that shows ``value`` (a stored answer) in the question's fields."""
    main = field_name(question)
    if value is None:
        return {}
    if question.kind == "multiple_choice":
        data: dict[str, Any] = {main: list(value.get("selected", []))}
        if value.get("other"):
            data[field_name(question, "other")] = value["other"]
        return data
    if question.kind == "ranking":
        codes = [code for code, _label in choices_of(question, "en")]
        out: dict[str, Any] = {}
        for index, code in enumerate(codes):
            name = main if index == 0 else field_name(question, f"r{index}")
            out[name] = str(value.index(code) + 1) if code in value else ""
        return out
    if question.kind == "matrix":
        out = {}
        for index, (code, _label) in enumerate(statements_of(question, "en")):
            name = main if index == 0 else field_name(question, f"s{index}")
            out[name] = value.get(code)
        return out
    return {main: value}


def _text(form: FlaskForm, name: str) -> str:
    field = form[name]
    return (field.data or "").strip() if isinstance(field.data, str) else ""


def read_answer(question: Question, form: FlaskForm, *, staff: bool = False) -> tuple[Any, str | None]:
    """The answer typed into ``form`` for ``question``, and an error message or ``None``.

    Staff entering a paper or phone response may leave required questions blank (the person
    did not answer them); every other check still applies.
    """
    q = question
    main = field_name(q)
    required = q.required and not staff
    settings = q.settings or {}
    if q.kind in TEXT_KINDS:
        value = _text(form, main)
        limit = SHORT_TEXT_MAX if q.kind == "short_text" else int(settings.get("max_length")
                                                                  or LONG_TEXT_DEFAULT_MAX)
        if not value:
            return None, (_("Answer this question") if required else None)
        if len(value) > limit:
            return value, _("Your answer must be %(limit)s characters or fewer. It has %(count)s.",
                            limit=limit, count=len(value))
        return value, None
    if q.kind in ("single_choice", "agreement", "rating", "dropdown"):
        value = form[main].data or ""
        if not value or value == "None":
            return None, (_("Choose an answer") if required else None)
        if value not in {code for code, _label in choices_of(q, "en")}:
            return None, _("Choose one of the answers shown")
        return value, None
    if q.kind == "multiple_choice":
        codes = {code for code, _label in choices_of(q, "en")}
        selected = [c for c in (form[main].data or []) if c in codes]
        other_text = _text(form, field_name(q, "other")) if settings.get("other") else ""
        if len(other_text) > SHORT_TEXT_MAX:
            return {"selected": selected, "other": other_text}, _(
                "Your answer must be %(limit)s characters or fewer. It has %(count)s.",
                limit=SHORT_TEXT_MAX, count=len(other_text))
        count = len(selected) + (1 if other_text else 0)
        if count == 0:
            return None, (_("Choose at least one answer") if required else None)
        chosen = {"selected": selected, "other": other_text or None}
        minimum = int(settings.get("min_selected") or 0)
        maximum = int(settings.get("max_selected") or 0)
        if minimum and count < minimum:
            return chosen, _("Choose at least %(count)s answers", count=minimum)
        if maximum and count > maximum:
            return chosen, _("Choose no more than %(count)s answers", count=maximum)
        return chosen, None
    if q.kind == "number":
        raw = _text(form, main).replace(",", "")
        if not raw:
            return None, (_("Enter a number") if required else None)
        try:
            number = float(raw)
        except ValueError:
            return raw, _("Enter a number, like 12")
        if number != number or number in (float("inf"), float("-inf")):
            return raw, _("Enter a number, like 12")
        low, high = settings.get("minimum"), settings.get("maximum")
        if (low is not None and number < float(low)) or (high is not None and number > float(high)):
            return raw, _("Enter a number between %(low)s and %(high)s",
                          low=_num(low) if low is not None else "…",
                          high=_num(high) if high is not None else "…")
        return raw, None
    if q.kind == "date":
        raw = _text(form, main)
        if not raw:
            return None, (_("Enter a date") if required else None)
        try:
            parsed = parse_typed_date(raw)
        except ValueError:
            return raw, _("Enter a real date, for example 27 3 2024")
        return parsed.isoformat(), None
    if q.kind == "ranking":
        ranked_codes = [code for code, _label in choices_of(q, "en")]
        ranks: dict[str, int] = {}
        for index, code in enumerate(ranked_codes):
            name = main if index == 0 else field_name(q, f"r{index}")
            raw = form[name].data or ""
            if raw and raw.isdecimal() and 1 <= int(raw) <= len(ranked_codes):
                ranks[code] = int(raw)
        if not ranks:
            return None, (_("Give each answer a rank") if required else None)
        ordered = [code for code, _rank in sorted(ranks.items(), key=lambda kv: kv[1])]
        if len(set(ranks.values())) != len(ranks):
            return ordered, _("Give each answer a different rank")
        if required and len(ranks) != len(ranked_codes):
            return ordered, _("Give each answer a rank")
        return ordered, None
    if q.kind == "matrix":
        scale = {code for code, _label in scale_of(q)}
        value_map: dict[str, str] = {}
        statements = statements_of(q, "en")
        for index, (code, _label) in enumerate(statements):
            name = main if index == 0 else field_name(q, f"s{index}")
            raw = form[name].data or ""
            if raw in scale:
                value_map[code] = raw
        if not value_map:
            return None, (_("Answer each statement") if required else None)
        if required and len(value_map) != len(statements):
            return value_map, _("Answer each statement")
        return value_map, None
    raise ValueError(q.kind)  # pragma: no cover


def _num(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


# ---------------------------------------------------------------- storing


@dataclass(frozen=True)
class Stored:
    text: str | None
    json: Any
    number: float | None

    def code(self, kind: str) -> str | None:
        """The short form results group by (``None`` for free text)."""
        if kind in TEXT_KINDS or self.text is None:
            return None
        return self.text[:255]


def to_stored(question: Question, value: Any) -> Stored:
    """The columns an answer's value is kept in (see ``Answer``)."""
    kind = question.kind
    if kind == "multiple_choice":
        tokens = list(value.get("selected", [])) + (["_other"] if value.get("other") else [])
        return Stored("|" + "|".join(tokens) + "|", value, None)
    if kind == "ranking":
        return Stored("|" + "|".join(f"{code}:{i + 1}" for i, code in enumerate(value)) + "|",
                      list(value), None)
    if kind == "matrix":
        return Stored("|" + "|".join(f"{s}={v}" for s, v in sorted(value.items())) + "|",
                      dict(value), None)
    if kind == "number":
        return Stored(str(value), None, float(str(value).replace(",", "")))
    return Stored(str(value), None, None)


def stored_parts(text: str | None) -> list[str]:
    """The parts of a delimited stored value ("|o1|o3|" -> ["o1", "o3"]; see :func:`to_stored`)."""
    return [part for part in (text or "").split("|") if part]


def from_stored(question: Question, text: str | None, json_value: Any) -> Any:
    if question.kind in ("multiple_choice", "ranking", "matrix"):
        return json_value
    return text


def display(question: Question, value: Any, locale: str) -> str:
    """An answer as a resident reads it on "check your answers"."""
    if value is None or value == "":
        return ""
    labels = dict(choices_of(question, locale))
    if question.kind == "multiple_choice":
        parts = [labels.get(c, c) for c in value.get("selected", [])]
        if value.get("other"):
            parts.append(_("Other: %(text)s", text=value["other"]))
        return ", ".join(parts)
    if question.kind == "ranking":
        return ", ".join(f"{i + 1}. {labels.get(c, c)}" for i, c in enumerate(value))
    if question.kind == "matrix":
        scale = dict(scale_of(question))
        return "; ".join(f"{label}: {scale.get(value.get(code, ''), _('Not given'))}"
                         for code, label in statements_of(question, locale))
    if question.kind == "date":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return labels.get(value, str(value)) if question.kind in (
        "single_choice", "dropdown", "agreement", "rating") else str(value)


# ---------------------------------------------------------------- conditions


def condition_met(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether a question or section with ``condition`` is shown, given answers by code."""
    if not condition:
        return True
    answer = answers.get(condition.get("question", ""))
    op = condition.get("op", "equals")
    expected = condition.get("value")
    wanted = set(expected) if isinstance(expected, list) else {expected}
    if isinstance(answer, dict) and "selected" in answer:
        given = set(answer.get("selected") or [])
    elif isinstance(answer, list):
        given = set(answer)
    elif answer is None:
        given = set()
    else:
        given = {str(answer)}
    if op == "equals":
        return bool(given & wanted) if len(wanted) == 1 else given == wanted
    if op == "not_equals":
        return not (given & wanted)
    if op == "any_of":
        return bool(given & wanted)
    return True
