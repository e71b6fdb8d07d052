"""Routes of the pledges feature: the public wall, organisations' pages, the staff review list,
the catalogue of example actions, the open data feed and the ``send-reminders`` command.

Review decisions are made in the moderation queue (one place, one audit trail); the review list
here shows organisers and moderators every pledge and update waiting, in full, with a link to
its queue item, and lets organisers decide requests to join an organisation.
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
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from citizen.accounts.models import Organisation, User
from citizen.accounts.services import AccountError
from citizen.db import get_session, unit_of_work
from citizen.extensions import limit_from_config, limiter
from citizen.i18n import languages
from citizen.moderation import services as moderation
from citizen.places.services import places as all_places
from citizen.pledges import catalogue as catalogue_service
from citizen.pledges import permissions, reminders, services
from citizen.pledges.catalogue import (
    ACCREDITATION_LABELS,
    BENEFICIARY_LABELS,
    PILLAR_HINTS,
    PILLAR_LABELS,
    PILLAR_SHORT_LABELS,
    PLEDGE_STATUS_LABELS,
    PROGRESS_LABELS,
    SECTOR_LABELS,
    SIZE_LABELS,
    UPDATE_STATE_LABELS,
)
from citizen.pledges.forms import (
    ActionForm,
    CatalogueForm,
    ClaimForm,
    DetailsForm,
    EmptyForm,
    FindOrganisationForm,
    InviteForm,
    OrganisationForm,
    ProfileForm,
    UpdateForm,
    WallFilterForm,
)
from citizen.pledges.messages import ERRORS
from citizen.pledges.models import (
    MAX_ACTIONS,
    CatalogueAction,
    OrganisationClaim,
    Pledge,
    PledgeAction,
)
from citizen.pledges.services import ActionInput, PledgeError, WallFilters
from citizen.shared.charts import bar_chart
from citizen.shared.forms import select_choices
from citizen.shared.ids import parse_id
from citizen.shared.pagination import paginate, parse_page_number
from citizen.shared.permissions import public, roles_required

bp = Blueprint("pledges", __name__, url_prefix="/pledges", cli_group=None)

SIGNED_IN = ("resident", "organisation_member", "moderator", "organiser", "admin")
REVIEWERS = ("moderator", "organiser", "admin")
ORGANISERS = ("organiser", "admin")
FORM_LIMIT = limit_from_config("RATELIMIT_FORMS")


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "pillar_labels": PILLAR_LABELS, "sector_labels": SECTOR_LABELS, "size_labels": SIZE_LABELS,
        "beneficiary_labels": BENEFICIARY_LABELS, "progress_labels": PROGRESS_LABELS,
        "accreditation_labels": ACCREDITATION_LABELS, "pledge_status_labels": PLEDGE_STATUS_LABELS,
        "update_state_labels": UPDATE_STATE_LABELS,
    }


def _user() -> User:
    user: User | None = g.get("current_user")
    if user is None:
        abort(401)
    return user


def _error(form: FlaskForm, error: PledgeError | AccountError) -> None:
    """Put the translated message for ``error`` on its field (or the form's first field)."""
    field_name = error.field if error.field and error.field in form else next(iter(form)).name
    form[field_name].errors = [*form[field_name].errors, str(ERRORS.get(error.code, error.code))]


def _organisation(slug: str) -> Organisation:
    """The organisation, if the signed-in person may act for it (404 otherwise: no probing)."""
    organisation = services.organisation_by_slug(get_session(), slug)
    if organisation is None or not permissions.can_act_for(_user(), organisation):
        abort(404)
    return organisation


def _pledge(pledge_id: int) -> Pledge:
    pledge = services.get_pledge(get_session(), pledge_id)
    if pledge is None or not permissions.can_act_for(_user(), pledge.organisation):
        abort(404)
    return pledge


def _action(pledge: Pledge, action_id: int) -> PledgeAction:
    action = next((a for a in pledge.actions if a.id == action_id), None)
    if action is None:
        abort(404)
    return action


def _place_choices(blank: str | None = None) -> list[SelectChoice]:
    return select_choices(((p.slug, p.name) for p in all_places(get_session())), blank=blank)


# ---------------------------------------------------------------- the public wall


@bp.get("/")
@public
def wall() -> str:
    session = get_session()
    filters = WallFilters.from_args(request.args)
    page = paginate(session, services.wall_query(filters), parse_page_number(request.args.get("page")),
                    per_page=20)
    pledges: list[Pledge] = page.items  # type: ignore[assignment]
    profiles = services.profiles_for(session, [p.organisation_id for p in pledges])
    args = {k: v for k, v in (("pillar", filters.pillar), ("place", filters.place),
                              ("sector", filters.sector), ("size", filters.size)) if v}
    filter_form = WallFilterForm(formdata=None, data=args)
    filter_form.place.choices = _place_choices(blank=_("All places"))
    return render_template("pledges/pledge_list.html", page=page, pledges=pledges,
                           profiles=profiles, filters=filters, filter_args=args,
                           filter_form=filter_form, overall=services.totals(session).overall)


def _charts(totals: services.WallTotals) -> tuple[Any, Any]:
    series_names = (_("Organisations"), _("Actions"), _("Done"))

    def series(groups: list[services.Totals]) -> dict[str, list[float | None]]:
        return {
            series_names[0]: [float(t.organisations) for t in groups],
            series_names[1]: [float(t.actions) for t in groups],
            series_names[2]: [float(t.done) for t in groups],
        }

    pillars = list(PILLAR_LABELS)
    by_pillar = bar_chart(
        _("Pledges by part of health"), [str(PILLAR_SHORT_LABELS[p]) for p in pillars],
        series([totals.by_pillar[p] for p in pillars]),
        category_heading=_("Part of health"),
        description=_("Organisations pledged, actions and actions done for each part of health. "
                      "The same numbers are in the table below."),
    )
    slugs = list(totals.place_names)
    by_place = bar_chart(
        _("Pledges by place"), [totals.place_names[s] for s in slugs],
        series([totals.by_place[s] for s in slugs]), category_heading=_("Place"),
        description=_("Organisations pledged, actions and actions done in each place. "
                      "The same numbers are in the table below."),
    )
    return by_pillar, by_place


@bp.get("/totals")
@public
def totals() -> str:
    result = services.totals(get_session())
    by_pillar, by_place = _charts(result)
    return render_template("pledges/totals_show.html", totals=result, by_pillar=by_pillar,
                           by_place=by_place)


@bp.get("/<int:pledge_id>")
@public
def pledge_show(pledge_id: int) -> str:
    session = get_session()
    pledge = services.public_pledge(session, pledge_id)
    if pledge is None:
        abort(404)
    profile = services.profile_of(session, pledge.organisation)
    return render_template("pledges/pledge_show.html", pledge=pledge, profile=profile)


@bp.get("/examples")
@public
def catalogue_list() -> str:
    actions = catalogue_service.catalogue(get_session())
    return render_template("pledges/catalogue_list.html",
                           groups=catalogue_service.by_pillar(actions), locale=str(get_locale()),
                           pillar_hints=PILLAR_HINTS)


@bp.get("/open-data.json")
@public
def feed_json() -> Response:
    records = services.open_data(get_session())
    response = jsonify({
        "licence": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "description": "Approved Call to Action pledges. No personal data: sponsors' names are "
                       "shown on each pledge's page with their consent but not in this feed.",
        "count": len(records), "pledges": records,
    })
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/open-data.csv")
@public
def feed_csv() -> Response:
    records = services.open_data(get_session())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(services.CSV_COLUMNS)
    for row in services.open_data_rows(records):
        writer.writerow([services.safe_cell(cell) for cell in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="pledges.csv"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# ---------------------------------------------------------------- organisations


@bp.get("/organisations")
@roles_required(*SIGNED_IN)
def organisation_list() -> str:
    session = get_session()
    user = _user()
    organisations = services.organisations_of(session, user)
    find_form = FindOrganisationForm(request.args)
    results: list[Organisation] = []
    if find_form.q.data and len(find_form.q.data.strip()) >= 2:
        results = services.search_organisations(session, find_form.q.data)
    return render_template("pledges/organisation_list.html", organisations=organisations,
                           find_form=find_form, results=results,
                           member_ids={o.id for o in organisations})


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
@limiter.limit(FORM_LIMIT, methods=["POST"])
def organisation_new() -> str | WerkzeugResponse:
    form = OrganisationForm()
    form.places.choices = _place_choices()
    existing = None
    if form.validate_on_submit():
        try:
            organisation = services.register_organisation(
                get_session(), _user(), form.name.data or "", form.sector.data or "",
                form.size_band.data or "", form.website.data, form.places.data or [],
            )
        except PledgeError as error:
            _error(form, error)
            if error.code == "organisation_exists":
                existing = services.find_organisation_by_name(get_session(), form.name.data or "")
        else:
            flash(_("%(name)s is registered. You can now make a pledge.", name=organisation.name))
            return redirect(url_for("pledges.organisation_show", slug=organisation.slug))
    return render_template("pledges/organisation_new.html", form=form, existing=existing)


@bp.route("/organisations/<slug>/join", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
@limiter.limit(FORM_LIMIT, methods=["POST"])
def organisation_claim(slug: str) -> str | WerkzeugResponse:
    organisation = services.organisation_by_slug(get_session(), slug)
    if organisation is None:
        abort(404)
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            services.claim_organisation(get_session(), _user(), organisation,
                                        form.job_title.data or "", form.reason.data or "")
        except PledgeError as error:
            _error(form, error)
        else:
            flash(_("Thank you. An organiser will check your request and email you."))
            return redirect(url_for("pledges.organisation_list"))
    return render_template("pledges/organisation_claim.html", form=form, organisation=organisation)


@bp.get("/organisations/<slug>")
@roles_required(*SIGNED_IN)
def organisation_show(slug: str) -> str:
    session = get_session()
    organisation = _organisation(slug)
    user = _user()
    if not permissions.is_member(user, organisation):  # staff acting for the organisation
        services.record_staff_view(session, user, "organisation_members", "organisation",
                                   organisation.id)
    return render_template(
        "pledges/organisation_show.html", organisation=organisation,
        profile=services.profile_of(session, organisation),
        members=services.members(session, organisation),
        pledges=services.pledges_of(session, organisation), form=None, action_form=EmptyForm(),
        is_member=permissions.is_member(_user(), organisation),
    )


@bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def organisation_edit(slug: str) -> str | WerkzeugResponse:
    session = get_session()
    organisation = _organisation(slug)
    profile = services.profile_of(session, organisation)
    form = ProfileForm(obj=None)
    form.places.choices = _place_choices()
    if request.method == "GET" and profile is not None:
        form.sector.data = profile.sector
        form.size_band.data = profile.size_band
        form.website.data = profile.website
        form.places.data = profile.place_slugs
    if form.validate_on_submit():
        try:
            services.update_profile(session, _user(), organisation, form.sector.data or "",
                                    form.size_band.data or "", form.website.data,
                                    form.places.data or [])
        except PledgeError as error:
            _error(form, error)
        else:
            flash(_("Your organisation's details are saved."))
            return redirect(url_for("pledges.organisation_show", slug=slug))
    return render_template("pledges/organisation_edit.html", form=form, organisation=organisation)


@bp.route("/organisations/<slug>/invite", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
@limiter.limit(FORM_LIMIT, methods=["POST"])
def organisation_invite(slug: str) -> str | WerkzeugResponse:
    organisation = _organisation(slug)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite_colleague(get_session(), _user(), organisation, form.email.data or "")
        except AccountError as error:
            _error(form, PledgeError(error.code, "email"))
        else:
            flash(_("We have emailed an invitation to %(email)s.", email=form.email.data))
            return redirect(url_for("pledges.organisation_show", slug=slug))
    return render_template("pledges/organisation_invite.html", form=form, organisation=organisation)


@bp.route("/organisations/<slug>/leave", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def organisation_leave(slug: str) -> str | WerkzeugResponse:
    organisation = _organisation(slug)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.leave_organisation(get_session(), _user(), organisation)
        except PledgeError as error:
            flash(str(ERRORS[error.code]), "error")
            return redirect(url_for("pledges.organisation_show", slug=slug))
        flash(_("You have left %(name)s.", name=organisation.name))
        return redirect(url_for("pledges.organisation_list"))
    return render_template("pledges/organisation_leave.html", organisation=organisation,
                           leave_form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def invitation_accept(token: str) -> str | WerkzeugResponse:
    session = get_session()
    form = EmptyForm()
    try:
        invitation = services.invitation_for(session, token)
    except PledgeError as error:
        return render_template("pledges/invitation_problem.html", message=ERRORS[error.code])
    if form.validate_on_submit():
        try:
            organisation = services.accept_invitation(session, _user(), token)
        except PledgeError as error:
            return render_template("pledges/invitation_problem.html", message=ERRORS[error.code])
        flash(_("You can now act for %(name)s.", name=organisation.name))
        return redirect(url_for("pledges.organisation_show", slug=organisation.slug))
    return render_template("pledges/invitation_accept.html", invitation=invitation,
                           accept_form=form)


# ---------------------------------------------------------------- pledges (organisations)


@bp.post("/organisations/<slug>/pledges")
@roles_required(*SIGNED_IN)
def pledge_new(slug: str) -> WerkzeugResponse:
    organisation = _organisation(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    pledge = services.start_pledge(get_session(), _user(), organisation)
    return redirect(url_for("pledges.action_choose", pledge_id=pledge.id))


@bp.get("/manage/<int:pledge_id>")
@roles_required(*SIGNED_IN)
def pledge_manage(pledge_id: int) -> str:
    pledge = _pledge(pledge_id)
    return render_template("pledges/pledge_manage.html", pledge=pledge,
                           problems=[ERRORS[c] for c in services.problems_before_submitting(pledge)],
                           action_form=EmptyForm(), max_actions=MAX_ACTIONS)


@bp.get("/manage/<int:pledge_id>/examples")
@roles_required(*SIGNED_IN)
def action_choose(pledge_id: int) -> str | WerkzeugResponse:
    pledge = _pledge(pledge_id)
    if not pledge.editable or len(pledge.actions) >= MAX_ACTIONS:
        return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    actions = catalogue_service.catalogue(get_session())
    return render_template("pledges/action_choose.html", pledge=pledge,
                           groups=catalogue_service.by_pillar(actions), locale=str(get_locale()))


def _action_input(form: ActionForm) -> ActionInput:
    catalogue_id = parse_id(form.catalogue_action_id.data)
    return ActionInput(pillar=form.pillar.data or "", beneficiaries=form.beneficiaries.data or "",
                       description=form.description.data or "", target=form.target.data or "",
                       start_date=form.start_date.data, due_date=form.due_date.data,
                       catalogue_action_id=catalogue_id)


@bp.route("/manage/<int:pledge_id>/actions/new", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def action_new(pledge_id: int) -> str | WerkzeugResponse:
    pledge = _pledge(pledge_id)
    if not pledge.editable:
        flash(str(ERRORS["not_editable"]), "error")
        return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    form = ActionForm()
    example = None
    example_id = parse_id(request.args.get("example")) if request.method == "GET" else None
    if example_id is not None:
        example = get_session().get(CatalogueAction, example_id)
    if example is not None:
        text = example.text_for(str(get_locale()))
        form.pillar.data = example.pillar
        form.beneficiaries.data = example.beneficiaries
        form.catalogue_action_id.data = str(example.id)
        if text is not None:
            form.description.data = text.description
            form.target.data = text.target_example
    if form.validate_on_submit():
        try:
            services.save_action(get_session(), pledge, _action_input(form))
        except PledgeError as error:
            _error(form, error)
        else:
            flash(_("The action is added to your pledge."))
            return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    return render_template("pledges/action_edit.html", form=form, pledge=pledge, action=None,
                           example=example)


@bp.route("/manage/<int:pledge_id>/actions/<int:action_id>", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def action_edit(pledge_id: int, action_id: int) -> str | WerkzeugResponse:
    pledge = _pledge(pledge_id)
    action = _action(pledge, action_id)
    if not pledge.editable:
        flash(str(ERRORS["not_editable"]), "error")
        return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    form = ActionForm(obj=action if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_action(get_session(), pledge, _action_input(form), action)
        except PledgeError as error:
            _error(form, error)
        else:
            flash(_("The action is saved."))
            return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    return render_template("pledges/action_edit.html", form=form, pledge=pledge, action=action,
                           example=None)


@bp.post("/manage/<int:pledge_id>/actions/<int:action_id>/remove")
@roles_required(*SIGNED_IN)
def action_remove(pledge_id: int, action_id: int) -> WerkzeugResponse:
    pledge = _pledge(pledge_id)
    action = _action(pledge, action_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.remove_action(get_session(), pledge, action)
    except PledgeError as error:
        flash(str(ERRORS[error.code]), "error")
    else:
        flash(_("The action is removed."))
    return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))


@bp.route("/manage/<int:pledge_id>/details", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def pledge_details(pledge_id: int) -> str | WerkzeugResponse:
    pledge = _pledge(pledge_id)
    if not pledge.editable:
        return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    form = DetailsForm()
    if request.method == "GET":
        form.sponsor_name.data = pledge.sponsor_name
        form.sponsor_role.data = pledge.sponsor_role
        form.accreditations.data = [a.code for a in pledge.accreditations]
        form.disability_level.data = next(
            (a.level for a in pledge.accreditations if a.code == "disability_confident"), "")
        form.consent.data = ["yes"] if pledge.consent_public else []
    if form.validate_on_submit():
        try:
            services.save_details(get_session(), pledge, form.sponsor_name.data or "",
                                  form.sponsor_role.data or "", "yes" in (form.consent.data or []),
                                  form.accreditations.data or [], form.disability_level.data or "")
        except PledgeError as error:
            _error(form, error)
        else:
            flash(_("Your pledge's details are saved."))
            return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    return render_template("pledges/pledge_details.html", form=form, pledge=pledge)


@bp.post("/manage/<int:pledge_id>/submit")
@roles_required(*SIGNED_IN)
def pledge_submit(pledge_id: int) -> WerkzeugResponse:
    pledge = _pledge(pledge_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.submit_pledge(get_session(), _user(), pledge)
    except PledgeError as error:
        flash(str(ERRORS[error.code]), "error")
    else:
        flash(_("Thank you. Your pledge has been sent for review. We will email you when it is "
                "published."))
    return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))


@bp.post("/manage/<int:pledge_id>/withdraw-consent")
@roles_required(*SIGNED_IN)
def sponsor_withdraw(pledge_id: int) -> WerkzeugResponse:
    pledge = _pledge(pledge_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.withdraw_sponsor_consent(get_session(), _user(), pledge)
    flash(_("Your sponsor's name and job title have been removed."))
    return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))


@bp.route("/manage/<int:pledge_id>/actions/<int:action_id>/progress", methods=["GET", "POST"])
@roles_required(*SIGNED_IN)
def update_new(pledge_id: int, action_id: int) -> str | WerkzeugResponse:
    pledge = _pledge(pledge_id)
    action = _action(pledge, action_id)
    if pledge.status != "approved":
        flash(str(ERRORS["not_approved"]), "error")
        return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    form = UpdateForm()
    if request.method == "GET":
        form.status.data = action.progress_status
    if form.validate_on_submit():
        try:
            services.add_update(get_session(), _user(), action, form.status.data or "",
                                form.text.data or "", form.evidence_url.data)
        except PledgeError as error:
            _error(form, error)
        else:
            flash(_("Thank you. Your update has been sent for review."))
            return redirect(url_for("pledges.pledge_manage", pledge_id=pledge.id))
    return render_template("pledges/update_new.html", form=form, pledge=pledge, action=action)


# ---------------------------------------------------------------- review list (staff)


@bp.get("/review")
@roles_required(*REVIEWERS)
def review_list() -> str:
    session = get_session()
    pledges, updates = services.waiting_for_review(session)
    user = _user()
    claims = services.pending_claims(session) if permissions.can_decide_claims(user) else []
    if claims:
        services.record_staff_view(session, user, "claims", "organisation_claim", None,
                                   {"claim_ids": [claim.id for claim, _person in claims]})
    return render_template("pledges/review_list.html", pledges=pledges, updates=updates,
                           claims=claims, decide_form=EmptyForm(),
                           queue_url=_queue_url())


def _queue_url() -> str | None:
    return url_for("moderation.queue_list") if "moderation.queue_list" in current_app.view_functions \
        else None


@bp.get("/review/<int:pledge_id>")
@roles_required(*REVIEWERS)
def review_pledge(pledge_id: int) -> str:
    session = get_session()
    pledge = services.get_pledge(session, pledge_id)
    if pledge is None:
        abort(404)
    profile = services.profile_of(session, pledge.organisation)
    if pledge.status != "approved":  # the sponsor's name is not public yet
        services.record_staff_view(session, _user(), "pledge_review", "pledge", pledge.id)
    items = {"pledge": moderation.find_item(session, "pledge", pledge.id)}
    update_items = {u.id: moderation.find_item(session, "pledge_update", u.id)
                    for a in pledge.actions for u in a.updates}
    return render_template("pledges/review_pledge.html", pledge=pledge, profile=profile,
                           item=items["pledge"], update_items=update_items,
                           item_url=_item_url)


def _item_url(item: Any) -> str | None:
    if item is None or "moderation.item_show" not in current_app.view_functions:
        return None
    return url_for("moderation.item_show", item_id=item.id)


@bp.post("/review/claims/<int:claim_id>")
@roles_required(*ORGANISERS)
def claim_decide(claim_id: int) -> WerkzeugResponse:
    session = get_session()
    claim = session.get(OrganisationClaim, claim_id)
    if claim is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    approve = request.form.get("decision") == "approve"
    try:
        services.decide_claim(session, _user(), claim, approve)
    except PledgeError as error:
        flash(str(ERRORS[error.code]), "error")
    else:
        flash(_("The request is approved.") if approve else _("The request is turned down."))
    return redirect(url_for("pledges.review_list"))


# ---------------------------------------------------------------- catalogue (organisers)


@bp.get("/catalogue")
@roles_required(*ORGANISERS)
def catalogue_manage() -> str:
    actions = catalogue_service.catalogue(get_session(), active_only=False)
    return render_template("pledges/catalogue_manage.html", actions=actions,
                           language_by_code={lang.code: lang for lang in languages()})


def _language_choices() -> list[SelectChoice]:
    return select_choices((lang.code, f"{lang.english_name} ({lang.endonym})") for lang in languages())


def _save_catalogue(form: CatalogueForm, action: CatalogueAction | None) -> None:
    session = get_session()
    actor_id = _user().id
    saved = catalogue_service.save_catalogue_action(
        session, actor_id, action, form.pillar.data or "", form.beneficiaries.data or "",
        form.active.data == "yes")
    catalogue_service.save_catalogue_text(
        session, actor_id, saved, form.locale.data or "en", form.title.data or "",
        form.description.data or "", form.target_example.data or "")


@bp.route("/catalogue/new", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def catalogue_new() -> str | WerkzeugResponse:
    form = CatalogueForm()
    form.locale.choices = _language_choices()
    if form.validate_on_submit():
        _save_catalogue(form, None)
        flash(_("The example action is added."))
        return redirect(url_for("pledges.catalogue_manage"))
    return render_template("pledges/catalogue_edit.html", form=form, action=None)


@bp.route("/catalogue/<int:action_id>", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def catalogue_edit(action_id: int) -> str | WerkzeugResponse:
    action = get_session().get(CatalogueAction, action_id)
    if action is None:
        abort(404)
    form = CatalogueForm()
    form.locale.choices = _language_choices()
    if request.method == "GET":
        locale = request.args.get("locale", "en")
        if locale not in {lang.code for lang in languages()}:
            locale = "en"
        form.pillar.data = action.pillar
        form.beneficiaries.data = action.beneficiaries
        form.active.data = "yes" if action.active else "no"
        form.locale.data = locale
        existing = next((t for t in action.texts if t.locale == locale), None)
        if existing is not None:
            form.title.data = existing.title
            form.description.data = existing.description
            form.target_example.data = existing.target_example
    if form.validate_on_submit():
        _save_catalogue(form, action)
        flash(_("The example action is saved."))
        return redirect(url_for("pledges.catalogue_manage"))
    return render_template("pledges/catalogue_edit.html", form=form, action=action)


# ---------------------------------------------------------------- the reminders command


@bp.cli.command("send-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if it were this date (YYYY-MM-DD); default: today.")
def send_reminders_command(today: Any) -> None:
    """Send pledge reminders that are due (6 and 12 months after approval, a week before each
    action's due date), then delete invitations that have expired unused (their addresses are
    no longer needed). Safe to run again: nothing is sent twice."""
    day: date | None = today.date() if today is not None else None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = reminders.send_reminders(app, day)
    click.echo(f"Pledge reminders sent: {count}")
    with unit_of_work(app) as session:
        forgotten = services.forget_expired_invitations(session)
    click.echo(f"Expired invitations deleted: {forgotten}")
