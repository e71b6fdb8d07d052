"""Coding free text: codebook, tagging, progress, filters, counts per theme x sentiment."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.moderation import coding
from citizen.moderation import services as moderation
from citizen.shared.audit import AuditEvent
from tests.moderation.conftest import make_consultation, signed_in

TEXTS = [
    "The parking is too expensive and Dr Patel was rude.",
    "Reception staff were lovely, parking was fine.",
    "Call me on 07700 900123 about the long waits.",
    "Waiting times are far too long.",
]


def test_codebook_rules(app_ctx: Flask, db_session: Session) -> None:
    cid, _ids = make_consultation(db_session, "coding-rules", TEXTS)
    other, _ = make_consultation(db_session, "coding-rules-other", [])
    access = coding.add_theme(db_session, cid, "  Access  ")
    assert access.name == "Access"
    with pytest.raises(coding.CodingError) as taken:
        coding.add_theme(db_session, cid, "access")
    assert taken.value.code == "name_taken"
    parking = coding.add_theme(db_session, cid, "Parking", parent_id=access.id)
    with pytest.raises(coding.CodingError):
        coding.add_theme(db_session, cid, "Too deep", parent_id=parking.id)
    with pytest.raises(coding.CodingError):
        coding.add_theme(db_session, other, "Wrong book", parent_id=access.id)
    with pytest.raises(coding.CodingError):
        coding.add_theme(db_session, cid, "   ")
    coding.add_theme(db_session, other, "Access")  # the same name in another codebook is fine
    assert [t.name for t in coding.all_themes(db_session, cid)] == ["Access", "Parking"]
    coding.rename_theme(db_session, parking, "Car parking", actor_id=None)
    assert parking.name == "Car parking"


def test_tagging_progress_and_counts(app_ctx: Flask, db_session: Session) -> None:
    cid, ids = make_consultation(db_session, "coding-counts", TEXTS)
    make_consultation(db_session, "coding-drafts", ["draft text"], status="draft")
    access = coding.add_theme(db_session, cid, "Access")
    parking = coding.add_theme(db_session, cid, "Parking", parent_id=access.id)
    staff = coding.add_theme(db_session, cid, "Staff")
    assert coding.progress(db_session, cid) == coding.Progress(0, 4)
    coding.code_answer(db_session, cid, ids[0], theme_ids=[parking.id, staff.id],
                       sentiment="negative", actor_id=None)
    coding.code_answer(db_session, cid, ids[1], theme_ids=[staff.id, parking.id],
                       sentiment="positive", actor_id=None)
    coding.code_answer(db_session, cid, ids[2], theme_ids=[access.id], sentiment=None,
                       actor_id=None)
    assert coding.progress(db_session, cid).percent == 75
    counts = {c.name: c for c in coding.theme_sentiment_counts(db_session, cid)}
    assert counts["Parking"].by_sentiment["negative"] == 1
    assert counts["Parking"].by_sentiment["positive"] == 1
    assert counts["Parking"].parent_name == "Access"
    assert counts["Access"].total == 3, "a main theme counts its sub-themes' answers once"
    assert counts["Access"].by_sentiment["none"] == 1
    assert counts["Staff"].total == 2
    # re-coding replaces; nothing chosen un-codes
    coding.code_answer(db_session, cid, ids[0], theme_ids=[staff.id], sentiment="mixed",
                       actor_id=None)
    counts = {c.name: c for c in coding.theme_sentiment_counts(db_session, cid)}
    assert counts["Parking"].total == 1 and counts["Staff"].by_sentiment["mixed"] == 1
    coding.code_answer(db_session, cid, ids[2], theme_ids=[], sentiment=None, actor_id=None)
    assert coding.progress(db_session, cid) == coding.Progress(2, 4)
    chart = coding.theme_chart(db_session, cid, "Answers")
    assert chart is not None and [r.label for r in chart.rows] == ["Access", "Staff"]


def test_tagging_refuses_foreign_themes_answers_and_bad_sentiment(app_ctx: Flask,
                                                                  db_session: Session) -> None:
    cid, ids = make_consultation(db_session, "coding-refuse", TEXTS)
    other, other_ids = make_consultation(db_session, "coding-refuse-2", ["Elsewhere"])
    foreign = coding.add_theme(db_session, other, "Foreign")
    with pytest.raises(coding.CodingError) as theme:
        coding.code_answer(db_session, cid, ids[0], theme_ids=[foreign.id], sentiment=None,
                           actor_id=None)
    assert theme.value.code == "theme"
    with pytest.raises(coding.CodingError) as answer:
        coding.code_answer(db_session, cid, other_ids[0], theme_ids=[], sentiment="positive",
                           actor_id=None)
    assert answer.value.code == "answer"
    with pytest.raises(coding.CodingError):
        coding.code_answer(db_session, cid, ids[0], theme_ids=[], sentiment="angry",
                           actor_id=None)


def test_answers_filter_and_hide_personal_data(app_ctx: Flask, db_session: Session) -> None:
    cid, ids = make_consultation(db_session, "coding-filter", TEXTS)
    moderation.submit(db_session, kind="answer", target_id=ids[1], text=TEXTS[1])
    item = moderation.find_item(db_session, "answer", ids[1])
    assert item is not None
    moderation.redact_phrase(db_session, item, "Reception staff", actor_id=None)
    parking = coding.add_theme(db_session, cid, "Parking")
    coding.code_answer(db_session, cid, ids[0], theme_ids=[parking.id], sentiment="negative",
                       actor_id=None)
    everything = coding.answers(db_session, cid, coding.AnswerFilter(), 1)
    texts = {a.answer_id: a.text for a in everything.items}  # type: ignore[attr-defined]
    assert everything.total == 4
    assert texts[ids[0]] == "The parking is too expensive and Dr [name removed] was rude."
    assert texts[ids[1]].startswith("[personal details removed] were lovely")
    assert "07700" not in texts[ids[2]]
    by_theme = coding.answers(db_session, cid, coding.AnswerFilter(theme_id=parking.id), 1)
    assert [a.answer_id for a in by_theme.items] == [ids[0]]  # type: ignore[attr-defined]
    uncoded = coding.answers(db_session, cid, coding.AnswerFilter(uncoded=True), 1)
    assert ids[0] not in [a.answer_id for a in uncoded.items]  # type: ignore[attr-defined]
    assert uncoded.total == 3
    found = coding.answers(db_session, cid, coding.AnswerFilter(search="waiting"), 1)
    assert [a.answer_id for a in found.items] == [ids[3]]  # type: ignore[attr-defined]
    negative = coding.answers(db_session, cid, coding.AnswerFilter(sentiment="negative"), 1)
    assert negative.total == 1


def test_coding_pages(app: Flask, db_session: Session) -> None:
    cid, ids = make_consultation(db_session, "coding-pages", TEXTS)
    client, user = signed_in(app, db_session, "organiser.coding@example.org", "organiser")
    assert client.get("/moderation/coding").status_code == 200
    page = client.get(f"/moderation/coding/{cid}")
    assert page.status_code == 200 and "0 of 4 written answers coded (0%)" in page.get_data(
        as_text=True)
    empty = client.post(f"/moderation/coding/{cid}", data={"name": ""})
    assert empty.status_code == 400 and "Enter a name for the theme" in empty.get_data(as_text=True)
    client.post(f"/moderation/coding/{cid}", data={"name": "Parking", "description": "Costs"})
    duplicate = client.post(f"/moderation/coding/{cid}", data={"name": "parking"})
    assert duplicate.status_code == 400
    assert "There is already a theme with that name here" in duplicate.get_data(as_text=True)
    theme = coding.all_themes(db_session, cid)[0]
    listing = client.get(f"/moderation/coding/{cid}/answers").get_data(as_text=True)
    assert "Dr [name removed]" in listing and "Dr Patel" not in listing
    saved = client.post(f"/moderation/coding/{cid}/answers/{ids[0]}",
                        data={"themes": [str(theme.id)], "sentiment": "negative",
                              "back": f"/moderation/coding/{cid}/answers?coded=no"})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/moderation/coding/{cid}/answers?coded=no#answer-{ids[0]}")
    assert coding.progress(db_session, cid).coded == 1
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "coding.code",
                                                      AuditEvent.target_id == str(ids[0])))
    assert event is not None and event.actor_id == user.id
    filtered = client.get(f"/moderation/coding/{cid}/answers?theme={theme.id}").get_data(as_text=True)
    assert "1 answer" in filtered
    assert client.post(f"/moderation/coding/{cid}/answers/999999", data={}).status_code == 404
    assert client.get("/moderation/coding/999999").status_code == 404
    assert client.get(f"/moderation/coding/{cid}/answers?theme=abc&page=x").status_code == 200
    deleted = client.post(f"/moderation/coding/{cid}/themes/{theme.id}/delete")
    assert deleted.status_code == 302
    db_session.expire_all()
    assert coding.all_themes(db_session, cid) == []
    # an organiser codes but does not moderate
    assert client.get("/moderation/").status_code == 403


@pytest.mark.parametrize("roles", [("resident",), ("resident", "organisation_member")])
def test_coding_pages_are_staff_only(app: Flask, db_session: Session,
                                     roles: tuple[str, ...]) -> None:
    cid, _ = make_consultation(db_session, f"coding-403-{roles[-1]}", TEXTS)
    client, _user = signed_in(app, db_session, f"{roles[-1]}.coding@example.org", *roles)
    for path in ("/moderation/coding", f"/moderation/coding/{cid}",
                 f"/moderation/coding/{cid}/answers"):
        assert client.get(path).status_code == 403


def test_results_page_include(app_ctx: Flask, db_session: Session) -> None:
    from flask import render_template_string

    cid, ids = make_consultation(db_session, "coding-results-include", TEXTS)
    assert render_template_string('{% include "moderation/_theme_counts.html" %}',
                                  **coding.results_context(db_session, cid, "T")).strip() == ""
    theme = coding.add_theme(db_session, cid, "Waiting")
    coding.code_answer(db_session, cid, ids[3], theme_ids=[theme.id], sentiment="negative",
                       actor_id=None)
    html = render_template_string('{% include "moderation/_theme_counts.html" %}',
                                  **coding.results_context(db_session, cid, "Themes"))
    assert "1 of 4 written answers coded (25%)" in html
    assert '<th scope="row">Waiting</th>' in html and "<svg" in html
