"""The translation workflow: each step, who may take it, and the out-of-date rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.content import permissions as can
from citizen.content import services
from citizen.content.models import PageTranslation
from citizen.content.services import ContentError
from citizen.shared.audit import AuditEvent
from tests.content.conftest import World

AR_BODY = "<h2>ابقَ دافئًا</h2><p>دفّئ منزلك.</p>"


def _arabic(db: Session, w: World) -> PageTranslation:
    return services.save_text(db, w.translator, w.page, "ar", "standard", title="ابقَ دافئًا",
                              summary="", body=AR_BODY)


def _not_allowed(call, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ContentError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == "not_allowed"


def test_the_whole_workflow_with_the_right_people(db_session: Session, world: World) -> None:
    t = _arabic(db_session, world)
    assert t.status == "draft" and t.source_version_at == world.page.english_version_at
    services.submit_for_review(db_session, world.translator, t)
    assert t.status == "in_review"
    services.sign_off(db_session, world.reviewer, t, "Reads well for our community.")
    assert t.status == "community_reviewed"
    assert t.reviewed_partner_id == world.partner.id and t.reviewed_by_id == world.reviewer.id
    assert not t.is_published
    services.publish(db_session, world.organiser, t)
    assert t.status == "published" and t.is_published
    assert t.checked_partner_id == world.partner.id and t.checked_at is not None
    assert [e.action for e in t.events] == ["edited", "submitted", "signed_off", "published"]
    assert t.events[2].comment == "Reads well for our community."
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"content.translation_signed_off", "content.translation_published"} <= actions


def test_who_may_start_and_edit_a_translation(db_session: Session, world: World) -> None:
    # Not assigned to Arabic: the Polish translator, a reviewer, a resident.
    for person in (world.pl_translator, world.reviewer, world.resident):
        _not_allowed(services.save_text, db_session, person, world.page, "ar", "standard",
                     title="x", body="<p>x</p>")
    t = _arabic(db_session, world)
    for person in (world.pl_translator, world.reviewer, world.resident):
        assert not can.can_edit(db_session, person, t)
    # Organisers may; translators may not touch the English master.
    assert can.can_edit(db_session, world.organiser, t)
    master = world.page.translation("en", "standard")
    assert master is not None
    _not_allowed(services.save_text, db_session, world.translator, world.page, "en", "standard",
                 title="Hijacked", body="<p>x</p>")
    assert master.title == "Keep warm"


def test_who_may_submit_sign_off_send_back_and_publish(db_session: Session, world: World) -> None:
    t = _arabic(db_session, world)
    _not_allowed(services.submit_for_review, db_session, world.pl_translator, t)
    _not_allowed(services.submit_for_review, db_session, world.reviewer, t)
    _not_allowed(services.sign_off, db_session, world.reviewer, t)  # not in review yet
    _not_allowed(services.publish, db_session, world.organiser, t)  # not reviewed
    services.submit_for_review(db_session, world.translator, t)
    _not_allowed(services.submit_for_review, db_session, world.translator, t)  # twice
    # Sign-off is the community partner's: not the translator, not the organiser, not a
    # reviewer from a partner that does not cover Arabic.
    for person in (world.translator, world.organiser, world.pl_reviewer, world.resident):
        _not_allowed(services.sign_off, db_session, person, t)
    _not_allowed(services.send_back, db_session, world.pl_reviewer, t, "no")
    _not_allowed(services.publish, db_session, world.organiser, t)  # in review only
    services.sign_off(db_session, world.reviewer, t)
    for person in (world.translator, world.reviewer, world.pl_reviewer, world.resident):
        _not_allowed(services.publish, db_session, person, t)
    services.publish(db_session, world.organiser, t)
    assert t.is_published


def test_send_back_needs_a_comment_and_clears_the_review(db_session: Session, world: World) -> None:
    t = _arabic(db_session, world)
    services.submit_for_review(db_session, world.translator, t)
    with pytest.raises(ContentError) as caught:
        services.send_back(db_session, world.reviewer, t, "  ")
    assert caught.value.code == "comment_missing" and caught.value.field == "comment"
    services.send_back(db_session, world.reviewer, t, "The word for heating is wrong.")
    assert t.status == "draft"
    assert t.events[-1].action == "sent_back"
    assert t.events[-1].comment == "The word for heating is wrong."
    # A translator may withdraw their own text from review; an organiser may send back a
    # reviewed text; a reviewer may not undo a sign-off.
    services.submit_for_review(db_session, world.translator, t)
    services.send_back(db_session, world.translator, t, "I found a mistake.")
    services.submit_for_review(db_session, world.translator, t)
    services.sign_off(db_session, world.reviewer, t)
    _not_allowed(services.send_back, db_session, world.reviewer, t, "changed my mind")
    services.send_back(db_session, world.organiser, t, "Please add the phone number.")
    assert t.status == "draft" and t.reviewed_partner_id is None


def test_editing_after_publishing_keeps_the_published_text(db_session: Session, world: World) -> None:
    t = _arabic(db_session, world)
    services.submit_for_review(db_session, world.translator, t)
    services.sign_off(db_session, world.reviewer, t)
    services.publish(db_session, world.organiser, t)
    services.save_text(db_session, world.translator, world.page, "ar", "standard",
                       title="عنوان جديد", body=AR_BODY)
    assert t.status == "draft" and t.title == "عنوان جديد"
    assert t.published_title == "ابقَ دافئًا"  # readers still see the checked text
    assert t.checked_partner_id == world.partner.id


def test_english_changes_make_translations_out_of_date(db_session: Session, world: World) -> None:
    page = world.page
    t = _arabic(db_session, world)
    services.submit_for_review(db_session, world.translator, t)
    services.sign_off(db_session, world.reviewer, t)
    services.publish(db_session, world.organiser, t)
    first_version = page.english_version_at
    assert first_version is not None
    assert not services.is_out_of_date(page, t) and not services.published_out_of_date(page, t)

    master = page.translation("en", "standard")
    assert master is not None
    # Saving the English draft changes nothing for translations until it is published.
    services.save_text(db_session, world.organiser, page, "en", "standard", title="Keep warm",
                       summary="Stay warm.", body="<p>New advice: heat your home to 18C.</p>")
    assert page.english_version_at == first_version
    assert master.published_body != master.body  # readers still see the old text
    services.publish(db_session, world.organiser, master)
    assert page.english_version_at is not None and page.english_version_at > first_version
    assert services.is_out_of_date(page, t) and services.published_out_of_date(page, t)
    reading = services.reading(page, "ar")
    assert reading.out_of_date and reading.text is t
    assert services.cell_for(page, "ar", "standard").out_of_date

    # Saving and publishing English again without changes is not a new version.
    version = page.english_version_at
    services.save_text(db_session, world.organiser, page, "en", "standard", title=master.title,
                       summary=master.summary, body=master.body)
    services.publish(db_session, world.organiser, master)
    assert page.english_version_at == version

    # The translator updates the text and says it matches the current English: back in date
    # for the working copy, while readers still see the old (out-of-date) one until published.
    services.save_text(db_session, world.translator, page, "ar", "standard", title="ابقَ دافئًا",
                       body=AR_BODY, matches_current_english=True)
    assert not services.is_out_of_date(page, t)
    assert services.published_out_of_date(page, t)
    services.submit_for_review(db_session, world.translator, t)
    services.sign_off(db_session, world.reviewer, t)
    services.publish(db_session, world.organiser, t)
    assert not services.published_out_of_date(page, t)


def test_an_ordinary_edit_does_not_claim_to_match_new_english(db_session: Session, world: World) -> None:
    page = world.page
    t = _arabic(db_session, world)
    master = page.translation("en", "standard")
    assert master is not None
    services.save_text(db_session, world.organiser, page, "en", "standard", title="Keep warm now",
                       body="<p>Changed.</p>")
    services.publish(db_session, world.organiser, master)
    services.save_text(db_session, world.translator, page, "ar", "standard", title="تصحيح",
                       body=AR_BODY)
    assert services.is_out_of_date(page, t)


def test_english_is_published_by_organisers_without_community_review(
    db_session: Session, world: World
) -> None:
    master = world.page.translation("en", "standard")
    assert master is not None and master.is_published and master.checked_partner_id is None
    assert not can.can_submit(db_session, world.organiser, master)
    easy = services.save_text(db_session, world.organiser, world.page, "en", "easy_read",
                              title="Keep warm", lines_text="[warm: A radiator] Keep warm.")
    _not_allowed(services.publish, db_session, world.translator, easy)
    services.publish(db_session, world.organiser, easy)
    assert easy.is_published and easy.published_lines == [
        {"text": "Keep warm.", "picture": "warm", "alt": "A radiator"}]


def test_coverage_lists_every_language_and_state(db_session: Session, world: World) -> None:
    t = _arabic(db_session, world)
    services.submit_for_review(db_session, world.translator, t)
    rows = dict((page.slug, cells) for page, cells in services.coverage(db_session))
    cells = rows["test-page"]
    assert len(cells) == 11
    by_code = {standard.locale: (standard, easy) for standard, easy in cells}
    assert by_code["en"][0].state == "published" and by_code["en"][1].state == "missing"
    assert by_code["ar"][0].state == "in_review"
    assert by_code["pl"][0].state == "missing"


def test_partners_reviewers_and_translators_are_managed_by_organisers(
    db_session: Session, world: World
) -> None:
    from citizen.accounts.models import Organisation

    organisation = Organisation(name="Bengali Women's Group (test)", slug="bwg-test")
    db_session.add(organisation)
    db_session.flush()
    _not_allowed(services.designate_partner, db_session, world.translator, organisation, ["bn"])
    with pytest.raises(ContentError) as caught:
        services.designate_partner(db_session, world.organiser, organisation, [])
    assert caught.value.code == "languages_missing"
    partner = services.designate_partner(db_session, world.organiser, organisation, ["bn", "xx"])
    assert partner.languages == ["bn"]
    with pytest.raises(ContentError) as caught:
        services.add_reviewer(db_session, world.organiser, partner, "nobody@content.example.org")
    assert caught.value.code == "no_such_person"
    services.add_reviewer(db_session, world.organiser, partner, "RESIDENT@content.example.org")
    assert can.reviewer_locales(db_session, world.resident) == {"bn"}
    with pytest.raises(ContentError):
        services.add_reviewer(db_session, world.organiser, partner, "resident@content.example.org")
    services.assign_translator(db_session, world.organiser, "resident@content.example.org", "bn")
    assert can.translator_locales(db_session, world.resident) == {"bn"}
    with pytest.raises(ContentError) as caught:
        services.assign_translator(db_session, world.organiser, "resident@content.example.org", "en")
    assert caught.value.code == "language_missing"
    _not_allowed(services.assign_translator, db_session, world.reviewer, "x@y.z", "ar")
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"content.partner_designated", "content.reviewer_added",
            "content.translator_assigned"} <= actions
