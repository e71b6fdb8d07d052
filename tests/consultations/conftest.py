"""Consultations tests: an app wired to the real SMTP test server, CSRF off (tested apart)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Inbox


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Inbox, int]) -> Flask:
    from tests.conftest import build_app

    return build_app(
        database_url, tmp_path_factory.mktemp("consultations-instance"),
        mail_server="127.0.0.1", mail_port=smtp[1], ratelimit_enabled=False,
        WTF_CSRF_ENABLED=False,
    )


@pytest.fixture()
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    smtp[0].messages.clear()
    return smtp[0]
