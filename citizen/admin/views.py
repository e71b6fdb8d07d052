"""Admins find people, grant and revoke roles, reset two-factor, and read the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from citizen.accounts import services
from citizen.accounts.forms import EmptyForm, RoleForm, UserSearchForm
from citizen.accounts.messages import ERRORS, ROLE_NAMES
from citizen.accounts.models import User
from citizen.accounts.session import current_user
from citizen.db import get_session
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
    kind = SelectField(_l("About"), choices=select_choices([("", _l("Anything")), ("user", _l("People"))]),
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
