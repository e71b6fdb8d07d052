"""A NUL character (which PostgreSQL cannot store) is refused before any view sees it. Forms
with one are covered by tests/test_no_server_errors.py, which runs on PostgreSQL in CI."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_nul_in_path_or_query_is_refused_cleanly(client: FlaskClient) -> None:
    assert client.get("/consultations/a%00b").status_code == 404
    assert client.get("/places/find?postcode=CV1%00").status_code == 400
    assert client.get("/places/find?postcode=CV1").status_code == 200
