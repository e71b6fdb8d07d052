"""Translated messages for the rule codes raised by :mod:`citizen.pledges.services`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERRORS = {
    "name": _l("Enter the name of the organisation"),
    "organisation_exists": _l("An organisation with this name already exists. Ask to join it instead."),
    "sector": _l("Choose the sector"),
    "size_band": _l("Choose how many people work for it"),
    "places": _l("Choose at least one place"),
    "website": _l("Enter a real web address, for example www.example.org.uk"),
    "email": _l("Enter an email address in the right format, like name@example.com"),
    "invitation_invalid": _l("This invitation link has already been used or is not right."),
    "invitation_expired": _l("This invitation link has expired. Ask your colleague to invite you again."),
    "invitation_other_address": _l(
        "This invitation was sent to a different email address. Sign in with the address that "
        "got the invitation."),
    "not_member": _l("You are not a member of this organisation."),
    "already_member": _l("You can already act for this organisation."),
    "job_title": _l("Enter your job title"),
    "reason": _l("Tell us how you are connected to the organisation"),
    "claim_pending": _l("You have already asked to join. An organiser will decide soon."),
    "claim_decided": _l("This request has already been decided."),
    "not_editable": _l("This pledge cannot be changed now."),
    "pillar": _l("Choose which part of health it helps"),
    "beneficiaries": _l("Choose who it will help"),
    "description": _l("Say what you will do"),
    "target": _l("Enter a target you can measure"),
    "start_date": _l("Enter a real start date, for example 2027-01-31"),
    "due_date": _l("Enter a real due date, for example 2027-12-31"),
    "due_before_start": _l("The due date must be after the start date"),
    "too_many_actions": _l("A pledge can have up to 3 actions."),
    "not_found": _l("That action is not part of this pledge."),
    "sponsor_name": _l("Enter the name of your senior sponsor"),
    "sponsor_role": _l("Enter your senior sponsor's job title"),
    "accreditations": _l("Choose accreditations from the list"),
    "disability_level": _l("Choose your Disability Confident level"),
    "no_actions": _l("Add at least one action"),
    "no_sponsor": _l("Give the name and job title of your senior sponsor"),
    "no_consent": _l("Your senior sponsor must agree to be named publicly"),
    "not_approved": _l("You can report progress once the pledge is published."),
    "status": _l("Choose where the action is now"),
    "text": _l("Write a short update"),
    "evidence_url": _l("Enter a web address starting with https://"),
}
