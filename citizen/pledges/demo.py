"""Demo data for the pledges feature (never loaded in production).

The example-action catalogue, three organisations with profiles, and their pledges: approved
through the moderation queue (so "report this" works), with some progress updates.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation
from citizen.db import utcnow
from citizen.moderation import services as moderation
from citizen.places.models import Place
from citizen.pledges import services
from citizen.pledges.catalogue import seed_catalogue
from citizen.pledges.models import (
    CatalogueAction,
    CatalogueActionText,
    OrganisationPlace,
    OrganisationProfile,
    Pledge,
    PledgeAccreditation,
    PledgeAction,
    PledgeUpdate,
)

# Demo translations of two examples, to show a catalogue read in Punjabi (machine-drafted).
PUNJABI = {
    "real-living-wage": ("ਅਸਲ ਜੀਵਨ ਤਨਖਾਹ ਦਿਓ",
                         "ਸਾਡੇ ਲਈ ਕੰਮ ਕਰਨ ਵਾਲੇ ਹਰ ਵਿਅਕਤੀ ਨੂੰ ਘੱਟੋ-ਘੱਟ ਅਸਲ ਜੀਵਨ ਤਨਖਾਹ ਦਿਓ।",
                         "ਨਿਯਤ ਮਿਤੀ ਤੱਕ ਹਰ ਕਿਸੇ ਨੂੰ ਅਸਲ ਜੀਵਨ ਤਨਖਾਹ"),
    "screening-time": ("ਜਾਂਚ ਅਤੇ ਟੀਕਿਆਂ ਲਈ ਤਨਖਾਹ ਸਮੇਤ ਛੁੱਟੀ",
                       "ਸਟਾਫ਼ ਨੂੰ ਤਨਖਾਹ ਵਾਲੇ ਸਮੇਂ ਵਿੱਚ ਸਿਹਤ ਜਾਂਚ ਅਤੇ ਟੀਕਿਆਂ ਲਈ ਜਾਣ ਦਿਓ।",
                       "ਨੀਤੀ ਲਾਗੂ; ਸਟਾਫ਼ ਨੂੰ ਸਾਲ ਵਿੱਚ ਦੋ ਵਾਰ ਦੱਸਿਆ ਜਾਂਦਾ ਹੈ"),
}

# (name, slug, sector, size, places, website, [(pillar, beneficiaries, catalogue code, what,
#  target, progress, update text or "")], accreditations)
DEMO_ORGANISATIONS: tuple[tuple[Any, ...], ...] = (
    ("Canal Side Bakery (demo)", "canal-side-bakery-demo", "private", "10-49", ["coventry"],
     "https://bakery.example", [
         ("wider_determinants", "workforce", "real-living-wage",
          "Pay all our bakers and drivers at least the real living wage.",
          "Everyone on the real living wage by next April", "done",
          "Everyone now earns at least the real living wage, including our two drivers."),
         ("health_behaviours", "workforce", "healthy-food",
          "Free fruit and a healthy lunch option for staff every day.",
          "A healthy lunch option on 5 days a week", "in_progress",
          "We now offer a healthy lunch 3 days a week."),
     ], [("real_living_wage", "")]),
    ("Riverside Care Home (demo)", "riverside-care-home-demo", "voluntary", "50-249",
     ["rugby"], "https://riverside.example", [
         ("integrated_care", "workforce", "screening-time",
          "Paid time off for staff to go to screening and vaccination.",
          "Policy agreed and shared with all staff", "planned", ""),
     ], [("disability_confident", "2")]),
    ("Arden Engineering (demo)", "arden-engineering-demo", "private", "250+",
     ["warwickshire-north", "south-warwickshire"], None, [
         ("wider_determinants", "community", "local-hiring",
          "Take on apprentices from Nuneaton and Bedworth every year.",
          "10 local apprentices a year", "in_progress",
          "Six apprentices started in September."),
         ("places_communities", "both", "volunteering-time",
          "Two paid volunteering days a year for every member of staff.",
          "80% of staff use at least one day", "planned", ""),
     ], []),
)


def _seed_punjabi(session: Session) -> None:
    for code, (title, description, target) in PUNJABI.items():
        action = session.scalar(select(CatalogueAction).where(CatalogueAction.code == code))
        if action is not None and not any(t.locale == "pa" for t in action.texts):
            action.texts.append(CatalogueActionText(locale="pa", title=title,
                                                    description=description,
                                                    target_example=target))
    session.flush()


def _approve(session: Session, kind: str, target_id: int, text: str) -> None:
    item = moderation.submit(session, kind=kind, target_id=target_id, text=text)
    moderation.approve(session, item, None)


def seed(session: Session) -> list[str]:
    """Add demo data if missing (idempotent); flush only. Returns lines of summary."""
    added = seed_catalogue(session)
    _seed_punjabi(session)
    catalogue_ids = {a.code: a.id for a in session.scalars(select(CatalogueAction))}
    places = {p.slug: p for p in session.scalars(select(Place))}
    pledged = 0
    today = utcnow().date()
    for name, slug, sector, size, place_slugs, website, actions, accreditations in DEMO_ORGANISATIONS:
        organisation = session.scalar(select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            organisation = Organisation(name=name, slug=slug)
            session.add(organisation)
            session.flush()
        if session.scalar(select(OrganisationProfile).where(
                OrganisationProfile.organisation_id == organisation.id)) is None:
            profile = OrganisationProfile(organisation_id=organisation.id, sector=sector,
                                          size_band=size, website=website)
            profile.places = [OrganisationPlace(place=places[s]) for s in place_slugs if s in places]
            session.add(profile)
        if session.scalar(select(Pledge).where(Pledge.organisation_id == organisation.id)):
            continue
        approved = utcnow() - timedelta(days=150)
        pledge = Pledge(organisation_id=organisation.id, status="submitted",
                        sponsor_name="Sam Example", sponsor_role="Managing director",
                        consent_public=True, submitted_at=approved, approved_at=approved)
        for code, level in accreditations:
            pledge.accreditations.append(PledgeAccreditation(code=code, level=level))
        for position, (pillar, who, code, what, target, _progress, _text) in enumerate(actions, 1):
            pledge.actions.append(PledgeAction(
                position=position, pillar=pillar, beneficiaries=who, description=what,
                target=target, start_date=date(today.year, 1, 1),
                due_date=date(today.year + 1, 3, 31), catalogue_action_id=catalogue_ids.get(code),
            ))
        session.add(pledge)
        session.flush()
        _approve(session, "pledge", pledge.id, services.pledge_review_text(pledge))
        for action, (_p, _w, _c, _what, _t, progress, text) in zip(pledge.actions, actions,
                                                                  strict=True):
            if not text:
                continue
            update = PledgeUpdate(status=progress, text=text, state="submitted",
                                  created_at=utcnow() - timedelta(days=30))
            action.updates.append(update)
            session.flush()
            _approve(session, "pledge_update", update.id, text)
        pledged += 1
    session.flush()
    return [f"Pledges: {added} example actions and {pledged} demo pledges added."]
