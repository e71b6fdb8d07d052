"""Routes of the assembly feature.

Staff pages (organisers and admins only; moderators and everyone else get 403) live under
``/assembly/manage``; public pages under ``/assembly/<slug>``. Organisers see contact details
only of panel members and reserves, and every view of a registrant's record is audited.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import click
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from citizen.assembly import forms, services
from citizen.assembly import invitations as invitation_rules
from citizen.assembly import targets as target_rules
from citizen.assembly.letter_languages import server_letter_languages
from citizen.assembly.models import Assembly, InvitationDraw, Member, Registrant, SelectionRun
from citizen.db import get_session, unit_of_work
from citizen.i18n import Language, languages
from citizen.reach import census_data
from citizen.reach import representativeness as report_rules
from citizen.shared import audit
from citizen.shared.permissions import current_roles, public, roles_required

bp = Blueprint("assembly", __name__, url_prefix="/assembly", cli_group=None)

STAFF = ("organiser", "admin")

ERRORS: dict[str, Any] = {
    "no_sessions": _l("Enter the date of at least one session"),
    "closes_before_opens": _l("Registration must close after it opens"),
    "closes_after_sessions": _l("Registration must close before the first session"),
    "retention_too_early": _l("The deletion date must be after the last session"),
    "registration_closed": _l("Registration for this assembly is closed"),
    "consent_required": _l("Tick the box to agree, or we cannot include you in the lottery"),
    "contact_required": _l("Enter an email address or a phone number"),
    "postcode_empty": _l("Enter your postcode"),
    "postcode_format": _l("Enter a postcode like CV1 2AB"),
    "code_unknown": _l("We do not know that code. Check the letter and try again"),
    "code_used": _l("Someone has already registered with that code"),
    "code_required": _l("Enter the code from your invitation letter"),
    "answer_required": _l("Choose an answer"),
    "no_targets": _l("Set the targets before running the selection"),
    "targets_do_not_add_up": _l("The targets cannot add up to the panel size. Fix them first"),
    "purged": _l("The personal data of this assembly has been deleted"),
    "rerun_admin_only": _l("Only an admin can run the selection again"),
    "rerun_reason_required": _l("Give the reason for running the selection again"),
    "no_public_draw": _l("This run is not waiting for a public number"),
    "number_out_of_range": _l("Enter a number from 1 to %(size)s"),
    "nothing_to_accept": _l("There is no suggested change to accept"),
    "no_selection": _l("Run the selection first"),
    "nobody_dropped": _l("Nobody has declined or dropped out, so there is nobody to replace"),
    "bad_answer": _l("Choose an answer"),
    "no_file": _l("Choose a CSV file of addresses"),
    "bad_file": _l("The file must be a CSV file with the columns address and postcode"),
    "too_few_addresses": _l("The file has fewer addresses than the number of letters"),
}

ENGINE_ERRORS: dict[str, Any] = {
    "pool_too_small": _l("Only %(pool_size)s people are in the pool, fewer than the %(panel_size)s seats."),
    "pool_exhausted": _l("Nobody is left in the pool to fill the free seats."),
    "quotas_do_not_add_up": _l("The targets of one category cannot add up to the panel size."),
    "no_quotas": _l("There are no targets."),
}

STATUS_LABELS: dict[str, Any] = {
    "queued": _l("Waiting to run"),
    "done": _l("Finished"),
    "infeasible": _l("Targets cannot be met"),
    "failed": _l("Failed"),
    "awaiting_number": _l("Waiting for the public number"),
}


def _message(error: services.AssemblyError) -> str:
    text = ERRORS.get(error.code, error.code)
    return str(text) % error.params if error.params else str(text)


def _field_error(form: FlaskForm, error: services.AssemblyError) -> None:
    name = error.field if error.field and error.field in form else None
    if name is None:
        flash(_message(error), "error")
        return
    form[name].errors = [*form[name].errors, _message(error)]


def _actor() -> int | None:
    user = g.get("current_user")
    return user.id if user is not None else None


def _assembly(assembly_id: int) -> Assembly:
    assembly = get_session().get(Assembly, assembly_id)
    if assembly is None:
        abort(404)
    return assembly


def _public_assembly(slug: str) -> Assembly:
    assembly = services.assembly_by_slug(get_session(), slug)
    if assembly is None:
        abort(404)
    return assembly


def _run(assembly: Assembly, run_id: int) -> SelectionRun:
    run = get_session().get(SelectionRun, run_id)
    if run is None or run.assembly_id != assembly.id:
        abort(404)
    return run


def _member(assembly: Assembly, member_id: int) -> Member:
    """A panel member or reserve: nobody else's record is shown to organisers."""
    member = get_session().get(Member, member_id)
    if member is None or member.assembly_id != assembly.id or member.role not in ("panel", "reserve"):
        abort(404)
    return member


# ---------------------------------------------------------------- organiser set-up


@bp.get("/manage")
@roles_required(*STAFF)
def assembly_list() -> str:
    return render_template("assembly/assembly_list.html",
                           assemblies=services.assemblies(get_session()))


def _form_data(form: forms.AssemblyForm) -> services.AssemblyData:
    return services.AssemblyData(
        title=form.title.data or "", question=form.question.data or "",
        places=list(form.places.data or []), panel_size=form.panel_size.data or 0,
        reserves=form.reserves.data or 0,
        session_dates=forms.parse_dates(form.session_dates.data or ""),
        honorarium=form.honorarium.data or "", expenses=form.expenses.data or "",
        registration_opens=form.registration_opens.data or date.today(),
        registration_closes=form.registration_closes.data or date.today(),
        open_registration=bool(form.open_registration.data),
        retention_until=form.retention_until.data,
        categories=list(form.categories.data or []),
        prefer_not_allowed=list(form.prefer_not_allowed.data or []),
        method=form.method.data or "leximin",
        transparent_panels=form.transparent_panels.data,
        attitude_questions=target_rules.parse_attitudes(form.attitude_questions.data or ""))


@bp.route("/manage/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def assembly_new() -> str | WerkzeugResponse:
    form = forms.AssemblyForm()
    if request.method == "GET":
        form.categories.data = list(target_rules.DEFAULT_CATEGORIES)
        form.prefer_not_allowed.data = ["ethnic_group", "disability"]
        form.places.data = ["south-warwickshire"]
    if form.validate_on_submit():
        try:
            assembly = services.save_assembly(get_session(), _form_data(form), _actor())
        except services.AssemblyError as error:
            _field_error(form, error)
        else:
            flash(_("Assembly created. Now set the targets."))
            return redirect(url_for("assembly.targets_edit", assembly_id=assembly.id))
    return render_template("assembly/assembly_edit.html", form=form, assembly=None)


@bp.route("/manage/<int:assembly_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def assembly_edit(assembly_id: int) -> str | WerkzeugResponse:
    assembly = _assembly(assembly_id)
    form = forms.AssemblyForm(obj=assembly if request.method == "GET" else None)
    if request.method == "GET":
        form.session_dates.data = "\n".join(s.held_on.isoformat() for s in assembly.sessions)
        form.attitude_questions.data = target_rules.format_attitudes(assembly.attitude_questions)
        form.categories.data = [c for c in assembly.categories if not target_rules.is_attitude(c)]
    if form.validate_on_submit():
        try:
            services.save_assembly(get_session(), _form_data(form), _actor(), assembly)
        except services.AssemblyError as error:
            _field_error(form, error)
        else:
            flash(_("Assembly saved."))
            return redirect(url_for("assembly.assembly_view", assembly_id=assembly.id))
    return render_template("assembly/assembly_edit.html", form=form, assembly=assembly)


@bp.get("/manage/<int:assembly_id>")
@roles_required(*STAFF)
def assembly_view(assembly_id: int) -> str:
    session = get_session()
    assembly = _assembly(assembly_id)
    return render_template(
        "assembly/assembly_view.html", assembly=assembly,
        registrations=len(services.registrants(session, assembly)),
        pool_size=len(services.pool(session, assembly)),
        runs=services.selection_runs(session, assembly), status_labels=STATUS_LABELS,
        form=forms.ReasonForm(), is_admin="admin" in current_roles(),
        current=services.current_run(session, assembly),
        still_open=services.registration_open(assembly))


# ---------------------------------------------------------------- targets


def _target_table(assembly: Assembly, rows: list[tuple[str, str, int, int]]) -> list[dict[str, Any]]:
    by_key = {(c, v): (lo, hi) for c, v, lo, hi in rows}
    table = []
    attitudes = assembly.attitude_questions
    for category in assembly.categories:
        shares = target_rules.shares(category, assembly.places) if target_rules.has_shares(
            category) else {}
        values = []
        for value in target_rules.value_codes(category, assembly.places, attitudes):
            lo, hi = by_key.get((category, value), (0, assembly.panel_size))
            values.append({"code": value, "label": target_rules.value_label(category, value, attitudes),
                           "share": shares.get(value), "min": lo, "max": hi,
                           "expected": shares.get(value, 0) * assembly.panel_size})
        table.append({"code": category, "label": target_rules.category_label(category, attitudes),
                      "values": values})
    return table


@bp.route("/manage/<int:assembly_id>/targets", methods=["GET", "POST"])
@roles_required(*STAFF)
def targets_edit(assembly_id: int) -> str | WerkzeugResponse:
    assembly = _assembly(assembly_id)
    form = forms.TargetsForm()
    rows = services.target_rows(assembly)
    if request.method == "GET":
        form.tolerance.data = assembly.tolerance
        if not rows:
            rows = services.proposed_rows(assembly, assembly.tolerance)
    problems: list[target_rules.Problem] = []
    box_errors: dict[str, str] = {}
    if form.validate_on_submit():
        tolerance = form.tolerance.data or 0
        if request.form.get("action") == "propose":
            rows = services.proposed_rows(assembly, tolerance)
            form.tolerance.data = tolerance
            flash(_("Targets proposed from the census. Check them, then save."))
        else:
            rows = []
            for category in assembly.categories:
                for value in target_rules.value_codes(category, assembly.places,
                                                      assembly.attitude_questions):
                    pair = []
                    for side in ("min", "max"):
                        name = f"{side}-{category}-{value}"
                        text = request.form.get(name, "").strip()
                        try:
                            number = int(text)
                            if not 0 <= number <= assembly.panel_size:
                                raise ValueError
                        except ValueError:
                            box_errors[name] = _("Enter a whole number from 0 to %(size)s",
                                                 size=assembly.panel_size)
                            number = 0
                        pair.append(number)
                    rows.append((category, value, pair[0], pair[1]))
            if not box_errors:
                problems = services.save_targets(get_session(), assembly, rows, tolerance,
                                                 _actor(), form.reason.data or "")
                if not problems:
                    flash(_("Targets saved. They can add up to the panel size."))
                    return redirect(url_for("assembly.assembly_view", assembly_id=assembly.id))
    elif request.method == "GET":
        problems = target_rules.feasibility(rows, assembly.panel_size)
    if box_errors:
        # Keep what was typed.
        rows = [(c, v, _int(request.form.get(f"min-{c}-{v}")), _int(request.form.get(f"max-{c}-{v}")))
                for c, v, _lo, _hi in rows]
    return render_template(
        "assembly/targets_edit.html", assembly=assembly, form=form,
        table=_target_table(assembly, rows), problems=problems, box_errors=box_errors,
        typed=request.form if box_errors else {}, source=census_data.SOURCE)


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0


# ---------------------------------------------------------------- pool and selection


@bp.get("/manage/<int:assembly_id>/pool")
@roles_required(*STAFF)
def pool_view(assembly_id: int) -> str:
    session = get_session()
    assembly = _assembly(assembly_id)
    rows = services.pool_against_targets(session, assembly)
    return render_template("assembly/pool_view.html", assembly=assembly, rows=rows,
                           label=lambda c, v: _safe_value_label(c, v, assembly),
                           category_label=lambda c: _safe_category_label(c, assembly),
                           pool_size=len(services.pool(session, assembly)))


@bp.post("/manage/<int:assembly_id>/select")
@roles_required(*STAFF)
def selection_start(assembly_id: int) -> WerkzeugResponse:
    assembly = _assembly(assembly_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        run = services.start_selection(get_session(), assembly, _actor(), current_roles(),
                                       form.reason.data or "")
    except services.AssemblyError as error:
        flash(_message(error), "error")
        return redirect(url_for("assembly.assembly_view", assembly_id=assembly.id))
    return redirect(url_for("assembly.run_view", assembly_id=assembly.id, run_id=run.id))


@bp.get("/manage/<int:assembly_id>/runs/<int:run_id>")
@roles_required(*STAFF)
def run_view(assembly_id: int, run_id: int) -> str:
    assembly = _assembly(assembly_id)
    run = _run(assembly, run_id)
    changes = [
        {**change, "category_label": _safe_category_label(change["category"], assembly),
         "value_label": _safe_value_label(change["category"], change["value"], assembly)}
        for change in run.diagnosis.get("changes", [])]
    code = run.diagnosis.get("code", "")
    failure = None
    if run.status == "failed":
        try:
            failure = str(ENGINE_ERRORS[code]) % run.diagnosis.get("params", {})
        except (KeyError, TypeError, ValueError):
            failure = None
    return render_template("assembly/run_view.html", assembly=assembly, run=run, changes=changes,
                           failure=failure,
                           status_labels=STATUS_LABELS, form=forms.EmptyForm(),
                           number_form=forms.NumberForm())


def _safe_category_label(category: str, assembly: Assembly) -> Any:
    try:
        return target_rules.category_label(category, assembly.attitude_questions)
    except KeyError:
        return category


def _safe_value_label(category: str, value: str, assembly: Assembly) -> Any:
    try:
        return target_rules.value_label(category, value, assembly.attitude_questions)
    except (KeyError, IndexError):
        return value


@bp.post("/manage/<int:assembly_id>/runs/<int:run_id>/relax")
@roles_required(*STAFF)
def run_relax(assembly_id: int, run_id: int) -> WerkzeugResponse:
    assembly = _assembly(assembly_id)
    run = _run(assembly, run_id)
    if not forms.EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.accept_relaxation(get_session(), assembly, run, _actor())
    except services.AssemblyError as error:
        flash(_message(error), "error")
    else:
        flash(_("The suggested change is now in the targets. Run the selection again."))
    return redirect(url_for("assembly.assembly_view", assembly_id=assembly.id))


@bp.post("/manage/<int:assembly_id>/runs/<int:run_id>/number")
@roles_required(*STAFF)
def run_number(assembly_id: int, run_id: int) -> WerkzeugResponse:
    assembly = _assembly(assembly_id)
    run = _run(assembly, run_id)
    form = forms.NumberForm()
    if form.validate_on_submit():
        try:
            services.enter_public_number(get_session(), assembly, run, form.number.data or 0, _actor())
        except services.AssemblyError as error:
            flash(_message(error), "error")
    else:
        flash(_("Enter the number drawn"), "error")
    return redirect(url_for("assembly.run_view", assembly_id=assembly.id, run_id=run.id))


@bp.get("/manage/<int:assembly_id>/runs/<int:run_id>/report")
@roles_required(*STAFF)
def run_report(assembly_id: int, run_id: int) -> str:
    assembly = _assembly(assembly_id)
    run = _run(assembly, run_id)
    report = report_rules.assembly_report(get_session(), assembly, run)
    return render_template("assembly/run_report.html", assembly=assembly, run=run, report=report,
                           source=census_data.SOURCE)


# ---------------------------------------------------------------- members


@bp.get("/manage/<int:assembly_id>/members")
@roles_required(*STAFF)
def member_list(assembly_id: int) -> str:
    session = get_session()
    assembly = _assembly(assembly_id)
    members = [m for m in services.members(session, assembly) if m.role in ("panel", "reserve")]
    audit.record(session, "assembly.members_viewed", actor_id=_actor(), target_type="assembly",
                 target_id=assembly.id, details={"registrants": [m.registrant_id for m in members]})
    return render_template("assembly/member_list.html", assembly=assembly, members=members,
                           form=forms.EmptyForm(), **_letter_languages())


@bp.route("/manage/<int:assembly_id>/members/<int:member_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def member_view(assembly_id: int, member_id: int) -> str | WerkzeugResponse:
    session = get_session()
    assembly = _assembly(assembly_id)
    member = _member(assembly, member_id)
    response_form = forms.ResponseForm(prefix="r")
    payment_form = forms.PaymentForm(prefix="p")
    access_form = forms.AccessNeedsForm(prefix="a")
    action = request.form.get("action")
    if request.method == "POST":
        if action == "response" and response_form.validate_on_submit():
            services.respond(session, member, response_form.response.data or "", "phone", _actor())
            flash(_("Answer recorded."))
            return redirect(request.path)
        if action == "payment" and payment_form.validate_on_submit():
            services.record_payment(
                session, member, payment_form.pence(payment_form.honorarium.data),
                payment_form.pence(payment_form.expenses.data), payment_form.paid_on.data, _actor())
            flash(_("Payment recorded."))
            return redirect(request.path)
        if action == "access" and access_form.validate_on_submit():
            try:
                services.record_access_needs(session, member, access_form.access_needs.data or "", _actor())
            except services.AssemblyError as error:
                flash(_message(error), "error")
            else:
                flash(_("Access needs recorded."))
            return redirect(request.path)
        if action == "attendance" and forms.EmptyForm().validate_on_submit():
            attended = {s.id: request.form.get(f"session-{s.id}") == "yes" for s in assembly.sessions}
            services.record_attendance(session, member, attended, _actor())
            flash(_("Attendance recorded."))
            return redirect(request.path)
    else:
        response_form.response.data = member.response if member.response != "invited" else None
        payment_form.honorarium.data = f"{member.honorarium_pence / 100:.2f}"
        payment_form.expenses.data = f"{member.expenses_pence / 100:.2f}"
        payment_form.paid_on.data = member.paid_on
        if member.registrant.contact is not None:
            access_form.access_needs.data = member.registrant.contact.access_needs
    audit.record(session, "assembly.registrant_viewed", actor_id=_actor(),
                 target_type="assembly_registrant", target_id=member.registrant_id)
    answers = member.registrant.demographics.answers if member.registrant.demographics else {}
    attended = {a.session_id: a.attended for a in member.attendance}
    return render_template(
        "assembly/member_view.html", assembly=assembly, member=member,
        answers=services.labelled_answers(assembly, answers),
        response_form=response_form, payment_form=payment_form, form=forms.EmptyForm(),
        access_form=access_form,
        attended=attended)


@bp.post("/manage/<int:assembly_id>/invite")
@roles_required(*STAFF)
def members_invite(assembly_id: int) -> WerkzeugResponse:
    assembly = _assembly(assembly_id)
    if not forms.EmptyForm().validate_on_submit():
        abort(400)
    sent = services.invite_members(get_session(), assembly, _actor())
    flash(_("%(count)s invitations sent by email. Phone the others.", count=sent))
    return redirect(url_for("assembly.member_list", assembly_id=assembly.id))


@bp.get("/manage/<int:assembly_id>/members/letters.pdf")
@roles_required(*STAFF)
def members_letters(assembly_id: int) -> Response:
    """Printable 'you have been chosen' letters for panel members who have not answered."""
    from citizen.assembly.letters import selection_letters_pdf

    session = get_session()
    assembly = _assembly(assembly_id)
    chosen = [(m, url_for("assembly.reply", ref=m.registrant.ref, _external=True))
              for m in services.members(session, assembly)
              if m.role == "panel" and m.response == "invited" and m.registrant.contact is not None]
    audit.record(session, "assembly.selection_letters_printed", actor_id=_actor(),
                 target_type="assembly", target_id=assembly.id,
                 details={"registrants": [m.registrant_id for m, _url in chosen]})
    pdf = selection_letters_pdf(assembly, chosen)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=assembly-{assembly.id}-chosen-letters.pdf"})


@bp.post("/manage/<int:assembly_id>/replace")
@roles_required(*STAFF)
def replacement_start(assembly_id: int) -> WerkzeugResponse:
    assembly = _assembly(assembly_id)
    if not forms.EmptyForm().validate_on_submit():
        abort(400)
    try:
        run = services.start_replacement(get_session(), assembly, _actor())
    except services.AssemblyError as error:
        flash(_message(error), "error")
        return redirect(url_for("assembly.member_list", assembly_id=assembly.id))
    return redirect(url_for("assembly.run_view", assembly_id=assembly.id, run_id=run.id))


@bp.get("/manage/<int:assembly_id>/finance.csv")
@roles_required(*STAFF)
def finance_export(assembly_id: int) -> Response:
    session = get_session()
    assembly = _assembly(assembly_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["member", "name", "role", "honorarium_gbp", "expenses_gbp", "paid_on"])
    rows = [m for m in services.members(session, assembly) if m.role == "panel"]
    for member in rows:
        contact = member.registrant.contact
        writer.writerow([member.id, contact.name if contact else "", member.role,
                         f"{member.honorarium_pence / 100:.2f}", f"{member.expenses_pence / 100:.2f}",
                         member.paid_on.isoformat() if member.paid_on else ""])
    audit.record(session, "assembly.finance_exported", actor_id=_actor(), target_type="assembly",
                 target_id=assembly.id, details={"rows": len(rows)})
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=assembly-{assembly.id}-finance.csv"})


@bp.route("/manage/<int:assembly_id>/phone-registration", methods=["GET", "POST"])
@roles_required(*STAFF)
def phone_registration(assembly_id: int) -> str | WerkzeugResponse:
    assembly = _assembly(assembly_id)
    return _registration(assembly, staff=True)


# ---------------------------------------------------------------- invitation letters


@bp.route("/manage/<int:assembly_id>/invitations", methods=["GET", "POST"])
@roles_required(*STAFF)
def invitations(assembly_id: int) -> str | WerkzeugResponse:
    session = get_session()
    assembly = _assembly(assembly_id)
    form = forms.InvitationDrawForm()
    if form.validate_on_submit():
        upload = form.addresses.data
        seed_text = (form.seed.data or "").strip()
        if upload is None or not getattr(upload, "filename", ""):
            form.addresses.errors = [*form.addresses.errors, str(ERRORS["no_file"])]
        elif seed_text and not seed_text.isdecimal():
            form.seed.errors = [*form.seed.errors, _("The seed must be a whole number")]
        else:
            try:
                record = invitation_rules.draw(
                    session, assembly, upload.read(), form.count.data or 0,
                    form.deprived_share.data or 0, int(seed_text) if seed_text else None, _actor())
            except invitation_rules.InvitationError as error:
                form.addresses.errors = [*form.addresses.errors, str(ERRORS[error.code])]
            else:
                flash(_("%(count)s invitations drawn.", count=record.requested))
                return redirect(url_for("assembly.invitations", assembly_id=assembly.id))
    return render_template("assembly/invitations.html", assembly=assembly, form=form,
                           draws=invitation_rules.draws(session, assembly), **_letter_languages())


def _letter_languages() -> dict[str, list[Language]]:
    """Languages with printable PDF letters on this server (some need its fonts), and the others
    (mail-merge CSV or English letter)."""
    available = server_letter_languages()
    return {"letter_languages": [lang for lang in languages() if lang.code in available],
            "other_languages": [lang for lang in languages() if lang.code not in available]}


def _draw(assembly: Assembly, draw_id: int) -> InvitationDraw:
    record = get_session().get(InvitationDraw, draw_id)
    if record is None or record.assembly_id != assembly.id:
        abort(404)
    return record


@bp.get("/manage/<int:assembly_id>/invitations/<int:draw_id>/mail-merge.csv")
@roles_required(*STAFF)
def invitations_csv(assembly_id: int, draw_id: int) -> Response:
    session = get_session()
    assembly = _assembly(assembly_id)
    record = _draw(assembly, draw_id)
    rows = invitation_rules.invitations_of(session, record)
    audit.record(session, "assembly.invitations_exported", actor_id=_actor(),
                 target_type="assembly_invitation_draw", target_id=record.id, details={"rows": len(rows)})
    text = invitation_rules.mail_merge_csv(
        rows, url_for("assembly.register", slug=assembly.slug, _external=True))
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=invitations-{record.id}.csv"})


@bp.get("/manage/<int:assembly_id>/invitations/<int:draw_id>/letters.pdf")
@roles_required(*STAFF)
def invitations_pdf(assembly_id: int, draw_id: int) -> Response:
    from citizen.assembly.letters import letters_pdf

    session = get_session()
    assembly = _assembly(assembly_id)
    record = _draw(assembly, draw_id)
    rows = [r for r in invitation_rules.invitations_of(session, record) if r.address]
    audit.record(session, "assembly.letters_printed", actor_id=_actor(),
                 target_type="assembly_invitation_draw", target_id=record.id, details={"rows": len(rows)})
    pdf = letters_pdf(assembly, rows, url_for("assembly.register", slug=assembly.slug, _external=True),
                      request.args.get("lang"))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=letters-{record.id}.pdf"})


# ---------------------------------------------------------------- public pages


@bp.get("/<slug>")
@public
def assembly_public(slug: str) -> str:
    assembly = _public_assembly(slug)
    return render_template("assembly/assembly_public.html", assembly=assembly,
                           is_open=services.registration_open(assembly))


@bp.route("/<slug>/register", methods=["GET", "POST"])
@public
def register(slug: str) -> str | WerkzeugResponse:
    assembly = _public_assembly(slug)
    if not services.registration_open(assembly):
        return render_template("assembly/register_closed.html", assembly=assembly)
    return _registration(assembly, staff=False)


def _registration(assembly: Assembly, *, staff: bool) -> str | WerkzeugResponse:
    form_class = forms.registration_form_class(assembly.categories, assembly.places,
                                               assembly.prefer_not_allowed,
                                               assembly.attitude_questions,
                                               code_required=not assembly.open_registration and not staff)
    form = form_class()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    if form.validate_on_submit():
        answers = {c: form["q_" + c].data for c in assembly.categories if "q_" + c in form}
        data = services.RegistrationData(
            code=form.code.data or "", name=form.name.data or "", email=form.email.data or "",
            phone=form.phone.data or "", address=form.address.data or "",
            postcode=form.postcode.data or "", answers=answers,
            access_needs=form.access_needs.data or "", consent=bool(form.consent.data),
            locale=str(get_locale()))
        try:
            services.register(get_session(), assembly, data, staff_id=_actor() if staff else None)
        except services.AssemblyError as error:
            _field_error(form, error)
        else:
            if staff:
                flash(_("Telephone registration recorded."))
                return redirect(url_for("assembly.assembly_view", assembly_id=assembly.id))
            return redirect(url_for("assembly.registered", slug=assembly.slug))
    questions = [form["q_" + c] for c in assembly.categories if "q_" + c in form]
    return render_template("assembly/register_form.html", assembly=assembly, form=form,
                           questions=questions, staff=staff)


@bp.get("/<slug>/registered")
@public
def registered(slug: str) -> str:
    return render_template("assembly/register_done.html", assembly=_public_assembly(slug))


@bp.get("/<slug>/draw")
@public
def public_draw(slug: str) -> str:
    session = get_session()
    assembly = _public_assembly(slug)
    run = services.current_run(session, assembly)
    if run is None or not run.transparent:
        abort(404)
    chosen = None
    if run.status == "done" and run.public_number:
        chosen = run.transparent["fingerprints"][run.public_number - 1]
        panel_refs = [session.get(Registrant, int(i)) for i in run.panel]
        check = services.fingerprint(r.ref for r in panel_refs if r is not None)
    else:
        check = None
    return render_template("assembly/draw_public.html", assembly=assembly, run=run, chosen=chosen,
                           check=check)


@bp.route("/reply/<ref>", methods=["GET", "POST"])
@public
def reply(ref: str) -> str | WerkzeugResponse:
    session = get_session()
    member = services.member_for_ref(session, ref)
    if member is None or member.role not in ("panel", "reserve"):
        abort(404)
    assembly = session.get(Assembly, member.assembly_id)
    form = forms.EmptyForm()
    if form.validate_on_submit():
        answer = request.form.get("answer")
        if answer in ("confirmed", "declined"):
            services.respond(session, member, answer, "link")
            return render_template("assembly/reply_done.html", assembly=assembly, answer=answer)
    return render_template("assembly/reply_form.html", assembly=assembly, member=member, form=form)


@bp.route("/your-data", methods=["GET", "POST"])
@public
def your_data() -> str:
    form = forms.EmailForm()
    if form.validate_on_submit():
        services.subject_access(get_session(), form.email.data or "", str(get_locale()))
        return render_template("assembly/your_data_sent.html")
    return render_template("assembly/your_data.html", form=form)


@bp.route("/erase/<ref>", methods=["GET", "POST"])
@public
def erase(ref: str) -> str:
    session = get_session()
    registrant = session.scalar(select(Registrant).where(Registrant.ref == ref))
    if registrant is None:
        abort(404)
    form = forms.EmptyForm()
    if registrant.erased_at is None and form.validate_on_submit():
        services.erase(session, registrant)
        return render_template("assembly/erase_done.html")
    if registrant.erased_at is not None:
        return render_template("assembly/erase_done.html")
    return render_template("assembly/erase_form.html", form=form)


# ---------------------------------------------------------------- command line


@bp.cli.command("purge-assembly-data")
def purge_assembly_data() -> None:
    """Delete assembly personal data past its retention rules (safe to run again)."""
    with unit_of_work(current_app) as session:
        counts = services.purge(session)
    click.echo(f"Purged: {counts['registrants']} registrants, {counts['invitations']} invitation "
               f"addresses, {counts['assemblies']} assemblies fully.")
