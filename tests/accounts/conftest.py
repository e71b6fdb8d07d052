"""Accounts tests send mail through a real local SMTP server (aiosmtpd) and read what arrived."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.accounts.models import User, UserRole
from citizen.accounts.passwords import hash_password
from citizen.app import create_app
from citizen.db import utcnow
from tests.conftest import Inbox, mail_app

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    """The accounts tests' app: real SMTP; CSRF and rate limits tested separately."""
    return mail_app(database_url, tmp_path_factory, smtp, "accounts")


def make_user(session: Session, email_address: str, *roles: str, verified: bool = True,
              locale: str = "en") -> User:
    user = User(email=email_address, password_hash=hash_password(PASSWORD), locale=locale,
                email_verified_at=utcnow() if verified else None)
    for role in roles or ("resident",):
        user.roles.append(UserRole(role=role))
    session.add(user)
    session.flush()
    return user


def sign_in(client: FlaskClient, email_address: str, password: str = PASSWORD) -> Any:
    return client.post("/account/sign-in", data={"email": email_address, "password": password})


def fresh_client(app: Flask) -> FlaskClient:
    return app.test_client()


def other_app(database_url: str, tmp_path: Path, **overrides: Any) -> Flask:
    config: dict[str, Any] = {"env": "test", "instance_path": tmp_path,
                              "database_url": database_url}
    config.update(overrides)
    return create_app(config)
