"""Routes of the moderation feature: the queue, one item, decisions, safeguarding, reports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from citizen.accounts.session import current_user
from citizen.db import get_session
from citizen.extensions import limit_from_config, limiter
from citizen.moderation import coding, pii
from citizen.moderation import services as moderation
from citizen.moderation.forms import (
    AnswerFilterForm,
    ApproveForm,
    BulkForm,
    EscalateForm,
    PhraseForm,
    QueueFilterForm,
    RedactForm,
    RejectForm,
    RenameThemeForm,
    ReportForm,
    ResolveForm,
    ThemeForm,
)
from citizen.moderation.models import ItemState, ModerationItem
from citizen.moderation.permissions import CODER_ROLES, MODERATOR_ROLES
from citizen.shared.audit import hash_ip
from citizen.shared.forms import select_choices
from citizen.shared.ids import parse_id
from citizen.shared.pagination import paginate, parse_page_number
from citizen.shared.permissions import public, roles_required

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

FORM_LIMIT = limit_from_config("RATELIMIT_FORMS")
PER_PAGE = 50


def _actor_id() -> int | None:
    user = current_user()
    return user.id if user is not None else None


def _item_or_404(item_id: int) -> ModerationItem:
    item = moderation.get_item(get_session(), item_id)
    if item is None:
        abort(404)
    return item


def _consultation_titles(ids: list[int]) -> dict[int, str]:
    """Titles of consultations in the reader's language (from the consultations feature)."""
    if not ids:
        return {}
    try:
        from citizen.consultations import services as consultations
    except ImportError:  # pragma: no cover - the feature is always installed
        return {i: str(i) for i in ids}
    locale = str(get_locale() or "en")
    titles: dict[int, str] = {}
    for consultation_id in ids:
        consultation = consultations.get(get_session(), consultation_id)
        titles[consultation_id] = (consultation.translation(locale).title
                                   if consultation is not None else str(consultation_id))
    return titles


def _place_names() -> dict[str, str]:
    from citizen.places.services import places

    return {p.slug: p.name for p in places(get_session())}


def _filter_from(form: QueueFilterForm) -> moderation.QueueFilter:
    def as_int(value: str | None) -> int | None:
        try:
            return int(value) if value else None
        except ValueError:
            return None

    return moderation.QueueFilter(
        kind=form.kind.data or None,
        consultation_id=as_int(form.consultation.data),
        place_slug=form.place.data or None,
        state=form.state.data or "review",
        older_than_days=as_int(form.age.data),
        with_findings=form.findings.data == "yes",
    )


def _filter_form() -> tuple[QueueFilterForm, dict[int, str], dict[str, str]]:
    session = get_session()
    form = QueueFilterForm(request.args)
    form.kind.choices = select_choices(((k.code, str(k.label)) for k in moderation.kinds()),
                                       blank=_("Any kind"))
    titles = _consultation_titles(moderation.consultation_ids_in_queue(session))
    form.consultation.choices = select_choices(
        ((str(i), title) for i, title in titles.items()), blank=_("Any consultation"))
    names = _place_names()
    form.place.choices = select_choices(
        ((slug, names.get(slug, slug)) for slug in moderation.place_slugs_in_queue(session)),
        blank=_("Any area"))
    if not form.validate():
        # an unknown value in the address: fall back to no filter rather than an error
        for field in (form.kind, form.consultation, form.place, form.state, form.age,
                      form.findings):
            if field.errors:
                field.data = field.default or ""
                field.errors = []
    return form, titles, names


def _next_item_url(after: ModerationItem | None = None) -> str:
    """The next item waiting, oldest first (so a moderator can keep going from the keyboard)."""
    query = moderation.queue_query(moderation.QueueFilter())
    if after is not None:
        query = query.where(ModerationItem.id != after.id)
    following = get_session().scalars(query.limit(1)).first()
    if following is None:
        return url_for("moderation.queue_list")
    return url_for("moderation.item_show", item_id=following.id)


@bp.get("/")
@roles_required(*MODERATOR_ROLES)
def queue_list() -> str:
    form, titles, names = _filter_form()
    flt = _filter_from(form)
    page = paginate(get_session(), moderation.queue_query(flt),
                    parse_page_number(request.args.get("page")), PER_PAGE)
    bulk = BulkForm(formdata=None)
    bulk.next.data = request.full_path
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "moderation/queue_list.html", filter_form=form, bulk=bulk, page=page, args=args,
        titles=titles, names=names, counts=moderation.counts_by_state(get_session()),
        kind_label=moderation.label_of,
        age=moderation.age_in_days, excerpt=_excerpt, form=None,
        coding_url=url_for("moderation.codebook_index") if "moderation.codebook_index"
        in current_app.view_functions else None,
    )


def _excerpt(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@bp.post("/bulk")
@roles_required(*MODERATOR_ROLES)
def queue_bulk() -> Response | tuple[str, int]:
    form = BulkForm()
    session = get_session()
    form.item_ids.choices = select_choices((i, str(i)) for i in _posted_ids())
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(problem)s", problem="; ".join(
            str(m) for field in form for m in field.errors)), "error")
        return redirect(_safe_back(form.next.data))
    done = moderation.bulk_decide(session, form.item_ids.data or [], form.decision.data or "",
                                  _actor_id(), reason_code=form.reason.data or None,
                                  reason_text=form.reason_text.data)
    if form.decision.data == "approve":
        flash(_("%(count)s items approved.", count=done))
    else:
        flash(_("%(count)s items rejected.", count=done))
    return redirect(_safe_back(form.next.data))


def _posted_ids() -> list[int]:
    ids = []
    for raw in request.form.getlist("item_ids"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    return ids


def _safe_back(target: str | None) -> str:
    if target and target.startswith("/moderation/") and not target.startswith("//"):
        return target
    return url_for("moderation.queue_list")


def _item_page(item: ModerationItem, status: int = 200, *, reject_form: RejectForm | None = None,
               escalate_form: EscalateForm | None = None, phrase_form: PhraseForm | None = None,
               form: Any = None) -> tuple[str, int]:
    session = get_session()
    text = moderation.working_text(item)
    findings = pii.detect(text)
    contact = None
    if item.safeguarding and item.author_email:
        contact = moderation.view_contact(session, item, _actor_id())
    titles = _consultation_titles([item.consultation_id] if item.consultation_id else [])
    return render_template(
        "moderation/item_show.html", item=item, text=text, findings=findings,
        segments=pii.segments(text, findings), digest=moderation.text_digest(text),
        label=pii.label, kind_label=moderation.label_of(item.kind),
        public_url=moderation.public_url_of(item), contact=contact,
        consultation_title=titles.get(item.consultation_id or 0),
        place_name=_place_names().get(item.place_slug or "", item.place_slug),
        approve_form=ApproveForm(), redact_form=RedactForm(formdata=None),
        reject_form=reject_form or RejectForm(formdata=None),
        escalate_form=escalate_form or EscalateForm(formdata=None),
        resolve_form=ResolveForm(formdata=None),
        phrase_form=phrase_form or PhraseForm(formdata=None),
        reason_label=moderation.reason_label, age=moderation.age_in_days(item),
        next_url=_next_item_url(item), form=form,
    ), status


@bp.get("/items/<int:item_id>")
@roles_required(*MODERATOR_ROLES)
def item_show(item_id: int) -> tuple[str, int]:
    return _item_page(_item_or_404(item_id))


@bp.post("/items/<int:item_id>/redact")
@roles_required(*MODERATOR_ROLES)
def item_redact(item_id: int) -> Response:
    item = _item_or_404(item_id)
    form = RedactForm()
    session = get_session()
    if request.form.get("all"):
        if ApproveForm().validate_on_submit():
            count = moderation.redact_all(session, item, _actor_id())
            flash(_("%(count)s pieces of personal data removed.", count=count))
        return redirect(url_for("moderation.item_show", item_id=item.id))
    if request.form.get("undo"):
        if ApproveForm().validate_on_submit():
            moderation.undo_redactions(session, item, _actor_id())
            flash(_("All removals undone. The text is as the author wrote it."))
        return redirect(url_for("moderation.item_show", item_id=item.id))
    if not form.validate_on_submit():
        flash(_("That could not be removed. Try again."), "error")
        return redirect(url_for("moderation.item_show", item_id=item.id))
    try:
        moderation.redact(session, item, start=form.start.data or 0, end=form.end.data or 0,
                          kind=form.kind.data or "", digest=form.digest.data or "",
                          actor_id=_actor_id())
    except moderation.StaleText:
        flash(_("The text changed since you opened the page. Look at it again."), "error")
    except ValueError:
        abort(400)
    else:
        flash(_("Removed: %(what)s.", what=pii.label(form.kind.data or "other")))
    return redirect(url_for("moderation.item_show", item_id=item.id, _anchor="text"))


@bp.post("/items/<int:item_id>/remove-text")
@roles_required(*MODERATOR_ROLES)
def item_remove_phrase(item_id: int) -> Response | tuple[str, int]:
    item = _item_or_404(item_id)
    form = PhraseForm()
    if not form.validate_on_submit():
        return _item_page(item, 400, phrase_form=form, form=form)
    count = moderation.redact_phrase(get_session(), item, form.phrase.data or "", _actor_id())
    if count == 0:
        form.phrase.errors = [_("Those words are not in the text. Copy them exactly.")]
        return _item_page(item, 400, phrase_form=form, form=form)
    flash(_("Removed in %(count)s places.", count=count))
    return redirect(url_for("moderation.item_show", item_id=item.id, _anchor="text"))


@bp.post("/items/<int:item_id>/decide")
@roles_required(*MODERATOR_ROLES)
def item_decide(item_id: int) -> Response | tuple[str, int]:
    item = _item_or_404(item_id)
    session = get_session()
    decision = request.form.get("decision", "")
    actor = _actor_id()
    if decision in ("approve", "approve_redacted"):
        if not ApproveForm().validate_on_submit():
            abort(400)
        action = moderation.approve(session, item, actor,
                                    redact_findings=decision == "approve_redacted")
        flash(_("Approved with personal data removed.") if action.endswith("redacted")
              else _("Approved."))
    elif decision == "reject":
        reject_form = RejectForm()
        if not reject_form.validate_on_submit():
            return _item_page(item, 400, reject_form=reject_form, form=reject_form)
        moderation.reject(session, item, actor, reason_code=reject_form.reason.data or "other",
                          reason_text=reject_form.reason_text.data)
        flash(_("Rejected."))
    elif decision == "escalate":
        escalate_form = EscalateForm()
        if not escalate_form.validate_on_submit():
            return _item_page(item, 400, escalate_form=escalate_form, form=escalate_form)
        moderation.escalate(session, item, actor, reason_text=escalate_form.note.data)
        flash(_("Escalated. It is hidden and on the safeguarding list."))
    else:
        abort(400)
    return redirect(_next_item_url(item))


@bp.get("/safeguarding")
@roles_required(*MODERATOR_ROLES)
def safeguarding_list() -> str:
    query = moderation.queue_query(moderation.QueueFilter(safeguarding=True))
    page = paginate(get_session(), query, parse_page_number(request.args.get("page")), PER_PAGE)
    return render_template(
        "moderation/safeguarding_list.html", page=page, excerpt=_excerpt,
        kind_label=moderation.label_of, age=moderation.age_in_days,
    )


@bp.post("/items/<int:item_id>/resolve")
@roles_required(*MODERATOR_ROLES)
def item_resolve(item_id: int) -> Response | tuple[str, int]:
    item = _item_or_404(item_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _item_page(item, 400, form=form)
    moderation.resolve_safeguarding(get_session(), item, _actor_id(), form.note.data)
    flash(_("Safeguarding concern marked as dealt with."))
    return redirect(url_for("moderation.safeguarding_list"))


# ---------------------------------------------------------------- "report this" (public)


def _reportable(kind: str, target_id: int) -> ModerationItem:
    try:
        moderation.kind_of(kind)
    except ValueError:
        abort(404)
    item = moderation.reportable_item(get_session(), kind, target_id,
                                      create=request.method == "POST")
    if item is None:
        abort(404)
    return item


@bp.route("/report/<kind>/<int:target_id>", methods=["GET", "POST"])
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def report_form(kind: str, target_id: int) -> str | tuple[str, int]:
    """"Report this" on a published item: a reason; enough reports hide it pending review."""
    item = _reportable(kind, target_id)
    form = ReportForm()
    if form.validate_on_submit():
        if item.state != ItemState.HIDDEN:
            moderation.report(get_session(), item, reason=form.reason.data or "other",
                              details=form.details.data,
                              reporter_hash=hash_ip(request.remote_addr))
        return render_template("moderation/report_done.html",
                               back_url=moderation.public_url_of(item))
    status = 400 if form.errors else 200
    return render_template("moderation/report_form.html", form=form,
                           kind_label=moderation.label_of(kind),
                           text=item.published_text if item.is_public else None,
                           back_url=moderation.public_url_of(item)), status


# ---------------------------------------------------------------- coding free text


def _consultation_or_404(consultation_id: int) -> Any:
    from citizen.consultations import services as consultations

    consultation = consultations.get(get_session(), consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _title(consultation: Any) -> str:
    return str(consultation.translation(str(get_locale() or "en")).title)


@bp.get("/coding")
@roles_required(*CODER_ROLES)
def codebook_index() -> str:
    from citizen.consultations import services as consultations

    session = get_session()
    rows = [(c, _title(c), coding.progress(session, c.id))
            for c in consultations.manage_list(session)]
    return render_template("moderation/codebook_index.html", rows=rows)


def _theme_choices(consultation_id: int, blank: str) -> list[SelectChoice]:
    themes = coding.all_themes(get_session(), consultation_id)
    return select_choices(((str(t.id), ("— " if t.parent_id else "") + t.name) for t in themes),
                          blank=blank)


def _codebook_page(consultation: Any, theme_form: ThemeForm | None = None,
                   status: int = 200) -> tuple[str, int]:
    session = get_session()
    form = theme_form or ThemeForm(formdata=None)
    form.parent.choices = select_choices(
        ((str(t.id), t.name) for t in coding.codebook(session, consultation.id)),
        blank=_("Nothing: it is a main theme"))
    counts = coding.theme_sentiment_counts(session, consultation.id)
    return render_template(
        "moderation/codebook_show.html", consultation=consultation, title=_title(consultation),
        themes=coding.codebook(session, consultation.id), theme_form=form,
        rename_form=RenameThemeForm(formdata=None), action_form=ApproveForm(),
        progress=coding.progress(session, consultation.id), counts=counts,
        sentiments=[(str(code), str(label)) for code, label in coding.SENTIMENTS],
        chart=coding.theme_chart(session, consultation.id,
                                 _("Answers per theme and sentiment")),
        form=theme_form,
    ), status


@bp.route("/coding/<int:consultation_id>", methods=["GET", "POST"])
@roles_required(*CODER_ROLES)
def codebook_show(consultation_id: int) -> Response | tuple[str, int]:
    consultation = _consultation_or_404(consultation_id)
    if request.method == "GET":
        return _codebook_page(consultation)
    form = ThemeForm()
    form.parent.choices = select_choices(
        ((str(t.id), t.name) for t in coding.codebook(get_session(), consultation.id)), blank="")
    if not form.validate_on_submit():
        return _codebook_page(consultation, form, 400)
    try:
        coding.add_theme(get_session(), consultation.id, form.name.data or "",
                         parent_id=int(form.parent.data) if form.parent.data else None,
                         description=form.description.data or "", actor_id=_actor_id())
    except coding.CodingError as error:
        field = form.parent if error.code == "parent" else form.name
        field.errors = [*field.errors, str(coding.ERRORS[error.code])]
        return _codebook_page(consultation, form, 400)
    flash(_("Theme added: %(name)s", name=form.name.data))
    return redirect(url_for("moderation.codebook_show", consultation_id=consultation.id))


@bp.post("/coding/<int:consultation_id>/themes/<int:theme_id>/rename")
@roles_required(*CODER_ROLES)
def theme_rename(consultation_id: int, theme_id: int) -> Response:
    consultation = _consultation_or_404(consultation_id)
    theme = coding.get_theme(get_session(), consultation.id, theme_id)
    if theme is None:
        abort(404)
    form = RenameThemeForm()
    if form.validate_on_submit():
        try:
            coding.rename_theme(get_session(), theme, form.name.data or "", _actor_id())
        except coding.CodingError as error:
            flash(str(coding.ERRORS[error.code]), "error")
        else:
            flash(_("Theme renamed."))
    else:
        flash(_("Enter a name for the theme"), "error")
    return redirect(url_for("moderation.codebook_show", consultation_id=consultation.id))


@bp.post("/coding/<int:consultation_id>/themes/<int:theme_id>/delete")
@roles_required(*CODER_ROLES)
def theme_delete(consultation_id: int, theme_id: int) -> Response:
    consultation = _consultation_or_404(consultation_id)
    theme = coding.get_theme(get_session(), consultation.id, theme_id)
    if theme is None:
        abort(404)
    if ApproveForm().validate_on_submit():
        name = theme.name
        removed = coding.delete_theme(get_session(), theme, _actor_id())
        flash(_("Theme deleted: %(name)s. %(count)s tags removed.", name=name, count=removed))
    return redirect(url_for("moderation.codebook_show", consultation_id=consultation.id))


def _answer_filter(consultation_id: int) -> tuple[AnswerFilterForm, coding.AnswerFilter]:
    form = AnswerFilterForm(request.args)
    form.theme.choices = _theme_choices(consultation_id, _("Any theme"))
    form.sentiment.choices = select_choices(
        ((str(code), str(label)) for code, label in coding.SENTIMENTS), blank=_("Any sentiment"))
    if not form.validate():
        for field in form:
            if field.errors:
                field.data = ""
                field.errors = []
    theme_id = parse_id(form.theme.data)
    return form, coding.AnswerFilter(theme_id=theme_id, sentiment=form.sentiment.data or None,
                                     uncoded=form.coded.data == "no", search=form.q.data or "")


@bp.get("/coding/<int:consultation_id>/answers")
@roles_required(*CODER_ROLES)
def coding_answers(consultation_id: int) -> str:
    consultation = _consultation_or_404(consultation_id)
    session = get_session()
    form, flt = _answer_filter(consultation.id)
    page = coding.answers(session, consultation.id, flt,
                          parse_page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "moderation/coding_answers.html", consultation=consultation, title=_title(consultation),
        filter_form=form, page=page, args=args, themes=coding.all_themes(session, consultation.id),
        sentiments=[(str(code), str(label)) for code, label in coding.SENTIMENTS],
        action_form=ApproveForm(), progress=coding.progress(session, consultation.id),
        back=request.full_path,
    )


@bp.post("/coding/<int:consultation_id>/answers/<int:answer_id>")
@roles_required(*CODER_ROLES)
def coding_answer_save(consultation_id: int, answer_id: int) -> Response:
    consultation = _consultation_or_404(consultation_id)
    if not ApproveForm().validate_on_submit():
        abort(400)
    theme_ids = []
    for raw in request.form.getlist("themes"):
        theme_id = parse_id(raw)
        if theme_id is None:
            abort(400)
        theme_ids.append(theme_id)
    try:
        coding.code_answer(get_session(), consultation.id, answer_id, theme_ids=theme_ids,
                           sentiment=request.form.get("sentiment") or None, actor_id=_actor_id())
    except coding.CodingError as error:
        if error.code == "answer":
            abort(404)
        flash(str(coding.ERRORS[error.code]), "error")
    else:
        flash(_("Saved."))
    back = request.form.get("back") or ""
    if not back.startswith(f"/moderation/coding/{consultation.id}/answers"):
        back = url_for("moderation.coding_answers", consultation_id=consultation.id)
    return redirect(f"{back.split('#')[0]}#answer-{answer_id}")
