"""Demo data for the content feature (never loaded in production).

Five real pages in plain English across three topics, published; Arabic, Urdu and Polish texts
that are machine-drafted and therefore only in draft or in review (honestly: no community
partner has checked them); one Easy Read page in English (published) and in Arabic (in review).
A demo community partner with the demo organisation member as its reviewer, and the demo
resident as translator for Arabic, Urdu and Polish, so every step can be tried.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation, User
from citizen.content import easyread, richtext
from citizen.content.demo_pages import PAGES, PARTNER, TOPICS
from citizen.content.models import (
    EASY_READ,
    PUBLISHED,
    STANDARD,
    ContentPartner,
    Page,
    PageTranslation,
    PartnerReviewer,
    Topic,
    TranslationEvent,
    TranslatorAssignment,
)
from citizen.db import utcnow

MACHINE_NOTE = "Machine-drafted for the demo. Not yet checked by a community partner."


def _text(page: Page, locale: str, variant: str, title: str, summary: str, content: str,
          status: str, machine: bool) -> PageTranslation:
    lines: list[dict[str, Any]] = []
    body = ""
    if variant == EASY_READ:
        lines, problems = easyread.parse(content)
        assert not problems, problems
    else:
        assert not richtext.images_without_alt(content)
        body = str(richtext.clean(content))
    translation = PageTranslation(
        page=page, locale=locale, variant=variant, title=title, summary=summary, body=body,
        lines=lines, status=status, machine_drafted=machine, source_version_at=page.english_version_at,
    )
    if status == PUBLISHED:
        translation.published_title = title
        translation.published_summary = summary
        translation.published_body = body
        translation.published_lines = lines
        translation.published_at = page.english_version_at
        translation.published_source_version_at = page.english_version_at
        translation.events.append(TranslationEvent(action="published"))
    else:
        translation.events.append(TranslationEvent(action="uploaded", comment=MACHINE_NOTE))
        if status == "in_review":
            translation.events.append(TranslationEvent(action="submitted"))
    return translation


def seed(session: Session) -> list[str]:
    """Add demo data if missing (idempotent); flush only. Returns lines of summary."""
    now = utcnow()
    topics = {t.slug: t for t in session.scalars(select(Topic))}
    for position, (slug, title, summary) in enumerate(TOPICS, 1):
        if slug not in topics:
            topics[slug] = Topic(slug=slug, title=title, summary=summary, titles={},
                                 position=position)
            session.add(topics[slug])
    added = 0
    for position, spec in enumerate(PAGES, 1):
        slug = str(spec["slug"])
        if session.scalar(select(Page.id).where(Page.slug == slug)):
            continue
        page = Page(topic=topics[str(spec["topic"])], slug=slug, pillar=str(spec["pillar"]),
                    place_slugs=[], position=position, english_version_at=now)
        session.add(page)
        texts: dict[str, tuple[str, str, str]] = spec["texts"]  # type: ignore[assignment]
        statuses: dict[str, str] = spec["statuses"]  # type: ignore[assignment]
        for locale, (title, summary, body) in texts.items():
            status = PUBLISHED if locale == "en" else statuses[locale]
            page.translations.append(
                _text(page, locale, STANDARD, title, summary, body, status, locale != "en"))
        easy: dict[str, tuple[str, str, str]] = spec.get("easy_read", {})  # type: ignore[assignment]
        easy_statuses: dict[str, str] = spec.get("easy_read_statuses", {})  # type: ignore[assignment]
        for locale, (title, summary, content) in easy.items():
            status = PUBLISHED if locale == "en" else easy_statuses[locale]
            page.translations.append(
                _text(page, locale, EASY_READ, title, summary, content, status, locale != "en"))
        added += 1
    session.flush()

    organisation = session.scalar(select(Organisation).where(Organisation.slug == PARTNER[1]))
    if organisation is None:
        organisation = Organisation(name=PARTNER[0], slug=PARTNER[1])
        session.add(organisation)
        session.flush()
    partner = session.scalar(
        select(ContentPartner).where(ContentPartner.organisation_id == organisation.id))
    if partner is None:
        partner = ContentPartner(organisation_id=organisation.id, languages=list(PARTNER[2]))
        session.add(partner)
        session.flush()
    member = session.scalar(select(User).where(User.email == "member@demo.example"))
    if member is not None and not session.scalar(select(PartnerReviewer.id).where(
            PartnerReviewer.partner_id == partner.id, PartnerReviewer.user_id == member.id)):
        session.add(PartnerReviewer(partner_id=partner.id, user_id=member.id))
    resident = session.scalar(select(User).where(User.email == "resident@demo.example"))
    if resident is not None:
        for locale in ("ar", "ur", "pl"):
            if not session.scalar(select(TranslatorAssignment.id).where(
                    TranslatorAssignment.user_id == resident.id,
                    TranslatorAssignment.locale == locale)):
                session.add(TranslatorAssignment(user_id=resident.id, locale=locale))
    session.flush()
    return [
        f"Information pages: {added} added ({len(PAGES)} in all; Arabic, Urdu and Polish are "
        "machine-drafted and not yet community reviewed).",
        "  Community partner reviewer: member@demo.example; translator (ar, ur, pl): "
        "resident@demo.example",
    ]
