"""Searching the information pages in the reader's language: what is found (published text
only, words not markup, every word), "Also in English", mistakes at the field, odd input."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.content import matching, services
from citizen.content.models import Page, PageTranslation, Topic
from citizen.content.services import ContentError
from tests.content.conftest import World

# Words no demo page uses, so the demo content in the test database never gets in the way.
BODY = ("<h2>Zorblax clinic</h2><p>Ask at the <a href=\"https://example.org/quuxplumb\">"
        "zorblax clinic</a> about <strong>glim</strong>merwort tea.</p>"
        "<p><img src=\"https://example.org/a.png\" alt=\"A wibblefrond in a pot\"></p>"
        "<p>alpha</p><p>beta</p><p>Save 50% on fish &amp; chips.</p>")
AR_BODY = "<h2>ابقَ دافئًا</h2><p>اشرب شاي الزنجبيل كل يوم.</p>"


def _client(app: Flask, lang: str) -> FlaskClient:
    client = app.test_client()
    client.set_cookie("lang", lang)
    return client


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def _page(db: Session, w: World, slug: str, title: str, body: str = BODY,
          summary: str = "A short summary.", publish: bool = True) -> Page:
    page = services.create_page(db, w.organiser, topic=w.page.topic, slug=slug,
                                pillar="behaviours_lifestyles", place_slugs=[], title=title,
                                summary=summary, body=body)
    if publish:
        services.publish(db, w.organiser, page.translation("en", "standard"))  # type: ignore[arg-type]
    return page


def _arabic(db: Session, w: World, page: Page, *, title: str = "ابقَ دافئًا", body: str = AR_BODY,
            until: str = "published") -> PageTranslation:
    """An Arabic text taken through the workflow as far as ``until``."""
    t = services.save_text(db, w.translator, page, "ar", "standard", title=title,
                           summary="ملخص قصير", body=body)
    if until == "draft":
        return t
    services.submit_for_review(db, w.translator, t)
    if until == "in_review":
        return t
    services.sign_off(db, w.reviewer, t)
    if until == "community_reviewed":
        return t
    services.publish(db, w.organiser, t)
    return t


def _slugs(hits: list[services.SearchHit]) -> list[str]:
    return [hit.page.slug for hit in hits]


# ---------------------------------------------------------------- what is found


def test_an_arabic_reader_finds_an_arabic_page_by_an_arabic_word(
    app: Flask, world: World, db_session: Session
) -> None:
    _arabic(db_session, world, world.page)
    found = services.search(db_session, "الزنجبيل", "ar")
    assert _slugs(found.hits) == ["test-page"] and found.english == []
    assert found.hits[0].text.locale == "ar"
    # Short vowels and tanween are not needed: "دافئا" finds "دافئًا".
    assert _slugs(services.search(db_session, "دافئا", "ar").hits) == ["test-page"]
    # Nobody reading in English finds it by an Arabic word.
    assert services.search(db_session, "الزنجبيل", "en").hits == []

    response = _client(app, "ar").get("/information/search", query_string={"q": "الزنجبيل"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    main = _main(html)
    # The title links to the Arabic page, with nothing to mark: the whole page is Arabic.
    assert '<a href="/information/pages/test-page/ar">ابقَ دافئًا</a>' in main
    assert "ملخص قصير" in main
    # The topic has no Arabic name: it is shown in English, marked as English.
    assert ('<a href="/information/topics/test-topic" lang="en" dir="ltr">Test topic</a>'
            in main)
    assert '<bdi class="content-search__query">الزنجبيل</bdi>' in main
    assert re.search(r"<title>[^<]*الزنجبيل", html)


def test_words_in_the_body_are_found_but_not_words_in_tags_or_attributes(
    app: Flask, world: World, db_session: Session
) -> None:
    _page(db_session, world, "zorblax", "Herbal teas")

    def found(query: str) -> list[str]:
        return _slugs(services.search(db_session, query, "en").hits)

    assert found("merwort") == ["zorblax"]  # body text, across an inline tag
    assert found("glimmerwort") == ["zorblax"]
    assert found("fish & chips") == ["zorblax"]  # the entity is text "&"
    assert found("quuxplumb") == []  # in a link's address
    assert found("wibblefrond") == []  # in a picture's alt text
    assert found("noopener") == []  # rel="noopener noreferrer", added by the sanitiser
    assert found("strong") == []  # a tag
    assert found("alphabeta") == []  # two paragraphs are two words, not one
    assert found("herbal") == ["zorblax"] and found("short summary") == ["zorblax"]

    main = _main(_client(app, "en").get("/information/search?q=quuxplumb").get_data(as_text=True))
    assert "No pages match your search" in main


def test_every_word_must_match_in_any_order_and_any_case(world: World, db_session: Session) -> None:
    _page(db_session, world, "zorblax", "Herbal teas")

    def found(query: str) -> list[str]:
        return _slugs(services.search(db_session, query, "en").hits)

    assert found("zorblax clinic") == ["zorblax"]
    assert found("CLINIC   Zorblax") == ["zorblax"]
    assert found("zorblax dentist") == []
    assert found('"zorblax, clinic"') == ["zorblax"]  # punctuation around words is ignored
    assert found("herbal zorblax") == ["zorblax"]  # title and body together


def test_only_published_text_is_found_never_drafts_or_text_waiting_for_review(
    world: World, db_session: Session
) -> None:
    _page(db_session, world, "never-published", "Zorblax draft", publish=False)
    assert services.search(db_session, "zorblax", "en").hits == []

    page = world.page
    translation = _arabic(db_session, world, page, until="draft")
    assert services.search(db_session, "الزنجبيل", "ar").hits == []
    services.submit_for_review(db_session, world.translator, translation)
    assert services.search(db_session, "الزنجبيل", "ar").hits == []  # in review
    services.sign_off(db_session, world.reviewer, translation)
    assert services.search(db_session, "الزنجبيل", "ar").hits == []  # checked, not published
    services.publish(db_session, world.organiser, translation)
    assert _slugs(services.search(db_session, "الزنجبيل", "ar").hits) == ["test-page"]

    # A new working copy changes nothing readers see until it too is published.
    services.save_text(db_session, world.translator, page, "ar", "standard",
                       title="ابقَ دافئًا", summary="", body="<p>الليمون مفيد.</p>")
    assert services.search(db_session, "الليمون", "ar").hits == []
    assert _slugs(services.search(db_session, "الزنجبيل", "ar").hits) == ["test-page"]

    # Taken off the site: not found, and the English text is offered instead.
    services.unpublish(db_session, world.organiser, translation)
    assert services.search(db_session, "الزنجبيل", "ar").hits == []
    assert _slugs(services.search(db_session, "degrees", "ar").english) == ["test-page"]


def test_also_in_english_for_other_languages_only(app: Flask, world: World,
                                                   db_session: Session) -> None:
    _page(db_session, world, "zorblax", "Herbal teas")
    arabic = services.search(db_session, "zorblax", "ar")
    assert arabic.hits == [] and _slugs(arabic.english) == ["zorblax"]
    english = services.search(db_session, "zorblax", "en")
    assert _slugs(english.hits) == ["zorblax"] and english.english == []

    main = _main(_client(app, "ar").get("/information/search?q=zorblax").get_data(as_text=True))
    assert '<h2 class="heading-l" id="english-title">' in main
    assert ('<a href="/information/pages/zorblax/en" lang="en" dir="ltr" hreflang="en">'
            "Herbal teas</a>") in main
    assert '<p lang="en" dir="ltr">A short summary.</p>' in main
    assert "No pages match your search" not in main  # there are pages, in English
    assert "Also in English" not in main  # the heading is in Arabic
    en_main = _main(_client(app, "en").get("/information/search?q=zorblax").get_data(as_text=True))
    assert "Also in English" not in en_main and 'id="english-title"' not in en_main
    assert '<a href="/information/pages/zorblax/en">Herbal teas</a>' in en_main

    # A page with published Arabic is not "also in English", even when only its English matches.
    _arabic(db_session, world, world.page)
    assert "test-page" not in _slugs(services.search(db_session, "degrees", "ar").english)
    assert "test-page" in _slugs(services.search(db_session, "degrees", "pl").english)


def test_pages_with_every_word_in_the_title_come_first(world: World, db_session: Session) -> None:
    _page(db_session, world, "body-only", "Herbal teas")  # "zorblax" in the body, made first
    _page(db_session, world, "in-title", "Zorblax opening times", body="<p>Open daily.</p>")
    assert _slugs(services.search(db_session, "zorblax", "en").hits) == ["in-title", "body-only"]


def test_search_flushes_nothing(world: World, db_session: Session) -> None:
    pending = Topic(slug="not-flushed", title="Not flushed", titles={})
    db_session.add(pending)
    services.search(db_session, "warm", "en")
    assert pending in db_session.new


# ---------------------------------------------------------------- mistakes and odd input


def test_the_search_box_is_on_the_information_home_page(app: Flask, world: World) -> None:
    main = _main(_client(app, "en").get("/information/").get_data(as_text=True))
    form = re.search(r'<form class="content-search"[^>]*>(.*?)</form>', main, re.S)
    assert form and 'method="get" action="/information/search" role="search"' in form.group(0)
    assert '<label class="label" for="q">Search health information</label>' in form.group(1)
    assert 'id="q" name="q" type="search"' in form.group(1)
    # In Arabic, the label is translated.
    ar_main = _main(_client(app, "ar").get("/information/").get_data(as_text=True))
    label = re.search(r'<label class="label" for="q">([^<]*)</label>', ar_main)
    assert label and label.group(1) and "Search" not in label.group(1)
    # The results page with nothing asked yet: just the form, no error.
    empty = _client(app, "en").get("/information/search")
    assert empty.status_code == 200 and "error-summary" not in empty.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_empty_or_too_long_search_is_shown_at_the_field(app: Flask, world: World,
                                                           lang: str) -> None:
    client = _client(app, lang)
    for query in ("", "   "):
        response = client.get("/information/search", query_string={"q": query})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        main = _main(html)
        assert '<div class="error-summary"' in main and '<a href="#q">' in main
        assert 'class="error-message" id="q-error-1"' in main and 'aria-invalid="true"' in main
        if lang == "en":
            assert "Enter a word to search for" in main
            assert "<title>Error: Search health information" in html
        else:
            assert "Enter a word to search for" not in main  # translated

    long = "z" * 96 + " flu!"  # 101 characters
    response = client.get("/information/search", query_string={"q": long})
    assert response.status_code == 400
    main = _main(response.get_data(as_text=True))
    assert f'value="{long}"' in main  # what was typed is kept
    assert '<a href="#q">' in main and 'id="q-error-1"' in main
    assert ("Your search must be 100 characters or fewer" in main) == (lang == "en")
    assert client.get("/information/search", query_string={"q": long[:100]}).status_code == 200


def test_the_limit_in_the_message_is_the_limit_applied(app: Flask, world: World,
                                                       db_session: Session) -> None:
    from citizen.content.forms import SearchForm
    from citizen.content.messages import error_message

    with app.test_request_context():
        assert f" {matching.QUERY_MAX} " in error_message("query_too_long")
        validators = SearchForm(formdata=None).q.validators
        assert any(getattr(v, "max", None) == matching.QUERY_MAX for v in validators)
    for query, code in (("", "query_missing"), (" \x00 ", "query_missing"),
                        ("x" * (matching.QUERY_MAX + 1), "query_too_long")):
        with pytest.raises(ContentError) as caught:
            services.search(db_session, query, "en")
        assert caught.value.code == code and caught.value.field == "q"


@pytest.mark.parametrize("query", [
    "%", "_", "%%", "a_b", "<script>alert(1)</script>", "🤷‍♀️", "\"flu jab\"", "'; drop table",
    "\u202eevil", "مرحبا بكم", "<b>bold</b> & \"quotes\"",
])
def test_odd_searches_are_answered_and_shown_escaped(app: Flask, world: World,
                                                     db_session: Session, query: str) -> None:
    for lang in ("en", "ar"):
        response = _client(app, lang).get("/information/search", query_string={"q": query})
        assert response.status_code == 200, query
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "\u202e" not in html
    main = _main(_client(app, "en").get("/information/search", query_string={
        "q": "<script>alert(1)</script>"}).get_data(as_text=True))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert "No pages match your search" in main


def test_percent_and_underscore_are_matched_literally(world: World, db_session: Session) -> None:
    _page(db_session, world, "zorblax", "Herbal teas")

    def found(query: str) -> list[str]:
        return _slugs(services.search(db_session, query, "en").hits)

    assert found("%") == ["zorblax"]  # "Save 50% on fish"
    assert found("50%") == ["zorblax"]
    assert found("_") == [] and found("a_b") == [] and found("%%") == []
    assert "test-page" not in found("%")


# ---------------------------------------------------------------- how words are compared


def test_words_are_folded_the_same_way_on_both_sides() -> None:
    fold = matching.fold
    assert fold("FLU") == fold("flu") and fold("Straße") == fold("STRASSE")
    assert fold("ابقَ دافئًا") == fold("ابق دافئا")  # short vowels
    assert fold("أحمد") == fold("احمد") and fold("صحة") == fold("صحه")
    assert fold("فارسی") == fold("فارسي") and fold("کمک") == fold("كمك")  # Persian yeh, keheh
    assert fold("می\u200cخواهم") == fold("میخواهم")  # zero-width non-joiner
    assert fold("١٨") == "18" and fold("۱۸") == "18" and fold("১৮") == "18"
    assert fold("don’t") == fold("don't")
    assert fold("ە") != fold("ه")  # Kurdish ە is a letter of its own
    assert matching.query_words('  "Flu,  jab" flu % ') == ("flu", "jab", "%")
    assert matching.clean_query("a\x00b\u202e  c\t") == "a b c"
    assert matching.html_text("<p>a &lt;b&gt;</p><p>c</p>") == "\na <b>\n\nc\n"
    assert matching.html_text('<img alt="x > y" src="a.png">z') == "\nz"  # ">" in a value


def test_many_results_come_a_page_at_a_time(app: Flask, world: World, db_session: Session,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Results are shown 20 to a page (2 here), with links to the other pages that keep the
    search; pages only in English come after the last page of results in the reader's
    language; a page number that is not one gives the first, and one past the end the last."""
    from citizen.content import views

    monkeypatch.setattr(views, "SEARCH_PER_PAGE", 2)
    for number in range(3):
        page = _page(db_session, world, f"zorblax-{number}", f"Zorblax leaflet {number}")
        _arabic(db_session, world, page, title=f"زوربلاكس {number}", body="<p>زوربلاكس</p>")
    _page(db_session, world, "zorblax-english", "Zorblax in English only")
    client = _client(app, "ar")

    def shown(path: str) -> tuple[list[str], str]:
        html = _main(client.get(path).get_data(as_text=True))
        return re.findall(r'href="/information/pages/(zorblax-[a-z0-9]+)/', html), html

    first, html = shown("/information/search?q=زوربلاكس")
    assert first == ["zorblax-0", "zorblax-1"] and 'id="english-title"' not in html
    assert "/information/search?page=2&amp;q=" in html  # the next page keeps the search
    last, html = shown("/information/search?q=زوربلاكس&page=2")
    assert last == ["zorblax-2"] and "/information/search?page=1&amp;q=" in html
    assert "zorblax-english" not in html  # matched in English only by a Latin word
    for odd in ("abc", "-1", "0"):
        assert shown(f"/information/search?q=زوربلاكس&page={odd}")[0] == first
    assert shown("/information/search?q=زوربلاكس&page=99")[0] == last
    # English-only matches come on the last page of the reader's-language results.
    english_first, html = shown("/information/search?q=zorblax")
    assert english_first[-1:] == ["zorblax-english"] and 'id="english-title"' in html
