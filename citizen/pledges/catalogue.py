"""The catalogue of example actions per King's Fund pillar, and the words for the fixed lists.

The catalogue lives in the database (organisers maintain it, one text per language); the
defaults below are what a new installation starts with. Labels for pillars, sectors, sizes and
statuses are lazy strings so they follow the reader's language.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from citizen.pledges.models import CatalogueAction, CatalogueActionText

PILLAR_LABELS = {
    "wider_determinants": _l("The wider determinants of health"),
    "health_behaviours": _l("Our health behaviours and lifestyles"),
    "places_communities": _l("The places and communities we live in"),
    "integrated_care": _l("An integrated health and care system"),
}
# Short names for chart labels (the chart's label column is narrow).
PILLAR_SHORT_LABELS = {
    "wider_determinants": _l("Wider determinants"),
    "health_behaviours": _l("Behaviours and lifestyles"),
    "places_communities": _l("Places and communities"),
    "integrated_care": _l("Integrated care"),
}
PILLAR_HINTS = {
    "wider_determinants": _l("Income, work, housing, education and transport."),
    "health_behaviours": _l("Smoking, food, drink, exercise and mental wellbeing."),
    "places_communities": _l("Local groups, volunteering and buying locally."),
    "integrated_care": _l("Working with the NHS and care services, screening and vaccination."),
}
SECTOR_LABELS = {
    "private": _l("Private business"),
    "public": _l("Public body"),
    "voluntary": _l("Voluntary or community organisation"),
}
SIZE_LABELS = {
    "1-9": _l("1 to 9 staff"),
    "10-49": _l("10 to 49 staff"),
    "50-249": _l("50 to 249 staff"),
    "250+": _l("250 staff or more"),
}
BENEFICIARY_LABELS = {
    "workforce": _l("Our workforce"),
    "community": _l("The local community"),
    "both": _l("Both"),
}
PROGRESS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "stopped": _l("Stopped"),
}
ACCREDITATION_LABELS = {
    "real_living_wage": _l("Real Living Wage employer"),
    "disability_confident": _l("Disability Confident"),
    "thrive_at_work": _l("Thrive at Work"),
    "good_work_standard": _l("Good Work Standard"),
}
DISABILITY_CONFIDENT_LEVELS = {
    "1": _l("Level 1: committed"),
    "2": _l("Level 2: employer"),
    "3": _l("Level 3: leader"),
}
PLEDGE_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "returned": _l("Returned with comments"),
    "approved": _l("Published"),
    "hidden": _l("Hidden after review"),
}
UPDATE_STATE_LABELS = {
    "submitted": _l("Waiting for review"),
    "returned": _l("Returned with comments"),
    "approved": _l("Published"),
    "hidden": _l("Hidden after review"),
}


class DefaultAction(NamedTuple):
    code: str
    pillar: str
    beneficiaries: str
    title: str
    description: str
    target_example: str


DEFAULT_CATALOGUE: tuple[DefaultAction, ...] = (
    DefaultAction("real-living-wage", "wider_determinants", "workforce",
                  "Pay the real living wage",
                  "Pay everyone who works for us, including contractors, at least the real living "
                  "wage.", "Everyone paid at least the real living wage by the due date"),
    DefaultAction("local-hiring", "wider_determinants", "community",
                  "Hire locally and offer apprenticeships",
                  "Advertise jobs locally and offer apprenticeships to people from areas with the "
                  "poorest health.", "5 apprentices a year from local postcodes"),
    DefaultAction("carer-friendly", "wider_determinants", "workforce",
                  "Be a carer-friendly employer",
                  "Give staff who care for someone flexible hours and paid carer's leave.",
                  "A carer's policy agreed and shared with all staff"),
    DefaultAction("screening-time", "integrated_care", "workforce",
                  "Paid time off for screening and vaccination",
                  "Let staff go to health checks, cancer screening and vaccinations in paid time.",
                  "Policy in place; staff told about it twice a year"),
    DefaultAction("healthy-food", "health_behaviours", "workforce",
                  "Healthy food at work",
                  "Offer healthy, affordable food and free drinking water at work.",
                  "Half of the food on offer meets healthy eating guidance"),
    DefaultAction("mental-wellbeing", "health_behaviours", "workforce",
                  "Support mental wellbeing",
                  "Train mental health first aiders and give staff access to support.",
                  "One trained mental health first aider for every 50 staff"),
    DefaultAction("volunteering-time", "places_communities", "both",
                  "Give staff time to volunteer",
                  "Give each member of staff paid time to volunteer with local groups.",
                  "Two paid volunteering days a year for every member of staff"),
    DefaultAction("social-enterprise", "places_communities", "community",
                  "Buy from local social enterprises",
                  "Buy goods and services from local social enterprises and small firms.",
                  "10% of what we spend goes to local social enterprises"),
)


def seed_catalogue(session: Session) -> int:
    """Add the default examples (English) that are missing; return how many were added."""
    existing = set(session.scalars(select(CatalogueAction.code)))
    added = 0
    for position, entry in enumerate(DEFAULT_CATALOGUE, start=1):
        if entry.code in existing:
            continue
        action = CatalogueAction(code=entry.code, pillar=entry.pillar,
                                 beneficiaries=entry.beneficiaries, position=position * 10)
        action.texts.append(CatalogueActionText(locale="en", title=entry.title,
                                                description=entry.description,
                                                target_example=entry.target_example))
        session.add(action)
        added += 1
    session.flush()
    return added


def catalogue(session: Session, active_only: bool = True) -> list[CatalogueAction]:
    """Every example action, by pillar order then position."""
    query = select(CatalogueAction).options(selectinload(CatalogueAction.texts))
    if active_only:
        query = query.where(CatalogueAction.active.is_(True))
    actions = list(session.scalars(query.order_by(CatalogueAction.position, CatalogueAction.id)))
    order = list(PILLAR_LABELS)
    return sorted(actions, key=lambda a: (order.index(a.pillar) if a.pillar in order else 99,
                                          a.position, a.id))


def by_pillar(actions: list[CatalogueAction]) -> list[tuple[str, list[CatalogueAction]]]:
    """The actions grouped under each pillar (pillars without actions left out)."""
    return [(pillar, [a for a in actions if a.pillar == pillar])
            for pillar in PILLAR_LABELS if any(a.pillar == pillar for a in actions)]


def save_catalogue_action(session: Session, actor_id: int, action: CatalogueAction | None,
                          pillar: str, beneficiaries: str, active: bool) -> CatalogueAction:
    """Add an example action or change its pillar, who it helps and whether it is shown."""
    from citizen.pledges.models import BENEFICIARIES, PILLARS
    from citizen.shared import audit

    if pillar not in PILLARS or beneficiaries not in BENEFICIARIES:
        raise ValueError("pillar or beneficiaries")
    if action is None:
        count = len(list(session.scalars(select(CatalogueAction.id))))
        action = CatalogueAction(code=f"action-{count + 1}-{secrets.token_hex(3)}",
                                 position=(count + 1) * 10)
        session.add(action)
    action.pillar = pillar
    action.beneficiaries = beneficiaries
    action.active = active
    session.flush()
    audit.record(session, "pledges.catalogue_saved", actor_id=actor_id,
                 target_type="pledge_catalogue_action", target_id=action.id)
    return action


def save_catalogue_text(session: Session, actor_id: int, action: CatalogueAction, locale: str,
                        title: str, description: str, target_example: str) -> None:
    """Set the example's words in one language (added, or replaced)."""
    from citizen.shared import audit

    text = next((t for t in action.texts if t.locale == locale), None)
    if text is None:
        text = CatalogueActionText(locale=locale, title="", description="")
        action.texts.append(text)
    text.title = title.strip()[:200]
    text.description = description.strip()[:2000]
    text.target_example = (target_example or "").strip()[:300]
    session.flush()
    audit.record(session, "pledges.catalogue_text_saved", actor_id=actor_id,
                 target_type="pledge_catalogue_action", target_id=action.id,
                 details={"locale": locale})
