"""Reading and seeding places. Functions flush, never commit: the caller's unit of work does."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from citizen.places.data import AREAS, DISTRICTS
from citizen.places.models import Place, PlaceKind, PostcodeDistrict

# Outward code of a UK postcode: area letters, district digits and an optional letter.
_OUTWARD = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)$")
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


class PostcodeError(ValueError):
    """The text is not a postcode or postcode district; ``code`` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def postcode_district(text: str) -> str:
    """The district (``CV21``) of a full postcode or a district, upper-cased.

    Raises :class:`PostcodeError` ``empty`` or ``format`` for anything else.
    """
    cleaned = re.sub(r"\s+", " ", (text or "").strip().upper())
    if not cleaned:
        raise PostcodeError("empty")
    full = _FULL.match(cleaned)
    if full:
        return full.group(1)
    outward = _OUTWARD.match(cleaned)
    if outward:
        return outward.group(1)
    raise PostcodeError("format")


def seed_places(session: Session) -> int:
    """Create or update the Coventry and Warwickshire areas and districts; return how many were
    added. Safe to run again: existing rows are updated in place, nothing is duplicated."""
    existing = {p.slug: p for p in session.scalars(select(Place))}
    added = 0
    for seed in AREAS:
        place = existing.get(seed.slug)
        if place is None:
            place = Place(slug=seed.slug)
            session.add(place)
            existing[seed.slug] = place
            added += 1
        place.name = seed.name
        place.kind = PlaceKind(seed.kind)
        place.parent = existing[seed.parent] if seed.parent else None
        place.population = seed.population
        place.population_source = seed.source
    session.flush()
    districts = {d.code: d for d in session.scalars(select(PostcodeDistrict))}
    for code, slug, shared in DISTRICTS:
        district = districts.get(code)
        if district is None:
            district = PostcodeDistrict(code=code)
            session.add(district)
            added += 1
        district.place = existing[slug]
        district.shared = shared
    session.flush()
    return added


def ics(session: Session) -> Place | None:
    """The integrated care system (the root area), with its places loaded."""
    return session.scalar(
        select(Place)
        .where(Place.kind == PlaceKind.ICS)
        .options(selectinload(Place.children).selectinload(Place.children))
    )


def places(session: Session) -> list[Place]:
    """The places (not the ICS, not neighbourhoods), by name."""
    return list(
        session.scalars(select(Place).where(Place.kind == PlaceKind.PLACE).order_by(Place.name))
    )


def place_by_slug(session: Session, slug: str) -> Place | None:
    return session.scalar(
        select(Place)
        .where(Place.slug == slug)
        .options(selectinload(Place.children), selectinload(Place.districts))
    )


def districts_within(area: Place) -> list[PostcodeDistrict]:
    """The postcode districts of ``area`` and of every area inside it, by code."""
    found: list[PostcodeDistrict] = []
    stack = [area]
    while stack:
        current = stack.pop()
        found.extend(current.districts)
        stack.extend(current.children)
    return sorted(found, key=lambda d: (len(d.code), d.code))


def enclosing_place(area: Place) -> Place:
    """The place (kind ``place``) that contains ``area``; the area itself if it is one."""
    current: Place | None = area
    while current is not None and current.kind == PlaceKind.NEIGHBOURHOOD:
        current = current.parent
    return current or area


def place_for_district(session: Session, text: str) -> tuple[Place, PostcodeDistrict] | None:
    """The place (and district row) for a postcode or district, or ``None`` if it is outside
    the area. Raises :class:`PostcodeError` when the text is not a postcode at all."""
    code = postcode_district(text)
    district = session.get(PostcodeDistrict, code)
    if district is None:
        return None
    return enclosing_place(district.place), district
