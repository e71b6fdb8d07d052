"""Reading age of English text.

Formula: the Flesch-Kincaid grade level (Kincaid et al., 1975)

    grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59

and, as is usual in the UK, reading age = grade + 5 (a US grade 4 is read at about age 9).
Syllables are counted with a vowel-group rule (silent final "e", "-le" endings), which is what
most readability tools do; it is an estimate, good to a year or so, not a measurement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citizen.shared.sanitize import plain_text

WARN_ABOVE = 11  # reading age above which organisers are warned

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """Syllables in one English word (at least one)."""
    w = word.lower().replace("’", "'").split("'")[0]
    if not w:
        return 1
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "make", "home"
    elif w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "xes")) and count > 1:
        count -= 1  # "homes", "times"
    elif w.endswith("ed") and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "asked", "stayed"
    return max(1, count)


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    grade: float
    reading_age: int

    @property
    def too_hard(self) -> bool:
        return self.reading_age > WARN_ABOVE


def estimate(text: str) -> Readability | None:
    """Flesch-Kincaid estimate for plain text; ``None`` when there are no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    pieces = [p for p in _SENTENCE_END.split(text) if _WORD.search(p)]
    sentences = max(1, len(pieces))
    syllables = sum(count_syllables(w) for w in words)
    grade = 0.39 * (len(words) / sentences) + 11.8 * (syllables / len(words)) - 15.59
    reading_age = max(5, round(grade + 5))
    return Readability(len(words), sentences, syllables, round(grade, 1), reading_age)


def estimate_html(html: str) -> Readability | None:
    """The same for sanitised rich text: block elements end sentences."""
    spaced = re.sub(r"</(p|li|h2|h3|h4|blockquote)>|<br\s*/?>", "\n", html, flags=re.I)
    return estimate(plain_text(spaced))
