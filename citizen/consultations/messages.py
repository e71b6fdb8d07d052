"""Translated messages for the error codes of ``services.ConsultationError``."""

from __future__ import annotations

import contextlib

from flask_babel import lazy_gettext as _l

ERRORS: dict[str, object] = {
    "closes_before_opens": _l("The closing date must be after the opening date"),
    "locked": _l("People have already answered, so you can only correct the wording of questions"),
    "condition_question": _l("Enter the code of an earlier question, like Q1"),
    "condition_op": _l("Choose a condition"),
    "condition_value": _l("Enter answer codes of that question, such as: %(codes)s"),
    "condition_depends": _l("Other questions or pages depend on this question: %(codes)s"),
    "kind": _l("Choose a kind of question"),
    "condition_order": _l("A question must stay after the question it depends on"),
    "question_text": _l("Enter the question"),
    "options": _l("Enter at least 2 answers to choose from, one a line"),
    "statements": _l("Enter at least one statement"),
    "range": _l("The highest value must be more than the lowest"),
    "no_questions": _l("Add at least one question before publishing"),
    "no_dates": _l("Set the opening and closing dates before publishing"),
    "closed": _l("This consultation is closed. It is not taking answers any more."),
    "missing_answers": _l("Some required questions have no answer yet"),
    "email_required": _l("Enter your email address: this consultation does not take anonymous answers"),
    "already_submitted": _l("You have already sent these answers"),
    "form_key": _l("The form has expired. Please start again."),
    "token_unknown": _l("This link is not right. Check you copied all of it from the email."),
    "token_expired": _l("This link has expired because the consultation has closed."),
    "not_closed": _l("The outcome can be published once the consultation has closed"),
    "no_outcome": _l("Write the outcome before publishing it"),
}


def message(code: str, **params: object) -> str:
    text = ERRORS.get(code, code)
    rendered = str(text)
    if params:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            rendered = rendered % params
    return rendered
