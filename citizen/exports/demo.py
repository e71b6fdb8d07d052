"""Demo data for the exports feature (never loaded in production)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def seed(session: Session) -> list[str]:
    """Add demo data if missing (idempotent); flush only. Returns lines of summary."""
    return []
