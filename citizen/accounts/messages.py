"""Plain, translated words for account error codes and role names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERRORS = {
    "email": _l("Enter an email address in the right format, like name@example.com"),
    "password_too_short": _l("Your password must be 12 characters or more"),
    "password_too_long": _l("Your password must be 256 characters or fewer"),
    "password_common": _l("That password is too easy to guess. Try a few words you will remember"),
    "password_contains_email": _l("Your password must not contain your email address"),
    "credentials": _l("Your email address or password is wrong"),
    "unverified": _l(
        "You need to confirm your email address first. We have sent you a new link."
    ),
    "current_password": _l("Your password is wrong"),
    "same_email": _l("That is already your email address"),
    "email_taken": _l("That email address cannot be used"),
    "link_expired": _l("That link has expired"),
    "link_invalid": _l("That link is not right. Check you copied all of it"),
    "link_used": _l("That link has already been used"),
    "totp_code": _l("That code is wrong or has already been used. Check your app and try again"),
    "role": _l("Choose a role from the list"),
    "revoke_own_admin": _l("You cannot remove your own admin role"),
}

ROLE_NAMES = {
    "resident": _l("Resident"),
    "organisation_member": _l("Organisation member"),
    "moderator": _l("Moderator (Healthwatch)"),
    "organiser": _l("Organiser (partnership staff)"),
    "admin": _l("Admin"),
}
