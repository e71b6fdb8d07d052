"""Translated words for codes used by the content feature (errors, statuses, pillars)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

STATUS_LABELS: dict[str, Any] = {
    "missing": _l("Missing"),
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "community_reviewed": _l("Community reviewed"),
    "published": _l("Published"),
}

VARIANT_LABELS: dict[str, Any] = {"standard": _l("Standard"), "easy_read": _l("Easy Read")}

PILLAR_LABELS: dict[str, Any] = {
    "wider_determinants": _l("The wider determinants of health"),
    "behaviours_lifestyles": _l("Our behaviours and lifestyles"),
    "integrated_care": _l("An integrated health and care system"),
    "places_communities": _l("The places and communities we live in"),
}

EVENT_LABELS: dict[str, Any] = {
    "edited": _l("Changed"),
    "uploaded": _l("Uploaded from a file"),
    "submitted": _l("Sent for community review"),
    "sent_back": _l("Sent back for changes"),
    "signed_off": _l("Signed off by community partner"),
    "published": _l("Published"),
    "unpublished": _l("Taken off the site"),
}


def error_message(code: str, params: dict[str, object] | None = None) -> str:
    """The translated message for a ``ContentError`` or ``FileError`` code."""
    p = dict(params or {})
    messages = {
        "not_allowed": lambda: _("You cannot do that."),
        "not_found": lambda: _("That page or language was not found."),
        "slug_missing": lambda: _("Enter a web address name"),
        "slug_format": lambda: _("Use only small letters, numbers and hyphens, like staying-warm"),
        "slug_taken": lambda: _("That web address name is already used. Choose another."),
        "title_missing": lambda: _("Enter a title"),
        "title_too_long": lambda: _("The title must be %(limit)s characters or fewer", limit=p.get("limit")),
        "summary_too_long": lambda: _("The summary must be %(limit)s characters or fewer",
                                      limit=p.get("limit")),
        "body_missing": lambda: _("Enter the text of the page"),
        "body_too_long": lambda: _("The text must be %(limit)s characters or fewer", limit=p.get("limit")),
        "alt_missing": lambda: _("Every picture needs alt text: words that say what it shows. "
                                 "Add alt=\"…\" to the picture %(src)s", src=p.get("src")),
        "lines_missing": lambda: _("Enter at least one line of Easy Read text"),
        "easy_read_unknown_picture": lambda: _(
            "Line %(line)s: there is no picture called \"%(picture)s\". Use one from the list.",
            line=p.get("line"), picture=p.get("picture")),
        "easy_read_missing_alt": lambda: _(
            "Line %(line)s: say what the picture shows, like [doctor: A doctor smiling]",
            line=p.get("line")),
        "easy_read_missing_text": lambda: _("Line %(line)s: add words after the picture",
                                            line=p.get("line")),
        "easy_read_too_long": lambda: _("Line %(line)s is too long. Keep one short idea a line.",
                                        line=p.get("line")),
        "easy_read_too_many": lambda: _("Use %(line)s lines or fewer", line=p.get("line")),
        "pillar_missing": lambda: _("Choose a pillar"),
        "comment_missing": lambda: _("Say what needs to change"),
        "comment_too_long": lambda: _("Your comment must be %(limit)s characters or fewer",
                                      limit=p.get("limit")),
        "no_such_person": lambda: _("Nobody has an account with that email address. "
                                    "Ask them to register first."),
        "already_reviewer": lambda: _("That person is already a reviewer for this partner"),
        "already_translator": lambda: _("That person already translates this language"),
        "languages_missing": lambda: _("Choose at least one language"),
        "language_missing": lambda: _("Choose a language"),
        # search
        "query_missing": lambda: _("Enter a word to search for"),
        "query_too_long": lambda: _("Your search must be 100 characters or fewer"),
        # translation files
        "empty": lambda: _("The file is empty"),
        "too_big": lambda: _("The file must be smaller than %(limit)s KB", limit=p.get("limit")),
        "not_utf8": lambda: _("The file must be saved as UTF-8 text"),
        "declaration": lambda: _("The file contains a DOCTYPE or ENTITY declaration. "
                                 "These are not allowed: export the file again."),
        "not_xml": lambda: _("The file is not valid XML (problem on line %(line)s)", line=p.get("line")),
        "not_json": lambda: _("The file is not valid JSON (problem on line %(line)s)",
                              line=p.get("line")),
        "not_xliff": lambda: _("The file is not an XLIFF file"),
        "wrong_version": lambda: _("The file is version %(version)s. Use XLIFF 1.2 or our JSON "
                                   "layout version 1.", version=p.get("version")),
        "file_count": lambda: _("The file must hold exactly one page, not %(count)s",
                                count=p.get("count")),
        "not_ours": lambda: _("This file was not downloaded from this site. Download the page "
                              "for translation first."),
        "bad_version": lambda: _("The English version date in the file is not a date"),
        "unknown_unit": lambda: _("The file has a part called \"%(unit)s\" that this page does "
                                  "not have", unit=p.get("unit")),
        "duplicate_unit": lambda: _("The part \"%(unit)s\" is in the file twice", unit=p.get("unit")),
        "missing_unit": lambda: _("The file has no \"%(unit)s\" part", unit=p.get("unit")),
        "empty_target": lambda: _("The translation of \"%(unit)s\" is empty", unit=p.get("unit")),
        "wrong_page": lambda: _("This file is for another page (%(page)s)", page=p.get("page")),
        "wrong_variant": lambda: _("This file is for the other version of the page "
                                   "(standard or Easy Read)"),
        "wrong_language": lambda: _("This file is for another language (%(language)s)",
                                    language=p.get("language")),
        "bad_picture": lambda: _("The picture in \"%(unit)s\" is not one we have", unit=p.get("unit")),
    }
    make = messages.get(code)
    return str(make()) if make else _("Something is wrong with what you sent (%(code)s)", code=code)
