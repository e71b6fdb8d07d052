"""Demo data for the moderation feature (never loaded in production).

A codebook of themes for the closed demo consultation. The queue itself fills from the other
features' demo data (answers, pledges, updates go through ``moderation.submit``); this seeder
writes only the moderation feature's own tables so that it cannot disturb theirs.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.moderation import coding
from citizen.moderation.models import CodingTheme

DEMO_CONSULTATION_SLUG = "urgent-care-nuneaton-demo"
DEMO_THEMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Opening hours", "When the service is open, and knowing when it is open", ()),
    ("Getting there", "Travel, distance and parking", ("Parking", "Buses")),
    ("Staff", "How people were treated", ()),
    ("Information", "Leaflets, websites and languages", ("Languages",)),
)


def seed(session: Session) -> list[str]:
    """Add demo data if missing (idempotent); flush only. Returns lines of summary."""
    from citizen.consultations import services as consultations

    consultation = consultations.by_slug(session, DEMO_CONSULTATION_SLUG)
    if consultation is None:
        return []
    exists = session.scalar(select(CodingTheme.id).where(
        CodingTheme.consultation_id == consultation.id).limit(1))
    if exists is not None:
        return []
    for name, description, children in DEMO_THEMES:
        theme = coding.add_theme(session, consultation.id, name, description=description)
        for child in children:
            coding.add_theme(session, consultation.id, child, parent_id=theme.id)
    return [f"Demo codebook: /moderation/coding/{consultation.id}"]
