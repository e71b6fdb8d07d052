"""Printable invitation letters (PDF, one page each) in the organiser's language."""

from __future__ import annotations

from flask_babel import gettext as _
from fpdf import FPDF

from citizen.assembly.invitations import format_code
from citizen.assembly.models import Assembly, Invitation, Member

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
# DejaVu Sans covers Latin scripts only well enough; Arabic-script languages need text shaping
# (uharfbuzz) and Bengali, Gujarati, Gurmukhi and Ethiopic need Noto fonts, neither installed.
# For those languages organisers use the mail-merge CSV with a translated letter.
LETTER_LANGUAGES: tuple[str, ...] = ("en", "pl", "ro")


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_font("DejaVu", "", f"{FONT_DIR}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", f"{FONT_DIR}/DejaVuSans-Bold.ttf")
    return pdf


def _dates(assembly: Assembly) -> str:
    return ", ".join(s.held_on.strftime("%d/%m/%Y") for s in assembly.sessions)


def selection_letters_pdf(assembly: Assembly, members: list[tuple[Member, str]]) -> bytes:
    """'You have been chosen' letters for panel members, each with their reply link."""
    pdf = _document()
    for member, reply_url in members:
        contact = member.registrant.contact
        if contact is None:
            continue
        pdf.add_page()
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, "\n".join([contact.name, contact.address, contact.postcode]))
        pdf.ln(10)
        pdf.set_font("DejaVu", "B", 16)
        pdf.multi_cell(0, 8, _("You have been chosen for %(title)s", title=assembly.title))
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 12)
        for paragraph in (
            _("Dear %(name)s,", name=contact.name),
            _("You have been chosen by lottery to take part in %(title)s.", title=assembly.title),
            _("The assembly meets on: %(dates)s.", dates=_dates(assembly)),
            assembly.honorarium, assembly.expenses,
            _("Please tell us if you can take part: %(url)s", url=reply_url),
            _("Or phone the person who sent this letter."),
        ):
            if paragraph:
                pdf.multi_cell(0, 7, paragraph)
                pdf.ln(3)
    return bytes(pdf.output())


def letters_pdf(assembly: Assembly, invitations: list[Invitation], register_url: str) -> bytes:
    pdf = _document()
    sessions = ", ".join(s.held_on.strftime("%d/%m/%Y") for s in assembly.sessions)
    for invitation in invitations:
        pdf.add_page()
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, "\n".join(filter(None, [
            _("The resident"), invitation.address or "", invitation.postcode or ""])))
        pdf.ln(10)
        pdf.set_font("DejaVu", "B", 16)
        pdf.multi_cell(0, 8, _("You are invited to join %(title)s", title=assembly.title))
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 12)
        for paragraph in (
            _("Your address was chosen at random. We would like people from all walks of life "
              "to help answer this question:"),
            assembly.question,
            _("The assembly meets on: %(dates)s.", dates=sessions),
            assembly.honorarium, assembly.expenses,
            _("To register your interest, go to %(url)s and enter your code. Registration closes "
              "on %(date)s.", url=register_url,
              date=assembly.registration_closes.strftime("%d/%m/%Y")),
        ):
            if paragraph:
                pdf.multi_cell(0, 7, paragraph)
                pdf.ln(3)
        pdf.set_font("DejaVu", "B", 20)
        pdf.cell(0, 14, _("Your code: %(code)s", code=format_code(invitation.code)),
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, _("Only one person can register with each code. You can also "
                               "register by telephone: ask the person who sent this letter."))
    return bytes(pdf.output())
