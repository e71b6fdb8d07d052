"""The detector's fast path (cheap gates before each family of patterns) finds exactly what
running every pattern finds: on the labelled corpus, on the export benchmark's answers, and on
many random texts made of pieces that tempt each gate."""

from __future__ import annotations

import random

import pytest

from bench.pii_detection import DEFAULT_CORPUS, load
from citizen.moderation import pii

PIECES = (
    "07700 900123", "+44 (0)24 7696 0123", "0044 7700 900 123", "(024) 7696 0123", "943 476 5919",
    "9434765919", "4010232137", "943-476-5919", "0800 123456", "+447700900123", "1,500,000",
    "CV21 3XY", "cv1 2ab", "CV12AB", "GIR 0AA", "B12", "M6 2nd", "SW1A 1AA", "cv21 3xy",
    "jo@example.org", "jo.bloggs+x@mail.co.uk", "jo [at] example [dot] com", "jo (at) mail.com",
    "www.example.org", "https://x.example/path?q=1", "example.co.uk", "waited.Me", "site.page/x",
    "born 3 March 1950", "DOB 12/03/1980", "d.o.b. 1.2.80", "12/03/1980 (my date of birth)",
    "March 1950 is my birthday", "B.D. 3rd of May, 1961", "Born in 1950", "birth date 1 May 2001",
    "Dr Smith", "Mr O'Neill", "Mrs McDonald-Jones", "Ms A. B. Khan", "Nurse Jo van der Berg",
    "dr patel", "DR Who", "Sister Mary's", "my name is Anna Bell", "I'm called Tom",
    "My son is called Ali", "the Doctor", "Councillor Evans said", "Dr. J. Smith",
    "\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663", "B\u0130RTH 1.2.1980",
    "\u212a", "\u017f", "\u00a0", "\u2019", "(", ")", "[", "]", "@", ".", "-", "+", "/", ":",
    "\n", "  ", "0", "07", "12", "2024", "3rd", "the", "and", "ward", "Please", "I", "We",
)


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        if rng.random() < 0.6:
            parts.append(rng.choice(PIECES))
        else:
            parts.append("".join(rng.choice("aB3 .-(@+0\u00a09Dr") for _ in range(rng.randint(1, 6))))
    joiners = (" ", "", ", ", ". ", "\n", "\u00a0")
    return "".join(p + rng.choice(joiners) for p in parts)


def _same(text: str) -> None:
    assert pii.detect(text) == pii.detect_unfiltered(text), text


def test_fast_path_matches_every_pattern_on_the_corpus() -> None:
    for row in load(DEFAULT_CORPUS):
        text = str(row["text"])
        _same(text)
        _same(text.upper())
        _same(text.lower())


def test_fast_path_matches_every_pattern_on_benchmark_answers() -> None:
    from bench.export import PHRASES

    rng = random.Random(3)
    for _ in range(500):
        _same(" ".join(rng.choice(PHRASES).format(n=rng.randint(0, 999))
                       for _ in range(rng.randint(1, 3))))


@pytest.mark.parametrize("seed", range(4))
def test_fast_path_matches_every_pattern_on_random_texts(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(1500):
        _same(_random_text(rng))


def test_empty_and_plain_text() -> None:
    assert pii.detect("") == []
    assert pii.detect("Nothing to add") == []
    assert pii.detect("Ring 07700 900123") == [pii.Finding(5, 17, "phone", "07700 900123")]
