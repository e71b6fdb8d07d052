"""E-mail when a translation waits for someone: the right people, nobody else, in each person's
own language, with a link that works for them; nothing when a step is refused."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User, UserRole
from citizen.content import services
from citizen.content.models import ContentPartner, PageTranslation, PartnerReviewer
from citizen.content.permissions import MANAGER_ROLES
from tests.accounts.conftest import sign_in
from tests.conftest import Inbox
from tests.content.conftest import World, _partner, make_staff, make_user, staff_sign_in
from tests.content.test_workflow import AR_BODY

TITLE = "Keep warm"  # the English title of the world's page


def _base(w: World, code: str = "ar", variant: str = "standard") -> str:
    return f"/information/manage/pages/{w.page.id}/{code}/{variant}"


def _client(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    if user.role_names & MANAGER_ROLES:
        staff_sign_in(client, user)
    else:
        assert sign_in(client, user.email).status_code == 302
    return client


def _submit_arabic(app: Flask, w: World) -> FlaskClient:
    """The Arabic translator writes a draft and sends it for review, over HTTP."""
    translator = _client(app, w.translator)
    saved = translator.post(_base(w), data={"title": "ابقَ دافئًا", "summary": "", "body": AR_BODY})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    done = translator.post(_base(w) + "/action", data={"action": "submit"})
    assert done.status_code == 302, done.get_data(as_text=True)
    return translator


def _recipients(inbox: Inbox) -> set[str]:
    return {str(m["To"]) for m in inbox.messages}


def _subject(message: Message) -> str:
    """The subject as the person reads it: unfolded and decoded."""
    raw = re.sub(r"\r?\n(?=[ \t])", "", str(message["Subject"]))
    return str(make_header(decode_header(raw))).strip()


def _link(inbox: Inbox, message: Message) -> str:
    match = re.search(r"http://localhost(/information/\S+)", inbox.body(message))
    assert match, inbox.body(message)
    return match.group(1)


def _link_opens(app: Flask, inbox: Inbox, person: User, message: Message, expected: str,
                marker: str) -> None:
    """The mail's link is ``expected`` and opens, for ``person``, a page showing ``marker``."""
    link = _link(inbox, message)
    assert link == expected
    page = _client(app, person).get(link)
    assert page.status_code == 200
    assert marker in page.get_data(as_text=True)


def _translated(app: Flask, locale: str, msgid: str, **params: str) -> str:
    """``msgid`` as the compiled catalogue has it in ``locale`` (checked to differ from
    English, so that a mail left in English cannot pass)."""
    with app.test_request_context():
        with force_locale(locale):
            text = gettext(msgid, **params)
        with force_locale("en"):
            assert text != gettext(msgid, **params), f"{msgid!r} is not translated into {locale}"
    return text


def _reviewers_of(db: Session, locale: str) -> set[str]:
    """Everyone who reviews ``locale`` for any partner (the demo data has one partner too)."""
    rows = db.execute(select(User.email, ContentPartner.languages)
                      .join(PartnerReviewer, PartnerReviewer.user_id == User.id)
                      .join(ContentPartner, ContentPartner.id == PartnerReviewer.partner_id))
    return {email for email, languages in rows if locale in languages}


def _managers(db: Session) -> set[str]:
    return set(db.scalars(select(User.email).join(UserRole, UserRole.user_id == User.id)
                          .where(UserRole.role.in_(["organiser", "admin"]))))


# ---------------------------------------------------------------- sent for review


def test_submitting_mails_each_reviewer_of_the_language_and_nobody_else(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    # A second partner that also covers Arabic, with a reviewer who reads Arabic; and the
    # translator reviews for the first partner too (they must not be told of their own step).
    second = _partner(db_session, "Foleshill Women's Group (test)", "fwg-test", ["ar", "fa"])
    ar_reviewer = make_user(db_session, "ar-reviewer@content.example.org", "organisation_member")
    ar_reviewer.locale = "ar"
    db_session.add_all([PartnerReviewer(partner_id=second.id, user_id=ar_reviewer.id),
                        PartnerReviewer(partner_id=world.partner.id, user_id=world.translator.id)])
    db_session.flush()

    _submit_arabic(app, world)

    expected = _reviewers_of(db_session, "ar") - {world.translator.email}
    assert {world.reviewer.email, ar_reviewer.email} <= expected
    assert _recipients(inbox) == expected
    assert len(inbox.messages) == len(expected)  # one each, though some review for two partners
    for nobody in (world.translator, world.pl_reviewer, world.pl_translator, world.organiser,
                   world.resident):
        assert inbox.to(nobody.email) == []

    # In English for the English reader: the page, the language, who can act, the link.
    english = inbox.last_to(world.reviewer.email)
    assert _subject(english) == (
        f"A translation is waiting for your review: {TITLE} (Arabic)")
    body = inbox.body(english)
    assert f'"{TITLE}"' in body and "Arabic" in body
    assert "Arab Community Group (test)" in body and "Foleshill Women's Group (test)" in body
    assert "Polish Centre (test)" not in body
    assert english["Content-Language"] == "en"

    # In Arabic for the reviewer who reads Arabic.
    arabic = inbox.last_to(ar_reviewer.email)
    assert arabic["Content-Language"] == "ar"
    assert _subject(arabic) == _translated(
        app, "ar", "A translation is waiting for your review: %(title)s (%(language)s)",
        title=TITLE, language="العربية")
    assert _translated(app, "ar", "Check the translation here:") in inbox.body(arabic)

    # The link opens the review page for each of them.
    for person, message in ((world.reviewer, english), (ar_reviewer, arabic)):
        _link_opens(app, inbox, person, message, _base(world),
                    "Sign off: accurate and culturally appropriate")


def test_the_review_mail_names_easy_read_and_passes_on_the_note(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    translator = _client(app, world.pl_translator)
    base = _base(world, "pl", "easy_read")
    assert translator.post(base, data={"title": "Ciepło", "lines": "Ubierz się ciepło."}
                           ).status_code == 302
    assert translator.post(base + "/action", data={"action": "submit",
                                                   "comment": "Prosimy o szybkie sprawdzenie."}
                           ).status_code == 302
    message = inbox.last_to(world.pl_reviewer.email)
    assert _subject(message) == (
        f"A translation is waiting for your review: {TITLE} (Polish, Easy Read)")
    assert "Prosimy o szybkie sprawdzenie." in inbox.body(message)
    assert _link(inbox, message) == base
    assert inbox.to(world.reviewer.email) == []  # the Arabic and Urdu partner: not theirs


# ---------------------------------------------------------------- sent back


def test_sending_back_mails_the_last_editor_with_the_comments(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    world.translator.locale = "ar"
    db_session.flush()
    _submit_arabic(app, world)
    inbox.messages.clear()

    reviewer = _client(app, world.reviewer)
    comments = "The second paragraph says 18 degrees twice.\nPlease use the word for 'heating'."
    done = reviewer.post(_base(world) + "/action", data={"action": "send_back",
                                                         "comment": comments})
    assert done.status_code == 302
    assert _recipients(inbox) == {world.translator.email}
    message = inbox.last_to(world.translator.email)
    assert message["Content-Language"] == "ar"
    assert _subject(message) == _translated(
        app, "ar", "A translation needs some changes: %(title)s (%(language)s)",
        title=TITLE, language="العربية")
    body = inbox.body(message)
    assert "The second paragraph says 18 degrees twice." in body
    assert "Please use the word for 'heating'." in body
    _link_opens(app, inbox, world.translator, message, _base(world), "Save as draft")


def test_a_send_back_by_the_last_editor_mails_nobody(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    organiser = _client(app, world.organiser)
    assert organiser.post(_base(world), data={"title": "ابقَ دافئًا", "summary": "",
                                              "body": AR_BODY}).status_code == 302
    assert organiser.post(_base(world) + "/action", data={"action": "submit"}).status_code == 302
    assert inbox.to(world.reviewer.email)  # the reviewers were told
    inbox.messages.clear()
    done = organiser.post(_base(world) + "/action", data={"action": "send_back",
                                                          "comment": "I will change it myself."})
    assert done.status_code == 302
    assert inbox.messages == []


# ---------------------------------------------------------------- signed off


def test_signing_off_mails_the_content_managers_in_their_language(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    admin = make_staff(db_session, "admin@content.example.org", "admin")
    admin.locale = "pl"
    moderator = make_staff(db_session, "moderator@content.example.org", "moderator")
    db_session.flush()
    _submit_arabic(app, world)
    inbox.messages.clear()

    done = _client(app, world.reviewer).post(
        _base(world) + "/action", data={"action": "sign_off", "comment": "Reads well."})
    assert done.status_code == 302
    expected = _managers(db_session)
    assert {world.organiser.email, admin.email} <= expected
    assert _recipients(inbox) == expected
    for nobody in (world.reviewer, world.translator, moderator, world.resident):
        assert inbox.to(nobody.email) == []

    english = inbox.last_to(world.organiser.email)
    assert _subject(english) == f"Ready to publish: {TITLE} (Arabic)"
    body = inbox.body(english)
    assert "Arab Community Group (test)" in body and "Reads well." in body
    polish = inbox.last_to(admin.email)
    assert _subject(polish) == _translated(
        app, "pl", "Ready to publish: %(title)s (%(language)s)", title=TITLE,
        language="arabski")

    for person, message in ((world.organiser, english), (admin, polish)):
        _link_opens(app, inbox, person, message, _base(world), 'value="publish"')


def test_a_manager_who_signs_off_is_not_told_of_it(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    db_session.add(PartnerReviewer(partner_id=world.partner.id, user_id=world.organiser.id))
    db_session.flush()
    _submit_arabic(app, world)
    inbox.messages.clear()
    done = _client(app, world.organiser).post(_base(world) + "/action",
                                              data={"action": "sign_off"})
    assert done.status_code == 302
    assert inbox.to(world.organiser.email) == []
    assert _recipients(inbox) == _managers(db_session) - {world.organiser.email}


# ---------------------------------------------------------------- refused: nothing sent


@pytest.mark.parametrize("who, data, status", [
    ("reviewer", {"action": "send_back", "comment": "  "}, 400),  # comments are required
    ("pl_reviewer", {"action": "send_back", "comment": "No."}, 403),  # not their language
    ("pl_reviewer", {"action": "sign_off"}, 403),
    ("translator", {"action": "sign_off"}, 403),
    ("translator", {"action": "submit"}, 403),  # already in review
])
def test_a_refused_step_mails_nobody(app: Flask, world: World, db_session: Session,
                                     inbox: Inbox, who: str, data: dict[str, str],
                                     status: int) -> None:
    _submit_arabic(app, world)
    assert inbox.messages  # the submission itself was mailed
    inbox.messages.clear()
    response = _client(app, getattr(world, who)).post(_base(world) + "/action", data=data)
    assert response.status_code == status
    assert inbox.messages == []
    translation = db_session.scalar(select(PageTranslation).where(
        PageTranslation.page_id == world.page.id, PageTranslation.locale == "ar"))
    db_session.refresh(translation)
    assert translation is not None and translation.status == "in_review"


def test_the_mail_waits_for_the_commit(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    from citizen.mail import discard_outbox, flush_outbox

    t = services.save_text(db_session, world.translator, world.page, "ar", "standard",
                           title="ابقَ دافئًا", body=AR_BODY)
    with app.test_request_context():
        services.submit_for_review(db_session, world.translator, t)
        assert inbox.messages == []  # queued, not sent
        discard_outbox()  # what the app does when the request fails
        flush_outbox()
    assert inbox.messages == []
    services.send_back(db_session, world.organiser, t, "Try again.")
    services.submit_for_review(db_session, world.translator, t)
    with app.test_request_context():
        services.send_back(db_session, world.organiser, t, "One more change.")
        flush_outbox()  # what the app does after the commit
    assert _recipients(inbox) == {world.translator.email}


# ---------------------------------------------------------------- outside a request


def test_links_outside_a_request_use_the_public_address(
        app: Flask, world: World, db_session: Session, inbox: Inbox) -> None:
    t = services.save_text(db_session, world.translator, world.page, "ar", "standard",
                           title="ابقَ دافئًا", body=AR_BODY)
    with app.app_context():  # a command or a job: mail goes at once
        services.submit_for_review(db_session, world.translator, t)
    assert _link(inbox, inbox.last_to(world.reviewer.email)) == _base(world)
