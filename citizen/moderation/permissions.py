"""Who may moderate and who may code free text.

Moderation is Healthwatch's job: independent of the partnership, so only people with the
``moderator`` role use the queue (organisers and admins get 403 unless they also hold it).
Coding comments into themes is shared analysis work: moderators and organisers may do it.
"""

from __future__ import annotations

from typing import Any

from citizen.shared.permissions import has_role

MODERATOR_ROLES: tuple[str, ...] = ("moderator",)
CODER_ROLES: tuple[str, ...] = ("moderator", "organiser")


def can_moderate(user: Any) -> bool:
    """Whether the person making the request may use the moderation queue now."""
    return user is not None and has_role(*MODERATOR_ROLES)


def can_code(user: Any) -> bool:
    """Whether the person making the request may edit codebooks and tag answers now."""
    return user is not None and has_role(*CODER_ROLES)
