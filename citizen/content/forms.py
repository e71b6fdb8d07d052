"""Forms of the content feature. Labels and messages are lazy so they follow the reader's
language. Checks that need the database or the rules live in ``services``; the alt-text check
is also here, at the field, so the writer sees it next to what they typed."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from citizen.content import matching, richtext
from citizen.content.easyread import PICTURES
from citizen.content.messages import PILLAR_LABELS
from citizen.content.models import PILLARS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _alt_text_required(_form: Any, field: Any) -> None:
    missing = richtext.images_without_alt(field.data or "")
    if missing:
        # gettext, not lazy_gettext: a lazy string is treated as safe HTML by Jinja, and the
        # picture's address comes from what the writer typed.
        raise ValidationError(_(
            "Every picture needs alt text: words that say what it shows. "
            "Add alt=\"…\" to the picture %(src)s", src=missing[0][:80]))


BODY_HINT = _l(
    "Write in HTML. You can use headings (h2, h3), lists (ul, ol, li), links (a with href), "
    "emphasis (strong, em) and pictures (img with src and alt). Every picture needs alt text. "
    "Anything else is removed."
)


def picture_hint() -> str:
    return ", ".join(PICTURES)


class TopicForm(FlaskForm):
    slug = StringField(_l("Web address name"), description=_l("For example: staying-well"),
                       validators=[DataRequired(message=_l("Enter a web address name")),
                                   Length(max=120)])
    title = StringField(_l("Title in English"),
                        validators=[DataRequired(message=_l("Enter a title")), Length(max=200)])
    summary = TextAreaField(_l("Summary in English"), validators=[Optional(), Length(max=600)])


def topic_edit_form(topic_titles: dict[str, str], data: dict[str, Any] | None = None) -> Any:
    """The topic form with a name field for each language but English (``name_<code>``)."""
    from citizen.i18n import languages

    class TopicEditForm(FlaskForm):
        title = StringField(_l("Title in English"), validators=[
            DataRequired(message=_l("Enter a title")), Length(max=200)])
        summary = TextAreaField(_l("Summary in English"), validators=[Optional(), Length(max=600)])

    for lang in languages()[1:]:
        setattr(TopicEditForm, f"name_{lang.code.replace('-', '_')}", StringField(
            _l("Name in %(language)s", language=lang.english_name),
            validators=[Optional(), Length(max=200)], default=topic_titles.get(lang.code, "")))
    return TopicEditForm(data=data)


class PageSettingsForm(FlaskForm):
    topic = SelectField(_l("Topic"), coerce=int)
    pillar = RadioField(_l("Pillar of the population health model"),
                        choices=[SelectChoice(p, PILLAR_LABELS[p]) for p in PILLARS],
                        validators=[DataRequired(message=_l("Choose a pillar"))])
    places = MultiCheckboxField(_l("Places it applies to"),
                                description=_l("Choose none if it applies everywhere."))


class PageNewForm(PageSettingsForm):
    slug = StringField(_l("Web address name"), description=_l("For example: staying-warm"),
                       validators=[DataRequired(message=_l("Enter a web address name")),
                                   Length(max=120)])
    title = StringField(_l("Title"),
                        validators=[DataRequired(message=_l("Enter a title")), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=600)])
    body = TextAreaField(_l("Text of the page"), description=BODY_HINT,
                         validators=[DataRequired(message=_l("Enter the text of the page")),
                                     Length(max=50_000), _alt_text_required])


class TextForm(FlaskForm):
    title = StringField(_l("Title"),
                        validators=[DataRequired(message=_l("Enter a title")), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=600)])
    body = TextAreaField(_l("Text of the page"), description=BODY_HINT,
                         validators=[Optional(), Length(max=50_000), _alt_text_required])
    lines = TextAreaField(
        _l("Easy Read text"),
        description=_l("One short idea a line. To put a picture beside a line, start it with "
                       "the picture's name and what it shows, like: [doctor: A doctor smiling] "
                       "Your doctor can help."),
        validators=[Optional(), Length(max=20_000)],
    )
    machine_drafted = BooleanField(_l("This text was drafted by machine translation"))
    matches_current_english = BooleanField(
        _l("I have checked this text against the current English version"))


class ActionForm(FlaskForm):
    action = HiddenField()
    comment = TextAreaField(_l("Comments"), validators=[Optional(), Length(max=2000)])


class UploadForm(FlaskForm):
    file = FileField(_l("Translation file"),
                     description=_l("An XLIFF 1.2 (.xlf) or JSON (.json) file downloaded from "
                                    "this page."))
    machine_drafted = BooleanField(_l("This file was made by machine translation"))


class FeedbackForm(FlaskForm):
    useful = RadioField(_l("Was this page useful?"),
                        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                        validators=[DataRequired(message=_l("Choose yes or no"))])
    comment = TextAreaField(
        _l("How could we make it better?"),
        description=_l("Do not write your name, address or anything about your health. "
                       "Healthwatch staff read every comment."),
        validators=[Optional(), Length(max=1000, message=_l(
            "Your comment must be %(max)d characters or fewer"))],
    )
    variant = HiddenField()


class SearchForm(FlaskForm):
    """Search the information pages. Sent by GET: it changes nothing, so needs no CSRF, and a
    search can be bookmarked or shared."""

    class Meta:
        csrf = False

    # The limit is written into the message (not a placeholder) so that each language can say
    # "100 characters" in its own grammar without plural forms; a test keeps the two in step.
    q = StringField(
        _l("Search health information"), filters=[matching.clean_query],
        validators=[DataRequired(message=_l("Enter a word to search for")),
                    Length(max=matching.QUERY_MAX,
                           message=_l("Your search must be 100 characters or fewer"))],
    )


class PartnerForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    languages = MultiCheckboxField(_l("Languages they review"))


class ReviewerForm(FlaskForm):
    partner = SelectField(_l("Community partner"), coerce=int)
    email = StringField(_l("Reviewer's email address"),
                        validators=[DataRequired(message=_l("Enter an email address")),
                                    Length(max=254)])


class TranslatorForm(FlaskForm):
    email = StringField(_l("Translator's email address"),
                        validators=[DataRequired(message=_l("Enter an email address")),
                                    Length(max=254)])
    locale = SelectField(_l("Language"))


class EmptyForm(FlaskForm):
    pass
