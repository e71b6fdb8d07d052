"""Routes of the exports feature: ask for an export, the private download list, downloads,
and (admins) who may include contact details."""

from __future__ import annotations

from typing import Any

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from citizen.accounts.forms import EmptyForm
from citizen.accounts.models import User
from citizen.db import get_session, unit_of_work
from citizen.exports import services
from citizen.exports.forms import ChooseForm, ExportForm, GrantForm
from citizen.exports.sources import ConsultationSource, PledgeSource, source_for
from citizen.shared.forms import select_choices
from citizen.shared.ids import parse_id
from citizen.shared.permissions import has_role, roles_required

bp = Blueprint("exports", __name__, url_prefix="/exports", cli_group="exports")

ERRORS: dict[str, Any] = {
    "bad_format": _l("Choose a file type"),
    "bad_layout": _l("Choose a layout"),
    "dates_reversed": _l("The end date must be the same as or after the start date"),
    "no_such_source": _l("That consultation no longer exists"),
    "no_columns": _l("Choose at least one column"),
    "no_contact_permission": _l("You need an admin's permission to include contact details"),
    "no_contact_columns": _l("Choose which contact details to include"),
    "reason_needed": _l("Say why you need contact details (at least 10 characters)"),
    "no_such_person": _l("There is no account with that email address"),
    "not_staff": _l("Only moderators, organisers and admins can be given this permission"),
    "reason_too_short": _l("Say why (at least 10 characters)"),
    "already_granted": _l("They already have this permission"),
}
STATUS_NAMES: dict[str, Any] = {
    "queued": _l("Waiting to start"),
    "running": _l("Being prepared"),
    "done": _l("Ready"),
    "failed": _l("Failed"),
    "expired": _l("Deleted"),
}
FILE_KINDS: dict[str, Any] = {
    "data": _l("Data"),
    "dictionary": _l("Data dictionary"),
    "equality": _l("Equality monitoring summary"),
}


def _me() -> User:
    user: User | None = g.get("current_user")
    if user is None:  # pragma: no cover - roles_required has already checked
        abort(401)
    return user


@bp.teardown_request
def _queue_jobs(exc: BaseException | None = None) -> None:
    """Queue the exports this request asked for, now that it has committed."""
    if "exports_to_queue" not in g:
        return
    status = g.get("response_status")
    failed = exc is not None or not isinstance(status, int) or status >= 400
    services.queue_pending(current_app._get_current_object(), failed)  # type: ignore[attr-defined]


def _what_choices() -> list[SelectChoice]:
    from citizen.consultations import services as consultations

    choices = [("", _("Choose…")), ("pledges", _("Call to Action pledges"))]
    for consultation in consultations.manage_list(get_session()):
        choices.append((f"consultation-{consultation.id}",
                        _("Consultation: %(title)s", title=consultation.translation("en").title)))
    return select_choices(choices)


@bp.get("/")
@roles_required("moderator", "organiser", "admin")
def export_list() -> str:
    session = get_session()
    services.purge_expired(session)
    choose = ChooseForm(request.args if "what" in request.args else None)
    choose.what.choices = _what_choices()
    return render_template(
        "exports/export_list.html", jobs=services.downloads_for(session, _me()), choose=choose,
        status_names=STATUS_NAMES, file_kinds=FILE_KINDS, form=None,
        may_grant=has_role("admin"),
    )


def _parse_what(what: str) -> tuple[str, int | None]:
    if what == "pledges":
        return "pledges", None
    consultation_id = parse_id(what[13:]) if what.startswith("consultation-") else None
    if consultation_id is not None:
        return "consultation", consultation_id
    abort(404)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("moderator", "organiser", "admin")
def export_new() -> str | Response | tuple[str, int]:
    session = get_session()
    what = request.args.get("what", "")
    if not what:
        return redirect(url_for("exports.export_list"))
    source_name, consultation_id = _parse_what(what)
    try:
        source: ConsultationSource | PledgeSource = source_for(session, source_name, consultation_id)
    except LookupError:
        abort(404)
    user = _me()
    may_contact = services.may_include_contact(session, user)
    choices = source.choices()
    form = ExportForm()
    form.columns.choices = [SelectChoice(c.key, c.label) for c in choices if not c.contact]
    form.contact_columns.choices = ([SelectChoice(c.key, c.label) for c in choices if c.contact]
                                    if may_contact else [])
    if request.method == "GET":
        form.columns.data = [c.key for c in choices if not c.contact]
    if form.validate_on_submit():
        wanted = list(form.columns.data or [])
        contact = [k for k in form.contact_columns.data or [] if may_contact]
        req = services.ExportRequest(
            source=source_name, consultation_id=consultation_id,
            file_format=form.file_format.data or "", layout=form.layout.data or "",
            columns=wanted + contact, date_from=form.parsed_date(form.date_from),
            date_to=form.parsed_date(form.date_to),
            include_equality=form.include_equality.data == "yes",
            include_contact=bool(contact), contact_reason=form.contact_reason.data or "",
        )
        try:
            job = services.request_export(session, user, req)
        except services.ExportError as error:
            field = getattr(form, error.field or "", None) or form.columns
            field.errors = [*field.errors, str(ERRORS.get(error.code, error.code))]
        else:
            services.queue_after_commit(job)
            flash(_("Your export is being prepared. It will be in this list when it is ready."))
            return redirect(url_for("exports.export_list"))
    status = 400 if request.method == "POST" else 200
    page = render_template("exports/export_new.html", form=form, source=source, what=what,
                           may_contact=may_contact, has_equality=source.has_equality())
    return (page, status) if status != 200 else page


@bp.get("/<token>/<path:name>")
@roles_required("moderator", "organiser", "admin")
def export_download(token: str, name: str) -> Response:
    session = get_session()
    try:
        path, entry = services.download(session, _me(), token, name)
    except services.Gone:
        abort(410)
    except LookupError:
        abort(404)
    response = send_file(path, as_attachment=True, download_name=entry["name"], max_age=0,
                         conditional=False, etag=False)
    response.headers["Cache-Control"] = "no-store, private"
    return response


# ---------------------------------------------------------------- admins: contact details


@bp.route("/contact-permissions", methods=["GET", "POST"])
@roles_required("admin")
def permission_list() -> str | Response | tuple[str, int]:
    session = get_session()
    form = GrantForm()
    if form.validate_on_submit():
        try:
            person = services.grant_contact_permission(session, _me(), form.email.data or "",
                                                       form.reason.data or "")
        except services.ExportError as error:
            field = getattr(form, error.field or "", None) or form.email
            field.errors = [*field.errors, str(ERRORS.get(error.code, error.code))]
        else:
            flash(_("%(email)s may now include contact details in exports.", email=person.email))
            return redirect(url_for("exports.permission_list"))
    page = render_template("exports/permission_list.html", form=form,
                           grants=services.contact_permissions(session), action_form=EmptyForm())
    return (page, 400) if request.method == "POST" else page


@bp.post("/contact-permissions/<int:user_id>/remove")
@roles_required("admin")
def permission_remove(user_id: int) -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if services.revoke_contact_permission(get_session(), _me(), user_id):
        flash(_("Permission removed."))
    return redirect(url_for("exports.permission_list"))


@bp.cli.command("purge")
def purge_command() -> None:
    """Delete export files older than seven days."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with unit_of_work(app) as session:
        count = services.purge_expired(session, app)
    print(f"{count} expired exports deleted.")


@bp.cli.command("refresh-cells")
@click.option("--all", "all_rows", is_flag=True, help="Rebuild every response's cells, not only stale ones.")
def refresh_cells_command(all_rows: bool) -> None:
    """Store the export cells of submitted responses that lack them or have old ones (after an
    upgrade, or a new personal-data detector). Exports work without this, only slower."""
    from citizen.exports.cells import refresh

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with unit_of_work(app) as session:
        count = refresh(session, all_rows=all_rows)
    print(f"Export cells stored for {count} responses.")
