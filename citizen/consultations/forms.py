"""Forms of the consultations feature (the questions' own forms are built in ``questions.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from citizen.consultations.questions import CONDITION_OPS, KINDS
from citizen.consultations.services import TOPICS
from citizen.reach.census import CATEGORIES, DETAILED_ETHNIC_GROUPS, PREFER_NOT_TO_SAY
from citizen.shared.forms import select_choices

TOPIC_LABELS: dict[str, object] = {
    "general": _l("General"),
    "hospitals": _l("Hospitals"),
    "gp_and_community": _l("GP and community services"),
    "mental_health": _l("Mental health"),
    "social_care": _l("Social care"),
    "children": _l("Children and young people"),
    "public_health": _l("Staying healthy"),
}
CHANNEL_LABELS: dict[str, object] = {
    "online": _l("Online"),
    "paper": _l("Paper form"),
    "phone": _l("Phone"),
    "event": _l("At an event"),
    "easy_read": _l("Easy Read form"),
}
EMAIL_MESSAGE = _l("Enter an email address in the right format, like name@example.com")


class DetailsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title")),
                                                 Length(max=200)])
    summary = TextAreaField(_l("Summary"), description=_l("One or two plain sentences for the list."),
                            validators=[DataRequired(message=_l("Enter a summary")), Length(max=600)])
    body = TextAreaField(_l("What the consultation is about"),
                         description=_l("You can use simple HTML: paragraphs, headings, lists, links."),
                         validators=[Optional(), Length(max=20000)])
    privacy_notice = TextAreaField(_l("Privacy notice for this consultation"),
                                   validators=[Optional(), Length(max=20000)])
    places = SelectMultipleField(_l("Places it concerns"), choices=[], validate_choice=True,
                                 validators=[DataRequired(message=_l("Choose at least one place"))])
    topic = SelectField(_l("Topic"), choices=select_choices((t, TOPIC_LABELS[t]) for t in TOPICS))
    opens_at = DateTimeLocalField(_l("Opens (UK time)"), format="%Y-%m-%dT%H:%M",
                                  validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes (UK time)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    anonymous_allowed = BooleanField(_l("People can answer without giving an email address"),
                                     default=True)
    post_moderated = BooleanField(_l("Show published answers at once and check them afterwards"))
    equality_monitoring = BooleanField(_l("Ask the equality monitoring questions"), default=True)
    contact = StringField(_l("Contact for questions"), validators=[Optional(), Length(max=300)])


class TranslationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title")),
                                                 Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=600)])
    body = TextAreaField(_l("What the consultation is about"), validators=[Optional(), Length(max=20000)])
    privacy_notice = TextAreaField(_l("Privacy notice for this consultation"),
                                   validators=[Optional(), Length(max=20000)])


class SectionForm(FlaskForm):
    title = StringField(_l("Page title"), validators=[DataRequired(message=_l("Enter a page title")),
                                                      Length(max=200)])
    intro = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=2000)])
    condition_question = StringField(_l("Show this page only when question (code, like Q1)"),
                                     validators=[Optional(), Length(max=20)])
    condition_op = SelectField(_l("Condition"), choices=select_choices(CONDITION_OPS), default="equals")
    condition_value = StringField(_l("Answer codes (like o1, or o1 o2 for any of)"),
                                  validators=[Optional(), Length(max=200)])


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=select_choices(KINDS))
    text = StringField(_l("Question"), validators=[DataRequired(message=_l("Enter the question")),
                                                   Length(max=500)])
    help = StringField(_l("Help text"), validators=[Optional(), Length(max=500)])
    required = BooleanField(_l("An answer is required"))
    options = TextAreaField(_l("Answers to choose from, one a line"),
                            description=_l("For single choice, multiple choice, dropdown and ranking."),
                            validators=[Optional(), Length(max=5000)])
    statements = TextAreaField(_l("Statements, one a line"), description=_l("For a matrix."),
                               validators=[Optional(), Length(max=5000)])
    max_length = IntegerField(_l("Character limit"), description=_l("For long text."),
                              validators=[Optional(), NumberRange(min=10, max=20000)])
    min_selected = IntegerField(_l("Fewest answers to choose"), validators=[Optional(),
                                                                         NumberRange(min=0, max=50)])
    max_selected = IntegerField(_l("Most answers to choose"), validators=[Optional(),
                                                                       NumberRange(min=1, max=50)])
    other = BooleanField(_l("Offer \"other, please say\""))
    minimum = IntegerField(_l("Lowest number allowed"), validators=[Optional()])
    maximum = IntegerField(_l("Highest number allowed"), validators=[Optional()])
    condition_question = StringField(_l("Show only when question (code, like Q1)"),
                                     validators=[Optional(), Length(max=20)])
    condition_op = SelectField(_l("Condition"), choices=select_choices(CONDITION_OPS), default="equals")
    condition_value = StringField(_l("Answer codes (like o1, or o1 o2 for any of)"),
                                  validators=[Optional(), Length(max=200)])


class QuestionTranslationForm(FlaskForm):
    text = StringField(_l("Question"), validators=[DataRequired(message=_l("Enter the question")),
                                                   Length(max=500)])
    help = StringField(_l("Help text"), validators=[Optional(), Length(max=500)])
    options = TextAreaField(_l("Answers to choose from, one a line"), validators=[Optional()])
    statements = TextAreaField(_l("Statements, one a line"), validators=[Optional()])


class EmptyForm(FlaskForm):
    pass


class CheckAnswersForm(FlaskForm):
    submit_key = HiddenField()
    email = EmailField(_l("Email address"),
                       description=_l("We will send you a receipt with a link to change your answers "
                                      "until the consultation closes."),
                       validators=[Optional(), Email(message=EMAIL_MESSAGE), Length(max=254)])
    consent_contact = BooleanField(_l("Email me when the results and what was done are published"))
    consent_publish = BooleanField(
        _l("You may publish my written answers (without my name), after checking them"))


class SaveForLaterForm(FlaskForm):
    email = EmailField(_l("Email address"),
                       description=_l("We will email you a link to come back to your answers."),
                       validators=[DataRequired(message=_l("Enter your email address")),
                                   Email(message=EMAIL_MESSAGE), Length(max=254)])


def _census_choices(category: str) -> list[SelectChoice]:
    return select_choices([*((v.code, v.label) for v in CATEGORIES[category].values),
                           (PREFER_NOT_TO_SAY, _l("Prefer not to say"))])


class EqualityForm(FlaskForm):
    age_band = RadioField(_l("What is your age?"), choices=_census_choices("age_band"),
                          validators=[Optional()])
    sex = RadioField(_l("What is your sex?"), choices=_census_choices("sex"), validators=[Optional()])
    gender_identity = RadioField(CATEGORIES["gender_identity"].label,
                                 choices=_census_choices("gender_identity"), validators=[Optional()])
    ethnic_group_detailed = SelectField(
        _l("What is your ethnic group?"),
        choices=select_choices([*((c, label) for c, label, _g in DETAILED_ETHNIC_GROUPS),
                                (PREFER_NOT_TO_SAY, _l("Prefer not to say"))],
                               blank=_l("Choose an answer")),
        validators=[Optional()])
    disability = RadioField(
        _l("Are your day-to-day activities limited because of a health problem or disability?"),
        choices=_census_choices("disability"), validators=[Optional()])
    carer = RadioField(_l("Do you look after or give help to anyone because of their health, "
                          "disability or age (not as a paid job)?"),
                       choices=_census_choices("carer"), validators=[Optional()])
    religion = RadioField(_l("What is your religion?"), choices=_census_choices("religion"),
                          validators=[Optional()])
    sexual_orientation = RadioField(_l("What is your sexual orientation?"),
                                    choices=_census_choices("sexual_orientation"),
                                    validators=[Optional()])
    postcode_district = StringField(_l("The first half of your postcode"),
                                    description=_l("For example, CV21. Leave it blank if you prefer."),
                                    validators=[Optional(), Length(max=8)])


class StaffEntryForm(FlaskForm):
    channel = RadioField(_l("How did the response reach us?"),
                         choices=select_choices((c, CHANNEL_LABELS[c])
                                                for c in ("paper", "phone", "event", "easy_read")),
                         validators=[DataRequired(message=_l("Choose how the response reached us"))])
    received_on = DateField(_l("Date received"), description=_l("For example, 2026-11-20"),
                            validators=[DataRequired(message=_l("Enter the date it was received"))])
    place = SelectField(_l("Place the person lives in"), choices=[], validators=[Optional()])


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("We asked, you said, we did"),
                            description=_l("What you asked, what people said and what you will do. "
                                           "Simple HTML is allowed."),
                            validators=[DataRequired(message=_l("Write the outcome")), Length(max=20000)])


class ResultsFilterForm(FlaskForm):
    class Meta:
        csrf = False

    place = SelectField(_l("Place"), choices=[], validators=[Optional()])
    channel = SelectField(_l("Channel"),
                          choices=select_choices(CHANNEL_LABELS, blank=_l("All channels")),
                          validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    q = StringField(_l("Search written answers"), validators=[Optional(), Length(max=100)])


class EraseContactForm(FlaskForm):
    reference = StringField(_l("Reference number"), description=_l("For example, CW-ABCD2345"),
                            validators=[DataRequired(message=_l("Enter the reference number")),
                                        Length(max=20)])
