"""Which languages the printed (PDF) letters come in: light, so pages can ask without loading
the PDF library (``letters.py`` loads it, with its fonts, only when letters are printed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from flask import current_app

# Each script needs a font. These come from PyPI (see ``letters.py``), so every server has them:
# Noto Sans covers Latin (Polish and Romanian diacritics too); Noto Sans Arabic covers Arabic,
# Urdu, Persian and Sorani Kurdish; Hind Siliguri covers Bengali.
LATIN_LANGUAGES: tuple[str, ...] = ("en", "pl", "ro")
RTL_LANGUAGES: tuple[str, ...] = ("ar", "ur", "fa", "ckb")
BENGALI_LANGUAGES: tuple[str, ...] = ("bn",)
LETTER_LANGUAGES: tuple[str, ...] = LATIN_LANGUAGES + RTL_LANGUAGES + BENGALI_LANGUAGES


class SystemFont(NamedTuple):
    """A letter language whose font is not on PyPI, only in the server's fonts."""

    regular: str  # file name of the Regular face: the language has letters when it is found
    bold: str | None  # file name of the Bold face, used for headings when it is next to Regular
    shaping_language: str  # the language HarfBuzz shapes the text for
    script: str  # the script's name, also the font's family name in ``letters.py``


# Gurmukhi (Punjabi), Gujarati and Ethiopic (Tigrinya) have no font on PyPI. Debian and Ubuntu's
# fonts-noto-core has them (in /usr/share/fonts/truetype/noto, the default LETTER_FONT_DIRS).
# Where they are missing there are no PDF letters in pa, gu or ti: organisers use the mail-merge
# CSV with a translated letter, and selection letters come in English.
SYSTEM_FONT_LANGUAGES: Mapping[str, SystemFont] = {
    "pa": SystemFont("NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", "pa", "Gurmukhi"),
    "gu": SystemFont("NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf", "gu", "Gujarati"),
    "ti": SystemFont("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf", "ti", "Ethiopic"),
}


class FoundFont(NamedTuple):
    """A system font found on this server: its files, and how letters in its language are set."""

    regular: Path
    bold: Path | None
    shaping_language: str
    script: str


@cache
def _found_fonts(folders: tuple[str, ...]) -> Mapping[str, FoundFont]:
    found = {}
    for code, font in SYSTEM_FONT_LANGUAGES.items():
        folder = next((Path(f) for f in folders if (Path(f) / font.regular).is_file()), None)
        if folder is None:
            continue
        bold = folder / font.bold if font.bold else None
        found[code] = FoundFont(folder / font.regular, bold if bold and bold.is_file() else None,
                                font.shaping_language, font.script)
    return found


def system_fonts(folders: Iterable[str | Path]) -> Mapping[str, FoundFont]:
    """The system fonts in ``folders`` (the first folder holding a language's Regular face wins),
    by language code. Looked up once per list of folders: a font installed later is seen after
    a restart."""
    return _found_fonts(tuple(str(f) for f in folders))


def letter_languages(folders: Iterable[str | Path]) -> tuple[str, ...]:
    """The languages letters can be printed in when extra fonts are looked for in ``folders``."""
    return LETTER_LANGUAGES + tuple(system_fonts(folders))


def font_folders() -> tuple[str | Path, ...]:
    """The folders this app looks in for extra letter fonts (the LETTER_FONT_DIRS setting)."""
    return tuple(current_app.config.get("LETTER_FONT_DIRS", ()))


def server_letter_languages() -> tuple[str, ...]:
    """The languages this app's letters can be printed in, on this server."""
    return letter_languages(font_folders())


def letter_language(code: str | None, available: Iterable[str]) -> str:
    """The language a letter is printed in: ``code`` when there are PDF letters in it (it is one
    of ``available``), else English."""
    return code if code is not None and code in tuple(available) else "en"
