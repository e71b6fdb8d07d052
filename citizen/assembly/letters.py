"""Printable letters (PDF, one page each): invitations in the organiser's chosen language and
'you have been chosen' letters in the language each person registered in.

Fonts come from PyPI packages (fontpkg-noto-sans, fontpkg-noto-sans-arabic,
fontpkg-hind-siliguri), so letters in those scripts work on a fresh machine. Gurmukhi (Punjabi),
Gujarati and Ethiopic (Tigrinya) fonts are not on PyPI: they are taken from the server's fonts
(the LETTER_FONT_DIRS setting, see ``letter_languages.py``) when they are there. Text is shaped
with HarfBuzz (uharfbuzz), so Arabic-script letters are joined, and Bengali, Gurmukhi and Gujarati
conjuncts and vowel signs are formed. Arabic-script letters are laid out right to left with the
Unicode bidirectional algorithm, so codes, dates and web addresses inside them stay in reading
order. Each font is also a fallback for the others: a name in another script still prints.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    BENGALI_LANGUAGES,
    LATIN_LANGUAGES,
    LETTER_LANGUAGES,
    RTL_LANGUAGES,
    FoundFont,
    font_folders,
    letter_language,
    server_letter_languages,
    system_fonts,
)
from citizen.assembly.models import Assembly, Invitation, Member

LATIN_FONT = "NotoSans"
ARABIC_FONT = "NotoSansArabic"
BENGALI_FONT = "HindSiliguri"  # Bengali and Latin
# The Noto packages ship variable fonts whose default instance is Regular (wght 400, wdth 100):
# that is what is embedded. Making a static Bold instance with fontTools takes about a minute per
# font, far too slow for a request, so their headings are emboldened by also stroking the
# outlines. Hind Siliguri comes as static fonts, Bold (700) among them: Bengali headings use it,
# as Gurmukhi, Gujarati and Ethiopic headings use the system's static Noto Bold when it is there.
_BOLD_STROKE_EM = 0.045  # stroke width as a share of the font size


# What the server's fonts are used for, by script: the script's own characters, with the spaces,
# dandas, joiners and dotted circle shaping uses among them. Everything else in those letters
# (web addresses, codes, dates, English words) comes from the fallback fonts, Noto Sans as in
# every other letter (in a heading, Hind Siliguri's Bold), so a code or an address is never set
# in two fonts.
_SHARED = "U+0020, U+00A0, U+0964-0965, U+200C-200D, U+25CC"
_SYSTEM_FONT_RANGES = {
    "Gurmukhi": f"U+0A00-0A7F, {_SHARED}",
    "Gujarati": f"U+0A80-0AFF, {_SHARED}",
    "Ethiopic": f"U+1200-139F, U+2D80-2DDF, U+AB00-AB2F, {_SHARED}",
}


@dataclass(frozen=True)
class _Script:
    font: str
    rtl: bool
    language: str
    bold_face: bool = False  # the font has a real Bold (style "B"); else headings are stroked


@cache
def _font_file(family: str, weight: int = 400) -> Path:
    """The installed .ttf of a fontpkg family (the package finds its own files)."""
    return Path(fontpkg.path(family, weight=weight))


def _script(language: str, fonts: Mapping[str, FoundFont]) -> _Script:
    """How a letter in ``language`` is set; ``fonts`` are the system fonts found on this server
    (``language`` is one of the letter languages they make available)."""
    if language in RTL_LANGUAGES:
        return _Script(ARABIC_FONT, rtl=True, language=language)
    if language in BENGALI_LANGUAGES:
        return _Script(BENGALI_FONT, rtl=False, language=language, bold_face=True)
    if language in fonts:
        found = fonts[language]
        return _Script(found.script, rtl=False, language=found.shaping_language,
                       bold_face=found.bold is not None)
    return _Script(LATIN_FONT, rtl=False, language=language)


def _document(fonts: Mapping[str, FoundFont]) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_font(LATIN_FONT, fname=_font_file("Noto Sans"))
    pdf.add_font(ARABIC_FONT, fname=_font_file("Noto Sans Arabic"))
    pdf.add_font(BENGALI_FONT, fname=_font_file("Hind Siliguri"))
    pdf.add_font(BENGALI_FONT, style="B", fname=_font_file("Hind Siliguri", 700))
    # The server's Gurmukhi, Gujarati and Ethiopic fonts, named after their script. They have no
    # Latin letters: those come from the fallback fonts (in a heading, Hind Siliguri's Bold).
    for found in fonts.values():
        pdf.add_font(found.script, fname=found.regular,
                     unicode_range=_SYSTEM_FONT_RANGES.get(found.script))
        if found.bold is not None:
            pdf.add_font(found.script, style="B", fname=found.bold,
                         unicode_range=_SYSTEM_FONT_RANGES.get(found.script))
    # A name or address in another script still prints (Arabic or Bengali in a Latin letter, a
    # Polish name in an Arabic one, a Punjabi name in an English one). Not exact_match: a
    # character that only a regular font has still prints, unbolded, in a real Bold heading.
    pdf.set_fallback_fonts([LATIN_FONT, ARABIC_FONT, BENGALI_FONT,
                            *(found.script for found in fonts.values())], exact_match=False)
    return pdf


def _font(pdf: FPDF, script: _Script, size: float) -> None:
    pdf.set_font(script.font, "", size)


def _heading(pdf: FPDF, script: _Script, text: str, size: float, height: float) -> None:
    """A heading: in the font's Bold face, or (fonts without one) its outlines filled and also
    stroked. The stroking happens inside a saved graphics state, so it ends with the heading:
    fpdf2 writes the text mode with the text and nothing to turn it off again."""
    if script.bold_face:
        pdf.set_font(script.font, "B", size)
        _paragraph(pdf, script, text, height)
        return
    _font(pdf, script, size)
    # fpdf2 writes a text's stroke width as given, so it is in points here, not millimetres.
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=size * _BOLD_STROKE_EM):
        _paragraph(pdf, script, text, height)


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


def selection_letters_pdf(assembly: Assembly, members: list[tuple[Member, str]]) -> bytes:
    """'You have been chosen' letters for panel members, each with their reply link, each in the
    language the person registered in (English when there are no PDF letters in it on this
    server)."""
    fonts, available = system_fonts(font_folders()), server_letter_languages()
    pdf = _document(fonts)
    for member, reply_url in members:
        contact = member.registrant.contact
        if contact is None:
            continue
        language = letter_language(member.registrant.locale, available)
        script = _script(language, fonts)
        with force_locale(language):
            pdf.add_page()
            _address(pdf, script, [contact.name, contact.address, contact.postcode])
            _heading(pdf, script, _("You have been chosen for %(title)s", title=assembly.title),
                     16, 8)
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


def letters_pdf(assembly: Assembly, invitations: list[Invitation], register_url: str,
                language: str | None) -> bytes:
    """Invitation letters in ``language`` (the organiser's choice), or in English when there are
    no PDF letters in it on this server (see ``server_letter_languages()``)."""
    fonts = system_fonts(font_folders())
    language = letter_language(language, server_letter_languages())
    with force_locale(language):
        return _invitation_letters(assembly, invitations, register_url, fonts, language)


def _invitation_letters(assembly: Assembly, invitations: list[Invitation], register_url: str,
                        fonts: Mapping[str, FoundFont], language: str) -> bytes:
    pdf = _document(fonts)
    script = _script(language, fonts)
    for invitation in invitations:
        pdf.add_page()
        _address(pdf, script, list(filter(None, [
            _("The resident"), invitation.address or "", invitation.postcode or ""])))
        _heading(pdf, script, _("You are invited to join %(title)s", title=assembly.title), 16, 8)
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
        _heading(pdf, script, _("Your code: %(code)s", code=format_code(invitation.code)), 20, 14)
        _font(pdf, script, 11)
        _paragraph(pdf, script, _("Only one person can register with each code. You can also "
                                  "register by telephone: ask the person who sent this letter."), 6)
    return bytes(pdf.output())
