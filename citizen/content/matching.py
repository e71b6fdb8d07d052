"""Text matching for searching information pages: pure functions, no database, no Flask.

A page matches when every word of the query is found somewhere in its published title, summary
or body text (the body's HTML tags and attributes are not text, so they never match). Both sides
are *folded* first, so small differences in how people type do not stop a match:

- Unicode compatibility forms are unified (NFKC) and case is ignored where the script has case
  (``casefold``, so "Flu", "FLU" and "flu" are one word);
- invisible format characters (zero-width joiners, direction marks, soft hyphens) are ignored;
- digits of any script count as the same digit ("١٨" finds "18");
- curly apostrophes count as straight ones;
- in Arabic script: short-vowel marks and the stretching character (tatweel) are ignored, and
  letters that people commonly type for one another count as one: alef with or without hamza
  (أ إ آ ٱ ا), Arabic and Persian yeh and alef maksura (ي ی ى), Arabic kaf and Persian keheh
  (ك ک), and teh marbuta and the forms of heh (ة ه ۀ ہ). Kurdish ە and ێ are letters of their
  own and are kept.

It is substring matching over a few hundred pages, not a search engine: a word matches inside
longer words ("warm" finds "warmth"), but there is no stemming ("vaccine" does not find
"vaccination"), no spelling correction and no synonyms, and results are ordered only by where
the words were found (all in the title first), then as the topics list them. Words are what is
between spaces, so in text written without spaces between words a word is found as typed.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from functools import cache, lru_cache

QUERY_MAX = 100  # characters

# Elements after which the text of the next one is a new word, not a continuation.
_BREAKS = frozenset({"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
                     "blockquote", "img", "div", "table", "tr", "td", "th"})
# A start or end tag, its attributes' quoted values included (they may hold ">").
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")

# Explicit direction embeddings, overrides and isolates: they only change how the rest of the
# line is drawn, never what a search means, so they are removed from what the reader typed.
_BIDI_CONTROLS = {code: None for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

_ARABIC_MARKS = (0x0640, *range(0x064B, 0x0660), 0x0670)
_ARABIC_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي",
    "ک": "ك",
    "ة": "ه", "ۀ": "ه", "ہ": "ه",
    "’": "'", "‘": "'", "ʼ": "'",
}


@cache
def _fold_table() -> dict[int, str | None]:
    """One ``str.translate`` table for everything ``fold`` does after NFKC and casefold (built
    once, on the first search: a pass over the assigned planes takes a few hundredths of a
    second, and a C-level ``translate`` is several times faster than a loop per character)."""
    table: dict[int, str | None] = {}
    for code in itertools.chain(range(0x30000), range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(code))
        if category == "Cf":
            table[code] = None
        elif category == "Nd" and not 0x30 <= code <= 0x39:
            table[code] = str(unicodedata.decimal(chr(code)))
    table.update(dict.fromkeys(_ARABIC_MARKS))
    table.update({ord(letter): folded for letter, folded in _ARABIC_LETTERS.items()})
    return table


def clean_query(text: str | None) -> str:
    """What the reader typed, made safe to show and search: control characters become spaces,
    direction overrides go, runs of spaces become one, and the ends are trimmed."""
    kept = []
    for char in (text or "").translate(_BIDI_CONTROLS):
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category not in ("Cs", "Cn", "Co"):
            kept.append(char)
    return " ".join("".join(kept).split())


def fold(text: str) -> str:
    """``text`` in the form both sides are compared in (see the module's description)."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_fold_table())


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end]


def query_words(query: str) -> tuple[str, ...]:
    """The folded words of a query, each once, in the order typed. Punctuation at the ends of a
    word is dropped (``"flu,`` is ``flu``) unless the word is nothing but punctuation (``%``
    is looked for as ``%``)."""
    words: list[str] = []
    for raw in clean_query(query).split():
        word = fold(_strip_punctuation(raw) or raw).strip()
        if word and word not in words:
            words.append(word)
    return tuple(words)


def _tag(match: re.Match[str]) -> str:
    return "\n" if match.group(2).lower() in _BREAKS else ""


def html_text(rich: str | None) -> str:
    """The words of sanitised rich text (as ``richtext.clean`` leaves it: no comments, ``<``
    in text escaped): tags and attributes (links, alt text) dropped, entities decoded, a line
    break between blocks so words in two paragraphs never join."""
    return html.unescape(_TAG.sub(_tag, rich or ""))


@lru_cache(maxsize=1024)
def searchable(title: str | None, summary: str | None, body_html: str | None) -> tuple[str, str]:
    """(folded title, folded title + summary + body text) of one published text. Kept for the
    most recent texts, keyed by the text itself, so a search does not fold every page again
    and a changed text can never be matched in its old form."""
    title_folded = fold(title or "")
    return title_folded, "\n".join((title_folded, fold(summary or ""), fold(html_text(body_html))))


def contains_all(haystack: str, words: tuple[str, ...]) -> bool:
    return bool(words) and all(word in haystack for word in words)
