"""E-mail to the people a translation is waiting for.

- Sent for review: every reviewer of every community partner that covers the language.
- Sent back: the person who last changed the text, with the comments.
- Signed off: the content managers (organisers and admins), who publish.

The person who took the step is never told about it. Each message is in its recipient's own
language and leaves only when the request commits (:func:`citizen.mail.send_after_commit`).
Called by :mod:`citizen.content.services` after each step, so every route that takes a step
sends the mail. Nothing is logged about who was told: addresses are personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, has_app_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User, UserRole
from citizen.content.models import (
    EASY_READ,
    MASTER_LOCALE,
    STANDARD,
    ContentPartner,
    PageTranslation,
)
from citizen.content.permissions import MANAGER_ROLES
from citizen.i18n import language_name, normalise_code
from citizen.mail import Mail, links_context, render_mail, send_after_commit


def review_requested(actor: User, translation: PageTranslation, partners: list[ContentPartner],
                     comment: str = "") -> None:
    """draft -> in review: tell the reviewers of ``partners`` (those covering its language)."""
    names = ", ".join(p.name for p in partners)
    recipients = _unique(r.user for p in partners for r in p.reviewers)
    _send("content_review_requested", translation, recipients, actor,
          partners=names, comment=comment.strip())


def sent_back(session: Session, actor: User, translation: PageTranslation, comment: str) -> None:
    """-> draft with comments: tell the person who last changed the text."""
    editor = session.get(User, translation.updated_by_id) if translation.updated_by_id else None
    recipients = [editor] if editor is not None else []
    _send("content_sent_back", translation, recipients, actor, comments=comment.strip())


def ready_to_publish(session: Session, actor: User, translation: PageTranslation,
                     partner: ContentPartner, comment: str = "") -> None:
    """in review -> community reviewed: tell the content managers, who publish."""
    _send("content_signed_off", translation, managers(session), actor,
          partner=partner.name, comment=comment.strip())


# ---------------------------------------------------------------- who


def managers(session: Session) -> list[User]:
    """The people :func:`citizen.content.permissions.can_manage` allows: organisers and admins."""
    return list(session.scalars(
        select(User).where(User.id.in_(
            select(UserRole.user_id).where(UserRole.role.in_(MANAGER_ROLES))
        )).order_by(User.id)
    ))


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.id, user)
    return list(seen.values())


# ---------------------------------------------------------------- what


def _page_title(translation: PageTranslation) -> str:
    """The page's English title (the name everyone working on it knows), on one line."""
    master = translation.page.translation(MASTER_LOCALE, STANDARD)
    title = master.title if master is not None else translation.page.slug
    return " ".join(title.split())


def _send(template: str, translation: PageTranslation,
          recipients: Iterable[User], actor: User, **context: Any) -> None:
    if not has_app_context():
        return  # no templates or settings to send with (only in unit tests of the rules)
    people = [u for u in recipients if u.id != actor.id and u.email]
    if not people:
        return
    mails: list[Mail] = []
    with links_context(current_app):
        url = url_for("content.translation_edit", page_id=translation.page_id,
                      code=translation.locale, variant=translation.variant, _external=True)
        for person in people:
            locale = normalise_code(person.locale) or MASTER_LOCALE
            mails.append(render_mail(
                template, person.email, locale, title=_page_title(translation),
                language=language_name(translation.locale, locale),
                easy_read=translation.variant == EASY_READ, url=url, **context,
            ))
    for mail in mails:  # queued outside any stand-in request, so they wait for the commit
        send_after_commit(mail)
