"""Pledges tests: an app wired to the real local SMTP server, and helpers to act as an
organisation member, a moderator or an organiser."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import Organisation, User
from citizen.mail import flush_outbox
from citizen.moderation import services as moderation
from citizen.pledges.models import CatalogueAction
from tests.accounts.conftest import make_user, sign_in
from tests.conftest import Inbox, mail_app


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    return mail_app(database_url, tmp_path_factory, smtp, "pledges")


def member_client(app: Flask, session: Session, address: str) -> tuple[FlaskClient, User]:
    """A signed-in resident (not yet acting for any organisation)."""
    user = make_user(session, address, "resident")
    client = app.test_client()
    response = sign_in(client, address)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, user


ORGANISATION = {
    "name": "Spon End Printers", "sector": "private", "size_band": "10-49",
    "places": ["coventry", "rugby"], "website": "www.spon-end-printers.example",
}


def register_organisation(client: FlaskClient, session: Session, **overrides: Any) -> Organisation:
    data = {**ORGANISATION, **overrides}
    response = client.post("/pledges/organisations/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    organisation = session.scalar(select(Organisation).where(Organisation.name == data["name"]))
    assert organisation is not None
    return organisation


def catalogue_id(session: Session, code: str) -> int:
    found = session.scalar(select(CatalogueAction.id).where(CatalogueAction.code == code))
    assert found is not None
    return found


ACTION = {
    "pillar": "wider_determinants", "beneficiaries": "workforce",
    "description": "Pay everyone at least the real living wage.",
    "target": "Everyone paid the real living wage", "start_date": "2027-01-01",
    "due_date": "2027-12-31",
}


def decide(app: Flask, session: Session, kind: str, target_id: int, decision: str,
           actor: User | None = None, **kwargs: Any) -> None:
    """A moderator's decision through the moderation services, as the queue's view makes it
    (in a request: mail leaves when it is done, as after the request's commit)."""
    with app.test_request_context():
        item = moderation.find_item(session, kind, target_id)
        assert item is not None, f"no {kind} {target_id} in the moderation queue"
        getattr(moderation, decision)(session, item, actor.id if actor else None, **kwargs)
        session.flush()
        flush_outbox()
