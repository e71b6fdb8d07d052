"""The personal-data detector: unit cases and the goals on the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.pii_detection import DEFAULT_CORPUS, evaluate, goals_met, load
from citizen.moderation import pii


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in pii.detect(text)]


def test_corpus_is_big_and_well_formed() -> None:
    rows = load(DEFAULT_CORPUS)
    assert len(rows) >= 200
    labelled = {s["kind"] for row in rows for s in row["spans"]}  # type: ignore[attr-defined]
    assert labelled == set(pii.KINDS)
    for row in rows:
        for span in row["spans"]:  # type: ignore[attr-defined]
            assert row["text"][span["start"]:span["end"]] == span["text"]  # type: ignore[index]
    assert sum(1 for row in rows if not row["spans"]) >= 60, "enough sentences with nothing to find"


def test_detector_meets_its_goals_on_the_corpus() -> None:
    scores = evaluate(load(DEFAULT_CORPUS))
    assert goals_met(scores) == [], scores.misses
    for kind in ("email", "phone", "nhs_number", "postcode"):
        assert scores.recall(kind) >= 0.98
    assert scores.precision() >= 0.95


def test_the_bench_script_fails_when_goals_are_missed(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    text = "Call 0800 and say hi"
    corpus.write_text(json.dumps({"id": 1, "text": text, "spans": [
        {"kind": "phone", "start": 5, "end": 9, "text": "0800"}]}) + "\n")
    scores = evaluate(load(corpus))
    assert scores.recall("phone") == 0.0 and goals_met(scores)


@pytest.mark.parametrize(("number", "ok"), [
    ("9434765919", True), ("5738563913", True), ("4010232137", True),
    ("9434765918", False), ("1234567890", False), ("123456789", False), ("94347659190", False),
])
def test_nhs_modulus_11(number: str, ok: bool) -> None:
    assert pii.nhs_check_digit_ok(number) is ok


def test_a_ten_digit_number_with_a_bad_check_digit_is_not_an_nhs_number() -> None:
    assert kinds("Reference 943 476 5918 on the letter") == []
    assert kinds("NHS number 943 476 5919") == [("nhs_number", "943 476 5919")]


@pytest.mark.parametrize("text", [
    "07700 900123", "07700900123", "+44 7700 900123", "+44 (0)24 7696 0123", "(024) 7696 0123",
    "0121 496 0765", "0800 123456", "0044 7700 900 123", "01632 960 983",
])
def test_uk_phone_numbers(text: str) -> None:
    assert kinds(f"Ring {text} today") == [("phone", text)]


@pytest.mark.parametrize("text", [
    "Call 111 or 999", "It cost £1,500,000", "At 10.30 on 12.03.2024", "Version 4.3.2",
    "The 2nd floor", "The M6 2nd junction", "B12 injections", "The CV1 area", "We are 45 years old",
    "ISBN 978-3-16-148410-0", "Born in 1950", "Nurse practitioner clinic", "Dr Who",
    "They told.Me and my mum left",
])
def test_things_that_are_not_personal_data(text: str) -> None:
    assert kinds(text) == []


def test_postcodes_need_a_full_code() -> None:
    assert kinds("I live in CV21 3XY now") == [("postcode", "CV21 3XY")]
    assert kinds("postcode cv1 2ab") == [("postcode", "cv1 2ab")]
    assert kinds("I live in CV21") == []


def test_dates_only_count_as_birth_dates_near_a_cue() -> None:
    assert kinds("Seen on 12/04/1961.") == []
    assert kinds("DOB 12/04/1961.") == [("date_of_birth", "12/04/1961")]
    assert kinds("I was born on 3rd March 1950") == [("date_of_birth", "3rd March 1950")]
    assert kinds("12/04/1961 is my date of birth") == [("date_of_birth", "12/04/1961")]


def test_names_follow_titles_and_keep_the_title() -> None:
    text = "Dr Patel and Nurse Amelia Jones helped. Mr Evans's care was cut."
    assert kinds(text) == [("name", "Patel"), ("name", "Amelia Jones"), ("name", "Evans")]
    redacted = pii.redact(text)
    assert redacted == ("Dr [name removed] and Nurse [name removed] helped. "
                        "Mr [name removed]'s care was cut.")


def test_redact_replaces_every_kind_with_its_marker() -> None:
    text = ("Mail jo@example.com, ring 07700 900123, NHS 943 476 5919, CV1 2AB, "
            "born 3 March 1956, see www.example.org, ask Dr Khan.")
    assert pii.redact(text) == (
        "Mail [email address removed], ring [phone number removed], NHS [NHS number removed], "
        "[postcode removed], born [date of birth removed], see [web address removed], "
        "ask Dr [name removed].")


def test_segments_cover_the_text() -> None:
    text = "Ring 07700 900123 now"
    parts = pii.segments(text, pii.detect(text))
    assert "".join(piece for piece, _ in parts) == text
    assert [f.kind if f else None for _, f in parts] == [None, "phone", None]


def test_empty_text() -> None:
    assert pii.detect("") == [] and pii.redact("") == ""
