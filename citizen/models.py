"""Imports every feature's models so that ``metadata`` holds the whole schema (for Alembic)."""

from citizen.accounts import models as accounts_models
from citizen.db import Base
from citizen.places import models as places_models
from citizen.shared import audit

metadata = Base.metadata

__all__ = ["accounts_models", "audit", "metadata", "places_models"]
