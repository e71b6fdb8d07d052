"""Forms of the exports feature."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from citizen.exports.services import REASON_MIN
from citizen.shared.dates import parse_typed_date
from citizen.shared.forms import select_choices

FORMAT_CHOICES = select_choices([
    ("csv", _l("CSV (opens in Excel; data dictionary as a second file)")),
    ("xlsx", _l("Excel workbook (.xlsx, with a data dictionary sheet)")),
    ("jsonl", _l("JSON Lines (a zip with the data dictionary)")),
])
LAYOUT_CHOICES = select_choices([
    ("wide", _l("One row per response, one column per question")),
    ("long", _l("One row per answer")),
])
YES_NO = select_choices([("no", _l("No")), ("yes", _l("Yes"))])


class ChooseForm(FlaskForm):
    class Meta:
        csrf = False

    what = SelectField(_l("What do you want to export?"),
                       validators=[DataRequired(message=_l("Choose what to export"))])


def _date_check(_form: Any, field: Field) -> None:
    if field.data and field.data.strip():
        try:
            parse_typed_date(field.data, earliest_year=2000)
        except ValueError:
            raise ValidationError(str(_l("Enter a real date, for example 2026-11-23"))) from None


class ExportForm(FlaskForm):
    columns = SelectMultipleField(
        _l("Columns"), validate_choice=False,
        description=_l("A respondent code is always included. Untick what you do not need."),
    )
    contact_columns = SelectMultipleField(_l("Contact details"), validate_choice=False)
    contact_reason = TextAreaField(
        _l("Why do you need contact details?"), validators=[Optional(), Length(max=1000)],
        description=_l("This is recorded in the audit log with your name."),
    )
    date_from = StringField(_l("Responses from"), validators=[Optional(), _date_check],
                            description=_l("For example, 2026-11-23. Leave empty to start at the first."))
    date_to = StringField(_l("Responses up to and including"), validators=[Optional(), _date_check],
                          description=_l("For example, 2026-11-30. Leave empty to include the latest."))
    layout = RadioField(_l("Layout"), choices=LAYOUT_CHOICES, default="wide",
                        validators=[DataRequired(message=_l("Choose a layout"))])
    file_format = RadioField(_l("File type"), choices=FORMAT_CHOICES, default="csv",
                             validators=[DataRequired(message=_l("Choose a file type"))])
    include_equality = RadioField(
        _l("Add a summary of equality monitoring answers?"), choices=YES_NO, default="no",
        description=_l("A separate file with counts only; groups under 10 are hidden."),
    )

    def parsed_date(self, field: Field) -> dt.date | None:
        if not field.data or not field.data.strip():
            return None
        return parse_typed_date(field.data, earliest_year=2000)

    def validate_columns(self, field: Field) -> None:
        choices = {choice.value for choice in field.choices or []}
        if not [value for value in field.data or [] if value in choices]:
            raise ValidationError(str(_l("Choose at least one column")))

    def validate_contact_reason(self, field: Field) -> None:
        if self.contact_columns.data and len((field.data or "").strip()) < REASON_MIN:
            raise ValidationError(str(_l("Say why you need contact details (at least %(n)s characters)",
                                         n=REASON_MIN)))


class GrantForm(FlaskForm):
    email = EmailField(_l("Email address of the member of staff"),
                       validators=[DataRequired(message=_l("Enter their email address")),
                                   Length(max=254)])
    reason = TextAreaField(_l("Why may they include contact details?"),
                           validators=[DataRequired(message=_l("Say why")), Length(max=1000)])
