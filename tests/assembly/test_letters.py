"""Printable PDF letters: every letter language, both kinds, the right embedded font, Arabic-script
text shaped and right-aligned, and codes and web addresses kept in reading order."""

from __future__ import annotations

import re
import zlib
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy.orm import Session

from citizen.assembly.letters import (
    LETTER_LANGUAGES,
    RTL_LANGUAGES,
    letter_language,
    letters_pdf,
    selection_letters_pdf,
)
from citizen.assembly.models import (
    Assembly,
    AssemblySession,
    Invitation,
    Member,
    Registrant,
    RegistrantContact,
)
from tests.assembly.conftest import make_assembly

REGISTER_URL = "https://citizen.example.org/assembly/health-2030/register"
REPLY_URL = "https://citizen.example.org/assembly/reply/Xy12AbC"
LEFT_MARGIN_PT = 20 * 72 / 25.4 + 1 * 72 / 25.4  # page margin and fpdf2's cell padding


def _assembly() -> Assembly:
    assembly = Assembly(id=1, slug="health-2030", title="Coventry Health Assembly",
                        question="What should change in local health care?", honorarium="£100 a day",
                        expenses="Travel paid", registration_closes=date(2030, 6, 30))
    assembly.sessions = [AssemblySession(held_on=date(2030, 7, 12)),
                         AssemblySession(held_on=date(2030, 7, 19))]
    return assembly


def _member(locale: str) -> Member:
    registrant = Registrant(ref="r1", locale=locale)
    registrant.contact = RegistrantContact(name="Zofia Wiśniewska", address="4 Park Road",
                                           postcode="CV1 2AB")
    return Member(registrant=registrant)


def _invitation_letter(app: Flask, language: str) -> bytes:
    invitation = Invitation(code="ABCD2345", address="12 High Street", postcode="CV5 6FG")
    with app.test_request_context(), force_locale(language):
        return letters_pdf(_assembly(), [invitation], REGISTER_URL)


def _selection_letter(app: Flask, registered_in: str) -> bytes:
    with app.test_request_context():
        return selection_letters_pdf(_assembly(), [(_member(registered_in), REPLY_URL)])


def _fonts_on_pages(pdf: bytes) -> set[str]:
    """Base names of the fonts the pages use (a document may carry other, unused fonts)."""
    names = set()
    for resources in re.findall(rb"/Font\s*<<(.*?)>>", pdf, re.S):
        for number in re.findall(rb"/F\d+\s+(\d+)\s+0\s+R", resources):
            font = re.search(rb"\n" + number + rb" 0 obj(.*?)endobj", pdf, re.S)
            assert font is not None
            base = re.search(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)", font.group(1))
            assert base is not None
            names.add(base.group(1).decode())
    return names


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _to_unicode(pdf: bytes, font: str) -> dict[int, str]:
    """Glyph code -> text, from the ToUnicode map of ``font``."""
    type0 = re.search(rb"/BaseFont\s*/[A-Z]{6}\+" + font.encode() + rb"\s.*?/ToUnicode\s+(\d+) 0 R",
                      pdf, re.S)
    assert type0 is not None, font
    stream = re.search(rb"\n" + type0.group(1) + rb" 0 obj.*?stream\r?\n(.*?)endstream", pdf, re.S)
    assert stream is not None
    cmap = _streams(b"stream\n" + stream.group(1) + b"endstream")[0]
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for code, text in re.findall(rb"<([0-9A-F]{4})>\s*<([0-9A-F]+)>", cmap)}


def _pdf_string(body: bytes) -> bytes:
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    out, i = bytearray(), 0
    while i < len(body):
        char = body[i:i + 1]
        if char == b"\\":
            following = body[i + 1:i + 2]
            octal = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += escapes.get(following, following)
            i += 2
            continue
        out += char
        i += 1
    return bytes(out)


def _lines(pdf: bytes, font: str) -> list[tuple[float, str]]:
    """Each text line drawn (its starting x in points, its glyphs decoded in drawing order)."""
    mapping = _to_unicode(pdf, font)
    lines = []
    for stream in _streams(pdf):
        for block in re.findall(rb"BT (.*?) ET", stream, re.S):
            start = re.match(rb"([\d.]+) [\d.]+ Td", block)
            if start is None:
                continue
            text = ""
            for string in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", block, re.S):
                raw = _pdf_string(string)
                text += "".join(mapping.get(int.from_bytes(raw[k:k + 2], "big"), "")
                                for k in range(0, len(raw) - 1, 2))
            lines.append((float(start.group(1)), text))
    return lines


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


@pytest.mark.parametrize("language", LETTER_LANGUAGES)
def test_invitation_letter_in_every_letter_language(app: Flask, language: str) -> None:
    pdf = _invitation_letter(app, language)
    assert pdf.startswith(b"%PDF") and _page_count(pdf) == 1
    expected = "NotoSansArabic" if language in RTL_LANGUAGES else "NotoSans"
    assert _fonts_on_pages(pdf) == {expected}
    text = "\n".join(line for _x, line in _lines(pdf, expected))
    # Codes, dates and web addresses read left to right, also inside right-to-left text.
    assert "ABCD-2345" in text or "ABC-D2345" in text
    assert REGISTER_URL in text
    assert "30/06/2030" in text


@pytest.mark.parametrize("language", LETTER_LANGUAGES)
def test_selection_letter_in_the_language_the_person_registered_in(app: Flask, language: str) -> None:
    pdf = _selection_letter(app, language)
    assert pdf.startswith(b"%PDF") and _page_count(pdf) == 1
    expected = "NotoSansArabic" if language in RTL_LANGUAGES else "NotoSans"
    assert _fonts_on_pages(pdf) == {expected}
    text = "\n".join(line for _x, line in _lines(pdf, expected))
    assert REPLY_URL in text and "Zofia Wiśniewska" in text


@pytest.mark.parametrize("language", ["bn", "gu", "pa", "ti", "xx"])
def test_languages_without_pdf_letters_get_english(app: Flask, language: str) -> None:
    assert letter_language(language) == "en" and language not in LETTER_LANGUAGES
    pdf = _selection_letter(app, language)
    assert _fonts_on_pages(pdf) == {"NotoSans"}
    assert any("You have been chosen for" in line for _x, line in _lines(pdf, "NotoSans"))


@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_arabic_script_is_shaped_and_right_aligned(app: Flask, language: str) -> None:
    pdf = _invitation_letter(app, language)
    mapping = _to_unicode(pdf, "NotoSansArabic")
    # Shaped text uses joining forms: several glyphs stand for the same Arabic letter. Without
    # shaping each letter would have exactly one (isolated) glyph.
    arabic = [text for text in mapping.values() if any("\u0600" <= c <= "\u06ff" for c in text)]
    assert len(arabic) > len(set(arabic))
    lines = _lines(pdf, "NotoSansArabic")
    # The address block stays on the left for window envelopes...
    assert any(x == pytest.approx(LEFT_MARGIN_PT, abs=0.5) and "12 High Street" in text
               for x, text in lines)
    # ...and the letter's short last lines are pushed to the right margin.
    code_line = next(x for x, text in lines if "2345" in text)
    assert code_line > 250


def test_latin_letters_are_left_aligned(app: Flask) -> None:
    lines = _lines(_invitation_letter(app, "pl"), "NotoSans")
    code_line = next(x for x, text in lines if "2345" in text)
    assert code_line == pytest.approx(LEFT_MARGIN_PT, abs=0.5)
    assert all(x == pytest.approx(LEFT_MARGIN_PT, abs=0.5) for x, _text in lines)
    assert any("ż" in text or "ą" in text or "ę" in text for _x, text in lines)  # Polish diacritics


def test_pages_say_which_languages_have_pdf_letters(organiser: FlaskClient, db_session: Session) -> None:
    assembly = make_assembly(db_session, title="Letters languages")
    page = organiser.get(f"/assembly/manage/{assembly.id}/invitations").get_data(as_text=True)
    assert "PDF letters can be printed in these languages:" in page
    assert 'lang="ar" dir="rtl"' in page and 'lang="bn"' in page
    assert "use the mail-merge CSV with a translated letter" in page
    members = organiser.get(f"/assembly/manage/{assembly.id}/members")
    assert members.status_code == 200
