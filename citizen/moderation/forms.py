"""Forms of the moderation feature (labels are lazy so they follow the reader's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from citizen.moderation.services import REJECT_REASONS, REPORT_REASONS
from citizen.shared.forms import select_choices

AGE_CHOICES = select_choices([("", _l("Any age")), ("1", _l("Waiting 1 day or more")),
                              ("3", _l("Waiting 3 days or more")), ("7", _l("Waiting 7 days or more")),
                              ("14", _l("Waiting 14 days or more"))])

STATE_CHOICES = select_choices([("review", _l("Needs review (waiting, hidden or reported)")),
                                ("pending", _l("Waiting")), ("hidden", _l("Hidden after reports")),
                                ("reported", _l("Reported")), ("approved", _l("Approved")),
                                ("rejected", _l("Rejected")), ("escalated", _l("Escalated")),
                                ("all", _l("All"))])


class QueueFilterForm(FlaskForm):
    """The filters above the queue (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), validators=[Optional()])
    consultation = SelectField(_l("Consultation"), validators=[Optional()])
    place = SelectField(_l("Area"), validators=[Optional()])
    state = SelectField(_l("State"), choices=STATE_CHOICES, default="review",
                        validators=[Optional()])
    age = SelectField(_l("Waiting time"), choices=AGE_CHOICES, validators=[Optional()])
    findings = SelectField(_l("Personal data"), choices=select_choices([
        ("", _l("With or without personal data found")),
        ("yes", _l("Only with personal data found"))]), validators=[Optional()])


class BulkForm(FlaskForm):
    item_ids = SelectMultipleField(_l("Items"), coerce=int,
                                   validators=[DataRequired(_l("Select at least one item"))])
    decision = RadioField(_l("Decision for the selected items"), choices=select_choices([
        ("approve", _l("Approve")), ("reject", _l("Reject"))]),
        validators=[InputRequired(_l("Choose approve or reject"))])
    reason = SelectField(_l("Reason, if you reject"),
                         choices=select_choices(REJECT_REASONS, blank=_l("Choose a reason")),
                         validators=[Optional()])
    reason_text = TextAreaField(_l("Message to the authors, if you reject"),
                                validators=[Optional(), Length(max=1000)])
    next = HiddenField()

    def validate(self, extra_validators: object = None) -> bool:
        ok = super().validate()
        if self.decision.data == "reject" and not self.reason.data:
            self.reason.errors = [*self.reason.errors, str(_l("Choose a reason for rejecting"))]
            ok = False
        return bool(ok)


class RedactForm(FlaskForm):
    start = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    end = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    kind = HiddenField(validators=[DataRequired()])
    digest = HiddenField(validators=[DataRequired()])


class PhraseForm(FlaskForm):
    phrase = StringField(_l("Remove other text"),
                         description=_l("Type the words exactly as written, for example a "
                                        "person's name. Every time they appear they are replaced."),
                         validators=[DataRequired(_l("Type the words to remove")),
                                     Length(max=200)])


class ApproveForm(FlaskForm):
    pass


class RejectForm(FlaskForm):
    reason = RadioField(_l("Why are you rejecting it?"), choices=select_choices(REJECT_REASONS),
                        validators=[InputRequired(_l("Choose a reason for rejecting"))])
    reason_text = TextAreaField(_l("Message to the author"),
                                description=_l("They see this if they gave an email address. "
                                               "Do not include anyone's personal details."),
                                validators=[Optional(), Length(max=1000)])


class EscalateForm(FlaskForm):
    note = TextAreaField(_l("What is the concern?"),
                         description=_l("Only moderators see this. Follow the safeguarding "
                                        "procedure as well: this does not replace it."),
                         validators=[DataRequired(_l("Say what the concern is")),
                                     Length(max=2000)])


class ResolveForm(FlaskForm):
    note = TextAreaField(_l("What was done?"),
                         validators=[DataRequired(_l("Say what was done")), Length(max=500)])


class ReportForm(FlaskForm):
    reason = RadioField(_l("What is wrong with it?"), choices=select_choices(REPORT_REASONS),
                        validators=[InputRequired(_l("Choose what is wrong with it"))])
    details = TextAreaField(_l("Tell us more"),
                            description=_l("Please do not include your own personal details."),
                            validators=[Optional(), Length(max=1000, message=_l(
                                "Use 1000 characters or fewer"))])


# ---------------------------------------------------------------- coding free text


class ThemeForm(FlaskForm):
    name = StringField(_l("Theme name"), validators=[DataRequired(_l("Enter a name for the theme")),
                                                     Length(max=120, message=_l(
                                                         "Use 120 characters or fewer"))])
    parent = SelectField(_l("Put it under"), validators=[Optional()])
    description = StringField(_l("What it covers"), validators=[Optional(), Length(
        max=500, message=_l("Use 500 characters or fewer"))])


class RenameThemeForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(_l("Enter a name for the theme")),
                                                   Length(max=120)])


class AnswerFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search the answers"), validators=[Optional(), Length(max=100)])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    sentiment = SelectField(_l("Sentiment"), validators=[Optional()])
    coded = SelectField(_l("Coded"), choices=select_choices([("", _l("Coded or not")),
                                                             ("no", _l("Not coded yet"))]),
                        validators=[Optional()])
