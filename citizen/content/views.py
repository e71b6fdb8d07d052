"""Routes of the content feature: information pages for readers, and the pages where
organisers, translators and community partners' reviewers write, check and publish them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

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
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from citizen.accounts.models import Organisation, User
from citizen.content import easyread, readability, richtext, services
from citizen.content import permissions as can
from citizen.content.forms import (
    ActionForm,
    EmptyForm,
    FeedbackForm,
    PageNewForm,
    PageSettingsForm,
    PartnerForm,
    ReviewerForm,
    SearchForm,
    TextForm,
    TopicForm,
    TranslatorForm,
    UploadForm,
    topic_edit_form,
)
from citizen.content.messages import (
    EVENT_LABELS,
    PILLAR_LABELS,
    STATUS_LABELS,
    VARIANT_LABELS,
    error_message,
)
from citizen.content.models import (
    EASY_READ,
    MASTER_LOCALE,
    STANDARD,
    VARIANTS,
    ContentPartner,
    Page,
    PageTranslation,
    PartnerReviewer,
    Topic,
    TranslatorAssignment,
)
from citizen.content.services import ContentError
from citizen.content.xliff import FileError
from citizen.db import get_session, utcnow
from citizen.extensions import limit_from_config, limiter
from citizen.i18n import SUPPORTED_CODES, current_language, language, languages
from citizen.places.models import Place, PlaceKind
from citizen.shared.pagination import page_of, parse_page_number
from citizen.shared.permissions import public, roles_required

bp = Blueprint("content", __name__, url_prefix="/information")

SIGNED_IN = ("resident", "organisation_member", "moderator", "organiser", "admin")
FORM_LIMIT = limit_from_config("RATELIMIT_FORMS")
LOOKUP_LIMIT = limit_from_config("RATELIMIT_LOOKUPS")


def _user() -> User:
    user: User | None = g.get("current_user")
    if user is None:
        abort(401)
    return user


def _field_error(form: FlaskForm, error: ContentError | FileError) -> None:
    name = getattr(error, "field", None)
    if not name or name not in form:
        name = next(iter(form)).name
    form[name].errors = [*form[name].errors, error_message(error.code, error.params)]


def _common() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "variant_labels": VARIANT_LABELS,
            "pillar_labels": PILLAR_LABELS, "event_labels": EVENT_LABELS,
            "lang_of": language}


# ---------------------------------------------------------------- readers


@bp.get("/")
@public
def topic_list() -> str:
    topics = services.topics(get_session())
    shown = [(t, [p for p in t.pages if services.is_visible(p)]) for t in topics]
    return render_template("content/topic_list.html", topics=[s for s in shown if s[1]],
                           code=current_language().code, search_form=SearchForm(formdata=None),
                           **_common())


SEARCH_PER_PAGE = 20


@bp.get("/search")
@public
@limiter.limit(LOOKUP_LIMIT)
def search() -> tuple[str, int]:
    """Search the pages in the reader's language (a GET form: works without JavaScript, and
    the address can be bookmarked). Before anything is typed, just the form; a mistake is shown
    at the field with what was typed kept, and answers 400 like the other public forms."""
    form = SearchForm(request.args)
    code = current_language().code
    results = shown = None
    if "q" in request.args and form.validate():
        try:
            results = services.search(get_session(), form.q.data or "", code)
        except ContentError as error:
            _field_error(form, error)
        else:
            shown = page_of(results.hits, parse_page_number(request.args.get("page")),
                            SEARCH_PER_PAGE)
    return render_template("content/search.html", form=form, results=results, shown=shown,
                           code=code, **_common()), 400 if form.errors else 200


@bp.get("/topics/<slug>")
@public
def topic_show(slug: str) -> str:
    topic = services.topic_by_slug(get_session(), slug)
    if topic is None:
        abort(404)
    pages = [p for p in topic.pages if services.is_visible(p)]
    code = current_language().code
    title, title_lang = topic.title_in(code)
    return render_template("content/topic_show.html", topic=topic, pages=pages, code=code,
                           title=title, title_lang=title_lang, **_common())


def _missing_messages(code: str, variant: str, reading: services.Reading) -> dict[str, str]:
    """What to tell a reader when the page is not in their language, in their language."""
    lang = language(code)
    assert lang is not None
    with force_locale(code):
        messages = {
            "heading": _("This page is not available in %(language)s yet.", language=lang.endonym)
            if variant == STANDARD else
            _("There is no Easy Read version of this page in %(language)s yet.",
              language=lang.endonym),
            "english": _("Read this page in English"),
            "easy_read": _("Read the Easy Read version"),
            "standard": _("Read the full page in %(language)s", language=lang.endonym),
            "others": _("This page is also in these languages:"),
        }
    return messages


def _render_page(slug: str, code: str, variant: str, feedback_form: FeedbackForm | None = None,
                 status: int = 200) -> tuple[str, int]:
    session = get_session()
    page = services.page_by_slug(session, slug)
    if page is None or not services.is_visible(page) or code not in SUPPORTED_CODES:
        abort(404)
    reading = services.reading(page, code, variant)
    text = reading.text
    form = feedback_form or FeedbackForm(variant=variant)
    report_url = None
    if "moderation.report_form" in current_app.view_functions:
        report_url = url_for("moderation.report_form", kind="page", target_id=page.id)
    master = page.translation(MASTER_LOCALE, STANDARD)
    places = [p.name for p in session.scalars(
        select(Place).where(Place.slug.in_(page.place_slugs or [])).order_by(Place.name))]
    template = "content/page_easy_read.html" if variant == EASY_READ else "content/page_show.html"
    return render_template(
        template, page=page, reading=reading, text=text, code=code, variant=variant,
        page_language=language(code), missing=None if text else _missing_messages(
            code, variant, reading),
        checked_by=services.partner_name(session, text.checked_partner_id) if text else None,
        english_date=page.english_version_at,
        master_title=master.published_title if master and master.is_published else None,
        feedback_form=form, form=feedback_form, report_url=report_url,
        pictures=easyread.PICTURES, places=places, **_common(),
        comments_deleted_on=utcnow().date() + timedelta(days=int(current_app.config["FEEDBACK_DAYS"])),
    ), status


@bp.get("/pages/<slug>")
@public
def page_show(slug: str) -> tuple[str, int]:
    return _render_page(slug, current_language().code, STANDARD)


@bp.get("/pages/<slug>/<code>")
@public
def page_in(slug: str, code: str) -> tuple[str, int]:
    return _render_page(slug, code, STANDARD)


@bp.get("/pages/<slug>/<code>/easy-read")
@public
def page_easy_read(slug: str, code: str) -> tuple[str, int]:
    return _render_page(slug, code, EASY_READ)


@bp.post("/pages/<slug>/<code>/feedback")
@public
@limiter.limit(FORM_LIMIT, methods=["POST"])
def feedback(slug: str, code: str) -> tuple[str, int] | WerkzeugResponse:
    session = get_session()
    page = services.page_by_slug(session, slug)
    if page is None or not services.is_visible(page) or code not in SUPPORTED_CODES:
        abort(404)
    form = FeedbackForm()
    variant = form.variant.data if form.variant.data in VARIANTS else STANDARD
    if form.validate_on_submit():
        try:
            services.give_feedback(session, page, locale=code, variant=variant,
                                   useful=form.useful.data == "yes",
                                   comment=form.comment.data or "")
        except ContentError as error:
            _field_error(form, error)
        else:
            flash(_("Thank you. Your feedback helps us make this information better."))
            endpoint = "content.page_easy_read" if variant == EASY_READ else "content.page_in"
            return redirect(url_for(endpoint, slug=slug, code=code) + "#feedback")
    return _render_page(slug, code, variant, feedback_form=form, status=400)


# ---------------------------------------------------------------- the coverage dashboard


@bp.get("/manage/")
@roles_required(*SIGNED_IN)
def dashboard() -> str:
    session = get_session()
    user = _user()
    if not can.can_work_on_content(session, user):
        abort(403)
    return render_template(
        "content/dashboard_show.html", rows=services.coverage(session),
        topics=services.topics(session),
        feedback=services.feedback_counts(session), manager=can.can_manage(user),
        my_languages=can.translator_locales(session, user) | can.reviewer_locales(session, user),
        **_common(),
    )


# ---------------------------------------------------------------- organisers: topics and pages


def _place_choices() -> list[SelectChoice]:
    places = get_session().scalars(select(Place).where(Place.kind == PlaceKind.PLACE)
                                   .order_by(Place.name))
    return [SelectChoice(p.slug, p.name) for p in places]


def _topic_choices() -> list[SelectChoice]:
    return [SelectChoice(t.id, t.title) for t in services.topics(get_session())]


@bp.route("/manage/topics/new", methods=["GET", "POST"])
@roles_required("organiser", "admin")
def topic_new() -> str | WerkzeugResponse:
    form = TopicForm()
    if form.validate_on_submit():
        try:
            services.create_topic(get_session(), _user(), slug=form.slug.data or "",
                                  title=form.title.data or "", summary=form.summary.data or "")
        except ContentError as error:
            _field_error(form, error)
        else:
            flash(_("Topic added."))
            return redirect(url_for("content.dashboard"))
    return render_template("content/topic_new.html", form=form)


@bp.route("/manage/topics/<int:topic_id>", methods=["GET", "POST"])
@roles_required("organiser", "admin")
def topic_edit(topic_id: int) -> str | WerkzeugResponse:
    session = get_session()
    topic = session.get(Topic, topic_id)
    if topic is None:
        abort(404)
    form = topic_edit_form(topic.titles, None if request.method == "POST" else {
        "title": topic.title, "summary": topic.summary,
        **{f"name_{code}": name for code, name in topic.titles.items()}})
    if form.validate_on_submit():
        titles = {lang.code: form[f"name_{lang.code}"].data or "" for lang in languages()[1:]}
        try:
            services.update_topic(session, _user(), topic, title=form.title.data or "",
                                  summary=form.summary.data or "", titles=titles)
        except ContentError as error:
            _field_error(form, error)
        else:
            flash(_("Topic saved."))
            return redirect(url_for("content.dashboard"))
    return render_template("content/topic_edit.html", form=form, topic=topic,
                           name_fields=[(lang, form[f"name_{lang.code}"]) for lang in languages()[1:]])


@bp.route("/manage/pages/new", methods=["GET", "POST"])
@roles_required("organiser", "admin")
def page_new() -> str | WerkzeugResponse:
    form = PageNewForm()
    form.topic.choices = _topic_choices()
    form.places.choices = _place_choices()
    if form.validate_on_submit():
        session = get_session()
        topic = session.get(Topic, form.topic.data)
        if topic is None:
            abort(400)
        try:
            page = services.create_page(
                session, _user(), topic=topic, slug=form.slug.data or "",
                pillar=form.pillar.data or "", place_slugs=form.places.data or [],
                title=form.title.data or "", summary=form.summary.data or "",
                body=form.body.data or "")
        except ContentError as error:
            _field_error(form, error)
        else:
            flash(_("Page added as a draft. Check it, then publish it."))
            return redirect(url_for("content.translation_edit", page_id=page.id,
                                    code=MASTER_LOCALE, variant=STANDARD))
    return render_template("content/page_new.html", form=form, **_common())


def _page(page_id: int) -> Page:
    page = get_session().get(Page, page_id)
    if page is None:
        abort(404)
    return page


@bp.route("/manage/pages/<int:page_id>/settings", methods=["GET", "POST"])
@roles_required("organiser", "admin")
def page_settings(page_id: int) -> str | WerkzeugResponse:
    page = _page(page_id)
    form = PageSettingsForm(obj=None, data={"topic": page.topic_id, "pillar": page.pillar,
                                            "places": page.place_slugs})
    form.topic.choices = _topic_choices()
    form.places.choices = _place_choices()
    if form.validate_on_submit():
        session = get_session()
        topic = session.get(Topic, form.topic.data)
        if topic is None:
            abort(400)
        try:
            services.update_page(session, _user(), page, topic=topic, pillar=form.pillar.data or "",
                                 place_slugs=form.places.data or [])
        except ContentError as error:
            _field_error(form, error)
        else:
            flash(_("Page settings saved."))
            return redirect(url_for("content.dashboard"))
    return render_template("content/page_settings.html", form=form, page=page, **_common())


# ---------------------------------------------------------------- one translation


def _translation_or_abort(page: Page, code: str, variant: str) -> PageTranslation | None:
    if code not in SUPPORTED_CODES or variant not in VARIANTS:
        abort(404)
    session = get_session()
    user = _user()
    translation = page.translation(code, variant)
    allowed = can.can_manage(user) or code in can.translator_locales(session, user) or (
        code in can.reviewer_locales(session, user))
    if not allowed:
        abort(403)
    return translation


def _text_form(translation: PageTranslation | None, page: Page, variant: str) -> TextForm:
    if translation is None:
        return TextForm()
    return TextForm(data={
        "title": translation.title, "summary": translation.summary, "body": translation.body,
        "lines": easyread.format_lines(translation.lines),
        "machine_drafted": translation.machine_drafted,
    })


def _render_translation(page: Page, code: str, variant: str, *, text_form: TextForm | None = None,
                        action_form: ActionForm | None = None, upload_form: UploadForm | None = None,
                        failed: FlaskForm | None = None, status: int = 200) -> tuple[str, int]:
    session = get_session()
    user = _user()
    translation = page.translation(code, variant)
    source = page.translation(MASTER_LOCALE, variant) if code != MASTER_LOCALE else None
    if source is None and code != MASTER_LOCALE:
        source = page.translation(MASTER_LOCALE, STANDARD)
    if translation is not None:
        may_edit = can.can_edit(session, user, translation)
    else:
        may_edit = can.can_edit_locale(session, user, code, variant)
    english_text = None
    if code == MASTER_LOCALE and translation is not None:
        english_text = (readability.estimate_html(translation.body) if variant == STANDARD
                        else readability.estimate("\n".join(
                            str(line.get("text", "")) for line in translation.lines)))
    return render_template(
        "content/translation_edit.html", page=page, code=code, variant=variant,
        page_language=language(code), translation=translation, source=source,
        text_form=text_form or _text_form(translation, page, variant),
        action_form=action_form or ActionForm(), upload_form=upload_form or UploadForm(),
        form=failed, may_edit=may_edit,
        may_submit=translation is not None and can.can_submit(session, user, translation),
        may_review=translation is not None and can.can_review(session, user, translation),
        may_send_back=translation is not None and can.can_send_back(session, user, translation),
        may_publish=translation is not None and can.can_publish(user, translation),
        may_unpublish=translation is not None and can.can_manage(user) and translation.is_published,
        out_of_date=translation is not None and services.is_out_of_date(page, translation),
        reading_age=english_text, warn_above=readability.WARN_ABOVE,
        long_lines=easyread.long_lines(translation.lines) if translation and code == MASTER_LOCALE
        and variant == EASY_READ else [],
        reviewed_by=services.partner_name(session, translation.reviewed_partner_id)
        if translation else None,
        file_source=code != MASTER_LOCALE and page.translation(MASTER_LOCALE, variant) is not None,
        pictures=easyread.PICTURES, master_title=_master_title(page), **_common(),
    ), status


def _master_title(page: Page) -> str:
    master = page.translation(MASTER_LOCALE, STANDARD)
    return master.title if master else page.slug


@bp.get("/manage/pages/<int:page_id>/<code>/<variant>")
@roles_required(*SIGNED_IN)
def translation_edit(page_id: int, code: str, variant: str) -> tuple[str, int]:
    page = _page(page_id)
    _translation_or_abort(page, code, variant)
    return _render_translation(page, code, variant)


@bp.post("/manage/pages/<int:page_id>/<code>/<variant>")
@roles_required(*SIGNED_IN)
def translation_save(page_id: int, code: str, variant: str) -> tuple[str, int] | WerkzeugResponse:
    page = _page(page_id)
    _translation_or_abort(page, code, variant)
    form = TextForm()
    if form.validate_on_submit():
        try:
            services.save_text(
                get_session(), _user(), page, code, variant, title=form.title.data or "",
                summary=form.summary.data or "", body=form.body.data or "",
                lines_text=form.lines.data, machine_drafted=bool(form.machine_drafted.data),
                matches_current_english=bool(form.matches_current_english.data))
        except ContentError as error:
            if error.code == "not_allowed":
                abort(403)
            _field_error(form, error)
        else:
            flash(_("Saved as a draft."))
            return redirect(url_for("content.translation_edit", page_id=page.id, code=code,
                                    variant=variant))
    return _render_translation(page, code, variant, text_form=form, failed=form, status=400)


ACTIONS = {
    "submit": services.submit_for_review,
    "send_back": services.send_back,
    "sign_off": services.sign_off,
}


@bp.post("/manage/pages/<int:page_id>/<code>/<variant>/action")
@roles_required(*SIGNED_IN)
def translation_action(page_id: int, code: str, variant: str) -> tuple[str, int] | WerkzeugResponse:
    page = _page(page_id)
    translation = _translation_or_abort(page, code, variant)
    if translation is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        session = get_session()
        user = _user()
        action = form.action.data or ""
        try:
            if action in ACTIONS:
                ACTIONS[action](session, user, translation, form.comment.data or "")
            elif action == "publish":
                services.publish(session, user, translation)
            elif action == "unpublish":
                services.unpublish(session, user, translation)
            else:
                abort(400)
        except ContentError as error:
            if error.code == "not_allowed":
                abort(403)
            _field_error(form, error)
        else:
            flash({
                "submit": _("Sent for community review."),
                "send_back": _("Sent back for changes."),
                "sign_off": _("Signed off. An organiser can now publish it."),
                "publish": _("Published."),
                "unpublish": _("Taken off the site."),
            }[action])
            return redirect(url_for("content.translation_edit", page_id=page.id, code=code,
                                    variant=variant))
    return _render_translation(page, code, variant, action_form=form, failed=form, status=400)


@bp.get("/manage/pages/<int:page_id>/<code>/<variant>/download.<fmt>")
@roles_required(*SIGNED_IN)
def translation_download(page_id: int, code: str, variant: str, fmt: str) -> Response:
    from citizen.content import xliff

    page = _page(page_id)
    _translation_or_abort(page, code, variant)
    if fmt not in ("xlf", "json") or code == MASTER_LOCALE:
        abort(404)
    try:
        doc = services.export_file(page, code, variant)
    except ContentError:
        abort(404)
    data = xliff.to_xliff(doc) if fmt == "xlf" else xliff.to_json(doc)
    mimetype = "application/x-xliff+xml" if fmt == "xlf" else "application/json"
    name = f"{page.slug}-{variant.replace('_', '-')}-{code}.{fmt}"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/manage/pages/<int:page_id>/<code>/<variant>/upload")
@roles_required(*SIGNED_IN)
def translation_upload(page_id: int, code: str, variant: str) -> tuple[str, int] | WerkzeugResponse:
    from citizen.content import xliff

    page = _page(page_id)
    _translation_or_abort(page, code, variant)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [*form.file.errors, _("Choose a file to upload")]
        else:
            raw = upload.read(xliff.MAX_BYTES + 1)
            try:
                doc = xliff.read(raw, upload.filename)
                services.import_file(get_session(), _user(), page, code, variant, doc,
                                     machine_drafted=bool(form.machine_drafted.data))
            except ContentError as error:
                if error.code == "not_allowed":
                    abort(403)
                # A rule on the text itself (for example alt text): show it at the file field.
                form.file.errors = [*form.file.errors, error_message(error.code, error.params)]
            except FileError as error:
                form.file.errors = [*form.file.errors, error_message(error.code, error.params)]
            else:
                flash(_("Translation uploaded as a draft."))
                return redirect(url_for("content.translation_edit", page_id=page.id, code=code,
                                        variant=variant))
    return _render_translation(page, code, variant, upload_form=form, failed=form, status=400)


# ---------------------------------------------------------------- partners and translators


def _people_forms() -> tuple[PartnerForm, ReviewerForm, TranslatorForm]:
    session = get_session()
    partner_form = PartnerForm(prefix="partner")
    partner_form.organisation.choices = [
        SelectChoice(o.id, o.name)
        for o in session.scalars(select(Organisation).order_by(Organisation.name))]
    partner_form.languages.choices = [SelectChoice(lang.code, lang.english_name)
                                      for lang in languages()]
    reviewer_form = ReviewerForm(prefix="reviewer")
    reviewer_form.partner.choices = [SelectChoice(p.id, p.name) for p in services.partners(session)]
    translator_form = TranslatorForm(prefix="translator")
    translator_form.locale.choices = [
        SelectChoice(lang.code, lang.english_name)
        for lang in languages() if lang.code != MASTER_LOCALE]
    return partner_form, reviewer_form, translator_form


def _render_people(failed: FlaskForm | None = None, status: int = 200,
                   forms: tuple[PartnerForm, ReviewerForm, TranslatorForm] | None = None
                   ) -> tuple[str, int]:
    session = get_session()
    partner_form, reviewer_form, translator_form = forms or _people_forms()
    return render_template(
        "content/people_manage.html", partners=services.partners(session),
        translators=services.translators(session), partner_form=partner_form,
        reviewer_form=reviewer_form, translator_form=translator_form, form=failed,
        remove_form=EmptyForm(), **_common(),
    ), status


@bp.get("/manage/people")
@roles_required("organiser", "admin")
def people() -> tuple[str, int]:
    # The page shows reviewers' and translators' email addresses: a staff view of personal data.
    services.record_people_viewed(get_session(), _user())
    return _render_people()


def _people_post(index: int, act: Callable[[Any], None], done: str) -> tuple[str, int] | WerkzeugResponse:
    """Validate the people page's form number ``index`` and run ``act`` on it; show the page
    again with the error at the field when it fails."""
    forms = _people_forms()
    form = forms[index]
    if form.validate_on_submit():
        try:
            act(form)
        except ContentError as error:
            _field_error(form, error)
        else:
            flash(done)
            return redirect(url_for("content.people"))
    return _render_people(form, 400, forms)


@bp.post("/manage/people/partner")
@roles_required("organiser", "admin")
def partner_save() -> tuple[str, int] | WerkzeugResponse:
    def act(form: Any) -> None:
        session = get_session()
        organisation = session.get(Organisation, form.organisation.data)
        if organisation is None:
            abort(400)
        services.designate_partner(session, _user(), organisation, form.languages.data or [])

    return _people_post(0, act, _("Community partner saved."))


@bp.post("/manage/people/reviewer")
@roles_required("organiser", "admin")
def reviewer_add() -> tuple[str, int] | WerkzeugResponse:
    def act(form: Any) -> None:
        session = get_session()
        partner = session.get(ContentPartner, form.partner.data)
        if partner is None:
            abort(400)
        services.add_reviewer(session, _user(), partner, form.email.data or "")

    return _people_post(1, act, _("Reviewer added."))


@bp.post("/manage/people/translator")
@roles_required("organiser", "admin")
def translator_add() -> tuple[str, int] | WerkzeugResponse:
    def act(form: Any) -> None:
        services.assign_translator(get_session(), _user(), form.email.data or "",
                                   form.locale.data or "")

    return _people_post(2, act, _("Translator added."))


@bp.post("/manage/people/reviewers/<int:reviewer_id>/remove")
@roles_required("organiser", "admin")
def reviewer_remove(reviewer_id: int) -> WerkzeugResponse:
    session = get_session()
    reviewer = session.get(PartnerReviewer, reviewer_id)
    if reviewer is None or not EmptyForm().validate_on_submit():
        abort(404 if reviewer is None else 400)
    services.remove_reviewer(session, _user(), reviewer)
    flash(_("Reviewer removed."))
    return redirect(url_for("content.people"))


@bp.post("/manage/people/translators/<int:assignment_id>/remove")
@roles_required("organiser", "admin")
def translator_remove(assignment_id: int) -> WerkzeugResponse:
    session = get_session()
    assignment = session.get(TranslatorAssignment, assignment_id)
    if assignment is None or not EmptyForm().validate_on_submit():
        abort(404 if assignment is None else 400)
    services.remove_translator(session, _user(), assignment)
    flash(_("Translator removed."))
    return redirect(url_for("content.people"))


@bp.app_template_filter("content_date")
def content_date(value: Any) -> str:
    return format_date(value, "long") if value else ""


@bp.app_template_filter("content_rich")
def content_rich(value: str | None) -> Markup:
    """Stored rich text, sanitised again on the way out (it was cleaned when saved)."""
    return richtext.clean(value or "")
