"""Consultations tests: an app wired to the real SMTP test server, CSRF off (tested apart)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Inbox, mail_app


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    return mail_app(database_url, tmp_path_factory, smtp, "consultations")


