"""Bodies are sanitised, pictures need alt text, Easy Read lines parse, reading age, feedback."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from citizen.content import easyread, readability, richtext, services
from citizen.content.services import ContentError
from citizen.moderation import services as moderation
from tests.content.conftest import World


def _save(db: Session, w: World, body: str) -> str:
    t = services.save_text(db, w.translator, w.page, "ar", "standard", title="عنوان", body=body)
    return t.body


def test_scripts_event_handlers_and_javascript_links_are_removed(
    db_session: Session, world: World
) -> None:
    body = _save(db_session, world, (
        '<h2 onclick="steal()">Heading</h2><script>alert(1)</script>'
        '<p onmouseover="x()">Text <a href="javascript:alert(1)">bad link</a></p>'
        '<img src="/static/x.png" alt="A map" onerror="boom()"><iframe src="https://e.vil"></iframe>'
        '<p style="position:fixed">styled</p><a href="JaVaScRiPt:alert(2)">also bad</a>'
    ))
    lowered = body.lower()
    for bad in ("<script", "onclick", "onmouseover", "onerror", "javascript:", "<iframe", "style="):
        assert bad not in lowered, bad
    assert "alert(1)" not in body.split("</h2>")[0]


def test_allowed_markup_survives(db_session: Session, world: World) -> None:
    html = ('<h2>Heading</h2><h3>Smaller</h3><p>Some <strong>strong</strong> and <em>em</em> '
            'text.</p><ul><li>one</li></ul><ol><li>two</li></ol>'
            '<p><a href="https://111.nhs.uk">111</a> <span lang="en" dir="ltr">NHS</span></p>'
            '<img src="/static/img/map.png" alt="Map of Rugby">')
    body = _save(db_session, world, html)
    for kept in ("<h2>Heading</h2>", "<h3>Smaller</h3>", "<strong>strong</strong>", "<em>em</em>",
                 "<ul><li>one</li></ul>", "<ol><li>two</li></ol>", 'href="https://111.nhs.uk"',
                 'rel="noopener noreferrer"', 'alt="Map of Rugby"'):
        assert kept in body, kept


def test_passages_in_another_language_keep_lang_and_dir(db_session: Session, world: World) -> None:
    body = _save(db_session, world, '<p>اتصل بـ <span lang="en" dir="ltr" onclick="x()" '
                 'style="color:red">NHS 111</span></p>')
    assert body == '<p>اتصل بـ <span lang="en" dir="ltr">NHS 111</span></p>'


@pytest.mark.parametrize("img", [
    '<img src="/a.png">', '<img src="/a.png" alt="">', '<img src="/a.png" alt="   ">',
    '<IMG SRC="/a.png" />',
])
def test_pictures_need_alt_text(db_session: Session, world: World, img: str) -> None:
    with pytest.raises(ContentError) as caught:
        _save(db_session, world, f"<p>Text</p>{img}")
    assert caught.value.code == "alt_missing" and caught.value.field == "body"
    assert richtext.images_without_alt(img)


def test_a_body_that_sanitises_to_nothing_is_refused(db_session: Session, world: World) -> None:
    with pytest.raises(ContentError) as caught:
        _save(db_session, world, "<script>alert(1)</script>")
    assert caught.value.code == "body_missing"


def test_easy_read_lines_and_picture_slots() -> None:
    lines, errors = easyread.parse(
        "[doctor: A doctor smiling] Your doctor can help.\n\n  It is free.  \n"
        "[phone: ] Call 111.\n[unicorn: A unicorn] Magic.\n[talk: Two people]"
    )
    assert lines[0] == {"text": "Your doctor can help.", "picture": "doctor", "alt": "A doctor smiling"}
    assert lines[1] == {"text": "It is free.", "picture": None, "alt": ""}
    assert [(e.code, e.line) for e in errors] == [
        ("missing_alt", 3), ("unknown_picture", 4), ("missing_text", 5)]
    text = easyread.format_lines(lines[:2])
    assert easyread.parse(text) == (lines[:2], [])
    assert easyread.long_lines([{"text": " ".join(["word"] * 16)}, {"text": "short"}]) == [1]


def test_easy_read_errors_reach_the_field(db_session: Session, world: World) -> None:
    with pytest.raises(ContentError) as caught:
        services.save_text(db_session, world.translator, world.page, "ar", "easy_read",
                           title="سهل", lines_text="[doctor:] طبيب")
    assert caught.value.code == "easy_read_missing_alt" and caught.value.field == "lines"
    assert caught.value.params["line"] == 1


def test_reading_age_uses_flesch_kincaid_plus_five() -> None:
    easy = readability.estimate("The cat sat on the mat. It was warm. We had tea.")
    assert easy is not None and easy.reading_age <= 7 and not easy.too_hard
    hard = readability.estimate(
        "Immunisation programmes demonstrate considerable effectiveness in reducing "
        "hospitalisation amongst vulnerable populations with comorbidities.")
    assert hard is not None and hard.reading_age > readability.WARN_ABOVE and hard.too_hard
    # The formula by hand: 12 words, 1 sentence.
    sample = readability.estimate("Heat the rooms you use most. Close the curtains when it is dark.")
    assert sample is not None
    expected = 0.39 * (sample.words / sample.sentences) + 11.8 * (
        sample.syllables / sample.words) - 15.59
    assert sample.grade == round(expected, 1)
    assert sample.reading_age == max(5, round(expected + 5))
    assert readability.estimate("") is None
    html = readability.estimate_html("<h2>Heat your home</h2><ul><li>Wear layers</li></ul>")
    assert html is not None and html.sentences == 2
    assert [readability.count_syllables(w) for w in ("cat", "water", "make", "vaccination")] == [
        1, 2, 1, 4]


def test_feedback_with_a_comment_goes_to_moderation(db_session: Session, world: World) -> None:
    quiet = services.give_feedback(db_session, world.page, locale="ar", variant="standard",
                                   useful=True)
    assert quiet.has_comment is False
    assert moderation.state_of(db_session, "page_feedback", quiet.id) is None
    loud = services.give_feedback(db_session, world.page, locale="ar", variant="standard",
                                  useful=False, comment="Please add the phone number for 111.")
    assert loud.has_comment
    assert moderation.state_of(db_session, "page_feedback", loud.id) == "pending"
    assert not moderation.is_public(db_session, "page_feedback", loud.id)
    assert services.feedback_counts(db_session)[world.page.id] == (1, 1)
    with pytest.raises(ContentError) as caught:
        services.give_feedback(db_session, world.page, locale="en", variant="standard",
                               useful=True, comment="x" * 1001)
    assert caught.value.field == "comment"


def test_old_feedback_comments_leave_the_queue(db_session: Session, world: World) -> None:
    """Comments are deleted a while after they were given (they may hold personal data); the
    yes/no counts stay, and a comment under an open safeguarding concern stays for the lead."""
    from datetime import timedelta

    from citizen.db import utcnow

    old = services.give_feedback(db_session, world.page, locale="en", variant="standard",
                                 useful=False, comment="My name is Sam Jones, call me.")
    worrying = services.give_feedback(db_session, world.page, locale="en", variant="standard",
                                      useful=False, comment="Worrying words.")
    concern = moderation.find_item(db_session, "page_feedback", worrying.id)
    assert concern is not None
    moderation.escalate(db_session, concern, None)
    old.created_at = worrying.created_at = utcnow() - timedelta(days=400)
    recent = services.give_feedback(db_session, world.page, locale="en", variant="standard",
                                    useful=True, comment="Thank you.")
    db_session.flush()
    before = utcnow() - timedelta(days=365)
    assert services.forget_feedback_comments(db_session, before) == 1
    assert moderation.state_of(db_session, "page_feedback", old.id) is None
    assert moderation.state_of(db_session, "page_feedback", recent.id) == "pending"
    db_session.expire_all()
    assert concern.original_text == "Worrying words." and concern.target_id < 0
    assert services.feedback_counts(db_session)[world.page.id] == (1, 2)
    assert services.forget_feedback_comments(db_session, before) == 0
