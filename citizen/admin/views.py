"""Admins find people, grant and revoke roles, reset two-factor, read the audit log, and answer
people's requests for their personal data (find, download, erase)."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from citizen.accounts import services
from citizen.accounts.forms import EmptyForm, RoleForm, UserSearchForm
from citizen.accounts.messages import ERRORS, ROLE_NAMES
from citizen.accounts.models import User
from citizen.accounts.session import current_user
from citizen.admin import data_requests
from citizen.consultations.forms import CHANNEL_LABELS
from citizen.db import get_session
from citizen.moderation.services import label_of as moderation_label
from citizen.shared import audit
from citizen.shared.audit import AuditEvent
from citizen.shared.forms import select_choices
from citizen.shared.pagination import paginate, parse_page_number
from citizen.shared.permissions import ROLES, roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _role_choices(blank: str | None = None) -> list[SelectChoice]:
    return select_choices(((role, str(ROLE_NAMES[role])) for role in ROLES), blank=blank or None)


def _person(user_id: int) -> User:
    user = get_session().scalar(
        select(User).where(User.id == user_id).options(selectinload(User.roles))
    )
    if user is None:
        abort(404)
    return user


@bp.get("/people")
@roles_required("admin")
def people_list() -> str:
    form = UserSearchForm(request.args)
    form.role.choices = _role_choices(blank=_("Any role"))
    result = services.find_users(
        get_session(), form.q.data or "", form.role.data or "") if form.validate() else None
    return render_template("admin/people_list.html", form=form, result=result,
                           role_names=ROLE_NAMES)


@bp.get("/people/<int:user_id>")
@roles_required("admin")
def person_show(user_id: int) -> str:
    person = _person(user_id)
    grant_form = RoleForm()
    grant_form.role.choices = [c for c in _role_choices() if c.value not in person.role_names]
    return render_template(
        "admin/person_show.html", person=person, grant_form=grant_form, action_form=EmptyForm(),
        role_names=ROLE_NAMES, form=None,
    )


@bp.post("/people/<int:user_id>/roles")
@roles_required("admin")
def person_grant(user_id: int) -> tuple[str, int] | Response:
    person = _person(user_id)
    form = RoleForm()
    form.role.choices = _role_choices()
    actor = current_user()
    if form.validate_on_submit() and actor is not None:
        if services.grant_role(get_session(), actor, person, form.role.data or ""):
            flash(_("Role given: %(role)s", role=ROLE_NAMES[form.role.data or ""]))
        return redirect(url_for("admin.person_show", user_id=user_id))
    return render_template("admin/person_show.html", person=person, grant_form=form,
                           action_form=EmptyForm(), role_names=ROLE_NAMES, form=form), 400


@bp.post("/people/<int:user_id>/roles/<role>/revoke")
@roles_required("admin")
def person_revoke(user_id: int, role: str) -> Response:
    person = _person(user_id)
    actor = current_user()
    if role not in ROLES or actor is None:
        abort(404)
    try:
        if services.revoke_role(get_session(), actor, person, role):
            flash(_("Role removed: %(role)s", role=ROLE_NAMES[role]))
    except services.AccountError as error:
        flash(str(ERRORS[error.code]), "error")
    return redirect(url_for("admin.person_show", user_id=user_id))


@bp.post("/people/<int:user_id>/two-factor/reset")
@roles_required("admin")
def person_reset_two_factor(user_id: int) -> Response:
    person = _person(user_id)
    actor = current_user()
    if actor is None:
        abort(401)
    services.reset_two_factor(get_session(), actor, person)
    flash(_("Two-factor sign-in was reset. They will set it up again when they next sign in."))
    return redirect(url_for("admin.person_show", user_id=user_id))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(_l("Action contains"), validators=[Optional(), Length(max=80)])
    actor = StringField(_l("Done by (email contains)"), validators=[Optional(), Length(max=254)])
    since = DateField(_l("From date"), validators=[Optional()],
                      description=_l("For example, 2026-11-23"))
    until = DateField(_l("To date"), validators=[Optional()],
                      description=_l("For example, 2026-11-30"))
    kind = SelectField(_l("About"), choices=select_choices([("user", _l("People"))], blank=_l("Anything")),
                       validators=[Optional()])


@bp.get("/audit")
@roles_required("admin")
def audit_list() -> str:
    form = AuditFilterForm(request.args)
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if form.validate():
        if form.action.data:
            query = query.where(AuditEvent.action.contains(form.action.data, autoescape=True))
        if form.actor.data:
            query = query.where(AuditEvent.actor_id.in_(
                select(User.id).where(User.email.contains(form.actor.data.lower(),
                                                          autoescape=True))))
        if form.since.data:
            start = datetime.combine(form.since.data, time.min, tzinfo=UTC)
            query = query.where(AuditEvent.occurred_at >= start)
        if form.until.data:
            end = datetime.combine(form.until.data, time.max, tzinfo=UTC)
            query = query.where(AuditEvent.occurred_at <= end)
        if form.kind.data:
            query = query.where(AuditEvent.target_type == form.kind.data)
    page = paginate(get_session(), query, parse_page_number(request.args.get("page")), 50)
    actor_ids = {e.actor_id for e in page.items if e.actor_id}  # type: ignore[attr-defined]
    actors = {u.id: u.email for u in get_session().scalars(select(User).where(User.id.in_(actor_ids)))}
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("admin/audit_list.html", form=form, page=page, actors=actors,
                           args=args, today=date.today())


# ---------------------------------------------------------------- personal data requests

# The address searched for is kept in the signed session cookie (never in a URL, so never in
# request logs or browser history), for half an hour, so that the results can be shown again
# after a download or an erasure.
DATA_REQUEST_KEY = "data_request"
DATA_REQUEST_SECONDS = 30 * 60


def _valid_email(_form: FlaskForm, field: EmailField) -> None:
    try:
        services.normalise_email(field.data or "")
    except services.AccountError:
        raise ValidationError(str(ERRORS["email"])) from None


class DataRequestForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("The address the person gave us, or the one they wrote from"),
        validators=[DataRequired(message=_l("Enter an email address")),
                    Length(max=254, message=ERRORS["email"]), _valid_email])


def _actor_id() -> int | None:
    actor = current_user()
    return actor.id if actor is not None else None


def _kept_address() -> str | None:
    kept = browser_session.get(DATA_REQUEST_KEY)
    if isinstance(kept, dict) and isinstance(kept.get("email"), str) \
            and isinstance(kept.get("until"), int) and kept["until"] >= clock.time():
        return str(kept["email"])
    browser_session.pop(DATA_REQUEST_KEY, None)
    return None


def _search_again() -> Response:
    flash(_("Search again: a search is kept for 30 minutes only."))
    return redirect(url_for("admin.data_requests_search"))


@bp.route("/data-requests", methods=["GET", "POST"])
@roles_required("admin")
def data_requests_search() -> str | Response | tuple[str, int]:
    """Find everything held about one e-mail address. The address is posted, never in a URL."""
    form = DataRequestForm()
    if form.validate_on_submit():
        browser_session[DATA_REQUEST_KEY] = {
            "email": audit.normalise_email(form.email.data),
            "until": int(clock.time()) + DATA_REQUEST_SECONDS}
        return redirect(url_for("admin.data_request_results"), 303)
    if request.method == "GET":
        browser_session.pop(DATA_REQUEST_KEY, None)  # a new search
    page = render_template("admin/data_request_search.html", form=form)
    return (page, 400) if form.errors else page


@bp.get("/data-requests/results")
@roles_required("admin")
def data_request_results() -> str | Response:
    address = _kept_address()
    if address is None:
        return _search_again()
    findings = data_requests.search(get_session(), address, _actor_id())
    return render_template("admin/data_request_results.html", findings=findings,
                           form=EmptyForm(), role_names=ROLE_NAMES, channel_labels=CHANNEL_LABELS,
                           locale=str(get_locale()), moderation_label=moderation_label)


@bp.post("/data-requests/download")
@roles_required("admin")
def data_request_download() -> Response:
    address = _kept_address()
    if address is None:
        return _search_again()
    db = get_session()
    body, filename = data_requests.download(db, data_requests.find(db, address), _actor_id())
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


ERASE_HEADINGS = {
    "consultation-address": _l("Delete the email address given with this response"),
    "consultation-response": _l("Delete this consultation response"),
    "assembly-registration": _l("Delete their details for this assembly"),
    "pledge-invitation": _l("Delete this invitation"),
    "moderation-address": _l("Delete the email address kept in the moderation queue"),
}


def _erase_summary(kind: str, record: Any) -> list[dict[str, Any]]:
    """What the confirmation page shows of the record to be erased."""
    if kind.startswith("consultation-"):
        return [{"key": _("Consultation"), "value": record.consultation.translation(
                    str(get_locale())).title},
                {"key": _("Reference number"), "value": record.response.reference}]
    if kind == "assembly-registration":
        return [{"key": _("Citizens' assemblies"), "value": record.assembly.title},
                {"key": _("Registered"), "value": format_datetime(record.registrant.registered_at)}]
    if kind == "pledge-invitation":
        return [{"key": _("Organisation"), "value": record.organisation.name},
                {"key": _("Sent"), "value": format_datetime(record.created_at)}]
    return [{"key": _("What"), "value": moderation_label(record.kind)},
            {"key": _("Sent"), "value": format_datetime(record.submitted_at)}]


@bp.route("/data-requests/erase/<any("
          + ", ".join(f"'{kind}'" for kind in data_requests.ERASE_KINDS) + "):kind>"
          "/<int:record_id>", methods=["GET", "POST"])
@roles_required("admin")
def data_request_erase(kind: str, record_id: int) -> str | Response:
    """Erase one record found by the search, after a confirmation page (a POST with CSRF)."""
    address = _kept_address()
    if address is None:
        return _search_again()
    db = get_session()
    findings = data_requests.find(db, address)
    record = data_requests.erasable(findings, kind, record_id)
    if record is None:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        data_requests.erase(db, findings, kind, record, _actor_id())
        flash(_("Deleted. The list below is up to date."))
        return redirect(url_for("admin.data_request_results"), 303)
    return render_template("admin/data_request_erase.html", kind=kind, heading=ERASE_HEADINGS[kind],
                           rows=_erase_summary(kind, record), form=form)
