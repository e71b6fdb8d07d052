"""Account pages: register, confirm, sign in and out, two-factor, reset, change, delete."""

from __future__ import annotations

from typing import Any

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from citizen.accounts import services
from citizen.accounts import session as account_session
from citizen.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    EmailOnlyForm,
    EmptyForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
    TwoFactorForm,
    TwoFactorSetupForm,
)
from citizen.accounts.messages import ERRORS, ROLE_NAMES
from citizen.accounts.services import AccountError
from citizen.accounts.tools import tools_for_current_user
from citizen.db import get_session
from citizen.extensions import limit_from_config, limiter
from citizen.shared.permissions import public, roles_required
from citizen.site.views import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")

SIGNED_IN = ("resident", "organisation_member", "moderator", "organiser", "admin")
FORM_LIMIT = limit_from_config("RATELIMIT_FORMS")
SIGN_IN_LIMIT = limit_from_config("RATELIMIT_SIGN_IN")


def _field_error(form: FlaskForm, error: AccountError) -> None:
    """Put the translated message for ``error`` on its field (or the form's first field)."""
    field_name = error.field if error.field and error.field in form else next(iter(form)).name
    form[field_name].errors = [*form[field_name].errors, str(ERRORS.get(error.code, error.code))]


def _user() -> Any:
    user = account_session.current_user()
    if user is None:
        abort(401)
    return user


# ---------------------------------------------------------------- register and confirm


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def register() -> str | Response:
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(
                get_session(), form.email.data or "", form.password.data or "", str(get_locale())
            )
        except AccountError as error:
            _field_error(form, error)
        else:
            return redirect(url_for("accounts.check_email"))
    return render_template("accounts/account_register.html", form=form)


@bp.get("/check-your-email")
@public
def check_email() -> str:
    return render_template("accounts/account_check_email.html")


@bp.get("/verify/<token>")
@public
def verify_email(token: str) -> str | Response:
    try:
        services.verify_email(get_session(), token)
    except AccountError as error:
        return render_template("accounts/account_link_problem.html", message=ERRORS[error.code],
                               resend=True)
    flash(_("Your email address is confirmed. You can now sign in."))
    return redirect(url_for("accounts.sign_in"))


@bp.route("/resend-confirmation", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def resend_confirmation() -> str | Response:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.resend_verification(get_session(), form.email.data or "")
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/account_resend.html", form=form)


# ---------------------------------------------------------------- sign in and out


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in() -> str | Response:
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), default="")
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                get_session(), form.email.data or "", form.password.data or ""
            )
        except AccountError as error:
            form.password.data = ""
            _field_error(form, error)
        else:
            account_session.sign_in(user)
            next_url = safe_next(form.next.data, default="")
            if user.is_staff:
                return redirect(url_for("accounts.two_factor", next=next_url or None))
            return redirect(next_url or url_for("accounts.account_home"))
    return render_template("accounts/account_sign_in.html", form=form)


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    account_session.sign_out()
    flash(_("You have signed out."))
    return redirect(url_for("accounts.sign_in"))


@bp.post("/sign-out-everywhere")
@roles_required(*SIGNED_IN)
def sign_out_everywhere() -> Response:
    services.sign_out_everywhere(get_session(), _user())
    account_session.sign_out()
    flash(_("You have signed out on every device."))
    return redirect(url_for("accounts.sign_in"))


@bp.get("/timed-out")
@public
def timed_out() -> str:
    return render_template("accounts/account_timed_out.html")


# ---------------------------------------------------------------- two-factor (staff)


@bp.route("/two-factor", methods=["GET", "POST"])
@public
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def two_factor() -> str | Response:
    user = account_session.current_user()
    if user is None:
        return redirect(url_for("accounts.sign_in"))
    if not account_session.needs_second_factor():
        return redirect(url_for("accounts.account_home"))
    if not user.two_factor_enabled:
        return redirect(url_for("accounts.two_factor_setup"))
    form = TwoFactorForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), default="")
    if form.validate_on_submit():
        try:
            used = services.check_second_factor(get_session(), user, form.code.data or "")
        except AccountError as error:
            form.code.data = ""
            _field_error(form, error)
        else:
            account_session.mark_second_factor_done()
            if used == "recovery":
                remaining = sum(1 for c in user.recovery_codes if c.used_at is None)
                flash(_("You used a recovery code. You have %(count)s left.", count=remaining))
            return redirect(safe_next(form.next.data, default="") or url_for("accounts.account_home"))
    return render_template("accounts/account_two_factor.html", form=form)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@public
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def two_factor_setup() -> str | Response:
    user = account_session.current_user()
    if user is None:
        return redirect(url_for("accounts.sign_in"))
    if user.two_factor_enabled:
        return redirect(url_for("accounts.two_factor"))
    secret = session.get("totp_setup")
    if not secret:
        secret = services.new_totp_secret()
        session["totp_setup"] = secret
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        try:
            codes = services.enable_two_factor(get_session(), user, secret, form.code.data or "")
        except AccountError as error:
            form.code.data = ""
            _field_error(form, error)
        else:
            session.pop("totp_setup", None)
            account_session.mark_second_factor_done()
            return render_template("accounts/account_recovery_codes.html", codes=codes)
    uri = services.totp_uri(user, secret)
    qr = segno.make(uri, error="m")
    return render_template(
        "accounts/account_two_factor_setup.html",
        form=form,
        qr_data_uri=qr.svg_data_uri(scale=5, dark="#0b0c0c", light="#ffffff"),
        secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    )


# ---------------------------------------------------------------- forgotten password


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def forgot_password() -> str | Response:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(get_session(), form.email.data or "")
        return render_template("accounts/account_reset_sent.html")
    return render_template("accounts/account_forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def reset_password(token: str) -> str | Response:
    try:
        services.user_for_reset_token(get_session(), token)
    except AccountError as error:
        return render_template("accounts/account_link_problem.html", message=ERRORS[error.code],
                               reset=True)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(get_session(), token, form.password.data or "")
        except AccountError as error:
            _field_error(form, error)
        else:
            account_session.sign_out()
            flash(_("Your password has been changed. Sign in with your new password."))
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/account_reset_password.html", form=form)


# ---------------------------------------------------------------- your account


@bp.get("/")
@roles_required(*SIGNED_IN)
def account_home() -> str:
    user = _user()
    return render_template(
        "accounts/account_home.html",
        user=user,
        role_names=[ROLE_NAMES[r] for r in sorted(user.role_names) if r in ROLE_NAMES],
        form=None,
        sign_out_form=EmptyForm(),
        tools=tools_for_current_user(),
    )


@bp.route("/change-password", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
@limiter.limit(FORM_LIMIT, methods=["POST"])
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = _user()
        try:
            services.change_password(get_session(), user, form.current_password.data or "",
                                     form.new_password.data or "")
        except AccountError as error:
            _field_error(form, error)
        else:
            # Other sessions ended; keep this one by starting it afresh.
            account_session.sign_in(user, second_factor_done=bool(session.get("2fa")))
            flash(_("Your password has been changed. You have been signed out everywhere else."))
            return redirect(url_for("accounts.account_home"))
    return render_template("accounts/account_change_password.html", form=form)


@bp.route("/change-email", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
@limiter.limit(FORM_LIMIT, methods=["POST"])
def change_email() -> str | Response:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(get_session(), _user(), form.email.data or "",
                                          form.password.data or "")
        except AccountError as error:
            _field_error(form, error)
        else:
            flash(_("We have sent a link to your new email address. Follow it to finish."))
            return redirect(url_for("accounts.account_home"))
    return render_template("accounts/account_change_email.html", form=form)


@bp.get("/change-email/<token>")
@public
def confirm_email_change(token: str) -> str | Response:
    try:
        services.confirm_email_change(get_session(), token)
    except AccountError as error:
        return render_template("accounts/account_link_problem.html", message=ERRORS[error.code])
    account_session.sign_out()
    flash(_("Your email address has been changed. Sign in with your new address."))
    return redirect(url_for("accounts.sign_in"))


@bp.route("/delete", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
@limiter.limit(FORM_LIMIT, methods=["POST"])
def delete_account() -> str | Response:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(get_session(), _user(), form.password.data or "",
                                    bool(form.erase.data))
        except AccountError as error:
            _field_error(form, error)
        else:
            account_session.sign_out()
            return redirect(url_for("accounts.deleted"))
    return render_template("accounts/account_delete.html", form=form)


@bp.get("/deleted")
@public
def deleted() -> str:
    return render_template("accounts/account_deleted.html")
