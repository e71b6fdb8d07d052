"""Assembly forms. Labels and messages are lazy so they follow the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from citizen.assembly import targets as target_rules
from citizen.places import data as places_data
from citizen.reach import census
from citizen.shared.forms import select_choices

DATE_HINT = _l("For example, 2027-03-14")


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _place_choices() -> list[SelectChoice]:
    return select_choices((a.slug, a.name) for a in places_data.AREAS if a.kind in ("ics", "place"))


def _category_choices() -> list[SelectChoice]:
    return select_choices((c, target_rules.category_label(c)) for c in target_rules.TARGET_CATEGORIES)


def parse_dates(text: str) -> list[date]:
    found = []
    for part in (text or "").replace(",", "\n").split():
        found.append(date.fromisoformat(part.strip()))
    return found


class AssemblyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title")),
                                                 Length(max=200)])
    question = TextAreaField(_l("The question the assembly will consider"),
                             validators=[DataRequired(message=_l("Enter the question"))])
    places = MultiCheckboxField(_l("Places it covers"), choices=_place_choices,
                                validators=[DataRequired(message=_l("Choose at least one place"))])
    panel_size = IntegerField(_l("Panel size (seats)"), validators=[
        InputRequired(message=_l("Enter the panel size as a whole number")),
        NumberRange(min=2, max=500, message=_l("The panel size must be between 2 and 500"))])
    reserves = IntegerField(_l("Number of reserves"), default=0, validators=[
        InputRequired(message=_l("Enter the number of reserves as a whole number")),
        NumberRange(min=0, max=500, message=_l("The number of reserves must be 0 or more"))])
    session_dates = TextAreaField(
        _l("Dates of the sessions"), description=_l("One date a line, for example 2027-03-14"),
        validators=[DataRequired(message=_l("Enter the date of at least one session"))])
    honorarium = StringField(_l("Honorarium offered"), description=_l(
        "Shown to people who register, for example: £300 for taking part in all sessions"),
        validators=[Optional(), Length(max=300)])
    expenses = StringField(_l("Expenses offered"), description=_l(
        "For example: travel, care for children or adults, and meals paid"),
        validators=[Optional(), Length(max=300)])
    registration_opens = DateField(_l("Registration opens"), description=DATE_HINT, validators=[
        InputRequired(message=_l("Enter the date registration opens, for example 2027-01-10"))])
    registration_closes = DateField(_l("Registration closes"), description=DATE_HINT, validators=[
        InputRequired(message=_l("Enter the date registration closes, for example 2027-02-10"))])
    open_registration = BooleanField(_l("Anyone may register without an invitation code"))
    retention_until = DateField(
        _l("Delete personal data after"),
        description=_l("Leave empty for 3 months after the last session."), validators=[Optional()])
    categories = MultiCheckboxField(_l("Target categories"), choices=_category_choices,
                                    validators=[DataRequired(message=_l("Choose at least one category"))])
    prefer_not_allowed = MultiCheckboxField(_l("Categories where 'Prefer not to say' is allowed"),
                                            choices=_category_choices)
    method = SelectField(_l("Selection method"), choices=select_choices([
        ("leximin", _l("Leximin: the fairest lottery (recommended)")),
        ("maximin", _l("Maximin: raise the lowest chance only")),
        ("legacy", _l("Legacy: seat-by-seat stratified draw"))]))
    transparent_panels = IntegerField(
        _l("Public draw: number of panels to publish"),
        description=_l("Leave empty for no public draw. For example 1000: a number from 1 to "
                       "1000 is then drawn in public."),
        validators=[Optional(), NumberRange(min=2, max=10000,
                                            message=_l("Enter a number from 2 to 10000"))])

    attitude_questions = TextAreaField(
        _l("Attitude questions (optional)"),
        description=_l("One question a line, then its answers, each after a | sign. For example: "
                       "How much do you trust local health services? | A lot | A little | Not at all"),
        validators=[Optional()])

    def validate_attitude_questions(self, field: Field) -> None:
        try:
            target_rules.parse_attitudes(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Give each question at least two answers, each after a | sign")) from None

    def validate_session_dates(self, field: Field) -> None:
        try:
            parse_dates(field.data or "")
        except ValueError:
            raise ValidationError(_l("Enter each date like 2027-03-14, one a line")) from None


class TargetsForm(FlaskForm):
    """The min/max boxes are read from the request by the view (one pair per value)."""

    tolerance = IntegerField(_l("Tolerance (percentage points of the panel)"), default=10,
                             validators=[InputRequired(message=_l("Enter the tolerance")),
                                         NumberRange(min=0, max=100, message=_l(
                                             "The tolerance must be between 0 and 100"))])
    reason = StringField(_l("Reason for the change (optional)"), validators=[Optional(),
                                                                              Length(max=300)])


class EmptyForm(FlaskForm):
    pass


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])


class NumberForm(FlaskForm):
    number = IntegerField(_l("The number drawn in public"), validators=[
        InputRequired(message=_l("Enter the number drawn"))])


class EmailForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(message=_l("Enter your email address")),
        Email(message=_l("Enter an email address like name@example.com"))])


class ResponseForm(FlaskForm):
    response = RadioField(_l("Answer"), choices=select_choices([
        ("confirmed", _l("Confirmed: will take part")),
        ("declined", _l("Declined")),
        ("dropped", _l("Dropped out"))]), validators=[InputRequired(message=_l("Choose an answer"))])


class AccessNeedsForm(FlaskForm):
    access_needs = TextAreaField(_l("Access needs"), description=_l(
        "What we will arrange so this person can take part."), validators=[Optional(), Length(max=2000)])


class PaymentForm(FlaskForm):
    honorarium = StringField(_l("Honorarium paid (£)"), validators=[Optional()])
    expenses = StringField(_l("Expenses paid (£)"), validators=[Optional()])
    paid_on = DateField(_l("Date paid"), description=DATE_HINT, validators=[Optional()])

    @staticmethod
    def pence(text: str | None) -> int:
        if not text:
            return 0
        return round(float(text.replace("£", "").replace(",", "").strip()) * 100)

    def validate_honorarium(self, field: Field) -> None:
        self._money(field)

    def validate_expenses(self, field: Field) -> None:
        self._money(field)

    def _money(self, field: Field) -> None:
        try:
            if self.pence(field.data) < 0:
                raise ValueError
        except ValueError:
            raise ValidationError(_l("Enter an amount in pounds, like 25.50")) from None


class InvitationDrawForm(FlaskForm):
    addresses = FileField(_l("Addresses (CSV file)"), description=_l(
        "Columns: address, postcode, and optionally imd_quintile (1 is the most deprived fifth)."))
    count = IntegerField(_l("Number of letters to send"), validators=[
        InputRequired(message=_l("Enter how many letters to send")),
        NumberRange(min=1, max=100000, message=_l("Enter a number from 1 to 100000"))])
    deprived_share = IntegerField(
        _l("Extra share from the most deprived areas (percent of the letters)"), default=0,
        validators=[InputRequired(message=_l("Enter a percentage, 0 for none")),
                    NumberRange(min=0, max=100, message=_l("Enter a percentage from 0 to 100"))])
    seed = StringField(_l("Seed (optional)"), description=_l(
        "Leave empty for a new random seed. Enter an earlier draw's seed to repeat it."),
        validators=[Optional(), Length(max=30)])


def registration_form_class(categories: list[str], places: list[str],
                            prefer_not_allowed: list[str], attitudes: list[dict[str, Any]],
                            code_required: bool) -> type[FlaskForm]:
    """A registration form with one question per target category of the assembly."""

    class RegistrationForm(FlaskForm):
        code = StringField(_l("Invitation code"), description=_l(
            "The code on your letter, for example K7P-Q2M"),
            validators=[DataRequired(message=_l("Enter the code from your invitation letter"))
                        if code_required else Optional(), Length(max=20)])
        name = StringField(_l("Full name"), validators=[
            DataRequired(message=_l("Enter your name")), Length(max=200)])
        email = EmailField(_l("Email address"), description=_l(
            "Give an email address, a phone number, or both."),
            validators=[Optional(), Email(message=_l("Enter an email address like name@example.com")),
                        Length(max=254)])
        phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=40)])
        address = TextAreaField(_l("Address"), validators=[
            DataRequired(message=_l("Enter your address")), Length(max=300)])
        postcode = StringField(_l("Postcode"), validators=[
            DataRequired(message=_l("Enter your postcode")), Length(max=10)])
        access_needs = TextAreaField(_l("Anything we should arrange so you can take part"),
                                     description=_l("For example: step-free access, a hearing "
                                                    "loop, an interpreter, care for someone."),
                                     validators=[Optional(), Length(max=2000)])
        consent = BooleanField(_l("I agree"))

    for category in categories:
        if category in (target_rules.PLACE, "deprivation_quintile"):
            continue  # worked out from the postcode or the invitation, never asked
        choices: list[tuple[str, Any]] = [
            (code, target_rules.value_label(category, code, attitudes))
            for code in target_rules.value_codes(category, places, attitudes)]
        if category in prefer_not_allowed or target_rules.is_attitude(category):
            choices.append((census.PREFER_NOT_TO_SAY, _l("Prefer not to say")))
        field = RadioField(target_rules.category_label(category, attitudes),
                           choices=select_choices(choices),
                           validators=[InputRequired(message=_l("Choose an answer"))])
        setattr(RegistrationForm, "q_" + category, field)
    return RegistrationForm
