"""Demo data for ``flask --app wsgi seed-demo``. Every seeder is idempotent and only flushes.

Demo accounts are created only outside production. Their password and two-factor keys are
public (printed by ``make run``), so they must never exist on a real service.
"""

from __future__ import annotations

import base64
import hashlib

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation, OrganisationMembership, User, UserRole
from citizen.accounts.passwords import hash_password
from citizen.db import utcnow
from citizen.places.services import seed_places

DEMO_PASSWORD = "walk in the war memorial park"
DEMO_ACCOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("resident@demo.example", ("resident",)),
    ("member@demo.example", ("resident", "organisation_member")),
    ("moderator@demo.example", ("moderator",)),
    ("organiser@demo.example", ("organiser",)),
    ("admin@demo.example", ("admin",)),
)
DEMO_ORGANISATION = ("Canal Side Bakery (demo)", "canal-side-bakery-demo")


def demo_totp_secret(email: str) -> str:
    """A fixed two-factor key for a demo staff account (derived from its address)."""
    digest = hashlib.sha256(f"citizen-demo:{email}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def seed_demo_accounts(session: Session) -> list[str]:
    """Create the demo accounts and organisation if missing; return lines describing them."""
    organisation = session.scalar(
        select(Organisation).where(Organisation.slug == DEMO_ORGANISATION[1])
    )
    if organisation is None:
        organisation = Organisation(name=DEMO_ORGANISATION[0], slug=DEMO_ORGANISATION[1])
        session.add(organisation)
    lines = [f"Demo sign-ins (password for all: {DEMO_PASSWORD}):"]
    for email, roles in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, password_hash=hash_password(DEMO_PASSWORD), locale="en",
                        email_verified_at=utcnow())
            session.add(user)
        for role in roles:
            if role not in user.role_names:
                user.roles.append(UserRole(role=role))
        staff = user.is_staff
        if staff and not user.two_factor_enabled:
            user.totp_secret = demo_totp_secret(email)
            user.totp_enabled_at = utcnow()
        session.flush()
        if "organisation_member" in roles and not any(
            m.organisation_id == organisation.id for m in user.memberships
        ):
            session.add(OrganisationMembership(user_id=user.id, organisation_id=organisation.id))
        note = f" (two-factor key {user.totp_secret}; or run: flask --app wsgi demo-code {email})" \
            if staff else ""
        lines.append(f"  {', '.join(roles):32} {email}{note}")
    session.flush()
    return lines


def seed_all(session: Session) -> list[str]:
    """Run every feature's demo seeder; return lines of summary."""
    added = seed_places(session)
    lines = [f"Places: {added} added, the rest already there."]
    if current_app.config.get("CITIZEN_ENV") != "production":
        lines.extend(seed_demo_accounts(session))
        from citizen.assembly import demo as assembly_demo
        from citizen.consultations import demo as consultations_demo
        from citizen.content import demo as content_demo
        from citizen.exports import demo as exports_demo
        from citizen.moderation import demo as moderation_demo
        from citizen.pledges import demo as pledges_demo

        for feature in (consultations_demo, moderation_demo, exports_demo, pledges_demo,
                        content_demo, assembly_demo):
            lines.extend(feature.seed(session))
    return lines
