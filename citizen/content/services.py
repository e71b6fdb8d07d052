"""Rules and writes for information pages. Functions flush, never commit.

Workflow of each translation (working copy): draft -> in review -> community reviewed ->
published. Who may do each step is in :mod:`citizen.content.permissions`; every function here
checks it and raises :class:`ContentError` ``not_allowed`` otherwise, so views cannot forget.

Each step that leaves a translation waiting for someone e-mails them
(:mod:`citizen.content.notify`): in review -> the partners' reviewers, sent back -> whoever last
changed it, community reviewed -> the organisers who publish.

Out of date: publishing a changed English master sets ``Page.english_version_at``. Any other
text whose ``source_version_at`` (working copy) or ``published_source_version_at`` (what readers
see) is older is out of date, and readers are told which English version it matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from citizen.accounts.models import Organisation, User
from citizen.content import easyread, matching, notify, richtext
from citizen.content import permissions as can
from citizen.content.models import (
    COMMUNITY_REVIEWED,
    DRAFT,
    EASY_READ,
    IN_REVIEW,
    MASTER_LOCALE,
    PILLARS,
    PUBLISHED,
    STANDARD,
    VARIANTS,
    ContentPartner,
    Page,
    PageFeedback,
    PageTranslation,
    PartnerReviewer,
    Topic,
    TranslationEvent,
    TranslatorAssignment,
)
from citizen.content.xliff import FileError, TranslationFile, Unit
from citizen.db import utcnow
from citizen.i18n import SUPPORTED_CODES
from citizen.moderation import services as moderation
from citizen.shared import audit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLE_MAX = 200
SUMMARY_MAX = 600
BODY_MAX = 50_000
COMMENT_MAX = 2000
FEEDBACK_MAX = 1000


class ContentError(ValueError):
    """A rule was broken; ``code`` names it, ``field`` the form field to show it at."""

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


# ---------------------------------------------------------------- moderation of feedback


def _feedback_url(_target_id: int) -> str | None:
    return None  # feedback is read by staff in the queue, never published


def _page_url(target_id: int) -> str | None:
    from citizen.db import get_session

    page = get_session().get(Page, target_id)
    return url_for("content.page_show", slug=page.slug) if page else None


def _no_change(_session: Session, _item: Any) -> None:
    """A moderation decision changes nothing here: feedback is never shown to the public, and
    a report on a page is a prompt for organisers, not a reason to take health advice down."""


moderation.register_kind("page_feedback", label=_l("Feedback on an information page"),
                         on_decision=_no_change, public_url=_feedback_url)
moderation.register_kind("page", label=_l("Information page"), on_decision=_no_change,
                         public_url=_page_url)


# ---------------------------------------------------------------- helpers


def is_out_of_date(page: Page, translation: PageTranslation) -> bool:
    """The working copy was made from an older English version than the current one."""
    if translation.is_master or page.english_version_at is None:
        return False
    source = translation.source_version_at
    return source is None or _aware(source) < _aware(page.english_version_at)


def published_out_of_date(page: Page, translation: PageTranslation) -> bool:
    """What readers see was made from an older English version than the current one."""
    if translation.is_master or page.english_version_at is None or not translation.is_published:
        return False
    source = translation.published_source_version_at
    return source is None or _aware(source) < _aware(page.english_version_at)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes (stored as UTC): make them comparable."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _event(translation: PageTranslation, actor: User | None, action: str, comment: str = "") -> None:
    translation.events.append(TranslationEvent(
        actor_id=actor.id if actor else None, action=action, comment=comment[:COMMENT_MAX]
    ))


def _require(allowed: bool) -> None:
    if not allowed:
        raise ContentError("not_allowed")


def _check_slug(slug: str, field_name: str = "slug") -> str:
    slug = (slug or "").strip().lower()
    if not slug:
        raise ContentError("slug_missing", field_name)
    if len(slug) > 120 or not SLUG.match(slug):
        raise ContentError("slug_format", field_name)
    return slug


def find_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None:
        raise ContentError("no_such_person", "email")
    return user


# ---------------------------------------------------------------- topics and pages


def topics(session: Session) -> list[Topic]:
    return list(session.scalars(
        select(Topic).options(selectinload(Topic.pages).selectinload(Page.translations))
        .order_by(Topic.position, Topic.id)
    ))


def topic_by_slug(session: Session, slug: str) -> Topic | None:
    return session.scalar(select(Topic).where(Topic.slug == slug))


def page_by_slug(session: Session, slug: str) -> Page | None:
    return session.scalar(
        select(Page).where(Page.slug == slug).options(selectinload(Page.translations))
    )


def create_topic(session: Session, actor: User, *, slug: str, title: str, summary: str = "",
                 titles: dict[str, str] | None = None) -> Topic:
    _require(can.can_manage(actor))
    slug = _check_slug(slug)
    if session.scalar(select(Topic.id).where(Topic.slug == slug)):
        raise ContentError("slug_taken", "slug")
    if not (title or "").strip():
        raise ContentError("title_missing", "title")
    position = (session.scalar(select(func.max(Topic.position))) or 0) + 1
    topic = Topic(slug=slug, title=title.strip()[:TITLE_MAX], summary=(summary or "").strip(),
                  titles={k: v for k, v in (titles or {}).items() if k in SUPPORTED_CODES and v},
                  position=position)
    session.add(topic)
    session.flush()
    audit.record(session, "content.topic_created", actor_id=actor.id, target_type="content_topic",
                 target_id=topic.id)
    return topic


def update_topic(session: Session, actor: User, topic: Topic, *, title: str, summary: str,
                 titles: dict[str, str]) -> None:
    _require(can.can_manage(actor))
    if not (title or "").strip():
        raise ContentError("title_missing", "title")
    topic.title = title.strip()[:TITLE_MAX]
    topic.summary = (summary or "").strip()
    topic.titles = {code: name.strip()[:TITLE_MAX] for code, name in titles.items()
                    if code in SUPPORTED_CODES and code != MASTER_LOCALE and (name or "").strip()}
    session.flush()


def create_page(session: Session, actor: User, *, topic: Topic, slug: str, pillar: str,
                place_slugs: list[str], title: str, summary: str, body: str) -> Page:
    """A new page with its English master as a draft."""
    _require(can.can_manage(actor))
    slug = _check_slug(slug)
    if session.scalar(select(Page.id).where(Page.slug == slug)):
        raise ContentError("slug_taken", "slug")
    if pillar not in PILLARS:
        raise ContentError("pillar_missing", "pillar")
    position = (session.scalar(select(func.max(Page.position)).where(Page.topic_id == topic.id))
                or 0) + 1
    page = Page(topic=topic, slug=slug, pillar=pillar, place_slugs=list(place_slugs),
                position=position, created_by_id=actor.id)
    session.add(page)
    session.flush()
    save_text(session, actor, page, MASTER_LOCALE, STANDARD, title=title, summary=summary,
              body=body)
    audit.record(session, "content.page_created", actor_id=actor.id, target_type="content_page",
                 target_id=page.id)
    return page


def update_page(session: Session, actor: User, page: Page, *, topic: Topic, pillar: str,
                place_slugs: list[str]) -> None:
    _require(can.can_manage(actor))
    if pillar not in PILLARS:
        raise ContentError("pillar_missing", "pillar")
    page.topic = topic
    page.pillar = pillar
    page.place_slugs = list(place_slugs)
    session.flush()


# ---------------------------------------------------------------- writing text


def _validated(title: str, summary: str, body: str, lines_text: str | None, variant: str
               ) -> tuple[str, str, str, list[dict[str, Any]]]:
    title = (title or "").strip()
    summary = (summary or "").strip()
    if not title:
        raise ContentError("title_missing", "title")
    if len(title) > TITLE_MAX:
        raise ContentError("title_too_long", "title", limit=TITLE_MAX)
    if len(summary) > SUMMARY_MAX:
        raise ContentError("summary_too_long", "summary", limit=SUMMARY_MAX)
    lines: list[dict[str, Any]] = []
    cleaned_body = ""
    if variant == EASY_READ:
        lines, problems = easyread.parse(lines_text or "")
        if problems:
            first = problems[0]
            raise ContentError("easy_read_" + first.code, "lines", line=first.line,
                               picture=first.picture)
        if not lines:
            raise ContentError("lines_missing", "lines")
    else:
        if not (body or "").strip():
            raise ContentError("body_missing", "body")
        if len(body) > BODY_MAX:
            raise ContentError("body_too_long", "body", limit=BODY_MAX)
        missing = richtext.images_without_alt(body)
        if missing:
            raise ContentError("alt_missing", "body", src=missing[0][:80])
        cleaned_body = str(richtext.clean(body))
        if not cleaned_body.strip():
            raise ContentError("body_missing", "body")
    return title, summary, cleaned_body, lines


def save_text(
    session: Session, actor: User, page: Page, locale: str, variant: str, *, title: str,
    summary: str = "", body: str = "", lines_text: str | None = None,
    machine_drafted: bool = False, matches_current_english: bool = False,
    source_version_at: datetime | None = None, action: str = "edited",
) -> PageTranslation:
    """Create or change the working copy of one language and variant. Any change sends it
    back to draft: changed words need checking again. What readers see does not change until
    the new text is published."""
    if locale not in SUPPORTED_CODES or variant not in VARIANTS:
        raise ContentError("not_found")
    translation = page.translation(locale, variant)
    if translation is None:
        _require(can.can_edit_locale(session, actor, locale, variant))
    else:
        _require(can.can_edit(session, actor, translation))
    title, summary, cleaned, lines = _validated(title, summary, body, lines_text, variant)
    now = utcnow()
    if translation is None:
        translation = PageTranslation(page=page, locale=locale, variant=variant, title=title,
                                      status=DRAFT)
        session.add(translation)
        translation.source_version_at = source_version_at or page.english_version_at
    elif source_version_at is not None:
        translation.source_version_at = source_version_at
    elif matches_current_english:
        translation.source_version_at = page.english_version_at
    translation.title = title
    translation.summary = summary
    translation.body = cleaned
    translation.lines = lines
    translation.machine_drafted = machine_drafted
    translation.status = DRAFT
    translation.reviewed_partner_id = None
    translation.reviewed_by_id = None
    translation.reviewed_at = None
    translation.updated_at = now
    translation.updated_by_id = actor.id
    _event(translation, actor, action)
    session.flush()
    return translation


# ---------------------------------------------------------------- the workflow


def submit_for_review(session: Session, actor: User, translation: PageTranslation,
                      comment: str = "") -> None:
    """draft -> in review (the translator, or an organiser)."""
    _require(can.can_submit(session, actor, translation))
    translation.status = IN_REVIEW
    _event(translation, actor, "submitted", comment)
    session.flush()
    notify.review_requested(actor, translation, partners_for(session, translation.locale),
                            comment)


def send_back(session: Session, actor: User, translation: PageTranslation, comment: str) -> None:
    """in review / community reviewed -> draft, with comments saying what to change."""
    _require(can.can_send_back(session, actor, translation))
    if not (comment or "").strip():
        raise ContentError("comment_missing", "comment")
    translation.status = DRAFT
    translation.reviewed_partner_id = None
    translation.reviewed_by_id = None
    translation.reviewed_at = None
    _event(translation, actor, "sent_back", comment.strip())
    session.flush()
    notify.sent_back(session, actor, translation, comment)


def sign_off(session: Session, actor: User, translation: PageTranslation, comment: str = "") -> None:
    """in review -> community reviewed: a partner's reviewer says the text is accurate and
    culturally appropriate."""
    partner = can.partner_for_review(session, actor, translation)
    _require(translation.status == IN_REVIEW and partner is not None)
    assert partner is not None
    translation.status = COMMUNITY_REVIEWED
    translation.reviewed_partner_id = partner.id
    translation.reviewed_by_id = actor.id
    translation.reviewed_at = utcnow()
    _event(translation, actor, "signed_off", comment.strip())
    audit.record(session, "content.translation_signed_off", actor_id=actor.id,
                 target_type="content_page_translation", target_id=translation.id,
                 details={"partner_id": partner.id, "locale": translation.locale})
    session.flush()
    notify.ready_to_publish(session, actor, translation, partner, comment)


def publish(session: Session, actor: User, translation: PageTranslation) -> None:
    """community reviewed -> published (organisers); English may be published at once.

    Publishing a changed English master makes a new English version: every other text made
    from an older one becomes out of date."""
    _require(can.can_publish(actor, translation))
    now = utcnow()
    page = translation.page
    if translation.is_master:
        changed = (translation.published_title, translation.published_summary,
                   translation.published_body) != (translation.title, translation.summary,
                                                   translation.body)
        if changed or page.english_version_at is None:
            page.english_version_at = now
        translation.source_version_at = page.english_version_at
    translation.published_title = translation.title
    translation.published_summary = translation.summary
    translation.published_body = translation.body
    translation.published_lines = list(translation.lines or [])
    translation.published_at = now
    translation.published_source_version_at = translation.source_version_at
    translation.checked_partner_id = translation.reviewed_partner_id
    translation.checked_at = translation.reviewed_at
    translation.status = PUBLISHED
    _event(translation, actor, "published")
    audit.record(session, "content.translation_published", actor_id=actor.id,
                 target_type="content_page_translation", target_id=translation.id,
                 details={"locale": translation.locale, "variant": translation.variant})
    session.flush()


def unpublish(session: Session, actor: User, translation: PageTranslation) -> None:
    """Take a text off the site (organisers), for example when it is badly out of date."""
    _require(can.can_manage(actor) and translation.is_published)
    translation.published_at = None
    if translation.status == PUBLISHED:
        translation.status = DRAFT
    _event(translation, actor, "unpublished")
    session.flush()


# ---------------------------------------------------------------- readers


@dataclass
class Reading:
    """What a reader asked for and what can be shown."""

    page: Page
    code: str
    variant: str
    text: PageTranslation | None  # published text in the language and variant asked for
    english: PageTranslation | None  # published English in the same variant, else standard
    easy_read: PageTranslation | None  # published Easy Read: this language first, else English
    standard: PageTranslation | None  # published standard text in this language
    others: list[PageTranslation] = field(default_factory=list)  # other published languages

    @property
    def out_of_date(self) -> bool:
        return self.text is not None and published_out_of_date(self.page, self.text)


def _published(page: Page, locale: str, variant: str) -> PageTranslation | None:
    translation = page.translation(locale, variant)
    return translation if translation is not None and translation.is_published else None


def reading(page: Page, code: str, variant: str = STANDARD) -> Reading:
    english = _published(page, MASTER_LOCALE, variant) or _published(page, MASTER_LOCALE, STANDARD)
    return Reading(
        page=page, code=code, variant=variant, text=_published(page, code, variant),
        english=english,
        easy_read=_published(page, code, EASY_READ) or _published(page, MASTER_LOCALE, EASY_READ),
        standard=_published(page, code, STANDARD),
        others=sorted(
            (t for t in page.translations if t.is_published and t.variant == variant
             and t.locale != code),
            key=lambda t: SUPPORTED_CODES.index(t.locale) if t.locale in SUPPORTED_CODES else 99,
        ),
    )


def is_visible(page: Page) -> bool:
    return any(t.is_published for t in page.translations)


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    """One page found: the published text that matched (the reader's language, or English)."""

    page: Page
    text: PageTranslation
    in_title: bool  # every word is in the title

    @property
    def locale(self) -> str:
        return self.text.locale


@dataclass(frozen=True)
class SearchResults:
    query: str  # what the reader typed, cleaned (see ``matching.clean_query``)
    words: tuple[str, ...]  # the folded words looked for
    locale: str
    hits: list[SearchHit]  # pages in the reader's language
    english: list[SearchHit]  # pages found in English that are not in the reader's language


def search(session: Session, query: str, locale: str) -> SearchResults:
    """Published, visible pages whose published title, summary or body text in ``locale``
    contains every word of ``query`` (see :mod:`citizen.content.matching` for how words are
    compared); then, for a language other than English, pages that match in English and have
    no published text in ``locale``. Reads only: it flushes nothing, not even by autoflush.

    What is searched is what the public page shows (``reading(...).text`` and ``.english``):
    the published snapshot of the standard text, never a working copy, a draft or a text
    waiting for review. A page with any published text is visible (``is_visible``), so every
    page found is one the public may see. Easy Read lines are not searched.
    """
    cleaned = matching.clean_query(query)
    if not cleaned:
        raise ContentError("query_missing", "q")
    if len(cleaned) > matching.QUERY_MAX:
        raise ContentError("query_too_long", "q", limit=matching.QUERY_MAX)
    if locale not in SUPPORTED_CODES:
        locale = MASTER_LOCALE
    words = matching.query_words(cleaned)
    wanted = sorted({locale, MASTER_LOCALE})
    with session.no_autoflush:
        rows = session.execute(
            select(PageTranslation, Page)
            .join(Page, PageTranslation.page_id == Page.id)
            .join(Topic, Page.topic_id == Topic.id)
            .where(PageTranslation.published_at.is_not(None),
                   PageTranslation.variant == STANDARD,
                   PageTranslation.locale.in_(wanted))
            .options(load_only(
                PageTranslation.page_id, PageTranslation.locale, PageTranslation.variant,
                PageTranslation.published_title, PageTranslation.published_summary,
                PageTranslation.published_body, PageTranslation.published_at,
                PageTranslation.published_source_version_at,
            ), selectinload(Page.topic))
            .order_by(Topic.position, Topic.id, Page.position, Page.id)
        ).all()
    order: dict[int, Page] = {}  # in the topics' order
    texts: dict[tuple[int, str], PageTranslation] = {}
    for text, page in rows:
        order.setdefault(page.id, page)
        texts[(page.id, text.locale)] = text

    def found(page: Page, code: str) -> SearchHit | None:
        text = texts.get((page.id, code))
        if text is None:
            return None
        title, everything = matching.searchable(
            text.published_title, text.published_summary, text.published_body)
        if not matching.contains_all(everything, words):
            return None
        return SearchHit(page, text, matching.contains_all(title, words))

    def ranked(hits: list[SearchHit]) -> list[SearchHit]:
        return sorted(hits, key=lambda hit: not hit.in_title)  # stable: topic order otherwise

    hits = [hit for page in order.values() if (hit := found(page, locale)) is not None]
    english: list[SearchHit] = []
    if locale != MASTER_LOCALE:
        english = [hit for page in order.values() if (page.id, locale) not in texts
                   and (hit := found(page, MASTER_LOCALE)) is not None]
    return SearchResults(cleaned, words, locale, ranked(hits), ranked(english))


def partner_name(session: Session, partner_id: int | None) -> str | None:
    if partner_id is None:
        return None
    partner = session.get(ContentPartner, partner_id)
    return partner.name if partner else None


def give_feedback(session: Session, page: Page, *, locale: str, variant: str, useful: bool,
                  comment: str = "") -> PageFeedback:
    """Record "was this page useful?"; a comment goes to the moderation queue, where
    Healthwatch staff read it (it may hold personal data, so it is never published)."""
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_MAX:
        raise ContentError("comment_too_long", "comment", limit=FEEDBACK_MAX)
    feedback = PageFeedback(page_id=page.id, locale=locale if locale in SUPPORTED_CODES else "en",
                            variant=variant if variant in VARIANTS else STANDARD,
                            useful=useful, has_comment=bool(comment))
    session.add(feedback)
    session.flush()
    if comment:
        moderation.submit(
            session, kind="page_feedback", target_id=feedback.id,
            text=comment, place_slug=None, consultation_id=None, author_email=None,
            author_locale=feedback.locale, post_moderated=False,
        )
    return feedback


def forget_feedback_comments(session: Session, before: datetime) -> int:
    """Delete the comments given with "was this page useful?" before ``before`` from the
    moderation queue, where they are kept (they may hold personal data); the yes/no counts stay.
    A comment under an open safeguarding concern stays for the lead. Returns how many; flushes."""
    return moderation.forget(session, "page_feedback", select(PageFeedback.id).where(
        PageFeedback.has_comment.is_(True), PageFeedback.created_at < before))


def feedback_counts(session: Session) -> dict[int, tuple[int, int]]:
    """page id -> (useful, not useful)."""
    rows = session.execute(
        select(PageFeedback.page_id, PageFeedback.useful, func.count())
        .group_by(PageFeedback.page_id, PageFeedback.useful)
    )
    counts: dict[int, list[int]] = {}
    for page_id, useful, number in rows:
        counts.setdefault(page_id, [0, 0])[0 if useful else 1] += number
    return {k: (v[0], v[1]) for k, v in counts.items()}


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Cell:
    locale: str
    variant: str
    state: str  # missing | draft | in_review | community_reviewed | published
    out_of_date: bool
    live: bool  # a published version is on the site
    machine_drafted: bool


def cell_for(page: Page, locale: str, variant: str) -> Cell:
    translation = page.translation(locale, variant)
    if translation is None:
        return Cell(locale, variant, "missing", False, False, False)
    return Cell(
        locale, variant, translation.status,
        is_out_of_date(page, translation) or published_out_of_date(page, translation),
        translation.is_published, translation.machine_drafted,
    )


def coverage(session: Session) -> list[tuple[Page, list[tuple[Cell, Cell]]]]:
    """For each page: (standard, Easy Read) cells for every language, English first."""
    pages = session.scalars(
        select(Page).join(Topic).options(selectinload(Page.translations), selectinload(Page.topic))
        .order_by(Topic.position, Page.position, Page.id)
    )
    return [
        (page, [(cell_for(page, code, STANDARD), cell_for(page, code, EASY_READ))
                for code in SUPPORTED_CODES])
        for page in pages
    ]


# ---------------------------------------------------------------- translation files


def export_file(page: Page, locale: str, variant: str) -> TranslationFile:
    """The English text (published if there is one) with any existing translation."""
    source = page.translation(MASTER_LOCALE, variant)
    if source is None or locale == MASTER_LOCALE:
        raise ContentError("not_found")  # nothing in English to translate from
    target = page.translation(locale, variant)

    def pick(t: PageTranslation | None, name: str) -> Any:
        if t is None:
            return "" if name != "lines" else []
        published = getattr(t, "published_" + name)
        return published if t.is_published and published is not None else getattr(t, name)

    units = [Unit("title", pick(source, "title"), target.title if target else ""),
             Unit("summary", pick(source, "summary"), target.summary if target else "")]
    if variant == STANDARD:
        units.append(Unit("body", pick(source, "body"), target.body if target else ""))
    else:
        source_lines = pick(source, "lines") or []
        target_lines = (target.lines if target else []) or []
        for i, line in enumerate(source_lines, 1):
            existing = target_lines[i - 1] if i - 1 < len(target_lines) else {}
            units.append(Unit(f"line-{i}", line.get("text", ""), existing.get("text", "")))
            if line.get("picture"):
                units.append(Unit(f"line-{i}-alt", line.get("alt", ""), existing.get("alt", ""),
                                  picture=line["picture"]))
    return TranslationFile(page.slug, variant, locale, page.english_version_at, units)


def import_file(session: Session, actor: User, page: Page, locale: str, variant: str,
                doc: TranslationFile, *, machine_drafted: bool = False) -> PageTranslation:
    """Put an uploaded translation in as a draft, after checking it belongs here."""
    if doc.page_slug != page.slug:
        raise FileError("wrong_page", page=doc.page_slug[:120])
    if doc.variant != variant:
        raise FileError("wrong_variant")
    if doc.target_language != locale:
        raise FileError("wrong_language", language=doc.target_language[:20])
    if locale == MASTER_LOCALE:
        raise FileError("wrong_language", language=locale)
    title_unit = doc.unit("title")
    if title_unit is None or not title_unit.target.strip():
        raise FileError("empty_target", unit="title")
    summary_unit = doc.unit("summary")
    body = ""
    lines_text: str | None = None
    if variant == STANDARD:
        body_unit = doc.unit("body")
        if body_unit is None or not body_unit.target.strip():
            raise FileError("empty_target", unit="body")
        body = body_unit.target
    else:
        lines: list[dict[str, Any]] = []
        number = 1
        while (unit := doc.unit(f"line-{number}")) is not None:
            if not unit.target.strip():
                raise FileError("empty_target", unit=unit.id)
            alt_unit = doc.unit(f"line-{number}-alt")
            picture = alt_unit.picture if alt_unit else None
            if picture and picture not in easyread.PICTURES:
                raise FileError("bad_picture", unit=f"line-{number}-alt")
            if alt_unit is not None and not alt_unit.target.strip():
                raise FileError("empty_target", unit=alt_unit.id)
            lines.append({"text": " ".join(unit.target.split()), "picture": picture,
                          "alt": " ".join(alt_unit.target.split()) if alt_unit else ""})
            number += 1
        lines_text = easyread.format_lines(lines)
    translation = save_text(
        session, actor, page, locale, variant, title=title_unit.target,
        summary=summary_unit.target if summary_unit else "", body=body, lines_text=lines_text,
        machine_drafted=machine_drafted,
        source_version_at=doc.english_version or page.english_version_at, action="uploaded",
    )
    return translation


# ---------------------------------------------------------------- partners and translators


def partners(session: Session) -> list[ContentPartner]:
    return list(session.scalars(
        select(ContentPartner).options(
            selectinload(ContentPartner.reviewers).selectinload(PartnerReviewer.user),
            selectinload(ContentPartner.organisation),
        ).order_by(ContentPartner.id)
    ))


def partners_for(session: Session, locale: str) -> list[ContentPartner]:
    """The partners whose languages include ``locale`` (their reviewers may sign it off)."""
    return [p for p in partners(session) if locale in (p.languages or [])]


def translators(session: Session) -> list[TranslatorAssignment]:
    return list(session.scalars(
        select(TranslatorAssignment).options(selectinload(TranslatorAssignment.user))
        .order_by(TranslatorAssignment.locale, TranslatorAssignment.id)
    ))


def organisations_not_partners(session: Session) -> list[Organisation]:
    return list(session.scalars(
        select(Organisation).where(~Organisation.id.in_(select(ContentPartner.organisation_id)))
        .order_by(Organisation.name)
    ))


def designate_partner(session: Session, actor: User, organisation: Organisation,
                      languages: list[str]) -> ContentPartner:
    _require(can.can_manage(actor))
    languages = [code for code in languages if code in SUPPORTED_CODES]
    if not languages:
        raise ContentError("languages_missing", "languages")
    partner = session.scalar(
        select(ContentPartner).where(ContentPartner.organisation_id == organisation.id)
    )
    if partner is None:
        partner = ContentPartner(organisation=organisation, designated_by_id=actor.id)
        session.add(partner)
    partner.languages = languages
    session.flush()
    audit.record(session, "content.partner_designated", actor_id=actor.id,
                 target_type="organisation", target_id=organisation.id,
                 details={"languages": languages})
    return partner


def add_reviewer(session: Session, actor: User, partner: ContentPartner, email: str) -> None:
    _require(can.can_manage(actor))
    user = find_user(session, email)
    if any(r.user_id == user.id for r in partner.reviewers):
        raise ContentError("already_reviewer", "email")
    partner.reviewers.append(PartnerReviewer(user_id=user.id))
    session.flush()
    audit.record(session, "content.reviewer_added", actor_id=actor.id, target_type="user",
                 target_id=user.id, details={"partner_id": partner.id})


def remove_reviewer(session: Session, actor: User, reviewer: PartnerReviewer) -> None:
    _require(can.can_manage(actor))
    audit.record(session, "content.reviewer_removed", actor_id=actor.id, target_type="user",
                 target_id=reviewer.user_id, details={"partner_id": reviewer.partner_id})
    session.delete(reviewer)
    session.flush()


def assign_translator(session: Session, actor: User, email: str, locale: str) -> None:
    _require(can.can_manage(actor))
    if locale not in SUPPORTED_CODES or locale == MASTER_LOCALE:
        raise ContentError("language_missing", "locale")
    user = find_user(session, email)
    if session.scalar(select(TranslatorAssignment.id).where(
            TranslatorAssignment.user_id == user.id, TranslatorAssignment.locale == locale)):
        raise ContentError("already_translator", "email")
    session.add(TranslatorAssignment(user_id=user.id, locale=locale, assigned_by_id=actor.id))
    session.flush()
    audit.record(session, "content.translator_assigned", actor_id=actor.id, target_type="user",
                 target_id=user.id, details={"locale": locale})


def remove_translator(session: Session, actor: User, assignment: TranslatorAssignment) -> None:
    _require(can.can_manage(actor))
    audit.record(session, "content.translator_removed", actor_id=actor.id, target_type="user",
                 target_id=assignment.user_id, details={"locale": assignment.locale})
    session.delete(assignment)
    session.flush()


def record_people_viewed(session: Session, actor: User) -> None:
    audit.record(session, "content.people_viewed", actor_id=actor.id, target_type="content_partner")
