"""Forms for finding your area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from citizen.places.services import PostcodeError, postcode_district


def _valid_postcode(_form: FlaskForm, field: StringField) -> None:
    try:
        postcode_district(field.data or "")
    except PostcodeError as exc:
        if exc.code == "format":
            raise ValidationError(
                _l("Enter a postcode like CV21 3AB, or the first half, like CV21")
            ) from None


class FindAreaForm(FlaskForm):
    """Look up the place for a postcode. Sent by GET: it changes nothing, so needs no CSRF."""

    class Meta:
        csrf = False

    postcode = StringField(
        _l("Postcode"),
        description=_l("For example, CV21 3AB. You can give just the first half, like CV21."),
        validators=[
            DataRequired(message=_l("Enter your postcode")),
            Length(max=10, message=_l("A postcode is 10 characters or fewer")),
            _valid_postcode,
        ],
    )
