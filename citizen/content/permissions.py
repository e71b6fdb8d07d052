"""Who may do what with information pages.

- Organisers (and admins) manage topics, pages, partners and assignments, edit any text, and
  publish. They cannot sign off a community review unless they are themselves a partner's
  reviewer: the sign-off is the community's word, not the partnership's.
- Translators edit, upload and submit for review the languages they are assigned.
- Partner reviewers send back or sign off translations in the languages their partner covers.

Staff roles count only after the second factor (``citizen.shared.permissions.current_roles``).
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from citizen.content.models import (
    COMMUNITY_REVIEWED,
    DRAFT,
    IN_REVIEW,
    MASTER_LOCALE,
    PUBLISHED,
    ContentPartner,
    PageTranslation,
    PartnerReviewer,
    TranslatorAssignment,
)
from citizen.shared.permissions import current_roles

MANAGER_ROLES = frozenset({"organiser", "admin"})


def _roles(user: User) -> frozenset[str]:
    if has_request_context() and g.get("current_user") is user:
        return current_roles()
    return user.role_names


def can_manage(user: User | None) -> bool:
    """Organisers and admins (with their second factor given, in a request)."""
    return user is not None and bool(_roles(user) & MANAGER_ROLES)


def translator_locales(session: Session, user: User | None) -> frozenset[str]:
    if user is None:
        return frozenset()
    return frozenset(session.scalars(
        select(TranslatorAssignment.locale).where(TranslatorAssignment.user_id == user.id)
    ))


def reviewer_partners(session: Session, user: User | None) -> list[ContentPartner]:
    if user is None:
        return []
    return list(session.scalars(
        select(ContentPartner).join(PartnerReviewer)
        .where(PartnerReviewer.user_id == user.id).order_by(ContentPartner.id)
    ))


def reviewer_locales(session: Session, user: User | None) -> frozenset[str]:
    return frozenset(code for p in reviewer_partners(session, user) for code in p.languages)


def can_work_on_content(session: Session, user: User | None) -> bool:
    """May see the coverage dashboard: organisers, translators and partner reviewers."""
    return can_manage(user) or bool(translator_locales(session, user)) or bool(
        reviewer_partners(session, user)
    )


def can_edit(session: Session, user: User | None, translation: PageTranslation) -> bool:
    """Edit or upload the working copy."""
    if can_manage(user):
        return True
    if translation.locale == MASTER_LOCALE and translation.variant == "standard":
        return False  # the English master belongs to organisers
    return translation.locale in translator_locales(session, user)


def can_edit_locale(session: Session, user: User | None, locale: str, variant: str) -> bool:
    """Start a translation that does not exist yet."""
    if can_manage(user):
        return True
    if locale == MASTER_LOCALE and variant == "standard":
        return False
    return locale in translator_locales(session, user)


def can_submit(session: Session, user: User | None, translation: PageTranslation) -> bool:
    """draft -> in review."""
    return translation.status == DRAFT and not translation.is_master and can_edit(
        session, user, translation
    )


def partner_for_review(
    session: Session, user: User | None, translation: PageTranslation
) -> ContentPartner | None:
    """The partner under whose name ``user`` may review ``translation``, if any."""
    for partner in reviewer_partners(session, user):
        if translation.locale in partner.languages:
            return partner
    return None


def can_review(session: Session, user: User | None, translation: PageTranslation) -> bool:
    """in review -> community reviewed (sign off) or -> draft (send back with comments)."""
    return translation.status == IN_REVIEW and partner_for_review(
        session, user, translation
    ) is not None


def can_send_back(session: Session, user: User | None, translation: PageTranslation) -> bool:
    """in review or community reviewed -> draft."""
    if translation.status not in (IN_REVIEW, COMMUNITY_REVIEWED):
        return False
    if can_manage(user):
        return True
    if translation.status == IN_REVIEW:
        return can_review(session, user, translation) or can_edit(session, user, translation)
    return False


def can_publish(user: User | None, translation: PageTranslation) -> bool:
    """community reviewed -> published (organisers). The English master (and English Easy
    Read, written by the partnership itself) may be published from any status."""
    if not can_manage(user):
        return False
    if translation.locale == MASTER_LOCALE:
        return translation.status != PUBLISHED
    return translation.status == COMMUNITY_REVIEWED
