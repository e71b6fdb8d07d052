"""Imports every feature's models so that ``metadata`` holds the whole schema (for Alembic)."""

from citizen.db import Base
from citizen.places import models as places_models

metadata = Base.metadata

__all__ = ["metadata", "places_models"]
