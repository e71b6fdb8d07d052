"""Information pages in a real browser, with axe-core: an Arabic page (checked by a community
partner through the browser, then published), an Easy Read page, the missing-language notice
and the coverage dashboard. Also the feedback form without JavaScript, and searching the pages
in English and in Arabic on a 320px-wide screen."""

from __future__ import annotations

from typing import Any

import pyotp
from flask import Flask
from sqlalchemy import select

from citizen.accounts.models import User, UserRole
from citizen.accounts.passwords import hash_password
from citizen.content.models import ContentPartner, Page, PageTranslation, PartnerReviewer, Topic
from citizen.db import unit_of_work, utcnow
from tests.e2e.conftest import check, follow

PASSWORD = "a long password for the content tests"
ORGANISER = "e2e-content-organiser@example.org"
REVIEWER = "e2e-content-reviewer@example.org"


def _people(live_app: Flask) -> str:
    """An organiser (with two-factor) and a reviewer for the demo community partner."""
    secret = pyotp.random_base32()
    with live_app.app_context(), unit_of_work(live_app) as session:
        if session.scalar(select(User).where(User.email == ORGANISER)) is None:
            organiser = User(email=ORGANISER, password_hash=hash_password(PASSWORD),
                             email_verified_at=utcnow(), totp_secret=secret,
                             totp_enabled_at=utcnow())
            organiser.roles.append(UserRole(role="organiser"))
            reviewer = User(email=REVIEWER, password_hash=hash_password(PASSWORD),
                            email_verified_at=utcnow())
            reviewer.roles.append(UserRole(role="organisation_member"))
            session.add_all([organiser, reviewer])
            session.flush()
            partner = session.scalars(select(ContentPartner)).first()
            assert partner is not None and "ar" in partner.languages
            session.add(PartnerReviewer(partner_id=partner.id, user_id=reviewer.id))
        else:
            organiser = session.scalar(select(User).where(User.email == ORGANISER))
            assert organiser is not None and organiser.totp_secret
            secret = organiser.totp_secret
    return secret


def _sign_in(page: Any, live_server: str, email: str, secret: str | None = None) -> None:
    page.goto(live_server + "/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    follow(page.get_by_role("button", name="Sign in"))
    if secret:
        page.fill("#code", pyotp.TOTP(secret).now())
        follow(page.locator("main button[type=submit]"))


def test_arabic_page_reviewed_published_and_read(browser: Any, live_server: str,
                                                 live_app: Flask) -> None:
    secret = _people(live_app)
    failures: list[str] = []
    with live_app.app_context(), unit_of_work(live_app) as session:
        from citizen.content.models import Page

        page_id = session.scalar(select(Page.id).where(Page.slug == "where-to-get-help"))
    edit = f"{live_server}/information/manage/pages/{page_id}/ar/standard"

    # The partner's reviewer signs off the machine-drafted Arabic text, in the browser.
    reviewer = browser.new_context()
    tab = reviewer.new_page()
    _sign_in(tab, live_server, REVIEWER)
    tab.goto(edit)
    check(tab, failures)
    assert tab.locator("textarea[lang=ar][dir=rtl]").count() == 0  # reviewers do not rewrite
    tab.fill("#comment", "Accurate. The words for GP and pharmacy are the ones people use.")
    follow(tab.get_by_role("button", name="Sign off: accurate and culturally appropriate"))
    assert "Signed off" in tab.content()
    reviewer.close()

    # An organiser publishes it, and looks at the dashboard.
    organiser = browser.new_context()
    tab = organiser.new_page()
    _sign_in(tab, live_server, ORGANISER, secret)
    tab.goto(edit)
    follow(tab.get_by_role("button", name="Publish"))
    assert "Published." in tab.content()
    tab.goto(live_server + "/information/manage/")
    assert tab.locator("table.content-coverage__table tbody tr").count() >= 5
    check(tab, failures)
    tab.goto(f"{live_server}/information/manage/pages/{page_id}/en/standard")
    assert "Reading age" in tab.content()
    check(tab, failures)
    organiser.close()

    # A reader in Arabic: the page, right to left, says who checked it.
    reader = browser.new_context()
    tab = reader.new_page()
    tab.goto(f"{live_server}/language/ar?next=/information/pages/where-to-get-help")
    assert tab.locator("html").get_attribute("dir") == "rtl"
    assert tab.locator("article h1").inner_text() == "أين تحصل على المساعدة عندما تشعر بالمرض"
    assert tab.locator(".content-notes__checked").count() == 1
    check(tab, failures)
    # A page that is not in Arabic yet says so, in a block marked Arabic, and offers English.
    tab.goto(live_server + "/information/pages/flu-vaccine")
    assert tab.locator(".content-missing[lang=ar][dir=rtl]").count() == 1
    assert tab.locator(".content-missing a[hreflang=en]").count() == 1
    check(tab, failures)
    tab.goto(live_server + "/information/")
    check(tab, failures)
    reader.close()
    assert failures == [], "\n".join(failures)


def test_easy_read_page(browser: Any, live_server: str) -> None:
    failures: list[str] = []
    for code in ("en", "ur"):
        context = browser.new_context(viewport={"width": 320, "height": 640})
        tab = context.new_page()
        tab.goto(f"{live_server}/language/{code}?next=/information/pages/where-to-get-help/en/easy-read")
        assert tab.locator("svg.easy-read__picture[role=img]").count() >= 4
        assert tab.locator("article").get_attribute("lang") == (None if code == "en" else "en")
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{code}: scrolls sideways ({width}px)"
        check(tab, failures)
        context.close()
    assert failures == [], "\n".join(failures)


def test_feedback_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(live_server + "/information/pages/keep-warm-at-home/en")
        follow(tab.get_by_role("button", name="Send feedback"))
        assert tab.locator(".error-summary").is_visible()
        violations = axe_violations_nojs(tab)
        assert violations == []
        tab.get_by_label("Yes").check()
        follow(tab.get_by_role("button", name="Send feedback"))
        assert "Thank you" in tab.content()
    finally:
        context.close()


def axe_violations_nojs(tab: Any) -> list[Any]:
    """axe needs JavaScript; without it, check the basics by hand: the error summary links
    to the field and the field is marked invalid."""
    problems = []
    if tab.locator(".error-summary a[href='#useful']").count() != 1:
        problems.append("error summary does not link to the field")
    if tab.locator("#useful").count() != 1:
        problems.append("no field with the linked id")
    return problems


SEARCH_SLUG = "e2e-search-ginger-tea"


def _arabic_page(live_app: Flask) -> None:
    """A page published in English and Arabic of its own (the demo publishes no Arabic, and
    the other tests here must not depend on this one)."""
    with live_app.app_context(), unit_of_work(live_app) as session:
        if session.scalar(select(Page.id).where(Page.slug == SEARCH_SLUG)):
            return
        now = utcnow()
        topic = Topic(slug="e2e-search-herbs", title="Herbs", titles={"ar": "الأعشاب"},
                      position=99)
        page = Page(topic=topic, slug=SEARCH_SLUG, pillar="behaviours_lifestyles",
                    place_slugs=[], english_version_at=now)
        for locale, title, summary, body in (
            ("en", "Ginger tea", "A warm drink for winter.", "<p>Drink ginger tea with lemon.</p>"),
            ("ar", "شاي الزنجبيل", "مشروب دافئ للشتاء.", "<p>اشرب شاي الزنجبيل مع الليمون.</p>"),
        ):
            page.translations.append(PageTranslation(
                locale=locale, variant="standard", title=title, summary=summary, body=body,
                status="published", source_version_at=now, published_title=title,
                published_summary=summary, published_body=body, published_lines=[],
                published_at=now, published_source_version_at=now))
        session.add_all([topic, page])


def _search(tab: Any, words: str) -> None:
    tab.fill("#q", words)
    follow(tab.locator("form.content-search button[type=submit]"))


def _no_sideways_scroll(tab: Any, failures: list[str]) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        failures.append(f"{tab.url}: scrolls sideways at 320px ({width}px)")


def test_search_in_english_and_in_arabic(browser: Any, live_server: str,
                                         live_app: Flask) -> None:
    _arabic_page(live_app)
    failures: list[str] = []
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    try:
        # English: from the information home page, without typing a URL.
        tab.goto(live_server + "/language/en?next=/information/")
        tab.get_by_label("Search health information").fill("warm")
        follow(tab.get_by_role("button", name="Search", exact=True))
        assert "/information/search?q=warm" in tab.url
        assert tab.title().startswith("Search results for: warm")
        assert tab.locator("main h1").inner_text() == "Search results for: warm"
        results = tab.locator("#results-title + ul h3 a")
        assert "Keep warm at home this winter" in results.all_inner_texts()
        assert tab.locator("#english-title").count() == 0
        check(tab, failures)
        _no_sideways_scroll(tab, failures)
        # A long search without spaces still fits the screen; it finds nothing, and says so.
        _search(tab, "z" * 100)
        assert "No pages match your search" in tab.locator("main").inner_text()
        _no_sideways_scroll(tab, failures)
        # Nothing typed: the error at the field, in the summary and in the title.
        _search(tab, "")
        assert tab.locator(".error-summary a[href='#q']").is_visible()
        assert tab.locator("#q[aria-invalid=true]").count() == 1
        assert tab.title().startswith("Error:")
        check(tab, failures)
        _no_sideways_scroll(tab, failures)

        # Arabic, right to left: an Arabic word finds the Arabic page.
        tab.goto(live_server + "/language/ar?next=/information/")
        assert tab.locator("html").get_attribute("dir") == "rtl"
        _search(tab, "الزنجبيل")
        assert tab.locator("html").get_attribute("lang") == "ar"
        link = tab.locator("#results-title + ul h3 a")
        assert link.all_inner_texts() == ["شاي الزنجبيل"]
        assert link.get_attribute("href") == f"/information/pages/{SEARCH_SLUG}/ar"
        assert tab.locator(".content-result__topic a").inner_text() == "الأعشاب"
        check(tab, failures)
        _no_sideways_scroll(tab, failures)
        # An English word: pages not yet in Arabic are offered in English, marked as English.
        _search(tab, "vaccine")
        english = tab.locator("#english-title + p + ul h3 a[lang=en][dir=ltr]")
        assert english.count() >= 1
        assert tab.locator("#results-title").count() == 0
        check(tab, failures)
        _no_sideways_scroll(tab, failures)
        # And the mistake, in Arabic.
        _search(tab, "   ")
        assert tab.locator(".error-summary a[href='#q']").is_visible()
        assert "Enter a word" not in tab.locator("main").inner_text()
        check(tab, failures)
        _no_sideways_scroll(tab, failures)
    finally:
        context.close()
    assert failures == [], "\n".join(failures)
