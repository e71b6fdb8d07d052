"""Routes of the consultations feature: the public hub and response journey, and staff pages
(builder, preview, paper and phone entry, results, outcome, who took part)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time
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
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from citizen.consultations import questions as kinds
from citizen.consultations import results as results_service
from citizen.consultations import retention, services
from citizen.consultations.forms import (
    CHANNEL_LABELS,
    TOPIC_LABELS,
    CheckAnswersForm,
    DetailsForm,
    EmptyForm,
    EqualityForm,
    EraseContactForm,
    OutcomeForm,
    QuestionForm,
    QuestionTranslationForm,
    ResultsFilterForm,
    SaveForLaterForm,
    SectionForm,
    StaffEntryForm,
    TranslationForm,
)
from citizen.consultations.messages import message
from citizen.consultations.models import Channel, Consultation, Question, Response, ResponseStatus, Status
from citizen.consultations.services import ConsultationError
from citizen.db import get_session, unit_of_work
from citizen.extensions import limit_from_config, limiter
from citizen.i18n import SUPPORTED_CODES, languages, normalise_code
from citizen.mail import render_mail, send_after_commit
from citizen.moderation import coding
from citizen.places.services import places as all_places
from citizen.shared.forms import select_choices
from citizen.shared.pagination import parse_page_number
from citizen.shared.permissions import has_role, public, roles_required

bp = Blueprint("consultations", __name__, url_prefix="/consultations", cli_group=None)

BUILDERS = ("organiser", "admin")
RESULTS_READERS = ("organiser", "moderator", "admin")
DATA_ENTRY = ("organiser", "moderator")
FORM_LIMIT = limit_from_config("RATELIMIT_FORMS")
STATE_KEY = "consultation_responses"


def _locale() -> str:
    """The reader's language as one of the offered codes (``en``, ``ar`` …)."""
    return normalise_code(str(get_locale() or "en")) or "en"


def _actor_id() -> int | None:
    user = g.get("current_user")
    return getattr(user, "id", None)


def _field_error(form: FlaskForm, error: ConsultationError, fallback: str | None = None) -> None:
    name = error.field if error.field and error.field in form else fallback
    text = message(error.code, **error.params)
    if name and name in form:
        form[name].errors = [*form[name].errors, text]
    else:
        flash(text, "error")


def _published(slug: str) -> Consultation:
    """The published consultation for the public pages: read only (see
    :func:`services.public_by_slug`)."""
    consultation = services.public_by_slug(get_session(), slug)
    if consultation is None or consultation.status == Status.DRAFT:
        abort(404)
    return consultation


def _managed(consultation_id: int) -> Consultation:
    consultation = services.get(get_session(), consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _place_choices() -> list[tuple[str, str]]:
    return [(p.slug, p.name) for p in all_places(get_session())]


# ---------------------------------------------------------------- state of a response in progress


def _state(consultation: Consultation) -> dict[str, Any]:
    return dict(session.get(STATE_KEY, {}).get(str(consultation.id), {}))


def _set_state(consultation: Consultation, state: dict[str, Any] | None) -> None:
    states = dict(session.get(STATE_KEY, {}))
    if state is None:
        states.pop(str(consultation.id), None)
    else:
        states[str(consultation.id)] = state
    session[STATE_KEY] = states


def _current_response(consultation: Consultation, state: dict[str, Any]) -> Response | None:
    rid = state.get("rid")
    if not rid:
        return None
    response = services.response_by_id(get_session(), rid)
    if response is None or response.consultation_id != consultation.id:
        return None
    if state.get("staff") and not has_role(*DATA_ENTRY):
        abort(403)
    return response


def _form_key(state: dict[str, Any]) -> str:
    key = state.get("key")
    if not key:
        key = secrets.token_urlsafe(24)
        state["key"] = key
    return str(key)


def _closed_page(consultation: Consultation) -> tuple[str, int]:
    return render_template("consultations/consultation_closed.html", consultation=consultation,
                           text=consultation.translation(_locale())), 410


def _can_answer(consultation: Consultation, state: dict[str, Any]) -> bool:
    return bool(state.get("staff")) or consultation.is_open()


# ---------------------------------------------------------------- the hub and one consultation


@bp.get("/")
@public
def hub() -> str:
    place = request.args.get("place") or None
    topic = request.args.get("topic") or None
    place_choices = _place_choices()
    if place not in {slug for slug, _n in place_choices}:
        place = None
    if topic not in TOPIC_LABELS:
        topic = None
    found = services.hub(get_session(), place=place, topic=topic)
    return render_template("consultations/consultation_hub.html", hub=found, place=place, topic=topic,
                           place_choices=place_choices, topics=TOPIC_LABELS, locale=_locale(),
                           place_names=dict(place_choices))


@bp.get("/<slug>")
@public
def show(slug: str) -> str:
    consultation = _published(slug)
    locale = _locale()
    quotes: list[tuple[int, str]] = []
    if consultation.current_status() in (Status.CLOSED, Status.OUTCOME_PUBLISHED):
        quotes = _published_quotes(consultation)
    return render_template("consultations/consultation_show.html", consultation=consultation,
                           text=consultation.translation(locale), status=consultation.current_status(),
                           place_names=dict(_place_choices()), quotes=quotes,
                           **(coding.results_context(get_session(), consultation.id, _("Themes"))
                              if consultation.current_status() == Status.OUTCOME_PUBLISHED else {}),
                           opens=services.to_london(consultation.opens_at),
                           closes=services.to_london(consultation.closes_at))


def _published_quotes(consultation: Consultation) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from citizen.consultations.models import Answer
    from citizen.moderation import services as moderation

    text_ids = [q.id for q in consultation.questions() if q.kind in kinds.TEXT_KINDS]
    if not text_ids:
        return []
    db = get_session()
    ids = list(db.scalars(
        select(Answer.id).join(Response, Response.id == Answer.response_id)
        .where(Response.consultation_id == consultation.id, Response.consent_publish.is_(True),
               Response.status == ResponseStatus.SUBMITTED, Answer.question_id.in_(text_ids))
        .order_by(Answer.id.desc()).limit(200)))
    texts = moderation.public_texts(db, "answer", ids)
    return [(aid, texts[aid]) for aid in ids if aid in texts][:20]


# ---------------------------------------------------------------- answering: one section a page


def _progress(step: int, total: int) -> dict[str, int]:
    return {"step": step, "total": total}


def _steps(consultation: Consultation, answers: dict[str, Any]) -> int:
    """Pages before "check your answers": visible sections, plus "about you" when asked."""
    return len(services.visible_sections(consultation, answers)) + (
        1 if consultation.equality_monitoring else 0)


@bp.route("/<slug>/respond/<int:page>", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def respond(slug: str, page: int) -> str | WerkzeugResponse | tuple[str, int]:
    consultation = _published(slug)
    state = _state(consultation)
    if not _can_answer(consultation, state):
        return _closed_page(consultation)
    db = get_session()
    response = _current_response(consultation, state)
    answers = services.answers_by_code(response, consultation)
    sections = services.visible_sections(consultation, answers)
    if page < 1:
        return redirect(url_for(".respond", slug=slug, page=1))
    if page > len(sections):
        return redirect(url_for(".about_you" if consultation.equality_monitoring else ".check",
                                slug=slug))
    section = sections[page - 1]
    shown = services.visible_questions(section, answers)
    locale = response.locale if response is not None and state.get("staff") else _locale()
    data: dict[str, Any] = {"form_key": _form_key(state)}
    for q in shown:
        data.update(kinds.form_data_for(q, answers.get(q.code)))
    from wtforms import HiddenField

    form, views = kinds.build_form(shown, _locale(), staff=bool(state.get("staff")), data=data,
                                   prefix_fields={"form_key": HiddenField()},
                                   cache_key=(("respond", consultation.id, consultation.revision)
                                              if consultation.revision else None))
    if request.method == "POST" and form.validate_on_submit():
        values: dict[Question, Any] = {}
        failed = False
        for q in shown:
            value, error = kinds.read_answer(q, form, staff=bool(state.get("staff")))
            if error:
                form[kinds.field_name(q)].errors = [*form[kinds.field_name(q)].errors, error]
                failed = True
            else:
                values[q] = value
        if not failed:
            try:
                if response is None:
                    response = services.draft_for(db, consultation, form.form_key.data or "", locale,
                                                  user_id=_actor_id())
                    state["rid"] = response.id
                services.save_answers(db, consultation, response, values, actor_id=_actor_id())
            except ConsultationError as error:
                if error.code == "closed":
                    return _closed_page(consultation)
                _field_error(form, error, fallback="form_key")
            else:
                _set_state(consultation, state)
                if request.form.get("action") == "save":
                    return redirect(url_for(".save_for_later", slug=slug))
                if state.get("amend") and request.form.get("action") == "check":
                    return redirect(url_for(".check", slug=slug))
                answers = services.answers_by_code(response, consultation)
                next_sections = services.visible_sections(consultation, answers)
                if page < len(next_sections):
                    return redirect(url_for(".respond", slug=slug, page=page + 1))
                return redirect(url_for(".about_you" if consultation.equality_monitoring else ".check",
                                        slug=slug))
    _set_state(consultation, state)
    return render_template(
        "consultations/response_section.html", consultation=consultation,
        text=consultation.translation(_locale()), section=section, form=form, views=views,
        page=page, progress=_progress(page, _steps(consultation, answers)), locale=_locale(),
        state=state, preview=False, back_url=(url_for(".respond", slug=slug, page=page - 1)
                                              if page > 1 else url_for(".show", slug=slug)))


@bp.route("/<slug>/respond/about-you", methods=["GET", "POST"])
@public
def about_you(slug: str) -> str | WerkzeugResponse | tuple[str, int]:
    consultation = _published(slug)
    state = _state(consultation)
    if not _can_answer(consultation, state):
        return _closed_page(consultation)
    if not consultation.equality_monitoring:
        return redirect(url_for(".check", slug=slug))
    response = _current_response(consultation, state)
    if response is None:
        return redirect(url_for(".respond", slug=slug, page=1))
    answers = services.answers_by_code(response, consultation)
    steps = _steps(consultation, answers)
    form = EqualityForm(data=state.get("eq") or {})
    if form.validate_on_submit():
        state["eq"] = {name: (form[name].data or None) for name in services.EQUALITY_FIELDS}
        if state["eq"].get("postcode_district"):
            state["eq"]["postcode_district"] = _district(state["eq"]["postcode_district"])
        _set_state(consultation, state)
        return redirect(url_for(".check", slug=slug))
    return render_template("consultations/response_about_you.html", consultation=consultation,
                           text=consultation.translation(_locale()), form=form,
                           progress=_progress(steps, steps), amend=bool(state.get("amend")),
                           back_url=url_for(".respond", slug=slug, page=max(1, steps - 1)))


def _district(raw: str) -> str | None:
    from citizen.places.services import PostcodeError, postcode_district

    try:
        return postcode_district(raw)
    except PostcodeError:
        return None


def _summary_rows(consultation: Consultation, response: Response | None, locale: str,
                  slug: str | None) -> list[dict[str, Any]]:
    return [{"key": row.question, "value": row.answer,
             "change_url": url_for(".respond", slug=slug, page=row.page) if slug else None,
             "change_label": row.question, "section": row.section}
            for row in services.answer_rows(consultation, response, locale)]


@bp.route("/<slug>/respond/check", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def check(slug: str) -> str | WerkzeugResponse | tuple[str, int]:
    consultation = _published(slug)
    state = _state(consultation)
    db = get_session()
    form = CheckAnswersForm()
    response = _current_response(consultation, state)
    if response is None and request.method == "POST" and form.submit_key.data:
        # A repeat of a submission whose first reply the browser never saw (or a double-click).
        response = services.find_by_client_key(db, form.submit_key.data)
        if response is not None and response.status == ResponseStatus.SUBMITTED:
            return redirect(url_for(".done", slug=slug, ref=response.reference))
    if not _can_answer(consultation, state):
        return _closed_page(consultation)
    if response is None:
        return redirect(url_for(".respond", slug=slug, page=1))
    if response.status == ResponseStatus.SUBMITTED and not state.get("amend"):
        return redirect(url_for(".done", slug=slug, ref=response.reference))
    if request.method == "GET":
        form.submit_key.data = state.get("key", "")
        if response.contact is not None:
            form.email.data = response.contact.email
    missing = services.missing_required(consultation, response)
    if not consultation.anonymous_allowed and response.user_id is None and not state.get("staff"):
        form.email.flags.required = True  # shown without "(optional)"
    if state.get("amend"):
        if request.method == "POST" and form.validate_on_submit():
            _set_state(consultation, None)
            flash(_("Your changes are saved."))
            return redirect(url_for(".done", slug=slug, ref=response.reference))
    elif form.validate_on_submit():
        if form.submit_key.data != state.get("key") and services.find_by_client_key(
                db, form.submit_key.data or "") is not response:
            abort(400)
        if not form.email.data and form.consent_contact.data:
            form.email.errors = [*form.email.errors,
                                 _("Enter your email address so we can tell you about the results")]
        else:
            try:
                submitted = services.submit(
                    db, consultation, response, email=form.email.data or None,
                    consent_contact=bool(form.consent_contact.data),
                    consent_publish=bool(form.consent_publish.data), equality=state.get("eq"),
                    place_slug=state.get("place"))
            except ConsultationError as error:
                if error.code == "closed":
                    return _closed_page(consultation)
                _field_error(form, error, fallback="email")
            else:
                if submitted.change_token and response.contact is not None and not submitted.already:
                    send_after_commit(render_mail(
                        "consultations_receipt", response.contact.email, response.locale,
                        title=consultation.translation(response.locale).title,
                        reference=submitted.reference,
                        change_url=url_for(".resume", token=submitted.change_token, _external=True),
                        closes=services.to_london(consultation.closes_at)))
                _set_state(consultation, None)
                if state.get("staff"):
                    flash(_("Response saved. Its reference is %(reference)s.",
                            reference=submitted.reference))
                    return redirect(url_for(".entry_start", consultation_id=consultation.id))
                return redirect(url_for(".done", slug=slug, ref=submitted.reference))
    return render_template(
        "consultations/response_check.html", consultation=consultation,
        text=consultation.translation(_locale()), form=form, missing=missing,
        rows=_summary_rows(consultation, response, _locale(), slug), state=state,
        about_you_url=url_for(".about_you", slug=slug) if consultation.equality_monitoring else None,
        amend=bool(state.get("amend")), staff=bool(state.get("staff")), locale=_locale(),
        deletion=_deletion_dates(consultation))


@bp.get("/<slug>/respond/done")
@public
def done(slug: str) -> str:
    consultation = _published(slug)
    reference = request.args.get("ref", "")
    emailed = services.receipt_emailed(get_session(), consultation, reference) if reference else None
    if emailed is None:
        abort(404)
    return render_template("consultations/response_done.html", consultation=consultation,
                           text=consultation.translation(_locale()), reference=reference,
                           emailed=emailed)


@bp.route("/<slug>/respond/withdraw", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def withdraw(slug: str) -> str | WerkzeugResponse | tuple[str, int]:
    """Someone who came back through their receipt link takes their response back."""
    consultation = _published(slug)
    state = _state(consultation)
    if not consultation.is_open():
        return _closed_page(consultation)
    response = _current_response(consultation, state)
    if response is None or not state.get("amend") or state.get("staff"):
        return redirect(url_for(".show", slug=slug))
    form = EmptyForm()
    if form.validate_on_submit():
        title = consultation.translation(response.locale).title
        locale = response.locale
        address = services.withdraw(get_session(), consultation, response)
        _set_state(consultation, None)
        if address:
            send_after_commit(render_mail(
                "consultations_withdrawn", address, locale, title=title,
                consultation_url=url_for(".show", slug=slug, _external=True)))
        return redirect(url_for(".withdrawn", slug=slug))
    return render_template("consultations/response_withdraw.html", consultation=consultation,
                           text=consultation.translation(_locale()), form=form,
                           reference=response.reference)


@bp.get("/<slug>/respond/withdrawn")
@public
def withdrawn(slug: str) -> str:
    consultation = _published(slug)
    return render_template("consultations/response_withdrawn.html", consultation=consultation,
                           text=consultation.translation(_locale()))


@bp.route("/<slug>/respond/save", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def save_for_later(slug: str) -> str | WerkzeugResponse | tuple[str, int]:
    consultation = _published(slug)
    state = _state(consultation)
    if not consultation.is_open():
        return _closed_page(consultation)
    response = _current_response(consultation, state)
    if response is None:
        flash(_("Answer at least one page before saving your answers for later."))
        return redirect(url_for(".respond", slug=slug, page=1))
    form = SaveForLaterForm()
    if form.validate_on_submit():
        try:
            token = services.start_save_for_later(get_session(), consultation, response,
                                                  form.email.data or "")
        except ConsultationError as error:
            if error.code == "closed":
                return _closed_page(consultation)
            _field_error(form, error, fallback="email")
        else:
            send_after_commit(render_mail(
                "consultations_resume", form.email.data or "", response.locale,
                title=consultation.translation(response.locale).title,
                resume_url=url_for(".resume", token=token, _external=True),
                closes=services.to_london(consultation.closes_at)))
            return render_template("consultations/response_saved.html", consultation=consultation,
                                   text=consultation.translation(_locale()),
                                   closes=services.to_london(consultation.closes_at))
    return render_template("consultations/response_save.html", consultation=consultation,
                           text=consultation.translation(_locale()), form=form,
                           deletion=_deletion_dates(consultation))


def _deletion_dates(consultation: Consultation) -> retention.DeletionDates:
    """When an address given now would be deleted, to tell the resident who gives it."""
    return retention.deletion_dates(consultation, retention.Retention.from_config(current_app.config))


@bp.get("/return/<token>")
@public
@limiter.limit(FORM_LIMIT)
def resume(token: str) -> str | WerkzeugResponse | tuple[str, int]:
    db = get_session()
    try:
        response = services.response_for_token(db, token)
    except ConsultationError as error:
        status = 404 if error.code == "token_unknown" else 410
        return render_template("consultations/response_link_problem.html",
                               message=message(error.code)), status
    consultation = services.get(db, response.consultation_id)
    assert consultation is not None
    state = {"rid": response.id, "amend": response.status == ResponseStatus.SUBMITTED,
             "key": secrets.token_urlsafe(24)}
    _set_state(consultation, state)
    if state["amend"]:
        flash(_("You can change your answers until the consultation closes."))
    return redirect(url_for(".check", slug=consultation.slug))


# ---------------------------------------------------------------- staff: builder


def _details(form: DetailsForm) -> services.Details:
    return services.Details(
        title=form.title.data or "", summary=form.summary.data or "", body=form.body.data or "",
        privacy_notice=form.privacy_notice.data or "", places=list(form.places.data or []),
        topic=form.topic.data or "general", opens_at=form.opens_at.data, closes_at=form.closes_at.data,
        anonymous_allowed=bool(form.anonymous_allowed.data), post_moderated=bool(form.post_moderated.data),
        equality_monitoring=bool(form.equality_monitoring.data), contact=form.contact.data or "")


@bp.get("/manage")
@roles_required(*RESULTS_READERS)
def manage_list() -> str:
    db = get_session()
    found = services.manage_list(db)
    return render_template("consultations/manage_list.html", consultations=found,
                           counts=services.response_counts(db, [c.id for c in found]),
                           can_build=has_role(*BUILDERS))


@bp.route("/manage/new", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def manage_new() -> str | WerkzeugResponse:
    form = DetailsForm()
    form.places.choices = select_choices(_place_choices())
    if form.validate_on_submit():
        try:
            consultation = services.create(get_session(), _actor_id(), _details(form))
        except ConsultationError as error:
            _field_error(form, error, fallback="title")
        else:
            flash(_("Consultation created. Now add pages and questions."))
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_details.html", form=form, consultation=None)


@bp.get("/manage/<int:consultation_id>")
@roles_required(*RESULTS_READERS)
def manage_show(consultation_id: int) -> str:
    consultation = _managed(consultation_id)
    db = get_session()
    return render_template(
        "consultations/manage_show.html", consultation=consultation, text=consultation.translation("en"),
        status=consultation.current_status(), locked=services.has_responses(db, consultation),
        count=services.response_counts(db, [consultation.id]).get(consultation.id, 0),
        kinds=kinds.KINDS, tr=kinds.tr, condition_ops=kinds.CONDITION_OPS, form=EmptyForm(),
        can_build=has_role(*BUILDERS),
        languages=languages(), opens=services.to_london(consultation.opens_at),
        closes=services.to_london(consultation.closes_at),
        held=retention.held(db, consultation), deletion=_deletion_dates(consultation))


@bp.route("/manage/<int:consultation_id>/details", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def manage_details(consultation_id: int) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    text = consultation.translation("en")
    form = DetailsForm(data={
        "title": text.title, "summary": text.summary, "body": text.body,
        "privacy_notice": text.privacy_notice, "places": consultation.place_slugs,
        "topic": consultation.topic, "opens_at": _naive(services.to_london(consultation.opens_at)),
        "closes_at": _naive(services.to_london(consultation.closes_at)),
        "anonymous_allowed": consultation.anonymous_allowed,
        "post_moderated": consultation.post_moderated,
        "equality_monitoring": consultation.equality_monitoring, "contact": consultation.contact})
    form.places.choices = select_choices(_place_choices())
    if form.validate_on_submit():
        try:
            services.update_details(get_session(), _actor_id(), consultation, _details(form))
        except ConsultationError as error:
            _field_error(form, error, fallback="title")
        else:
            flash(_("Details saved."))
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_details.html", form=form, consultation=consultation)


def _naive(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=None)


@bp.route("/manage/<int:consultation_id>/translate/<locale>", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def manage_translate(consultation_id: int, locale: str) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    if locale not in SUPPORTED_CODES or locale == "en":
        abort(404)
    current = next((t for t in consultation.translations if t.locale == locale), None)
    form = TranslationForm(data={"title": current.title, "summary": current.summary,
                                 "body": current.body, "privacy_notice": current.privacy_notice}
                           if current else None)
    if form.validate_on_submit():
        services.set_translation(consultation, locale, title=form.title.data or "",
                                 summary=form.summary.data or "", body=form.body.data or "",
                                 privacy_notice=form.privacy_notice.data or "")
        get_session().flush()
        flash(_("Translation saved."))
        return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_translate.html", form=form, consultation=consultation,
                           locale=locale, english=consultation.translation("en"))


def _condition(form: Any) -> dict[str, Any] | None:
    code = (form.condition_question.data or "").strip().upper()
    if not code:
        return None
    values = [v for v in (form.condition_value.data or "").replace(",", " ").split() if v]
    op = form.condition_op.data or "equals"
    return {"question": code, "op": op, "value": values if op == "any_of" else (values[0] if values else "")}


def _condition_data(condition: dict[str, Any] | None) -> dict[str, Any]:
    if not condition:
        return {}
    value = condition.get("value")
    return {"condition_question": condition.get("question"), "condition_op": condition.get("op"),
            "condition_value": " ".join(value) if isinstance(value, list) else value}


@bp.route("/manage/<int:consultation_id>/sections/new", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def section_new(consultation_id: int) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            services.add_section(get_session(), consultation, {"en": form.title.data or ""},
                                 {"en": form.intro.data or ""}, None)
        except ConsultationError as error:
            _field_error(form, error, fallback="title")
        else:
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_section.html", form=form, consultation=consultation,
                           section=None)


@bp.route("/manage/<int:consultation_id>/sections/<int:section_id>", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def section_edit(consultation_id: int, section_id: int) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    section = next((s for s in consultation.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    form = SectionForm(data={"title": kinds.tr(section.title, "en"), "intro": kinds.tr(section.intro, "en"),
                             **_condition_data(section.condition)})
    if form.validate_on_submit():
        try:
            services.update_section(get_session(), _actor_id(), section,
                                    {**section.title, "en": form.title.data or ""},
                                    {**section.intro, "en": form.intro.data or ""}, _condition(form))
        except ConsultationError as error:
            _field_error(form, error, fallback="title")
        else:
            flash(_("Page saved."))
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_section.html", form=form, consultation=consultation,
                           section=section)


@bp.post("/manage/<int:consultation_id>/sections/<int:section_id>/delete")
@roles_required(*BUILDERS)
def section_delete(consultation_id: int, section_id: int) -> WerkzeugResponse:
    consultation = _managed(consultation_id)
    section = next((s for s in consultation.sections if s.id == section_id), None)
    if section is None or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.delete_section(get_session(), section)
    except ConsultationError as error:
        flash(message(error.code, **error.params), "error")
    return redirect(url_for(".manage_show", consultation_id=consultation.id))


def _spec(form: QuestionForm) -> services.QuestionSpec:
    settings: dict[str, Any] = {}
    for name in ("max_length", "min_selected", "max_selected", "minimum", "maximum"):
        if form[name].data is not None:
            settings[name] = form[name].data
    if form.other.data:
        settings["other"] = True
    return services.QuestionSpec(
        kind=form.kind.data or "", text={"en": form.text.data or ""}, help={"en": form.help.data or ""},
        required=bool(form.required.data), option_labels=(form.options.data or "").splitlines(),
        statement_labels=(form.statements.data or "").splitlines(), settings=settings,
        condition=_condition(form))


@bp.route("/manage/<int:consultation_id>/sections/<int:section_id>/questions/new",
          methods=["GET", "POST"])
@roles_required(*BUILDERS)
def question_new(consultation_id: int, section_id: int) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    section = next((s for s in consultation.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.add_question(get_session(), section, _spec(form))
        except ConsultationError as error:
            _field_error(form, error, fallback="text")
        else:
            flash(_("Question added."))
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_question.html", form=form, consultation=consultation,
                           question=None, section=section)


@bp.route("/manage/<int:consultation_id>/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def question_edit(consultation_id: int, question_id: int) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    question = next((q for q in consultation.questions() if q.id == question_id), None)
    if question is None:
        abort(404)
    form = QuestionForm(data={
        "kind": question.kind, "text": kinds.tr(question.text, "en"), "help": kinds.tr(question.help, "en"),
        "required": question.required,
        "options": "\n".join(o["label"].get("en", "") for o in question.options),
        "statements": "\n".join(s["label"].get("en", "") for s in question.settings.get("statements", [])),
        **{k: v for k, v in question.settings.items() if k != "statements"},
        **_condition_data(question.condition)})
    if form.validate_on_submit():
        try:
            services.update_question(get_session(), _actor_id(), question, _spec(form))
        except ConsultationError as error:
            _field_error(form, error, fallback="text")
        else:
            flash(_("Question saved."))
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_question.html", form=form, consultation=consultation,
                           question=question, section=question.section)


@bp.route("/manage/<int:consultation_id>/questions/<int:question_id>/translate/<locale>",
          methods=["GET", "POST"])
@roles_required(*BUILDERS)
def question_translate(consultation_id: int, question_id: int, locale: str) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    question = next((q for q in consultation.questions() if q.id == question_id), None)
    if question is None or locale not in SUPPORTED_CODES or locale == "en":
        abort(404)
    form = QuestionTranslationForm(data={
        "text": question.text.get(locale, ""), "help": question.help.get(locale, ""),
        "options": "\n".join(o["label"].get(locale, "") for o in question.options),
        "statements": "\n".join(s["label"].get(locale, "")
                                for s in question.settings.get("statements", []))})
    if form.validate_on_submit():
        services.translate_question(get_session(), _actor_id(), question, locale, form.text.data or "",
                                    form.help.data or "", (form.options.data or "").splitlines(),
                                    (form.statements.data or "").splitlines())
        flash(_("Translation saved."))
        return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_question_translate.html", form=form,
                           consultation=consultation, question=question, locale=locale, tr=kinds.tr)


@bp.post("/manage/<int:consultation_id>/questions/<int:question_id>/delete")
@roles_required(*BUILDERS)
def question_delete(consultation_id: int, question_id: int) -> WerkzeugResponse:
    consultation = _managed(consultation_id)
    question = next((q for q in consultation.questions() if q.id == question_id), None)
    if question is None or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.delete_question(get_session(), question)
    except ConsultationError as error:
        flash(message(error.code, **error.params), "error")
    return redirect(url_for(".manage_show", consultation_id=consultation.id))


@bp.post("/manage/<int:consultation_id>/questions/<int:question_id>/<any(up, down):direction>")
@roles_required(*BUILDERS)
def question_move(consultation_id: int, question_id: int, direction: str) -> WerkzeugResponse:
    consultation = _managed(consultation_id)
    question = next((q for q in consultation.questions() if q.id == question_id), None)
    if question is None or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.move_question(get_session(), question, -1 if direction == "up" else 1)
    except ConsultationError as error:
        flash(message(error.code, **error.params), "error")
    return redirect(url_for(".manage_show", consultation_id=consultation.id,
                            _anchor=f"section-{question.section_id}"))


@bp.post("/manage/<int:consultation_id>/<any(publish, close, duplicate):action>")
@roles_required(*BUILDERS)
def manage_action(consultation_id: int, action: str) -> WerkzeugResponse:
    consultation = _managed(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db = get_session()
    try:
        if action == "publish":
            services.publish(db, _actor_id(), consultation)
            flash(_("Published. It opens and closes on its dates."))
        elif action == "close":
            services.close_now(db, _actor_id(), consultation)
            flash(_("Closed. It takes no more answers."))
        else:
            copy = services.duplicate(db, _actor_id(), consultation)
            flash(_("This is an editable copy."))
            return redirect(url_for(".manage_show", consultation_id=copy.id))
    except ConsultationError as error:
        flash(message(error.code, **error.params), "error")
    return redirect(url_for(".manage_show", consultation_id=consultation.id))


@bp.get("/manage/<int:consultation_id>/preview/<locale>/<int:page>")
@roles_required(*RESULTS_READERS)
def preview(consultation_id: int, locale: str, page: int) -> str:
    """The pages exactly as residents see them in ``locale``; nothing can be sent."""
    consultation = _managed(consultation_id)
    if locale not in SUPPORTED_CODES:
        abort(404)
    sections = [s for s in consultation.sections if s.questions]
    if not sections:
        abort(404)
    page = min(max(1, page), len(sections))
    section = sections[page - 1]
    with force_locale(locale):
        form, views = kinds.build_form(list(section.questions), locale)
        return render_template(
            "consultations/response_section.html", consultation=consultation,
            text=consultation.translation(locale), section=section, form=form, views=views, page=page,
            progress=_progress(page, len(sections)), locale=locale, state={}, preview=True,
            preview_locale=locale, preview_pages=len(sections),
            back_url=url_for(".manage_show", consultation_id=consultation.id))


# ---------------------------------------------------------------- staff: paper and phone entry


@bp.route("/manage/<int:consultation_id>/entry", methods=["GET", "POST"])
@roles_required(*DATA_ENTRY)
def entry_start(consultation_id: int) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    if consultation.status == Status.DRAFT:
        abort(404)
    form = StaffEntryForm()
    form.place.choices = select_choices(_place_choices(), blank=_("Not known"))
    if form.validate_on_submit():
        received = form.received_on.data
        assert received is not None
        key = secrets.token_urlsafe(24)
        response = services.draft_for(
            get_session(), consultation, key, "en", channel=form.channel.data or Channel.PAPER,
            entered_by_id=_actor_id(),
            received_at=datetime.combine(received, time(12), services.LONDON).astimezone(UTC))
        state = {"rid": response.id, "staff": True, "key": key, "place": form.place.data or None}
        _set_state(consultation, state)
        from citizen.shared import audit

        audit.record(get_session(), "consultation.response_entered", actor_id=_actor_id(),
                     target_type="consultation_response", target_id=response.id,
                     details={"channel": response.channel})
        return redirect(url_for(".respond", slug=consultation.slug, page=1))
    return render_template("consultations/manage_entry.html", form=form, consultation=consultation)


@bp.get("/manage/<int:consultation_id>/responses/<reference>")
@roles_required(*RESULTS_READERS)
def response_show(consultation_id: int, reference: str) -> str:
    """One response's answers and its history of changes (no contact details are shown)."""
    from sqlalchemy import select

    from citizen.shared import audit

    consultation = _managed(consultation_id)
    db = get_session()
    response = db.scalar(select(Response).where(Response.consultation_id == consultation.id,
                                                Response.reference == reference.upper()))
    if response is None:
        abort(404)
    audit.record(db, "consultation.response_viewed", actor_id=_actor_id(),
                 target_type="consultation_response", target_id=response.id)
    by_code = {q.code: q for q in consultation.questions()}
    changes = []
    for change in services.history(db, response):
        for code, values in change.changes.items():
            question = by_code.get(code)
            if question is None:
                continue
            changes.append({"when": change.changed_at, "code": code,
                            "old": kinds.display(question, values.get("old"), _locale()),
                            "new": kinds.display(question, values.get("new"), _locale())})
    return render_template("consultations/manage_response.html", consultation=consultation,
                           response=response, rows=_summary_rows(consultation, response, _locale(), None),
                           changes=changes, channel_labels=CHANNEL_LABELS)


@bp.route("/manage/<int:consultation_id>/erase-contact", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def erase_contact(consultation_id: int) -> str | WerkzeugResponse:
    """Erase the email address given with one response (on the person's request); the answers
    stay, anonymous."""
    from sqlalchemy import select

    consultation = _managed(consultation_id)
    form = EraseContactForm()
    if form.validate_on_submit():
        db = get_session()
        response = db.scalar(select(Response).where(
            Response.consultation_id == consultation.id,
            Response.reference == (form.reference.data or "").strip().upper()))
        if response is None:
            form.reference.errors = [*form.reference.errors, _("No response has that reference")]
        else:
            services.erase_contact(db, response, actor_id=_actor_id())
            flash(_("The email address given with %(reference)s is erased.", reference=response.reference))
            return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_erase_contact.html", form=form, consultation=consultation)


# ---------------------------------------------------------------- staff: results and outcome


@bp.get("/manage/<int:consultation_id>/results")
@roles_required(*RESULTS_READERS)
def results(consultation_id: int) -> str:
    consultation = _managed(consultation_id)
    form = ResultsFilterForm(request.args)
    form.place.choices = select_choices(_place_choices(), blank=_("All places"))
    valid = form.validate()
    filters = results_service.Filters()
    if valid:
        filters = results_service.Filters(place=form.place.data or None, channel=form.channel.data or None,
                                          date_from=form.date_from.data, date_to=form.date_to.data)
    db = get_session()
    computed = results_service.compute(db, consultation, filters, _locale())
    text_ids = [q.id for q in consultation.questions() if q.kind in kinds.TEXT_KINDS]
    page = results_service.text_answers(
        db, consultation, filters, text_ids, form.q.data or "", parse_page_number(request.args.get("page")),
        known_total=sum(r.answered for r in computed.questions if r.question.id in text_ids))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("consultations/manage_results.html", consultation=consultation,
                           text=consultation.translation(_locale()), results=computed, form=form,
                           page=page, args=args, channel_labels=CHANNEL_LABELS, tr=kinds.tr,
                           locale=_locale(), **coding.results_context(db, consultation.id, _("Themes")))


@bp.get("/manage/<int:consultation_id>/who-took-part")
@roles_required(*RESULTS_READERS)
def who_took_part(consultation_id: int) -> str:
    from citizen.reach import participation

    consultation = _managed(consultation_id)
    report = participation.report(get_session(), consultation.id, consultation.place_slugs)
    return render_template("consultations/manage_who_took_part.html", consultation=consultation,
                           text=consultation.translation(_locale()), report=report,
                           charts=participation.charts(report))


@bp.route("/manage/<int:consultation_id>/outcome/<locale>", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def outcome(consultation_id: int, locale: str) -> str | WerkzeugResponse:
    consultation = _managed(consultation_id)
    if locale not in SUPPORTED_CODES:
        abort(404)
    current = next((t for t in consultation.translations if t.locale == locale), None)
    form = OutcomeForm(data={"outcome": current.outcome if current else ""})
    if form.validate_on_submit():
        services.save_outcome(get_session(), _actor_id(), consultation, locale, form.outcome.data or "")
        flash(_("Outcome saved. Publish it when every language you need is ready."))
        return redirect(url_for(".manage_show", consultation_id=consultation.id))
    return render_template("consultations/manage_outcome.html", form=form, consultation=consultation,
                           locale=locale)


@bp.post("/manage/<int:consultation_id>/outcome/publish")
@roles_required(*BUILDERS)
def outcome_publish(consultation_id: int) -> WerkzeugResponse:
    consultation = _managed(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        recipients = services.publish_outcome(get_session(), _actor_id(), consultation)
    except ConsultationError as error:
        flash(message(error.code, **error.params), "error")
    else:
        for recipient in recipients:
            text = consultation.translation(recipient.locale)
            send_after_commit(render_mail(
                "consultations_outcome", recipient.email, recipient.locale, title=text.title,
                url=url_for(".show", slug=consultation.slug, _external=True)))
        flash(_("Outcome published. We emailed %(count)s people who asked to hear about it.",
                count=len(recipients)))
    return redirect(url_for(".manage_show", consultation_id=consultation.id))


# ---------------------------------------------------------------- template filters


@bp.app_template_filter("tr")
def _tr_filter(texts: Any, locale: str) -> str:
    return kinds.tr(texts, locale)


@bp.app_template_filter("place_names")
def _place_names_filter(slugs: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(slug, slug) for slug in slugs)


def _babel_locale() -> str:
    return str(get_locale() or "en")


@bp.app_template_filter("consultation_date")
def _date_filter(value: datetime | date | None) -> str:
    """A moment as its day in London, or a day, written out in the reader's language."""
    from babel.dates import format_date

    if value is None:
        return ""
    if isinstance(value, datetime):
        local = services.to_london(value)
        assert local is not None
        value = local.date()
    return format_date(value, "long", locale=_babel_locale())


@bp.app_template_filter("consultation_datetime")
def _datetime_filter(value: datetime | None) -> str:
    from babel.dates import format_date, format_time

    if value is None:
        return ""
    local = services.to_london(value)
    assert local is not None
    return (format_date(local.date(), "long", locale=_babel_locale()) + ", "
            + format_time(local.time(), "HH:mm", locale=_babel_locale()))



@bp.app_template_filter("status_label")
def _status_filter(status: str) -> str:
    labels = {
        Status.DRAFT: _("Draft"),
        Status.SCHEDULED: _("Coming soon"),
        Status.OPEN: _("Open"),
        Status.CLOSED: _("Closed"),
        Status.OUTCOME_PUBLISHED: _("Outcome published"),
    }
    return str(labels.get(Status(status), status))


# ---------------------------------------------------------------- command line


@bp.cli.command("send-draft-reminders")
def send_draft_reminders() -> None:
    """E-mail people whose saved answers are not sent yet, shortly before the consultation
    closes (once per draft). Safe to run again."""
    from citizen.consultations.reminders import send_draft_reminders as send

    count = send(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Draft reminders sent: {count}")


@bp.cli.command("purge-consultation-data")
def purge_consultation_data() -> None:
    """Delete drafts never sent and residents' e-mail addresses once the retention rules say
    so (see citizen/consultations/retention.py). Safe to run again."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with unit_of_work(app) as db:
        totals = retention.purge(db, retention.Retention.from_config(app.config))
    click.echo(f"Consultation data deleted: {totals['drafts']} drafts never sent and "
               f"{totals['addresses']} e-mail addresses, from {totals['consultations']} consultations.")
