"""Demo data for ``flask --app wsgi seed-demo``. Every seeder is idempotent and only flushes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from citizen.places.services import seed_places


def seed_all(session: Session) -> list[str]:
    """Run every feature's demo seeder; return one line of summary each."""
    added = seed_places(session)
    return [f"Places: {added} added, the rest already there."]
