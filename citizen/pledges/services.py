"""Rules of the Call to Action: organisations, pledges, progress, review and the public wall.

Every function flushes and never commits. Pledges and progress updates are reviewed through the
moderation queue (:mod:`citizen.moderation.services`): the only coupling is ``register_kind``,
``submit`` and the ``on_decision`` callbacks below, which copy the approved (possibly redacted)
text into the pledge's public columns, or return it to the organisation with the comments.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, selectinload

from citizen.accounts import services as accounts
from citizen.accounts.models import Organisation, OrganisationMembership, User
from citizen.db import utcnow
from citizen.mail import render_mail, send_after_commit
from citizen.moderation import services as moderation
from citizen.places.models import Place, PlaceKind
from citizen.pledges.models import (
    ACCREDITATIONS,
    BENEFICIARIES,
    MAX_ACTIONS,
    PILLARS,
    PROGRESS_STATUSES,
    SECTORS,
    SIZE_BANDS,
    CatalogueAction,
    OrganisationClaim,
    OrganisationInvitation,
    OrganisationPlace,
    OrganisationProfile,
    Pledge,
    PledgeAccreditation,
    PledgeAction,
    PledgeUpdate,
)
from citizen.shared import audit

INVITATION_DAYS = 14
FIELD_SEPARATOR = "\n\n"


class PledgeError(ValueError):
    """A rule was broken; ``code`` says which (views turn it into a translated message)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


# ---------------------------------------------------------------- moderation coupling


def register_moderation_kinds() -> None:
    """Tell the moderation queue about pledges and progress updates (called at import)."""
    moderation.register_kind(
        "pledge", label=_l("Pledge"), on_decision=on_pledge_decision,
        public_url=lambda target_id: url_for("pledges.review_pledge", pledge_id=target_id),
    )
    moderation.register_kind(
        "pledge_update", label=_l("Pledge progress update"), on_decision=on_update_decision,
        public_url=_update_review_url,
    )


def _update_review_url(target_id: int) -> str | None:
    from citizen.db import get_session

    update = get_session().get(PledgeUpdate, target_id)
    if update is None:
        return None
    return url_for("pledges.review_pledge", pledge_id=update.action.pledge_id,
                   _anchor=f"update-{update.id}")


# ---------------------------------------------------------------- organisations


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:100]


def _clean(text: str | None, limit: int | None = None) -> str:
    cleaned = (text or "").strip()
    return cleaned[:limit] if limit else cleaned


def _normalise_website(raw: str | None) -> str | None:
    website = _clean(raw)
    if not website:
        return None
    if not re.match(r"^https?://", website, re.IGNORECASE):
        website = "https://" + website
    if not re.match(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", website, re.IGNORECASE):
        raise PledgeError("website", "website")
    return website[:300]


def _places(session: Session, slugs: Sequence[str]) -> list[Place]:
    found = list(session.scalars(
        select(Place).where(Place.slug.in_(list(slugs)), Place.kind == PlaceKind.PLACE)
    ))
    if not found or len(found) != len(set(slugs)):
        raise PledgeError("places", "places")
    return found


def find_organisation_by_name(session: Session, name: str) -> Organisation | None:
    cleaned = _clean(name)
    return session.scalar(
        select(Organisation).where(
            (func.lower(Organisation.name) == cleaned.lower())
            | (Organisation.slug == (slugify(cleaned) or "-"))
        )
    )


def search_organisations(session: Session, text: str, limit: int = 20) -> list[Organisation]:
    """Organisations whose name contains ``text`` (any case), by name."""
    needle = _clean(text, 200).lower()
    return list(session.scalars(
        select(Organisation).where(func.lower(Organisation.name).contains(needle, autoescape=True))
        .order_by(Organisation.name).limit(limit)
    ))


def organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.slug == slug))


def profile_of(session: Session, organisation: Organisation) -> OrganisationProfile | None:
    return session.scalar(
        select(OrganisationProfile)
        .where(OrganisationProfile.organisation_id == organisation.id)
        .options(selectinload(OrganisationProfile.places).selectinload(OrganisationPlace.place))
    )


def _make_member(session: Session, actor: User | None, user: User, organisation: Organisation) -> None:
    if not any(m.organisation_id == organisation.id for m in user.memberships):
        membership = OrganisationMembership(user_id=user.id, organisation_id=organisation.id)
        session.add(membership)
        user.memberships.append(membership)
    if "organisation_member" not in user.role_names:
        accounts.grant_role(session, actor or user, user, "organisation_member")
    session.flush()


def _apply_profile(session: Session, profile: OrganisationProfile, sector: str, size_band: str,
                   website: str | None, place_slugs: Sequence[str]) -> None:
    if sector not in SECTORS:
        raise PledgeError("sector", "sector")
    if size_band not in SIZE_BANDS:
        raise PledgeError("size_band", "size_band")
    places = _places(session, place_slugs)
    profile.sector = sector
    profile.size_band = size_band
    profile.website = _normalise_website(website)
    wanted = {p.id for p in places}
    for link in list(profile.places):
        if link.place_id not in wanted:
            profile.places.remove(link)
    have = {link.place_id for link in profile.places}
    for place in places:
        if place.id not in have:
            profile.places.append(OrganisationPlace(place=place))


def register_organisation(session: Session, user: User, name: str, sector: str, size_band: str,
                          website: str | None, place_slugs: Sequence[str]) -> Organisation:
    """Create an organisation with its profile; ``user`` becomes its first member.

    An organisation that already exists (same name) is not created again: the person must ask
    to join it (``PledgeError('organisation_exists')``), and an organiser decides.
    """
    cleaned = _clean(name, 200)
    if len(cleaned) < 2:
        raise PledgeError("name", "name")
    if find_organisation_by_name(session, cleaned) is not None:
        raise PledgeError("organisation_exists", "name")
    base = slugify(cleaned) or "organisation"
    slug, n = base, 1
    while organisation_by_slug(session, slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation(name=cleaned, slug=slug)
    profile = OrganisationProfile(organisation=organisation, sector="", size_band="")
    _apply_profile(session, profile, sector, size_band, website, place_slugs)
    session.add_all([organisation, profile])
    session.flush()
    _make_member(session, None, user, organisation)
    audit.record(session, "organisation.registered", actor_id=user.id,
                 target_type="organisation", target_id=organisation.id)
    return organisation


def update_profile(session: Session, user: User, organisation: Organisation, sector: str,
                   size_band: str, website: str | None, place_slugs: Sequence[str]) -> None:
    profile = profile_of(session, organisation)
    if profile is None:
        profile = OrganisationProfile(organisation_id=organisation.id, sector="", size_band="")
        session.add(profile)
    _apply_profile(session, profile, sector, size_band, website, place_slugs)
    session.flush()


def members(session: Session, organisation: Organisation) -> list[User]:
    return list(session.scalars(
        select(User).join(OrganisationMembership, OrganisationMembership.user_id == User.id)
        .where(OrganisationMembership.organisation_id == organisation.id).order_by(User.email)
    ))


def organisations_of(session: Session, user: User) -> list[Organisation]:
    return list(session.scalars(
        select(Organisation)
        .join(OrganisationMembership, OrganisationMembership.organisation_id == Organisation.id)
        .where(OrganisationMembership.user_id == user.id).order_by(Organisation.name)
    ))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_colleague(session: Session, actor: User, organisation: Organisation, email: str) -> None:
    """Send a single-use link (valid 14 days) that lets a colleague join the organisation."""
    address = accounts.normalise_email(email)  # raises AccountError('email')
    token = secrets.token_urlsafe(32)
    session.add(OrganisationInvitation(
        organisation_id=organisation.id, email=address, token_hash=_hash_token(token),
        invited_by_id=actor.id, expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    ))
    session.flush()
    audit.record(session, "organisation.invited", actor_id=actor.id, target_type="organisation",
                 target_id=organisation.id)
    existing = accounts.user_by_email(session, address)
    send_after_commit(render_mail(
        "pledges_invitation", address, existing.locale if existing else actor.locale,
        organisation=organisation.name,
        url=url_for("pledges.invitation_accept", token=token, _external=True),
        register_url=url_for("accounts.register", _external=True), days=INVITATION_DAYS,
    ))


def invitation_for(session: Session, token: str) -> OrganisationInvitation:
    invitation = session.scalar(
        select(OrganisationInvitation).where(OrganisationInvitation.token_hash == _hash_token(token))
    )
    if invitation is None or invitation.accepted_at is not None:
        raise PledgeError("invitation_invalid")
    expires = invitation.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        raise PledgeError("invitation_expired")
    return invitation


def forget_expired_invitations(session: Session) -> int:
    """Delete invitations that can no longer be used (never accepted and past their expiry):
    the address they were sent to is not needed any more. Returns how many; flushes, the
    caller commits. Run daily by ``send-reminders``."""
    deleted = Counter(session.scalars(
        delete(OrganisationInvitation)
        .where(OrganisationInvitation.accepted_at.is_(None),
               OrganisationInvitation.expires_at < utcnow())
        .returning(OrganisationInvitation.organisation_id)))
    for organisation_id, count in sorted(deleted.items()):
        audit.record(session, "organisation.invitations_expired", target_type="organisation",
                     target_id=organisation_id, details={"deleted": count})
    session.flush()
    return deleted.total()


def invitations_for_address(session: Session, email: str) -> list[OrganisationInvitation]:
    """Invitations not yet accepted that were sent to ``email`` (compared lower-case, as
    stored; an accepted invitation keeps no address), expired ones included until the daily
    job deletes them. Oldest first."""
    return list(session.scalars(
        select(OrganisationInvitation)
        .where(OrganisationInvitation.email == email.strip().lower(),
               OrganisationInvitation.accepted_at.is_(None))
        .options(selectinload(OrganisationInvitation.organisation))
        .order_by(OrganisationInvitation.created_at, OrganisationInvitation.id)))


def delete_invitation(session: Session, invitation: OrganisationInvitation,
                      actor_id: int | None) -> None:
    """Delete an invitation with the address it was sent to (its link stops working), on the
    person's request. Audited without the address. Flushes."""
    audit.record(session, "organisation.invitation_deleted", actor_id=actor_id,
                 target_type="organisation", target_id=invitation.organisation_id,
                 details={"invitation_id": invitation.id})
    session.delete(invitation)
    session.flush()


def memberships_of(session: Session, user: User) -> list[OrganisationMembership]:
    """The organisations ``user`` acts for, with the date each began."""
    return list(session.scalars(
        select(OrganisationMembership).where(OrganisationMembership.user_id == user.id)
        .options(selectinload(OrganisationMembership.organisation))
        .order_by(OrganisationMembership.created_at, OrganisationMembership.id)))


def claims_of(session: Session, user: User) -> list[OrganisationClaim]:
    """Every request ``user`` made to act for an organisation, whatever was decided."""
    return list(session.scalars(
        select(OrganisationClaim).where(OrganisationClaim.user_id == user.id)
        .options(selectinload(OrganisationClaim.organisation))
        .order_by(OrganisationClaim.created_at, OrganisationClaim.id)))


def subject_access_record(session: Session, user: User | None,
                          invitations: Sequence[OrganisationInvitation]) -> dict[str, Any]:
    """What the Call to Action holds about one person, for a subject access request: the
    organisations they act for and asked to act for (through their account) and invitations
    sent to their address."""
    memberships = memberships_of(session, user) if user is not None else []
    claims = claims_of(session, user) if user is not None else []
    return {
        "organisations": [{"organisation": m.organisation.name, "since": m.created_at}
                          for m in memberships],
        "requests_to_join": [{"organisation": c.organisation.name, "job_title": c.job_title,
                              "reason": c.reason, "state": c.state, "asked_at": c.created_at,
                              "decided_at": c.decided_at} for c in claims],
        "invitations": [{"organisation": i.organisation.name, "email_address": i.email,
                         "sent_at": i.created_at, "expires_at": i.expires_at}
                        for i in invitations],
    }


def accept_invitation(session: Session, user: User, token: str) -> Organisation:
    invitation = invitation_for(session, token)
    if invitation.email != user.email:
        raise PledgeError("invitation_other_address")
    invitation.accepted_at = utcnow()
    invitation.email = ""  # no longer needed: keep no more personal data than we must
    _make_member(session, None, user, invitation.organisation)
    audit.record(session, "organisation.joined", actor_id=user.id, target_type="organisation",
                 target_id=invitation.organisation_id, details={"by": "invitation"})
    return invitation.organisation


def leave_organisation(session: Session, user: User, organisation: Organisation) -> None:
    membership = next((m for m in user.memberships if m.organisation_id == organisation.id), None)
    if membership is None:
        raise PledgeError("not_member")
    user.memberships.remove(membership)
    session.delete(membership)
    session.flush()
    audit.record(session, "organisation.left", actor_id=user.id, target_type="organisation",
                 target_id=organisation.id)


def claim_organisation(session: Session, user: User, organisation: Organisation, job_title: str,
                       reason: str) -> OrganisationClaim:
    """Ask to act for an organisation that already exists; an organiser decides."""
    if any(m.organisation_id == organisation.id for m in user.memberships):
        raise PledgeError("already_member")
    if not _clean(job_title):
        raise PledgeError("job_title", "job_title")
    if not _clean(reason):
        raise PledgeError("reason", "reason")
    pending = session.scalar(select(OrganisationClaim).where(
        OrganisationClaim.user_id == user.id, OrganisationClaim.organisation_id == organisation.id,
        OrganisationClaim.state == "pending"))
    if pending is not None:
        raise PledgeError("claim_pending")
    claim = OrganisationClaim(organisation_id=organisation.id, user_id=user.id,
                              job_title=_clean(job_title, 120), reason=_clean(reason, 2000))
    session.add(claim)
    session.flush()
    audit.record(session, "organisation.claimed", actor_id=user.id, target_type="organisation",
                 target_id=organisation.id)
    return claim


def pending_claims(session: Session) -> list[tuple[OrganisationClaim, User]]:
    rows = session.execute(
        select(OrganisationClaim, User).join(User, User.id == OrganisationClaim.user_id)
        .where(OrganisationClaim.state == "pending").order_by(OrganisationClaim.created_at)
        .options(selectinload(OrganisationClaim.organisation))
    )
    return [(claim, user) for claim, user in rows]


def decide_claim(session: Session, actor: User, claim: OrganisationClaim, approve: bool) -> None:
    if claim.state != "pending":
        raise PledgeError("claim_decided")
    claimant = session.get(User, claim.user_id)
    if claimant is None:
        raise PledgeError("claim_decided")
    claim.state = "approved" if approve else "rejected"
    claim.decided_at = utcnow()
    claim.decided_by_id = actor.id
    if approve:
        _make_member(session, actor, claimant, claim.organisation)
    audit.record(session, f"organisation.claim_{claim.state}", actor_id=actor.id,
                 target_type="organisation", target_id=claim.organisation_id,
                 details={"claim_id": claim.id, "user_id": claimant.id})
    send_after_commit(render_mail(
        "pledges_claim_decided", claimant.email, claimant.locale,
        organisation=claim.organisation.name, approved=approve,
        url=url_for("pledges.organisation_list", _external=True),
    ))
    session.flush()


# ---------------------------------------------------------------- pledges (organisations)


def pledges_of(session: Session, organisation: Organisation) -> list[Pledge]:
    return list(session.scalars(
        select(Pledge).where(Pledge.organisation_id == organisation.id)
        .options(selectinload(Pledge.actions)).order_by(Pledge.created_at.desc())
    ))


def get_pledge(session: Session, pledge_id: int) -> Pledge | None:
    return session.scalar(
        select(Pledge).where(Pledge.id == pledge_id).options(
            selectinload(Pledge.actions).selectinload(PledgeAction.updates),
            selectinload(Pledge.accreditations), selectinload(Pledge.organisation),
        )
    )


def start_pledge(session: Session, user: User, organisation: Organisation) -> Pledge:
    pledge = Pledge(organisation_id=organisation.id, created_by_id=user.id, status="draft")
    session.add(pledge)
    session.flush()
    return pledge


def _require_editable(pledge: Pledge) -> None:
    if not pledge.editable:
        raise PledgeError("not_editable")


@dataclass
class ActionInput:
    pillar: str
    beneficiaries: str
    description: str
    target: str
    start_date: date | None
    due_date: date | None
    catalogue_action_id: int | None = None


def save_action(session: Session, pledge: Pledge, data: ActionInput,
                action: PledgeAction | None = None) -> PledgeAction:
    """Add an action (at most 3 a pledge) or change one; only while the pledge is editable."""
    _require_editable(pledge)
    if data.pillar not in PILLARS:
        raise PledgeError("pillar", "pillar")
    if data.beneficiaries not in BENEFICIARIES:
        raise PledgeError("beneficiaries", "beneficiaries")
    if not _clean(data.description):
        raise PledgeError("description", "description")
    if not _clean(data.target):
        raise PledgeError("target", "target")
    if data.start_date is None:
        raise PledgeError("start_date", "start_date")
    if data.due_date is None:
        raise PledgeError("due_date", "due_date")
    if data.due_date <= data.start_date:
        raise PledgeError("due_before_start", "due_date")
    catalogue_id = data.catalogue_action_id
    if catalogue_id is not None and session.get(CatalogueAction, catalogue_id) is None:
        catalogue_id = None
    new = action is None
    if action is None:
        if len(pledge.actions) >= MAX_ACTIONS:
            raise PledgeError("too_many_actions")
        action = PledgeAction(position=max([a.position for a in pledge.actions] or [0]) + 1)
    elif action.pledge_id != pledge.id:
        raise PledgeError("not_found")
    action.pillar = data.pillar
    action.beneficiaries = data.beneficiaries
    action.description = _clean(data.description, 2000).replace("\r\n", "\n")
    action.target = _clean(data.target, 1000).replace("\r\n", "\n")
    action.start_date = data.start_date
    action.due_date = data.due_date
    action.catalogue_action_id = catalogue_id or action.catalogue_action_id
    if new:
        pledge.actions.append(action)
    session.flush()
    return action


def remove_action(session: Session, pledge: Pledge, action: PledgeAction) -> None:
    """Delete an action, and its progress updates with it (a pledge returned after it was
    published may have some): their copies in the moderation queue go too."""
    _require_editable(pledge)
    if action.pledge_id != pledge.id:
        raise PledgeError("not_found")
    moderation.forget(session, "pledge_update", [update.id for update in action.updates])
    pledge.actions.remove(action)
    session.flush()
    for position, remaining in enumerate(pledge.actions, start=1):
        remaining.position = position
    session.flush()


def save_details(session: Session, pledge: Pledge, sponsor_name: str, sponsor_role: str,
                 consent_public: bool, accreditations: Sequence[str], disability_level: str) -> None:
    _require_editable(pledge)
    if not _clean(sponsor_name):
        raise PledgeError("sponsor_name", "sponsor_name")
    if not _clean(sponsor_role):
        raise PledgeError("sponsor_role", "sponsor_role")
    unknown = set(accreditations) - set(ACCREDITATIONS)
    if unknown:
        raise PledgeError("accreditations", "accreditations")
    if "disability_confident" in accreditations and disability_level not in ("1", "2", "3"):
        raise PledgeError("disability_level", "disability_level")
    pledge.sponsor_name = _clean(sponsor_name, 120)
    pledge.sponsor_role = _clean(sponsor_role, 120)
    pledge.consent_public = consent_public
    wanted = set(accreditations)
    for link in list(pledge.accreditations):
        if link.code not in wanted:
            pledge.accreditations.remove(link)
    have = {link.code: link for link in pledge.accreditations}
    for code in sorted(wanted):
        link = have.get(code) or PledgeAccreditation(code=code)
        link.level = disability_level if code == "disability_confident" else ""
        if code not in have:
            pledge.accreditations.append(link)
    session.flush()


def withdraw_sponsor_consent(session: Session, user: User, pledge: Pledge) -> None:
    """The sponsor no longer wants to be named: their name and job title are removed at once
    (the pledge stays published, without a named sponsor)."""
    pledge.consent_public = False
    pledge.sponsor_name = ""
    pledge.sponsor_role = ""
    session.flush()
    audit.record(session, "pledge.sponsor_consent_withdrawn", actor_id=user.id,
                 target_type="pledge", target_id=pledge.id)


def problems_before_submitting(pledge: Pledge) -> list[str]:
    """What is missing before the pledge can go for review (codes, in page order)."""
    problems = []
    if not pledge.actions:
        problems.append("no_actions")
    if not pledge.sponsor_name or not pledge.sponsor_role:
        problems.append("no_sponsor")
    if not pledge.consent_public:
        problems.append("no_consent")
    return problems


def _field_text(text: str) -> str:
    return re.sub(r"\n\s*\n+", "\n", text.strip())


def pledge_review_text(pledge: Pledge) -> str:
    """The words moderators check: each action's description and target, in order."""
    parts: list[str] = []
    for action in pledge.actions:
        parts.extend([_field_text(action.description), _field_text(action.target)])
    return FIELD_SEPARATOR.join(parts)


def _first_place_slug(session: Session, organisation_id: int) -> str | None:
    profile = session.scalar(select(OrganisationProfile).where(
        OrganisationProfile.organisation_id == organisation_id))
    if profile is None or not profile.places:
        return None
    return sorted(p.place.slug for p in profile.places)[0]


def submit_pledge(session: Session, user: User, pledge: Pledge) -> None:
    """Send the pledge for review (the moderation queue); a returned pledge can be sent again."""
    _require_editable(pledge)
    problems = problems_before_submitting(pledge)
    if problems:
        raise PledgeError(problems[0])
    pledge.status = "submitted"
    pledge.submitted_at = utcnow()
    session.flush()
    moderation.submit(
        session, kind="pledge", target_id=pledge.id, text=pledge_review_text(pledge),
        place_slug=_first_place_slug(session, pledge.organisation_id), consultation_id=None,
        # No author address: the organisation's members are told by this feature's own mail.
        author_email=None, author_locale=user.locale, post_moderated=False,
    )
    audit.record(session, "pledge.submitted", actor_id=user.id, target_type="pledge",
                 target_id=pledge.id)


def _notify_organisation(session: Session, organisation_id: int, template: str,
                         **context: Any) -> None:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        return
    for member in members(session, organisation):
        send_after_commit(render_mail(template, member.email, member.locale,
                                      organisation=organisation.name, **context))


def _reason(item: Any) -> str:
    """The moderator's comments: their own words, else the reason they chose, in words."""
    text = _clean(getattr(item, "reason_text", None))
    label = _clean(moderation.reason_label(getattr(item, "reason_code", None)))
    if text and label:
        return f"{label}: {text}"
    return text or label


def on_pledge_decision(session: Session, item: Any) -> None:
    """Moderation decided on a pledge: publish it, return it with comments, or hide it."""
    pledge = session.get(Pledge, item.target_id)
    if pledge is None:
        return
    state = item.state
    if state == "approved":
        _publish_pledge_text(pledge, getattr(item, "published_text", None))
        first = pledge.approved_at is None
        pledge.status = "approved"
        pledge.review_comments = None
        if first:
            pledge.approved_at = utcnow()
            _notify_organisation(session, pledge.organisation_id, "pledges_approved",
                                 url=url_for("pledges.pledge_show", pledge_id=pledge.id,
                                             _external=True))
    elif state == "rejected":
        pledge.status = "returned"
        pledge.review_comments = _reason(item)
        _notify_organisation(session, pledge.organisation_id, "pledges_returned",
                             comments=pledge.review_comments,
                             url=url_for("pledges.pledge_manage", pledge_id=pledge.id,
                                         _external=True))
    elif state in ("hidden", "escalated") and pledge.approved_at is not None:
        pledge.status = "hidden"
    else:  # pending, or escalated before it was ever public: not public
        pledge.status = "submitted"
    session.flush()


def _publish_pledge_text(pledge: Pledge, published: str | None) -> None:
    original = pledge_review_text(pledge)
    text = published if published is not None else original
    parts = text.split(FIELD_SEPARATOR)
    if len(parts) == 2 * len(pledge.actions):
        for index, action in enumerate(pledge.actions):
            action.public_description = parts[2 * index]
            action.public_target = parts[2 * index + 1]
        pledge.public_text = None
    else:  # the moderator changed the layout: publish the approved text as one block
        for action in pledge.actions:
            action.public_description = None
            action.public_target = None
        pledge.public_text = text


# ---------------------------------------------------------------- progress updates


def add_update(session: Session, user: User, action: PledgeAction, status: str, text: str,
               evidence_url: str | None) -> PledgeUpdate:
    """Report progress on an action of an approved pledge; it is public once reviewed."""
    if action.pledge.status != "approved":
        raise PledgeError("not_approved")
    if status not in PROGRESS_STATUSES:
        raise PledgeError("status", "status")
    words = _clean(text, 1500)
    if not words:
        raise PledgeError("text", "text")
    evidence = _clean(evidence_url) or None
    if evidence is not None:
        try:
            evidence = _normalise_website(evidence)
        except PledgeError:
            raise PledgeError("evidence_url", "evidence_url") from None
    update = PledgeUpdate(status=status, text=words.replace("\r\n", "\n"), evidence_url=evidence,
                          created_by_id=user.id, state="submitted")
    action.updates.append(update)
    session.flush()
    review_text = _field_text(update.text) + (FIELD_SEPARATOR + evidence if evidence else "")
    moderation.submit(
        session, kind="pledge_update", target_id=update.id, text=review_text,
        place_slug=_first_place_slug(session, action.pledge.organisation_id), consultation_id=None,
        # No author address: the organisation's members are told by this feature's own mail.
        author_email=None, author_locale=user.locale, post_moderated=False,
    )
    audit.record(session, "pledge.update_submitted", actor_id=user.id, target_type="pledge",
                 target_id=action.pledge_id, details={"update_id": update.id})
    return update


def _refresh_progress(action: PledgeAction) -> None:
    approved = [u for u in action.updates if u.state == "approved"]
    action.progress_status = approved[-1].status if approved else "planned"


def on_update_decision(session: Session, item: Any) -> None:
    update = session.get(PledgeUpdate, item.target_id)
    if update is None:
        return
    state = item.state
    if state == "approved":
        published = getattr(item, "published_text", None) or update.text
        if update.evidence_url and published.endswith(FIELD_SEPARATOR + update.evidence_url):
            published = published[: -len(FIELD_SEPARATOR + update.evidence_url)]
        elif update.evidence_url and update.evidence_url not in published:
            update.evidence_url = None  # the moderator took the link out
        update.public_text = published
        update.state = "approved"
        update.review_comments = None
        update.approved_at = update.approved_at or utcnow()
    elif state == "rejected":
        update.state = "returned"
        update.review_comments = _reason(item)
        _notify_organisation(session, update.action.pledge.organisation_id,
                             "pledges_update_returned", comments=update.review_comments,
                             url=url_for("pledges.pledge_manage", pledge_id=update.action.pledge_id,
                                         _external=True))
    elif state in ("hidden", "escalated"):
        update.state = "hidden"
    else:
        update.state = "submitted"
    _refresh_progress(update.action)
    session.flush()


# ---------------------------------------------------------------- review list (staff)


def record_staff_view(session: Session, actor: User, what: str, target_type: str,
                      target_id: object, details: dict[str, Any] | None = None) -> None:
    """Audit a staff member seeing personal data (members' or claimants' email addresses,
    sponsors' names before publication)."""
    audit.record(session, f"pledges.{what}_viewed", actor_id=actor.id, target_type=target_type,
                 target_id=target_id, details=details)


def waiting_for_review(session: Session) -> tuple[list[Pledge], list[PledgeUpdate]]:
    pledges = list(session.scalars(
        select(Pledge).where(Pledge.status == "submitted")
        .options(selectinload(Pledge.organisation), selectinload(Pledge.actions))
        .order_by(Pledge.submitted_at)
    ))
    updates = list(session.scalars(
        select(PledgeUpdate).where(PledgeUpdate.state == "submitted")
        .options(selectinload(PledgeUpdate.action).selectinload(PledgeAction.pledge)
                 .selectinload(Pledge.organisation))
        .order_by(PledgeUpdate.created_at)
    ))
    return pledges, updates


# ---------------------------------------------------------------- the public wall


@dataclass(frozen=True)
class WallFilters:
    pillar: str = ""
    place: str = ""
    sector: str = ""
    size: str = ""

    @classmethod
    def from_args(cls, args: Any) -> WallFilters:
        def pick(name: str, allowed: Sequence[str]) -> str:
            value = str(args.get(name) or "")
            return value if value in allowed else ""

        return cls(pillar=pick("pillar", PILLARS), place=str(args.get("place") or "")[:80],
                   sector=pick("sector", SECTORS), size=pick("size", SIZE_BANDS))

    @property
    def active(self) -> bool:
        return bool(self.pillar or self.place or self.sector or self.size)


def wall_query(filters: WallFilters) -> Select[Any]:
    query = (
        select(Pledge).outerjoin(OrganisationProfile,
                            OrganisationProfile.organisation_id == Pledge.organisation_id)
        .where(Pledge.status == "approved")
        .options(selectinload(Pledge.organisation), selectinload(Pledge.actions),
                 selectinload(Pledge.accreditations))
        .order_by(Pledge.approved_at.desc(), Pledge.id.desc())
    )
    if filters.pillar:
        query = query.where(Pledge.actions.any(PledgeAction.pillar == filters.pillar))
    if filters.sector:
        query = query.where(OrganisationProfile.sector == filters.sector)
    if filters.size:
        query = query.where(OrganisationProfile.size_band == filters.size)
    if filters.place:
        query = query.where(OrganisationProfile.places.any(
            OrganisationPlace.place.has(Place.slug == filters.place)))
    return query


def profiles_for(session: Session, organisation_ids: Sequence[int]) -> dict[int, OrganisationProfile]:
    if not organisation_ids:
        return {}
    profiles = session.scalars(
        select(OrganisationProfile).where(OrganisationProfile.organisation_id.in_(list(organisation_ids)))
        .options(selectinload(OrganisationProfile.places).selectinload(OrganisationPlace.place))
    )
    return {p.organisation_id: p for p in profiles}


def public_pledge(session: Session, pledge_id: int) -> Pledge | None:
    pledge = get_pledge(session, pledge_id)
    if pledge is None or pledge.status != "approved":
        return None
    return pledge


@dataclass
class Totals:
    organisations: int = 0
    actions: int = 0
    done: int = 0


@dataclass
class WallTotals:
    overall: Totals = field(default_factory=Totals)
    by_pillar: dict[str, Totals] = field(default_factory=dict)
    by_place: dict[str, Totals] = field(default_factory=dict)
    place_names: dict[str, str] = field(default_factory=dict)


def totals(session: Session) -> WallTotals:
    """Organisations pledged, actions and actions done, overall, per pillar and per place."""
    rows = session.execute(
        select(Pledge.organisation_id, PledgeAction.pillar, PledgeAction.progress_status)
        .join(PledgeAction, PledgeAction.pledge_id == Pledge.id)
        .where(Pledge.status == "approved")
    ).all()
    place_rows = session.execute(
        select(OrganisationProfile.organisation_id, Place.slug)
        .join(OrganisationPlace, OrganisationPlace.profile_id == OrganisationProfile.id)
        .join(Place, Place.id == OrganisationPlace.place_id)
    ).all()
    places_of: dict[int, set[str]] = {}
    for organisation_id, slug in place_rows:
        places_of.setdefault(organisation_id, set()).add(slug)
    result = WallTotals()
    all_places = session.execute(
        select(Place.slug, Place.name).where(Place.kind == PlaceKind.PLACE).order_by(Place.name)
    ).all()
    result.place_names = {slug: name for slug, name in all_places}
    orgs_overall: set[int] = set()
    orgs_pillar: dict[str, set[int]] = {p: set() for p in PILLARS}
    orgs_place: dict[str, set[int]] = {slug: set() for slug in result.place_names}
    result.by_pillar = {p: Totals() for p in PILLARS}
    result.by_place = {slug: Totals() for slug in result.place_names}
    for organisation_id, pillar, progress in rows:
        done = progress == "done"
        orgs_overall.add(organisation_id)
        result.overall.actions += 1
        result.overall.done += done
        if pillar in result.by_pillar:
            orgs_pillar[pillar].add(organisation_id)
            result.by_pillar[pillar].actions += 1
            result.by_pillar[pillar].done += done
        for slug in places_of.get(organisation_id, ()):
            if slug in result.by_place:
                orgs_place[slug].add(organisation_id)
                result.by_place[slug].actions += 1
                result.by_place[slug].done += done
    result.overall.organisations = len(orgs_overall)
    for pillar, orgs in orgs_pillar.items():
        result.by_pillar[pillar].organisations = len(orgs)
    for slug, orgs in orgs_place.items():
        result.by_place[slug].organisations = len(orgs)
    return result


# ---------------------------------------------------------------- open data


def open_data(session: Session) -> list[dict[str, Any]]:
    """Approved pledges as plain data, with no personal data.

    Left out on purpose: the senior sponsor's name and job title (shown on the pledge page with
    their consent, but not republished in bulk), who wrote or reviewed anything, and e-mail
    addresses. Only reviewed (public) texts appear.
    """
    pledges: list[Pledge] = list(session.scalars(wall_query(WallFilters()).options(
        selectinload(Pledge.actions).selectinload(PledgeAction.updates))))
    profiles = profiles_for(session, [p.organisation_id for p in pledges])
    records = []
    for pledge in pledges:
        profile = profiles.get(pledge.organisation_id)
        records.append({
            "id": pledge.id,
            "url": url_for("pledges.pledge_show", pledge_id=pledge.id, _external=True),
            "organisation": pledge.organisation.name,
            "sector": profile.sector if profile else None,
            "size_band": profile.size_band if profile else None,
            "places": profile.place_slugs if profile else [],
            "website": profile.website if profile else None,
            "approved_on": pledge.approved_at.date().isoformat() if pledge.approved_at else None,
            "accreditations": [
                {"code": a.code, "level": a.level or None} for a in pledge.accreditations
            ],
            "statement": pledge.public_text,
            "actions": [
                {
                    "pillar": action.pillar,
                    "beneficiaries": action.beneficiaries,
                    "action": action.public_description,
                    "target": action.public_target,
                    "start_date": action.start_date.isoformat(),
                    "due_date": action.due_date.isoformat(),
                    "progress": action.progress_status,
                    "updates": [
                        {"date": u.approved_at.date().isoformat() if u.approved_at else None,
                         "status": u.status, "text": u.public_text, "evidence_url": u.evidence_url}
                        for u in action.updates if u.state == "approved"
                    ],
                }
                for action in pledge.actions
            ],
        })
    return records


CSV_COLUMNS = ("pledge_id", "url", "organisation", "sector", "size_band", "places", "approved_on",
               "accreditations", "action_number", "pillar", "beneficiaries", "action", "target",
               "start_date", "due_date", "progress", "latest_update")


def open_data_rows(records: list[dict[str, Any]]) -> list[list[str]]:
    """One row per action, for the CSV feed."""
    rows = []
    for record in records:
        accreditations = ";".join(
            a["code"] + (f":{a['level']}" if a["level"] else "") for a in record["accreditations"]
        )
        for number, action in enumerate(record["actions"], start=1):
            latest = action["updates"][-1]["text"] if action["updates"] else ""
            rows.append([
                str(record["id"]), record["url"], record["organisation"], record["sector"] or "",
                record["size_band"] or "", ";".join(record["places"]), record["approved_on"] or "",
                accreditations, str(number), action["pillar"], action["beneficiaries"],
                action["action"] or record["statement"] or "", action["target"] or "",
                action["start_date"], action["due_date"], action["progress"], latest or "",
            ])
    return rows


def safe_cell(value: str) -> str:
    """Stop spreadsheet programs from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


register_moderation_kinds()
