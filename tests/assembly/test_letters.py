"""Printable PDF letters: every letter language, both kinds, the right embedded font, Arabic-script
text shaped and right-aligned, Bengali, Gurmukhi and Gujarati text shaped, and codes and web
addresses kept in reading order.

Punjabi, Gujarati and Tigrinya letters need the server's Noto fonts (Debian's fonts-noto-core):
their tests are marked ``system_fonts`` and skip where the fonts are missing, except in CI."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from citizen.assembly import invitations as invitation_rules
from citizen.assembly.letter_languages import letter_languages, system_fonts
from citizen.assembly.letters import (
    BENGALI_LANGUAGES,
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
    SelectionRun,
)
from citizen.config import load_settings
from tests.assembly.conftest import make_assembly
from tests.assembly.test_invitations import FILE

REGISTER_URL = "https://citizen.example.org/assembly/health-2030/register"
REPLY_URL = "https://citizen.example.org/assembly/reply/Xy12AbC"
LEFT_MARGIN_PT = 20 * 72 / 25.4 + 1 * 72 / 25.4  # page margin and fpdf2's cell padding

# The server's fonts the Punjabi, Gujarati and Tigrinya letters need, by language, with the
# characters of each script (and the dandas Punjabi and Gujarati end sentences with).
DEBIAN_NOTO = "/usr/share/fonts/truetype/noto"
SYSTEM_FONTS = {"pa": ("NotoSansGurmukhi", "\u0a00-\u0a7f\u0964\u0965"),
                "gu": ("NotoSansGujarati", "\u0a80-\u0aff\u0964\u0965"),
                "ti": ("NotoSansEthiopic", "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f")}
SYSTEM_FONT_LETTERS = [pytest.param(code, marks=pytest.mark.system_fonts) for code in SYSTEM_FONTS]


@pytest.fixture(autouse=True)
def _skip_without_the_system_fonts(request: pytest.FixtureRequest, app: Flask) -> None:
    """Tests marked ``system_fonts`` skip when the app's font folders lack the Noto fonts (in CI
    that skip is a failure: .ci/run installs them)."""
    if request.node.get_closest_marker("system_fonts") is None:
        return
    folders = app.config.get("LETTER_FONT_DIRS", (DEBIAN_NOTO,))
    missing = [f"{font}-Regular.ttf" for font, _chars in SYSTEM_FONTS.values()
               if not any((Path(folder) / f"{font}-Regular.ttf").is_file() for folder in folders)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not in {list(map(str, folders))}: "
                    "apt-get install -y fonts-noto-core")


@contextmanager
def _font_folders(app: Flask, folders: Iterable[str | Path]) -> Iterator[None]:
    """The app looks for letter fonts in ``folders`` (the LETTER_FONT_DIRS setting) for a while."""
    saved = app.config["LETTER_FONT_DIRS"]
    app.config["LETTER_FONT_DIRS"] = tuple(folders)
    try:
        yield
    finally:
        app.config["LETTER_FONT_DIRS"] = saved


def _in_script(text: str, language: str) -> list[str]:
    """The runs of ``text`` in the script of ``language`` (words and the spaces between them)."""
    chars = SYSTEM_FONTS[language][1]
    return re.findall(f"[{chars}]+(?: +[{chars}]+)*", text)


def _assembly() -> Assembly:
    assembly = Assembly(id=1, slug="health-2030", title="Coventry Health Assembly",
                        question="What should change in local health care?", honorarium="£100 a day",
                        expenses="Travel paid", registration_closes=date(2030, 6, 30))
    assembly.sessions = [AssemblySession(held_on=date(2030, 7, 12)),
                         AssemblySession(held_on=date(2030, 7, 19))]
    return assembly


def _member(locale: str, name: str = "Zofia Wiśniewska") -> Member:
    registrant = Registrant(ref="r1", locale=locale)
    registrant.contact = RegistrantContact(name=name, address="4 Park Road", postcode="CV1 2AB")
    return Member(registrant=registrant)


def _invitation_letter(app: Flask, language: str) -> bytes:
    invitation = Invitation(code="ABCD2345", address="12 High Street", postcode="CV5 6FG")
    with app.test_request_context():
        return letters_pdf(_assembly(), [invitation], REGISTER_URL, language)


def _selection_letter(app: Flask, registered_in: str, name: str = "Zofia Wiśniewska") -> bytes:
    with app.test_request_context():
        return selection_letters_pdf(_assembly(), [(_member(registered_in, name), REPLY_URL)])


def _letter_fonts(language: str) -> set[str]:
    """The fonts a letter's pages use: Bengali letters have a real Bold face for headings. The
    server's Gurmukhi, Gujarati and Ethiopic fonts have one too, but no Latin letters: web
    addresses, codes and dates come from Noto Sans, and the English title and code in a heading
    from Hind Siliguri's Bold."""
    if language in RTL_LANGUAGES:
        return {"NotoSansArabic"}
    if language in BENGALI_LANGUAGES:
        return {"HindSiliguri", "HindSiliguriBold"}
    if language in SYSTEM_FONTS:
        font = SYSTEM_FONTS[language][0]
        return {font, font + "Bold", "NotoSans", "HindSiliguriBold"}
    return {"NotoSans"}


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


def _drawn(pdf: bytes, font: str) -> list[tuple[int, float, str]]:
    """Each text line drawn in ``font`` with the text rendering mode in force for it (0 fill,
    2 fill and stroke) and the stroke width, following the page's q/Q graphics-state stack."""
    mapping = _to_unicode(pdf, font)
    drawn = []
    for stream in _streams(pdf):
        mode, width, saved = 0, 0.0, []
        for op in re.finditer(rb"BT (.*?) ET|(?:(?<=\n)|^)(q|Q)(?=\n|$)", stream, re.S):
            if op.group(1) is None and op.group(2) == b"q":
                saved.append((mode, width))
            elif op.group(1) is None:
                mode, width = saved.pop()
            else:
                block = op.group(1)
                for tr, w in re.findall(rb"(\d) Tr ([\d.]+) w", block):
                    mode, width = int(tr), float(w)
                text = ""
                for string in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", block, re.S):
                    raw = _pdf_string(string)
                    text += "".join(mapping.get(int.from_bytes(raw[k:k + 2], "big"), "")
                                    for k in range(0, len(raw) - 1, 2))
                if text:
                    drawn.append((mode, width, text))
    return drawn


def _text(pdf: bytes, fonts: set[str]) -> str:
    """All the lines drawn in ``fonts``, one a line."""
    return "\n".join(line for font in sorted(fonts) for _x, line in _lines(pdf, font))


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


@pytest.mark.parametrize("language", [*LETTER_LANGUAGES, *SYSTEM_FONT_LETTERS])
def test_invitation_letter_in_every_letter_language(app: Flask, language: str) -> None:
    pdf = _invitation_letter(app, language)
    assert pdf.startswith(b"%PDF") and _page_count(pdf) == 1
    expected = _letter_fonts(language)
    assert _fonts_on_pages(pdf) == expected
    text = _text(pdf, expected)
    # Codes, dates and web addresses read left to right, also inside right-to-left text.
    assert "ABCD-2345" in text or "ABC-D2345" in text
    assert REGISTER_URL in text
    assert "30/06/2030" in text


@pytest.mark.parametrize("language", [*LETTER_LANGUAGES, *SYSTEM_FONT_LETTERS])
def test_selection_letter_in_the_language_the_person_registered_in(app: Flask, language: str) -> None:
    pdf = _selection_letter(app, language)
    assert pdf.startswith(b"%PDF") and _page_count(pdf) == 1
    expected = _letter_fonts(language)
    assert _fonts_on_pages(pdf) == expected
    text = _text(pdf, expected)
    assert REPLY_URL in text and "Zofia Wiśniewska" in text


@pytest.mark.parametrize("folders", ["none", "missing"])
@pytest.mark.parametrize("language", ["gu", "pa", "ti", "xx"])
def test_languages_without_pdf_letters_get_english(app: Flask, tmp_path: Path, language: str,
                                                   folders: str) -> None:
    """Without the server's fonts (LETTER_FONT_DIRS empty, or a folder without them) Punjabi,
    Gujarati and Tigrinya residents get English letters; so does a language with no letters."""
    with _font_folders(app, [] if folders == "none" else [tmp_path / "missing"]):
        with app.app_context():
            available = letter_languages(app.config["LETTER_FONT_DIRS"])
        assert available == LETTER_LANGUAGES and letter_language(language, available) == "en"
        pdf = _selection_letter(app, language)
        # An invitation asked for in the language (there is no locale "xx" to ask in).
        invitation = _invitation_letter(app, language if language != "xx" else "en")
    for letter in (pdf, invitation):
        assert _fonts_on_pages(letter) == {"NotoSans"}
    assert any("You have been chosen for" in line for _x, line in _lines(pdf, "NotoSans"))
    assert any("You are invited to join" in line for _x, line in _lines(invitation, "NotoSans"))


def test_the_font_folders_setting(tmp_path: Path) -> None:
    """LETTER_FONT_DIRS: folders separated like PATH; unset, Debian's Noto folder; empty, none."""
    instance = {"CITIZEN_INSTANCE_PATH": str(tmp_path)}
    assert load_settings(instance).flask_config()["LETTER_FONT_DIRS"] == (Path(DEBIAN_NOTO),)
    settings = load_settings({**instance, "LETTER_FONT_DIRS": f" {tmp_path / 'a'}:{tmp_path / 'b'}:"})
    assert settings.letter_font_dirs == (tmp_path / "a", tmp_path / "b")
    assert load_settings({**instance, "LETTER_FONT_DIRS": ""}).flask_config()["LETTER_FONT_DIRS"] == ()
    # A folder holding only a Regular face gives letters in its language, headings stroked.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "NotoSansEthiopic-Regular.ttf").write_bytes(b"")
    assert letter_languages(settings.letter_font_dirs) == (*LETTER_LANGUAGES, "ti")
    assert system_fonts(settings.letter_font_dirs)["ti"].bold is None


@pytest.mark.parametrize("language", SYSTEM_FONT_LETTERS)
def test_punjabi_gujarati_and_tigrinya_letters_read_whole(app: Flask, language: str) -> None:
    """The letter is set in the script's Noto font (headings in its real Bold) and every word of
    the translation comes back whole, in reading order."""
    font = SYSTEM_FONTS[language][0]
    invitation, chosen = _invitation_letter(app, language), _selection_letter(app, language)
    with app.test_request_context(), force_locale(language):
        resident = _("The resident")
        invited = _("You are invited to join %(title)s", title="Coventry Health Assembly")
        code = _("Your code: %(code)s", code="ABC-D2345")
        why = _("Your address was chosen at random. We would like people from all walks of life "
                "to help answer this question:")
        dear = _("Dear %(name)s,", name="Zofia Wiśniewska")
        phone = _("Or phone the person who sent this letter.")
    for translated in (resident, invited, code, why, dear, phone):
        assert _in_script(translated, language), translated  # really translated
    regular, bold = _text(invitation, {font}), _text(invitation, {font + "Bold"})
    assert _in_script(resident, language) == [resident]
    assert resident in regular.splitlines()
    # Headings, from the real Bold face: the script's parts of them are whole.
    assert all(part in bold for part in (*_in_script(invited, language), *_in_script(code, language)))
    # A paragraph wraps over lines, but none of its words is broken.
    assert all(word in regular.split() or word in regular
               for part in _in_script(why, language) for word in part.split())
    chosen_text = _text(chosen, {font})
    assert all(part in chosen_text for part in (*_in_script(dear, language), *_in_script(phone, language)))
    # The English parts (title, code, web address) come from Noto Sans and Hind Siliguri Bold.
    assert "Coventry Health Assembly" in _text(invitation, {"HindSiliguriBold"})
    assert "ABC-D2345" in _text(invitation, {"HindSiliguriBold"})
    assert REGISTER_URL in _text(invitation, {"NotoSans"})
    # Every line starts at the left margin, as these scripts read left to right.
    assert all(x == pytest.approx(LEFT_MARGIN_PT, abs=0.5) for x, _line in _lines(invitation, font))


@pytest.mark.system_fonts
def test_without_a_bold_face_headings_are_stroked(app: Flask, tmp_path: Path) -> None:
    """A folder with only the Regular face still gives Tigrinya letters: headings are emboldened
    by stroking, as in fonts without a Bold face."""
    (tmp_path / "NotoSansEthiopic-Regular.ttf").write_bytes(
        (Path(DEBIAN_NOTO) / "NotoSansEthiopic-Regular.ttf").read_bytes())
    with _font_folders(app, [tmp_path]):
        pdf = _selection_letter(app, "ti")
    assert _fonts_on_pages(pdf) == {"NotoSansEthiopic", "NotoSans"}
    with app.test_request_context(), force_locale("ti"):
        heading = _("You have been chosen for %(title)s", title="Coventry Health Assembly")
    stroked = [text for mode, _width, text in _drawn(pdf, "NotoSansEthiopic") if mode == 2]
    assert stroked and all(part in stroked[0] for part in _in_script(heading, "ti"))


@pytest.mark.system_fonts
def test_punjabi_letters_are_shaped(app: Flask) -> None:
    """Gurmukhi's sihari (the vowel sign ਿ, U+0A3F) is written after its consonant but drawn
    before it: shaped, one glyph stands for both, in reading order. Unshaped, each character
    would have its own glyph, the sign drawn after the consonant."""
    pdf = _invitation_letter(app, "pa")
    with app.test_request_context(), force_locale("pa"):
        why = _("Your address was chosen at random. We would like people from all walks of life "
                "to help answer this question:")
    words = [word for part in _in_script(why, "pa") for word in part.split() if "\u0a3f" in word]
    assert words  # e.g. ਗਿਆ, "was chosen"
    assert all(word in _text(pdf, {"NotoSansGurmukhi"}) for word in words)
    mapping = _to_unicode(pdf, "NotoSansGurmukhi")
    reordered = [text for text in mapping.values() if len(text) == 2 and text[1] == "\u0a3f"]
    assert {word[word.index("\u0a3f") - 1] + "\u0a3f" for word in words} <= set(reordered)


@pytest.mark.system_fonts
def test_gujarati_letters_are_shaped(app: Flask) -> None:
    """Gujarati conjuncts (consonant + virama U+0ACD + consonant, as in પ્ર) are one glyph."""
    pdf = _invitation_letter(app, "gu")
    with app.test_request_context(), force_locale("gu"):
        why = _("Your address was chosen at random. We would like people from all walks of life "
                "to help answer this question:")
    words = [word for part in _in_script(why, "gu") for word in part.split() if "\u0acd" in word]
    assert words  # e.g. પ્રકારના, "kinds of"
    assert all(word in _text(pdf, {"NotoSansGujarati"}) for word in words)
    conjuncts = [text for text in _to_unicode(pdf, "NotoSansGujarati").values()
                 if "\u0acd" in text and len(text) > 2]
    assert conjuncts


@pytest.mark.system_fonts
@pytest.mark.parametrize(("font", "name"), [("NotoSansGurmukhi", "ਗੁਰਪ੍ਰੀਤ ਕੌਰ"),
                                            ("NotoSansGujarati", "ભાવના પટેલ"),
                                            ("NotoSansEthiopic", "ኣማኑኤል ተስፋይ")], ids=["pa", "gu", "ti"])
def test_a_punjabi_gujarati_or_tigrinya_name_prints_in_an_english_letter(
        app: Flask, font: str, name: str) -> None:
    pdf = _selection_letter(app, "en", name=name)
    assert _fonts_on_pages(pdf) == {"NotoSans", font}
    assert name in _text(pdf, {font})
    assert "You have been chosen for" in _text(pdf, {"NotoSans"})


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


def test_bengali_letters_are_shaped_in_a_bengali_font(app: Flask) -> None:
    pdf = _invitation_letter(app, "bn")
    assert _fonts_on_pages(pdf) == {"HindSiliguri", "HindSiliguriBold"}
    with app.test_request_context(), force_locale("bn"):
        resident, heading = _("The resident"), _("Your code: %(code)s", code="ABC-D2345")
    assert any("\u0980" <= c <= "\u09ff" for c in resident + heading)  # really Bengali
    # The words come back whole, in reading order (vowel signs drawn before their consonant
    # still read after it), the heading from the real Bold face.
    assert resident in _text(pdf, {"HindSiliguri"})
    assert heading in _text(pdf, {"HindSiliguriBold"})
    # Shaped text joins conjuncts (consonant + hasanta U+09CD + consonant) into one glyph, so
    # some glyphs stand for several characters. Unshaped, each character has its own glyph.
    conjuncts = [text for font in ("HindSiliguri", "HindSiliguriBold")
                 for text in _to_unicode(pdf, font).values() if "\u09cd" in text and len(text) > 2]
    assert conjuncts
    # Every letter is drawn from the top left, as Bengali reads.
    assert all(x == pytest.approx(LEFT_MARGIN_PT, abs=0.5)
               for x, _text_line in _lines(pdf, "HindSiliguri"))


def test_a_bengali_name_prints_in_an_english_letter(app: Flask) -> None:
    name = "রহিম উদ্দিন"
    pdf = _selection_letter(app, "en", name=name)
    assert _fonts_on_pages(pdf) == {"NotoSans", "HindSiliguri"}
    assert name in _text(pdf, {"HindSiliguri"})
    assert "You have been chosen for" in _text(pdf, {"NotoSans"})


def test_latin_letters_are_left_aligned(app: Flask) -> None:
    lines = _lines(_invitation_letter(app, "pl"), "NotoSans")
    code_line = next(x for x, text in lines if "2345" in text)
    assert code_line == pytest.approx(LEFT_MARGIN_PT, abs=0.5)
    assert all(x == pytest.approx(LEFT_MARGIN_PT, abs=0.5) for x, _text in lines)
    assert any("ż" in text or "ą" in text or "ę" in text for _x, text in lines)  # Polish diacritics


@dataclass
class _Pages:
    with_letters: str  # the invitations page's list of languages with PDF letters
    mail_merge: str  # ...and its list of languages that need the mail-merge CSV
    links: str  # its links to a draw's letters in each language
    member_letters: str  # the members page's list of languages with PDF letters
    english_letter: str  # ...and its list of languages whose people get an English letter
    invitations: bytes  # a draw's letters, asked for in Punjabi
    chosen: bytes  # 'you have been chosen' letters for a panel member who registered in Punjabi


def _pages(organiser: FlaskClient, app: Flask, db_session: Session) -> _Pages:
    """What the organisers' pages and letters say about Punjabi, for an assembly with a draw of
    invitations and a panel member who registered in Punjabi."""
    assembly = make_assembly(db_session, title="Letters languages")
    with app.test_request_context():
        record = invitation_rules.draw(db_session, assembly, FILE, 2, 0, 7, None)
    registrant = Registrant(assembly_id=assembly.id, ref=f"pa-{assembly.id}", locale="pa")
    registrant.contact = RegistrantContact(name="ਗੁਰਪ੍ਰੀਤ ਕੌਰ", address="4 Park Road",
                                           postcode="CV1 2AB")
    run = SelectionRun(assembly_id=assembly.id, method="leximin", seed="1", status="done")
    db_session.add_all([registrant, run])
    db_session.flush()
    db_session.add(Member(assembly_id=assembly.id, registrant_id=registrant.id, run_id=run.id,
                          role="panel"))
    db_session.flush()
    base = f"/assembly/manage/{assembly.id}"
    page = organiser.get(f"{base}/invitations").get_data(as_text=True)
    lists = page.split("PDF letters can be printed in these languages:")[1].split("</p>")[0]
    with_letters, _sep, mail_merge = lists.partition(
        "For other languages, use the mail-merge CSV with a translated letter:")
    members = organiser.get(f"{base}/members").get_data(as_text=True)
    hint = members.split("PDF letters can be printed in these languages:")[1].split("</div>")[0]
    member_letters, _sep, english_letter = hint.partition(
        "People who registered in another language get an English letter:")
    invitations = organiser.get(f"{base}/invitations/{record.id}/letters.pdf?lang=pa")
    chosen = organiser.get(f"{base}/members/letters.pdf")
    assert invitations.status_code == 200 and chosen.status_code == 200
    return _Pages(with_letters, mail_merge, page.split("Draws so far")[1], member_letters,
                  english_letter, invitations.get_data(), chosen.get_data())


def test_pages_say_which_languages_have_pdf_letters(organiser: FlaskClient, app: Flask,
                                                    db_session: Session) -> None:
    """Without the server's fonts, Punjabi, Gujarati and Tigrinya are mail-merge languages, and
    their letters come in English."""
    with _font_folders(app, []):
        pages = _pages(organiser, app, db_session)
    assert 'lang="ar" dir="rtl"' in pages.with_letters
    for listed in (pages.with_letters, pages.member_letters):
        assert 'lang="bn"' in listed and 'lang="pl"' in listed
    assert "lang=bn" in pages.links and 'lang="bn"' not in pages.mail_merge
    for code in ("pa", "gu", "ti"):
        assert f'lang="{code}"' in pages.mail_merge and f'lang="{code}"' in pages.english_letter
        assert f'lang="{code}"' not in pages.with_letters + pages.member_letters
        assert f"lang={code}" not in pages.links
    # Asked for in Punjabi, printed in English; the Punjabi panel member's letter is English too.
    assert _fonts_on_pages(pages.invitations) == {"NotoSans"}
    assert any("You are invited to join" in line for _x, line in _lines(pages.invitations, "NotoSans"))
    assert "You have been chosen for" in _text(pages.chosen, {"NotoSans"})


@pytest.mark.system_fonts
def test_pages_list_punjabi_letters_when_the_server_has_the_fonts(
        organiser: FlaskClient, app: Flask, db_session: Session) -> None:
    pages = _pages(organiser, app, db_session)
    for code in ("pa", "gu", "ti"):
        assert f'lang="{code}"' in pages.with_letters and f'lang="{code}"' in pages.member_letters
        assert f"lang={code}" in pages.links
    # Every language has PDF letters now: no mail-merge or English-letter list.
    assert not pages.mail_merge.strip() and not pages.english_letter.strip()
    with app.test_request_context(), force_locale("pa"):
        invited = _("You are invited to join %(title)s", title="Letters languages")
        chosen = _("You have been chosen for %(title)s", title="Letters languages")
    assert _fonts_on_pages(pages.invitations) == _letter_fonts("pa")
    assert _in_script(invited, "pa")[0] in _text(pages.invitations, {"NotoSansGurmukhiBold"})
    assert _fonts_on_pages(pages.chosen) == _letter_fonts("pa")
    assert _in_script(chosen, "pa")[0] in _text(pages.chosen, {"NotoSansGurmukhiBold"})
    assert "ਗੁਰਪ੍ਰੀਤ ਕੌਰ" in _text(pages.chosen, {"NotoSansGurmukhi"})


@pytest.mark.parametrize("language", ["en", "ar"])
def test_only_headings_are_emboldened(app: Flask, language: str) -> None:
    """Fonts without a Bold face have their headings stroked as well as filled, and the
    stroking ends with the heading: the rest of the letter is plain."""
    font = "NotoSansArabic" if language in RTL_LANGUAGES else "NotoSans"
    with app.test_request_context(), force_locale(language):
        heading = _("You have been chosen for %(title)s", title="Coventry Health Assembly")
    drawn = _drawn(_selection_letter(app, language), font)
    stroked = [(width, text) for mode, width, text in drawn if mode == 2]
    # The heading is one line: 16 pt text with a stroke 4.5% of the size (about 0.7 pt).
    assert [text for _width, text in stroked] == [heading] or language in RTL_LANGUAGES
    assert stroked and all(width == pytest.approx(0.72, abs=0.01) for width, _text in stroked)
    plain = [text for mode, _width, text in drawn if mode == 0]
    assert any("Zofia Wiśniewska" in text for text in plain)
    assert any(REPLY_URL in text for text in plain)
    assert len(plain) >= 6
