"""The pages: readers (languages, fallbacks, lang/dir, Easy Read, feedback) and the people who
write, check and publish (through HTTP, with the access rules)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.content import services, xliff
from citizen.content.models import PageFeedback, PageTranslation
from citizen.moderation import services as moderation
from tests.accounts.conftest import sign_in
from tests.content.conftest import World, staff_sign_in
from tests.content.test_workflow import AR_BODY

ROOT = Path(__file__).resolve().parents[2]


def _publish_arabic(db: Session, w: World) -> PageTranslation:
    t = services.save_text(db, w.translator, w.page, "ar", "standard", title="ابقَ دافئًا",
                           summary="ملخص قصير", body=AR_BODY)
    services.submit_for_review(db, w.translator, t)
    services.sign_off(db, w.reviewer, t)
    services.publish(db, w.organiser, t)
    return t


def _fetch(db: Session, w: World, locale: str, variant: str) -> PageTranslation | None:
    db.expire_all()
    return db.scalar(select(PageTranslation).where(
        PageTranslation.page_id == w.page.id, PageTranslation.locale == locale,
        PageTranslation.variant == variant))


def _client(app: Flask, lang: str | None = None) -> FlaskClient:
    client = app.test_client()
    if lang:
        client.set_cookie("lang", lang)
    return client


def _main(response) -> str:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


# ---------------------------------------------------------------- readers


def test_published_translation_says_who_checked_it(app: Flask, world: World, db_session: Session) -> None:
    _publish_arabic(db_session, world)
    response = _client(app, "en").get("/information/pages/test-page/ar")
    assert response.status_code == 200
    main = _main(response)
    assert '<article class="content-page" lang="ar" dir="rtl">' in main
    assert "ابقَ دافئًا" in main
    assert "Checked by Arab Community Group (test) on" in main
    assert "This information is for people in Rugby." in main
    assert "out of date" not in main
    # In Arabic, the page needs no extra lang: the whole document is Arabic.
    own = _main(_client(app, "ar").get("/information/pages/test-page"))
    assert '<article class="content-page">' in own and "ابقَ دافئًا" in own


def test_missing_language_says_so_and_never_switches_silently(app: Flask, world: World) -> None:
    response = _client(app, "ar").get("/information/pages/test-page")
    assert response.status_code == 200
    main = _main(response)
    assert '<div class="content-missing" lang="ar" dir="rtl">' in main
    assert "العربية" in main  # the language is named in itself
    assert 'href="/information/pages/test-page/en"' in main
    assert "Heat your home to 18 degrees" not in main  # no English passed off as Arabic
    assert "<article" not in main


def test_fallback_in_each_direction(app: Flask, world: World) -> None:
    # Left-to-right reader asks for a right-to-left language that is missing.
    main = _main(_client(app, "en").get("/information/pages/test-page/ur"))
    assert '<div class="content-missing" lang="ur" dir="rtl">' in main and "اردو" in main
    # Right-to-left reader asks for a left-to-right language that is missing.
    main = _main(_client(app, "ar").get("/information/pages/test-page/pl"))
    assert '<div class="content-missing" lang="pl" dir="ltr">' in main and "polski" in main
    # Right-to-left reader opens the English page: the passage is marked English, left to right.
    main = _main(_client(app, "ur").get("/information/pages/test-page/en"))
    assert '<article class="content-page" lang="en" dir="ltr">' in main
    assert "Heat your home to 18 degrees" in main


def test_easy_read_page_and_its_fallback(app: Flask, world: World, db_session: Session) -> None:
    easy = services.save_text(db_session, world.organiser, world.page, "en", "easy_read",
                              title="Keep warm", lines_text="[warm: A warm radiator] Keep warm.\n"
                              "Eat hot food.")
    services.publish(db_session, world.organiser, easy)
    main = _main(_client(app, "en").get("/information/pages/test-page/en/easy-read"))
    assert 'role="img" aria-label="A warm radiator"' in main
    assert '<span class="easy-read__text">Eat hot food.</span>' in main
    # The standard page links to it.
    assert "/information/pages/test-page/en/easy-read" in _main(
        _client(app, "en").get("/information/pages/test-page/en"))
    # No Arabic Easy Read: say so in Arabic, offer the English Easy Read, marked English.
    _publish_arabic(db_session, world)
    main = _main(_client(app, "ar").get("/information/pages/test-page/ar/easy-read"))
    assert '<div class="content-missing" lang="ar" dir="rtl">' in main
    assert 'href="/information/pages/test-page/en/easy-read"' in main
    assert 'href="/information/pages/test-page/ar"' in main  # the full Arabic page


def test_out_of_date_translation_tells_readers(app: Flask, world: World, db_session: Session) -> None:
    _publish_arabic(db_session, world)
    master = world.page.translation("en", "standard")
    assert master is not None
    services.save_text(db_session, world.organiser, world.page, "en", "standard",
                       title="Keep warm", body="<p>New advice.</p>")
    services.publish(db_session, world.organiser, master)
    main = _main(_client(app, "en").get("/information/pages/test-page/ar"))
    assert "This translation may be out of date." in main
    assert "It matches the English version of" in main
    assert 'href="/information/pages/test-page/en"' in main


def test_unknown_things_are_404(app: Flask, world: World, db_session: Session) -> None:
    client = _client(app, "en")
    assert client.get("/information/pages/test-page/xx").status_code == 404
    assert client.get("/information/pages/no-such-page").status_code == 404
    services.unpublish(db_session, world.organiser, world.page.translation("en", "standard"))  # type: ignore[arg-type]
    assert client.get("/information/pages/test-page/en").status_code == 404


def test_topic_lists_show_english_titles_marked_as_english(app: Flask, world: World) -> None:
    main = _main(_client(app, "ar").get("/information/topics/test-topic"))
    assert '<a href="/information/pages/test-page/en" lang="en" dir="ltr" hreflang="en">Keep warm</a>' in main
    index = _main(_client(app, "en").get("/information/"))
    assert "Keep warm" in index and "Staying well in winter" in index  # demo content too


def test_feedback_goes_to_moderation_and_errors_keep_the_comment(
    app: Flask, world: World, db_session: Session
) -> None:
    client = _client(app, "en")
    bad = client.post("/information/pages/test-page/en/feedback",
                      data={"comment": "Keep this text", "variant": "standard"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Choose yes or no" in page and "Keep this text" in page and 'href="#useful"' in page
    # The form says when comments are deleted (FEEDBACK_DAYS from today).
    from datetime import timedelta

    from citizen.db import utcnow

    day = utcnow().date() + timedelta(days=app.config["FEEDBACK_DAYS"])
    assert any(f"We delete comments on {d.day} {d:%B %Y}." in page  # (the day may just have turned)
               for d in (day, day - timedelta(days=1)))
    done = client.post("/information/pages/test-page/en/feedback",
                       data={"useful": "no", "comment": "Add opening times.", "variant": "standard"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/en#feedback")
    feedback = db_session.scalars(select(PageFeedback).where(
        PageFeedback.page_id == world.page.id)).one()
    assert feedback.useful is False and feedback.has_comment
    assert moderation.state_of(db_session, "page_feedback", feedback.id) == "pending"


# ---------------------------------------------------------------- people who write and check


def test_dashboard_access(app: Flask, world: World) -> None:
    assert _client(app).get("/information/manage/").status_code == 302  # sign in first
    resident = _client(app)
    sign_in(resident, world.resident.email)
    assert resident.get("/information/manage/").status_code == 403
    translator = _client(app)
    sign_in(translator, world.translator.email)
    page = translator.get("/information/manage/")
    assert page.status_code == 200 and "Add a page" not in page.get_data(as_text=True)
    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    page = organiser.get("/information/manage/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Add a page" in html
    assert f'href="/information/manage/pages/{world.page.id}/ar/standard"' in html


def test_the_workflow_over_http(app: Flask, world: World, db_session: Session) -> None:
    base = f"/information/manage/pages/{world.page.id}/ar/standard"
    translator = _client(app)
    sign_in(translator, world.translator.email)
    saved = translator.post(base, data={"title": "ابقَ دافئًا", "summary": "", "body": AR_BODY})
    assert saved.status_code == 302
    form = translator.get(base).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in form  # the text boxes are marked Arabic, right to left
    assert translator.post(base + "/action", data={"action": "publish"}).status_code == 403
    assert translator.post(base + "/action", data={"action": "submit"}).status_code == 302

    pl_reviewer = _client(app)
    sign_in(pl_reviewer, world.pl_reviewer.email)
    assert pl_reviewer.get(base).status_code == 403
    assert pl_reviewer.post(base + "/action", data={"action": "sign_off"}).status_code == 403

    reviewer = _client(app)
    sign_in(reviewer, world.reviewer.email)
    page = reviewer.get(base).get_data(as_text=True)
    assert "Sign off: accurate and culturally appropriate" in page
    assert "Save as draft" not in page  # reviewers check, they do not rewrite
    no_comment = reviewer.post(base + "/action", data={"action": "send_back", "comment": ""})
    assert no_comment.status_code == 400 and "Say what needs to change" in no_comment.get_data(
        as_text=True)
    assert reviewer.post(base + "/action", data={"action": "sign_off",
                                                 "comment": "Good."}).status_code == 302

    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    assert organiser.post(base + "/action", data={"action": "publish"}).status_code == 302
    t = _fetch(db_session, world, "ar", "standard")
    assert t is not None and t.is_published and t.checked_partner_id == world.partner.id


def test_alt_text_error_is_shown_at_the_field_and_nothing_is_lost(app: Flask, world: World) -> None:
    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    body = '<p>Look at the map.</p><img src="/static/map.png">'
    topic_id = world.page.topic_id
    response = organiser.post("/information/manage/pages/new", data={
        "topic": str(topic_id), "slug": "with-picture", "pillar": "integrated_care",
        "title": "A page with a map", "summary": "", "body": body})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Every picture needs alt text" in html
    assert 'href="#body"' in html  # in the error summary, linking to the field
    assert "A page with a map" in html and "Look at the map." in html
    # The picture's address is shown in the message, escaped.
    sneaky = organiser.post("/information/manage/pages/new", data={
        "topic": str(topic_id), "slug": "sneaky", "pillar": "integrated_care",
        "title": "Sneaky", "body": '<img src="<b id=injected>x</b>">'})
    assert sneaky.status_code == 200
    assert "<b id=injected>" not in sneaky.get_data(as_text=True)


def test_reading_age_is_shown_and_warns_above_11(app: Flask, world: World, db_session: Session) -> None:
    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    url = f"/information/manage/pages/{world.page.id}/en/standard"
    easy = organiser.get(url).get_data(as_text=True)
    assert "Reading age" in easy and "Flesch-Kincaid" in easy and "Warning" not in easy
    organiser.post(url, data={"title": "Keep warm", "body": (
        "<p>Notwithstanding considerable epidemiological heterogeneity, immunisation "
        "programmes demonstrate substantial effectiveness.</p>")})
    hard = organiser.get(url).get_data(as_text=True)
    assert "Warning: this is harder to read than a reading age of 11" in hard


def test_upload_over_http_with_clear_errors(app: Flask, world: World, db_session: Session) -> None:
    base = f"/information/manage/pages/{world.page.id}/ar/standard"
    translator = _client(app)
    sign_in(translator, world.translator.email)
    download = translator.get(base + "/download.xlf")
    assert download.status_code == 200
    assert download.headers[
        "Content-Disposition"] == 'attachment; filename="test-page-standard-ar.xlf"'
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xliff/>'
    bad = translator.post(base + "/upload", data={"file": (io.BytesIO(evil), "evil.xlf")},
                          content_type="multipart/form-data")
    assert bad.status_code == 400
    assert "DOCTYPE or ENTITY declaration" in bad.get_data(as_text=True)
    empty = translator.post(base + "/upload", data={}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Choose a file to upload" in empty.get_data(as_text=True)
    raw = download.get_data()
    filled = re.sub(rb"<target\s*/>|<target></target>", b"<target>PLACEHOLDER</target>", raw)
    filled = filled.replace(b"PLACEHOLDER", "نص مترجم".encode(), 1)
    filled = filled.replace(b"PLACEHOLDER", b"", 1)
    filled = filled.replace(b"PLACEHOLDER", "&lt;p&gt;نص&lt;/p&gt;".encode(), 1)
    good = translator.post(base + "/upload", data={
        "file": (io.BytesIO(filled), "done.xlf"), "machine_drafted": "y"},
        content_type="multipart/form-data")
    assert good.status_code == 302, good.get_data(as_text=True)
    t = _fetch(db_session, world, "ar", "standard")
    assert t is not None and t.title == "نص مترجم" and t.body == "<p>نص</p>" and t.machine_drafted
    json_file = translator.get(base + "/download.json")
    assert xliff.from_json(json_file.get_data()).unit("title").target == "نص مترجم"  # type: ignore[union-attr]


def test_people_page_is_for_organisers_and_is_audited(app: Flask, world: World, db_session: Session) -> None:
    from citizen.shared.audit import AuditEvent

    translator = _client(app)
    sign_in(translator, world.translator.email)
    assert translator.get("/information/manage/people").status_code == 403
    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    page = organiser.get("/information/manage/people")
    assert page.status_code == 200 and world.reviewer.email in page.get_data(as_text=True)
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "content.people_viewed"))
    added = organiser.post("/information/manage/people/translator", data={
        "translator-email": "nobody@nowhere.example.org", "translator-locale": "bn"})
    assert added.status_code == 400 and "Nobody has an account" in added.get_data(as_text=True)
    added = organiser.post("/information/manage/people/translator", data={
        "translator-email": world.resident.email, "translator-locale": "bn"})
    assert added.status_code == 302


def test_print_stylesheet_hides_forms_and_keeps_the_page() -> None:
    css = (ROOT / "static/css/content.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print"):]
    assert ".content-feedback" in print_rules and ".breadcrumbs" in print_rules
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", " left:",
                     " right:", "text-align: left", "text-align: right"):
        assert physical not in css


def test_organisers_add_topics_and_change_page_settings(
    app: Flask, world: World, db_session: Session
) -> None:
    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    bad = organiser.post("/information/manage/topics/new",
                         data={"slug": "Not A Slug!", "title": "Eating well"})
    assert bad.status_code == 200
    assert "Use only small letters, numbers and hyphens" in bad.get_data(as_text=True)
    assert organiser.post("/information/manage/topics/new",
                          data={"slug": "eating-well", "title": "Eating well"}).status_code == 302
    taken = organiser.post("/information/manage/topics/new",
                           data={"slug": "eating-well", "title": "Again"})
    assert "already used" in taken.get_data(as_text=True)
    from citizen.content.models import Page, Topic

    topic_id = db_session.scalar(select(Topic.id).where(Topic.slug == "eating-well"))
    url = f"/information/manage/pages/{world.page.id}/settings"
    assert organiser.get(url).status_code == 200
    saved = organiser.post(url, data={"topic": str(topic_id), "pillar": "wider_determinants",
                                      "places": ["coventry", "rugby"]})
    assert saved.status_code == 302
    db_session.expire_all()
    page = db_session.get(Page, world.page.id)
    assert page is not None and page.topic_id == topic_id and page.pillar == "wider_determinants"
    assert page.place_slugs == ["coventry", "rugby"]
    translator = _client(app)
    sign_in(translator, world.translator.email)
    assert translator.get(url).status_code == 403


def test_odd_requests_get_clear_answers_not_errors(app: Flask, world: World) -> None:
    base = f"/information/manage/pages/{world.page.id}"
    translator = _client(app)
    sign_in(translator, world.translator.email)
    assert translator.get(base + "/ar/poetry").status_code == 404
    assert translator.get(base + "/xx/standard").status_code == 404
    assert translator.get(base + "/pl/standard").status_code == 403  # not their language
    assert translator.get("/information/manage/pages/999999/ar/standard").status_code == 404
    # No English Easy Read yet: nothing to translate from, so no file.
    assert translator.get(base + "/ar/easy_read/download.xlf").status_code == 404
    assert translator.get(base + "/ar/standard/download.pdf").status_code == 404
    services_page = translator.get(base + "/ar/easy_read").get_data(as_text=True)
    assert "Translate with a file" not in services_page
    # Acting on a translation that does not exist yet.
    assert translator.post(base + "/ar/standard/action", data={"action": "submit"}).status_code == 404
    translator.post(base + "/ar/standard", data={"title": "عنوان", "body": AR_BODY})
    assert translator.post(base + "/ar/standard/action",
                           data={"action": "explode"}).status_code == 400
    empty = translator.post(base + "/ar/standard", data={"title": "", "body": ""})
    assert empty.status_code == 400 and "Enter a title" in empty.get_data(as_text=True)


def test_topic_names_in_other_languages(app: Flask, world: World, db_session: Session) -> None:
    from citizen.content.models import Topic

    organiser = _client(app)
    staff_sign_in(organiser, world.organiser)
    url = f"/information/manage/topics/{world.page.topic_id}"
    form = organiser.get(url).get_data(as_text=True)
    assert 'id="name_ar"' in form and 'lang="ar" dir="rtl"' in form
    saved = organiser.post(url, data={"title": "Test topic", "summary": "", "name_ar": "موضوع",
                                      "name_pl": "  "})
    assert saved.status_code == 302
    db_session.expire_all()
    topic = db_session.get(Topic, world.page.topic_id)
    assert topic is not None and topic.titles == {"ar": "موضوع"}
    arabic = _main(_client(app, "ar").get("/information/topics/test-topic"))
    assert '<h1 class="heading-xl">موضوع</h1>' in arabic
    polish = _main(_client(app, "pl").get("/information/topics/test-topic"))
    assert '<h1 class="heading-xl" lang="en" dir="ltr">Test topic</h1>' in polish


def test_people_without_a_content_role_reach_no_working_page(app: Flask, world: World) -> None:
    resident = _client(app)
    sign_in(resident, world.resident.email)
    base = f"/information/manage/pages/{world.page.id}/ar/standard"
    assert resident.get(base).status_code == 403
    assert resident.post(base, data={"title": "x", "body": "<p>x</p>"}).status_code == 403
    assert resident.post(base + "/action", data={"action": "submit"}).status_code == 403
    assert resident.get(base + "/download.xlf").status_code == 403
    assert resident.post(base + "/upload", data={}).status_code == 403
    anonymous = _client(app)
    assert anonymous.get(base).status_code == 302  # to sign in
