"""Place hierarchy (ICS -> place -> neighbourhood) and postcode districts."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from citizen.db import Base


class PlaceKind(enum.StrEnum):
    ICS = "ics"
    PLACE = "place"
    NEIGHBOURHOOD = "neighbourhood"


class Place(Base):
    """An area the partnership serves: the whole ICS, one of its places, or a neighbourhood."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[PlaceKind] = mapped_column(
        Enum(PlaceKind, name="place_kind", values_callable=lambda e: [m.value for m in e],
             native_enum=False, length=20)
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="RESTRICT"))
    population: Mapped[int | None]
    population_source: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[Place | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Place]] = relationship(
        back_populates="parent", order_by="Place.name"
    )
    districts: Mapped[list[PostcodeDistrict]] = relationship(
        back_populates="place", order_by="PostcodeDistrict.code"
    )

    def __repr__(self) -> str:
        return f"<Place {self.slug} ({self.kind.value})>"


class PostcodeDistrict(Base):
    """The outward part of a postcode (``CV21``) and the most specific area it belongs to.

    ``shared`` marks districts that cross a boundary; they are given to the area holding most of
    their addresses.
    """

    __tablename__ = "postcode_district"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    shared: Mapped[bool] = mapped_column(default=False)

    place: Mapped[Place] = relationship(back_populates="districts")
