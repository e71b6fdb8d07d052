"""Forms of the pledges feature. Labels and messages are lazy so they follow the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, ValidationError

from citizen.i18n import SUPPORTED_CODES
from citizen.pledges.catalogue import (
    ACCREDITATION_LABELS,
    BENEFICIARY_LABELS,
    DISABILITY_CONFIDENT_LEVELS,
    PILLAR_LABELS,
    PROGRESS_LABELS,
    SECTOR_LABELS,
    SIZE_LABELS,
)
from citizen.shared.forms import select_choices


class Needed:
    """Marks a field required for the label; the field itself reports a missing value (date
    fields say "enter a real date" for an empty or a wrong one alike)."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        return None


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(message=_l("Enter the name of the organisation")), Length(max=200)],
    )
    sector = RadioField(_l("Sector"), choices=select_choices(SECTOR_LABELS),
                        validators=[InputRequired(message=_l("Choose the sector"))])
    size_band = RadioField(_l("How many people work for it?"), choices=select_choices(SIZE_LABELS),
                           validators=[InputRequired(message=_l("Choose how many people work for it"))])
    places = SelectMultipleField(
        _l("Where does it work?"), description=_l("Choose all that apply."), choices=[],
        validators=[DataRequired(message=_l("Choose at least one place"))],
    )
    website = StringField(_l("Website"), description=_l("For example, www.example.org.uk"),
                          validators=[Optional(), Length(max=300)])


class ProfileForm(OrganisationForm):
    """The same questions without the name (a name change goes through organisers)."""

    name = None


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Your colleague's email address"),
        description=_l("We will email them a link to join. It works for 14 days."),
        validators=[DataRequired(message=_l("Enter your colleague's email address")),
                    Length(max=254)],
    )


class ClaimForm(FlaskForm):
    job_title = StringField(_l("Your job title"), validators=[
        DataRequired(message=_l("Enter your job title")), Length(max=120)])
    reason = TextAreaField(
        _l("How are you connected to this organisation?"),
        description=_l("An organiser checks this before you can act for the organisation."),
        validators=[DataRequired(message=_l("Tell us how you are connected to the organisation")),
                    Length(max=2000)],
    )


class FindOrganisationForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name of the organisation"), validators=[Optional(), Length(max=200)])


class ActionForm(FlaskForm):
    pillar = RadioField(_l("Which part of health does this action help?"),
                        choices=select_choices(PILLAR_LABELS),
                        validators=[InputRequired(message=_l("Choose which part of health it helps"))])
    beneficiaries = RadioField(_l("Who will it help?"), choices=select_choices(BENEFICIARY_LABELS),
                               validators=[InputRequired(message=_l("Choose who it will help"))])
    description = TextAreaField(
        _l("What will you do?"),
        validators=[DataRequired(message=_l("Say what you will do")), Length(max=2000)],
    )
    target = TextAreaField(
        _l("How will you know it worked?"),
        description=_l("A target you can measure, for example '5 apprentices a year'."),
        validators=[DataRequired(message=_l("Enter a target you can measure")), Length(max=1000)],
    )
    start_date = DateField(
        _l("Start date"), description=_l("For example, 2027-01-31"), validators=[Needed()],
        invalid_value_message=_l("Enter a real start date, for example 2027-01-31"),
    )
    due_date = DateField(
        _l("Due date"), description=_l("When it will be done, for example 2027-12-31"),
        validators=[Needed()],
        invalid_value_message=_l("Enter a real due date, for example 2027-12-31"),
    )
    catalogue_action_id = HiddenField()


class DetailsForm(FlaskForm):
    sponsor_name = StringField(
        _l("Name of your senior sponsor"),
        description=_l("A director or leader who makes sure the pledge happens."),
        validators=[DataRequired(message=_l("Enter the name of your senior sponsor")),
                    Length(max=120)],
    )
    sponsor_role = StringField(_l("Their job title"), validators=[
        DataRequired(message=_l("Enter your senior sponsor's job title")), Length(max=120)])
    accreditations = SelectMultipleField(
        _l("Accreditations you already hold"), description=_l("Choose all that apply."),
        choices=select_choices(ACCREDITATION_LABELS), validators=[Optional()],
    )
    disability_level = SelectField(
        _l("Disability Confident level"),
        choices=select_choices(DISABILITY_CONFIDENT_LEVELS, blank=_l("Not Disability Confident")),
        default="",
    )
    consent = SelectMultipleField(
        _l("Public listing"),
        choices=select_choices([("yes", _l("Our senior sponsor agrees that their name and job title "
                                           "are shown with this pledge on the public pledge wall"))]),
        validators=[DataRequired(message=_l("Your senior sponsor must agree to be named publicly"))],
    )

    def validate_disability_level(self, field: Any) -> None:
        if "disability_confident" in (self.accreditations.data or []) and not field.data:
            raise ValidationError(_l("Choose your Disability Confident level"))


class UpdateForm(FlaskForm):
    status = RadioField(_l("Where is this action now?"), choices=select_choices(PROGRESS_LABELS),
                        validators=[InputRequired(message=_l("Choose where the action is now"))])
    text = TextAreaField(
        _l("What has happened?"), description=_l("A short update. It is checked before it is shown."),
        validators=[DataRequired(message=_l("Write a short update")), Length(max=1500)],
    )
    evidence_url = StringField(
        _l("Link to evidence"), description=_l("For example, a page on your website."),
        validators=[Optional(), Length(max=500),
                    URL(require_tld=True, message=_l("Enter a web address starting with https://"))],
    )


class CatalogueForm(FlaskForm):
    """An example action: where it belongs, and its words in one language."""

    pillar = RadioField(_l("Pillar"), choices=select_choices(PILLAR_LABELS),
                        validators=[InputRequired(message=_l("Choose a pillar"))])
    beneficiaries = RadioField(_l("Who it helps"), choices=select_choices(BENEFICIARY_LABELS),
                               validators=[InputRequired(message=_l("Choose who it helps"))])
    active = SelectField(_l("Shown to organisations"),
                         choices=select_choices([("yes", _l("Yes")), ("no", _l("No"))]), default="yes")
    locale = SelectField(_l("Language of the words below"),
                         choices=select_choices((code, code) for code in SUPPORTED_CODES), default="en")
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title")),
                                                 Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(message=_l("Enter a description")), Length(max=2000)])
    target_example = StringField(_l("Example target"), validators=[Optional(), Length(max=300)])


class EmptyForm(FlaskForm):
    pass


class WallFilterForm(FlaskForm):
    """The filters of the public pledge wall (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    pillar = SelectField(_l("Part of health"), choices=select_choices(PILLAR_LABELS, blank=_l("All")),
                         validators=[Optional()])
    place = SelectField(_l("Place"), choices=[SelectChoice("", _l("All places"))], validators=[Optional()])
    sector = SelectField(_l("Sector"), choices=select_choices(SECTOR_LABELS, blank=_l("All sectors")),
                         validators=[Optional()])
    size = SelectField(_l("Size"), choices=select_choices(SIZE_LABELS, blank=_l("All sizes")),
                       validators=[Optional()])
