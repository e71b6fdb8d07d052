"""Imports every feature's models so that ``metadata`` holds the whole schema (for Alembic)."""

from citizen.accounts import models as accounts_models
from citizen.assembly import models as assembly_models
from citizen.consultations import models as consultations_models
from citizen.content import models as content_models
from citizen.db import Base
from citizen.exports import models as exports_models
from citizen.moderation import models as moderation_models
from citizen.places import models as places_models
from citizen.pledges import models as pledges_models
from citizen.shared import audit

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "assembly_models",
    "audit",
    "consultations_models",
    "content_models",
    "exports_models",
    "metadata",
    "moderation_models",
    "places_models",
    "pledges_models",
]
