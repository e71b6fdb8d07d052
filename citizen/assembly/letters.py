"""Printable letters (PDF, one page each): invitations in the organiser's chosen language and
'you have been chosen' letters in the language each person registered in.

Fonts come from PyPI packages (fontpkg-noto-sans, fontpkg-noto-sans-arabic), never from the
system, so letters work on a fresh machine. Text is shaped with HarfBuzz (uharfbuzz) so that
Arabic-script letters are joined, and laid out right to left with the Unicode bidirectional
algorithm so codes, dates and web addresses inside them stay in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg
from babel.lists import format_list
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.bidi import auto_detect_base_direction
from fpdf.enums import TextDirection, TextMode

from citizen.assembly.invitations import format_code
from citizen.assembly.letter_languages import (  # noqa: F401 (LETTER_LANGUAGES: for callers)
    LATIN_LANGUAGES,
    LETTER_LANGUAGES,
    RTL_LANGUAGES,
    letter_language,
)
from citizen.assembly.models import Assembly, Invitation, Member

LATIN_FONT = "NotoSans"
ARABIC_FONT = "NotoSansArabic"
# The packages ship variable fonts whose default instance is Regular (wght 400, wdth 100): that
# is what is embedded. Making a static Bold instance with fontTools takes about a minute per
# font, far too slow for a request, so headings are emboldened by also stroking the outlines.
_BOLD_STROKE_EM = 0.045  # stroke width as a share of the font size
_PT = 25.4 / 72  # millimetres in a point


@dataclass(frozen=True)
class _Script:
    font: str
    rtl: bool
    language: str


@cache
def _font_file(family: str) -> Path:
    """The installed .ttf of a fontpkg family (the package finds its own files)."""
    return Path(fontpkg.path(family, weight=400))


def _script(language: str) -> _Script:
    if language in RTL_LANGUAGES:
        return _Script(ARABIC_FONT, rtl=True, language=language)
    return _Script(LATIN_FONT, rtl=False, language=language)


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_font(LATIN_FONT, fname=_font_file("Noto Sans"))
    pdf.add_font(ARABIC_FONT, fname=_font_file("Noto Sans Arabic"))
    # A name or address in the other script still prints (Arabic in a Latin letter, or a Polish
    # name in an Arabic one).
    pdf.set_fallback_fonts([LATIN_FONT, ARABIC_FONT])
    return pdf


def _font(pdf: FPDF, script: _Script, size: float, *, bold: bool = False) -> None:
    pdf.set_font(script.font, "", size)
    if bold:
        pdf.text_mode = TextMode.FILL_STROKE
        pdf.set_line_width(size * _PT * _BOLD_STROKE_EM)
    else:
        pdf.text_mode = TextMode.FILL


def _paragraph(pdf: FPDF, script: _Script, text: str, height: float, *, auto: bool = False,
               align: str | None = None) -> None:
    """One paragraph. In RTL letters it runs right to left and is right-aligned, unless ``auto``:
    then its direction follows its own text (the organiser's words may be in English)."""
    rtl = script.rtl
    if auto:
        rtl = auto_detect_base_direction(text) == TextDirection.RTL
    pdf.set_text_shaping(True, direction="rtl" if rtl else "ltr", language=script.language)
    pdf.multi_cell(0, height, text, align=align or ("R" if rtl else "L"),
                   new_x="LMARGIN", new_y="NEXT")


def _address(pdf: FPDF, script: _Script, lines: list[str]) -> None:
    """The address block stays on the left (window envelopes) and reads in its own direction."""
    _font(pdf, script, 11)
    for line in lines:
        _paragraph(pdf, script, line, 6, auto=True, align="L")
    pdf.ln(10)


def _dates(assembly: Assembly) -> str:
    """The session dates as a list in the letter's language ("a, b and c"; Arabic "a وb")."""
    return format_list([s.held_on.strftime("%d/%m/%Y") for s in assembly.sessions],
                       locale=str(get_locale() or "en"))


def _current_language() -> str:
    locale = get_locale()
    return letter_language(str(locale) if locale else None)


def selection_letters_pdf(assembly: Assembly, members: list[tuple[Member, str]]) -> bytes:
    """'You have been chosen' letters for panel members, each with their reply link, each in the
    language the person registered in (English when there are no PDF letters in it)."""
    pdf = _document()
    for member, reply_url in members:
        contact = member.registrant.contact
        if contact is None:
            continue
        language = letter_language(member.registrant.locale)
        script = _script(language)
        with force_locale(language):
            pdf.add_page()
            _address(pdf, script, [contact.name, contact.address, contact.postcode])
            _font(pdf, script, 16, bold=True)
            _paragraph(pdf, script, _("You have been chosen for %(title)s", title=assembly.title), 8)
            pdf.ln(4)
            _font(pdf, script, 12)
            for paragraph, own_words in (
                (_("Dear %(name)s,", name=contact.name), False),
                (_("You have been chosen by lottery to take part in %(title)s.", title=assembly.title),
                 False),
                (_("The assembly meets on: %(dates)s.", dates=_dates(assembly)), False),
                (assembly.honorarium, True), (assembly.expenses, True),
                (_("Please tell us if you can take part: %(url)s", url=reply_url), False),
                (_("Or phone the person who sent this letter."), False),
            ):
                if paragraph:
                    _paragraph(pdf, script, paragraph, 7, auto=own_words)
                    pdf.ln(3)
    return bytes(pdf.output())


def letters_pdf(assembly: Assembly, invitations: list[Invitation], register_url: str) -> bytes:
    """Invitation letters in the current locale (the caller forces one of LETTER_LANGUAGES)."""
    pdf = _document()
    language = _current_language()
    script = _script(language)
    for invitation in invitations:
        pdf.add_page()
        _address(pdf, script, list(filter(None, [
            _("The resident"), invitation.address or "", invitation.postcode or ""])))
        _font(pdf, script, 16, bold=True)
        _paragraph(pdf, script, _("You are invited to join %(title)s", title=assembly.title), 8)
        pdf.ln(4)
        _font(pdf, script, 12)
        for paragraph, own_words in (
            (_("Your address was chosen at random. We would like people from all walks of life "
               "to help answer this question:"), False),
            (assembly.question, True),
            (_("The assembly meets on: %(dates)s.", dates=_dates(assembly)), False),
            (assembly.honorarium, True), (assembly.expenses, True),
            (_("To register your interest, go to %(url)s and enter your code. Registration closes "
               "on %(date)s.", url=register_url,
               date=assembly.registration_closes.strftime("%d/%m/%Y")), False),
        ):
            if paragraph:
                _paragraph(pdf, script, paragraph, 7, auto=own_words)
                pdf.ln(3)
        _font(pdf, script, 20, bold=True)
        _paragraph(pdf, script, _("Your code: %(code)s", code=format_code(invitation.code)), 14)
        _font(pdf, script, 11)
        _paragraph(pdf, script, _("Only one person can register with each code. You can also "
                                  "register by telephone: ask the person who sent this letter."), 6)
    return bytes(pdf.output())
