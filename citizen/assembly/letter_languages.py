"""Which languages the printed (PDF) letters come in: light, so pages can ask without loading
the PDF library (``letters.py`` loads it, with its fonts, only when letters are printed)."""

from __future__ import annotations

# Noto Sans covers Latin (Polish and Romanian diacritics too); Noto Sans Arabic covers Arabic,
# Urdu, Persian and Sorani Kurdish. Bengali, Gujarati, Gurmukhi (Punjabi) and Ethiopic
# (Tigrinya) have no Noto font on PyPI, so there are no PDF letters in bn, gu, pa or ti:
# for those languages organisers use the mail-merge CSV with a translated letter.
LATIN_LANGUAGES: tuple[str, ...] = ("en", "pl", "ro")
RTL_LANGUAGES: tuple[str, ...] = ("ar", "ur", "fa", "ckb")
LETTER_LANGUAGES: tuple[str, ...] = LATIN_LANGUAGES + RTL_LANGUAGES


def letter_language(code: str | None) -> str:
    """The language a letter is printed in: ``code`` when there are PDF letters in it, else English."""
    return code if code in LETTER_LANGUAGES else "en"
