"""Account forms. Labels and messages are lazy so they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

EMAIL_REQUIRED = _l("Enter your email address")
PASSWORD_REQUIRED = _l("Enter your password")


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("We will send you a link to check it is yours."),
        validators=[DataRequired(message=EMAIL_REQUIRED), Length(max=254)],
    )
    password = PasswordField(
        _l("Create a password"),
        description=_l(
            "Use 12 characters or more. A few words you will remember, with spaces, work well."
        ),
        validators=[DataRequired(message=_l("Create a password"))],
    )


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(message=EMAIL_REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=PASSWORD_REQUIRED)])
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(message=EMAIL_REQUIRED)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("Use 12 characters or more."),
        validators=[DataRequired(message=_l("Enter a new password"))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=PASSWORD_REQUIRED)]
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l("Use 12 characters or more."),
        validators=[DataRequired(message=_l("Enter a new password"))],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email address"), validators=[DataRequired(message=EMAIL_REQUIRED)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=PASSWORD_REQUIRED)])


class DeleteAccountForm(FlaskForm):
    erase = BooleanField(_l("Also erase my answers to consultations"))
    password = PasswordField(_l("Password"), validators=[DataRequired(message=PASSWORD_REQUIRED)])


class TwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        validators=[DataRequired(message=_l("Enter the code")), Length(max=20)],
    )
    next = HiddenField()


class TwoFactorSetupForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        description=_l("Enter the 6-digit code your authenticator app shows for this account."),
        validators=[DataRequired(message=_l("Enter the code")), Length(max=20)],
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something (sign out, …)."""


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role"))])


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Email contains"), validators=[Length(max=254)])
    role = SelectField(_l("Role"), validate_choice=False)
