"""The links on "Your account" to the tools a person's roles let them use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, url_for
from flask_babel import lazy_gettext as _l

from citizen.shared.permissions import access_of, current_roles


@dataclass(frozen=True)
class Tool:
    url: str
    label: object
    hint: object


def _works_on_content() -> bool:
    from citizen.content.permissions import can_work_on_content
    from citizen.db import get_session

    return can_work_on_content(get_session(), g.get("current_user"))


# (endpoint, label, hint, and optionally a further check beyond the route's roles)
_TOOLS: tuple[tuple[str, object, object] | tuple[str, object, object, Callable[[], bool]], ...] = (
    ("pledges.organisation_list", _l("Your organisations"),
     _l("Pledges your organisation has made, and their progress reports.")),
    ("content.dashboard", _l("Health information pages"),
     _l("Pages in community languages and Easy Read waiting for writing or review."),
     _works_on_content),
    ("consultations.manage_list", _l("Manage consultations"),
     _l("Build surveys, enter paper and phone responses, publish results.")),
    ("moderation.queue_list", _l("Moderation queue"),
     _l("Check comments, pledges and updates before anyone else sees them.")),
    ("moderation.codebook_index", _l("Themes"),
     _l("Code free-text answers into themes.")),
    ("assembly.assembly_list", _l("Citizens' assemblies"),
     _l("Registration, targets, the selection lottery and replacements.")),
    ("exports.export_list", _l("Exports"),
     _l("Download answers for commissioners, with personal data removed.")),
    ("admin.people_list", _l("Admin"),
     _l("Find people, give and remove roles, read the audit log.")),
)


def tools_for_current_user() -> list[Tool]:
    """The tools whose routes accept one of the roles the signed-in person holds now (staff
    roles count only after the second factor), and whose further check, if any, passes."""
    roles = current_roles()
    tools = []
    for endpoint, label, hint, *further in _TOOLS:
        view = current_app.view_functions.get(endpoint)
        access = access_of(view) if view else None
        if access is None or not (access.public or access.roles & roles):
            continue
        if all(check() for check in further):
            tools.append(Tool(url_for(endpoint), label, hint))
    return tools
