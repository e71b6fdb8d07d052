"""Redaction reaches the public page: the consultation page quotes the redacted text only."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from citizen.consultations.models import Consultation, Response
from citizen.moderation import services as moderation
from tests.moderation.conftest import make_consultation


def test_public_consultation_page_shows_only_the_redacted_text(app: Flask,
                                                                db_session: Session) -> None:
    text = "Nurse Amelia Jones was wonderful, ring her on 07700 900123."
    cid, ids = make_consultation(db_session, "redaction-reaches-public", [text, "Not approved yet"])
    consultation = db_session.get(Consultation, cid)
    assert consultation is not None
    consultation.status = "closed"
    for response in db_session.query(Response).filter(Response.consultation_id == cid):
        response.consent_publish = True
    db_session.flush()
    with app.test_request_context():
        item = moderation.submit(db_session, kind="answer", target_id=ids[0], text=text,
                                 consultation_id=cid)
        moderation.submit(db_session, kind="answer", target_id=ids[1], text="Not approved yet",
                          consultation_id=cid)
        page = app.test_client().get("/consultations/redaction-reaches-public").get_data(as_text=True)
        assert "Amelia" not in page and "Not approved yet" not in page
        moderation.approve(db_session, item, actor_id=None, redact_findings=True)
    db_session.flush()
    page = app.test_client().get("/consultations/redaction-reaches-public").get_data(as_text=True)
    assert "Nurse [name removed] was wonderful, ring her on [phone number removed]." in page
    assert "Amelia" not in page and "07700" not in page
    assert "Not approved yet" not in page
    assert f"/moderation/report/answer/{ids[0]}" in page
