"""Demo data for the assembly feature (never loaded in production).

One South Warwickshire assembly, open for registration, with targets proposed from the census
and 150 made-up registrations (names "Demo resident 001", addresses on "Example Street",
emails at example.invalid). Nothing here is a real person.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.assembly import targets as target_rules
from citizen.assembly.models import (
    Assembly,
    AssemblySession,
    AssemblyTarget,
    Registrant,
    RegistrantContact,
    RegistrantDemographics,
)
from citizen.selection import SeededRandom

DEMO_SLUG = "south-warwickshire-health-assembly"
DEMO_REGISTRATIONS = 150
POSTCODES = ("CV31 1AA", "CV32 5BB", "CV34 4CC", "CV35 7DD", "CV37 6EE", "CV8 1FF", "CV36 4GG")

# How often each answer is made up: roughly census-like, with more people from the groups that
# usually register less, so that the targets can be met.
WEIGHTS: dict[str, dict[str, int]] = {
    "age_band": {"16_24": 10, "25_34": 12, "35_44": 14, "45_54": 16, "55_64": 18, "65_74": 16,
                 "75_plus": 14},
    "sex": {"female": 52, "male": 48},
    "ethnic_group": {"white": 80, "asian": 10, "black": 4, "mixed": 4, "other": 2},
    "disability": {"disabled": 22, "not_disabled": 78},
}


def _pick(rng: SeededRandom, weights: dict[str, int]) -> str:
    total = sum(weights.values())
    roll = rng.randbelow(total)
    for value, weight in weights.items():
        if roll < weight:
            return value
        roll -= weight
    return next(iter(weights))


def seed(session: Session) -> list[str]:
    """Add demo data if missing (idempotent); flush only. Returns lines of summary."""
    if session.scalar(select(Assembly.id).where(Assembly.slug == DEMO_SLUG)) is not None:
        return []
    today = date.today()
    sessions = [today + timedelta(days=45), today + timedelta(days=52), today + timedelta(days=59)]
    assembly = Assembly(
        slug=DEMO_SLUG, title="South Warwickshire Citizens' Assembly on health and care",
        question="How should health and care services in South Warwickshire change so that "
                 "people can stay well at home for longer?",
        places=["south-warwickshire"], panel_size=20, reserves=5,
        honorarium="£300 for taking part in all three sessions",
        expenses="Travel, care for children or adults, and meals paid",
        registration_opens=today - timedelta(days=30), registration_closes=today + timedelta(days=30),
        open_registration=True, retention_until=sessions[-1] + timedelta(days=91),
        categories=list(WEIGHTS), prefer_not_allowed=["ethnic_group", "disability"],
        tolerance=10, method="leximin")
    for held_on in sessions:
        assembly.sessions.append(AssemblySession(held_on=held_on))
    for proposal in target_rules.propose(assembly.places, assembly.categories, assembly.panel_size,
                                         assembly.tolerance):
        assembly.targets.append(AssemblyTarget(category=proposal.category, value=proposal.value,
                                               min_seats=proposal.min_seats,
                                               max_seats=proposal.max_seats))
    session.add(assembly)
    session.flush()
    rng = SeededRandom(20261123, "assembly-demo")
    for n in range(1, DEMO_REGISTRATIONS + 1):
        address = f"{n} Example Street"
        postcode = POSTCODES[n % len(POSTCODES)]
        registrant = Registrant(
            assembly_id=assembly.id, ref=hashlib.sha256(f"demo-{n}".encode()).hexdigest()[:24],
            household_key=hashlib.sha256(f"demo-household-{n}".encode()).hexdigest(),
            consent_at=assembly.created_at, by_phone=n % 15 == 0)
        registrant.contact = RegistrantContact(
            name=f"Demo resident {n:03d}", email=f"demo{n:03d}@example.invalid",
            phone=None, address=address, postcode=postcode, access_needs="")
        registrant.demographics = RegistrantDemographics(
            answers={c: _pick(rng.child(f"{n}-{c}"), w) for c, w in WEIGHTS.items()})
        session.add(registrant)
    session.flush()
    return [f"assembly: '{assembly.title}' with {len(assembly.targets)} targets and "
            f"{DEMO_REGISTRATIONS} made-up registrations"]
