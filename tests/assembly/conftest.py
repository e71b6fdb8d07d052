"""Assembly tests: an app with real SMTP (aiosmtpd), CSRF off (tested separately), staff
signed in with two-factor as the accounts tests do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from citizen.assembly import services
from citizen.assembly.models import Assembly
from tests.accounts.test_staff import staff_client
from tests.conftest import Inbox, mail_app

__all__ = ["staff_client"]


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    return mail_app(database_url, tmp_path_factory, smtp, "assembly")


@pytest.fixture()
def organiser(app: Flask, db_session: Session) -> FlaskClient:
    return staff_client(app, db_session, "organiser@example.org", "organiser")


@pytest.fixture()
def admin(app: Flask, db_session: Session) -> FlaskClient:
    return staff_client(app, db_session, "admin@example.org", "admin")


def assembly_data(**overrides: object) -> services.AssemblyData:
    today = date.today()
    values: dict[str, object] = dict(
        title="Test assembly", question="What should change?", places=["south-warwickshire"],
        panel_size=6, reserves=2, session_dates=[today + timedelta(days=40)],
        honorarium="£100", expenses="Travel", registration_opens=today - timedelta(days=1),
        registration_closes=today + timedelta(days=20), open_registration=True,
        retention_until=None, categories=["sex", "age_band"], prefer_not_allowed=[])
    values.update(overrides)
    return services.AssemblyData(**values)  # type: ignore[arg-type]


def make_assembly(session: Session, **overrides: object) -> Assembly:
    return services.save_assembly(session, assembly_data(**overrides), None)
