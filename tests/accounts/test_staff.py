"""Staff: two-factor, roles, idle timeout, the route matrix, admin pages and the audit log."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts.models import User
from citizen.shared.audit import AuditEvent, AuditLogIsAppendOnly
from citizen.shared.permissions import ROLES, STAFF_ROLES, access_of
from tests.accounts.conftest import PASSWORD, make_user, other_app, sign_in
from tests.conftest import rolled_back_session


def _sample_path(rule: str) -> str:
    """A concrete path for a URL rule: ids become 1, `any(a, b)` converters take their first option."""

    def value(match: re.Match[str]) -> str:
        if match.group(1) == "any":
            return match.group(2).split(",")[0].strip(" '\"")
        return "1"

    return re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?\w+>", value, rule)


def set_up_two_factor(client: FlaskClient) -> tuple[str, list[str]]:
    """Go through the set-up pages; return the secret and the recovery codes shown."""
    response = client.get("/account/two-factor/set-up")
    assert response.status_code == 200
    with client.session_transaction() as session:
        secret = session["totp_setup"]
    page = response.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page, "QR code rendered server-side"
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    wrong = client.post("/account/two-factor/set-up", data={"code": "000000"})
    assert "That code is wrong" in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def staff_client(app: Flask, db_session: Session, address: str, *roles: str) -> FlaskClient:
    make_user(db_session, address, *roles)
    client = app.test_client()
    response = sign_in(client, address)
    assert response.headers["Location"].startswith("/account/two-factor")
    set_up_two_factor(client)
    return client


def test_moderator_without_two_factor_reaches_no_staff_page(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    make_user(db_session, "mod@example.org", "moderator")
    sign_in(client, "mod@example.org")
    staff_routes = [
        rule for rule in app.url_map.iter_rules()
        if (access := access_of(app.view_functions[rule.endpoint])) and not access.public
        and access.roles <= STAFF_ROLES and "GET" in (rule.methods or ())
    ]
    assert staff_routes, "there are staff pages to check"
    for rule in staff_routes:
        path = _sample_path(rule.rule)
        response = client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert "/account/two-factor" in response.headers["Location"]


def test_two_factor_set_up_then_needed_at_every_sign_in(
    app: Flask, db_session: Session
) -> None:
    client = staff_client(app, db_session, "admin2fa@example.org", "admin")
    assert client.get("/admin/people").status_code == 200
    client.post("/account/sign-out")
    user = db_session.scalar(select(User).where(User.email == "admin2fa@example.org"))
    assert user is not None and user.two_factor_enabled
    assert len(user.recovery_codes) == 10
    assert all(code.code_hash.startswith("$argon2") for code in user.recovery_codes)

    sign_in(client, "admin2fa@example.org")
    assert client.get("/admin/people").headers["Location"].startswith("/account/two-factor")
    bad = client.post("/account/two-factor", data={"code": "123456"})
    assert "That code is wrong" in bad.get_data(as_text=True)
    assert client.get("/admin/people").status_code == 302


def test_recovery_code_works_once(app: Flask, db_session: Session) -> None:
    make_user(db_session, "rec@example.org", "organiser")
    client = app.test_client()
    sign_in(client, "rec@example.org")
    _secret, codes = set_up_two_factor(client)
    client.post("/account/sign-out")
    sign_in(client, "rec@example.org")
    assert client.post("/account/two-factor", data={"code": codes[0]}).status_code == 302
    client.post("/account/sign-out")
    sign_in(client, "rec@example.org")
    again = client.post("/account/two-factor", data={"code": codes[0]})
    assert again.status_code == 200 and "That code is wrong" in again.get_data(as_text=True)


def test_a_code_cannot_be_replayed(app: Flask, db_session: Session) -> None:
    make_user(db_session, "replay@example.org", "moderator")
    client = app.test_client()
    sign_in(client, "replay@example.org")
    secret, _codes = set_up_two_factor(client)
    client.post("/account/sign-out")
    sign_in(client, "replay@example.org")
    # The code used at set-up must not work a second time (even within its 30 seconds).
    assert secret
    used = [m for m in db_session.scalars(select(User)) if m.email == "replay@example.org"]
    assert used and used[0].totp_last_step is not None
    code = pyotp.TOTP(secret).at(used[0].totp_last_step * 30)
    response = client.post("/account/two-factor", data={"code": code})
    assert response.status_code == 200, response.headers.get("Location")


def test_revoked_role_takes_effect_on_the_next_request(app: Flask, db_session: Session) -> None:
    admin = staff_client(app, db_session, "boss@example.org", "admin")
    target = staff_client(app, db_session, "helper@example.org", "admin")
    assert target.get("/admin/people").status_code == 200
    person = db_session.scalar(select(User).where(User.email == "helper@example.org"))
    assert person is not None
    response = admin.post(f"/admin/people/{person.id}/roles/admin/revoke")
    assert response.status_code == 302
    assert target.get("/admin/people").status_code in (302, 403)
    db_session.expire_all()
    assert "admin" not in db_session.get(User, person.id).role_names  # type: ignore[union-attr]
    actions = list(db_session.scalars(select(AuditEvent.action)))
    assert "role.revoked" in actions


def test_admin_finds_people_and_grants_roles(app: Flask, db_session: Session) -> None:
    admin = staff_client(app, db_session, "granter@example.org", "admin")
    person = make_user(db_session, "resident1@example.org")
    listing = admin.get("/admin/people?q=resident1&role=").get_data(as_text=True)
    assert "resident1@example.org" in listing and "1 person found" in listing
    response = admin.post(f"/admin/people/{person.id}/roles", data={"role": "moderator"})
    assert response.status_code == 302
    db_session.expire_all()
    assert "moderator" in db_session.get(User, person.id).role_names  # type: ignore[union-attr]
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "role.granted"))
    assert event is not None and event.details == {"role": "moderator"}
    bad = admin.post(f"/admin/people/{person.id}/roles", data={"role": "wizard"})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)


def test_admin_resets_two_factor(app: Flask, db_session: Session) -> None:
    admin = staff_client(app, db_session, "resetter@example.org", "admin")
    lost = staff_client(app, db_session, "lostphone@example.org", "moderator")
    person = db_session.scalar(select(User).where(User.email == "lostphone@example.org"))
    assert person is not None
    admin.post(f"/admin/people/{person.id}/two-factor/reset")
    db_session.expire_all()
    assert not db_session.get(User, person.id).two_factor_enabled  # type: ignore[union-attr]
    assert lost.get("/account/").status_code == 302, "their sessions ended"
    assert "two_factor.reset" in list(db_session.scalars(select(AuditEvent.action)))


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_every_admin_route_refuses_other_roles(
    app: Flask, db_session: Session, role: str
) -> None:
    client = (staff_client(app, db_session, f"{role}@example.org", role)
              if role in STAFF_ROLES else app.test_client())
    if role not in STAFF_ROLES:
        make_user(db_session, f"{role}@example.org", role)
        sign_in(client, f"{role}@example.org")
    checked = 0
    for rule in app.url_map.iter_rules():
        access = access_of(app.view_functions[rule.endpoint]) if rule.endpoint != "static" else None
        if access is None or access.public or role in access.roles:
            continue
        path = _sample_path(rule.rule)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = client.open(path, method=method)
        assert response.status_code == 403, f"{role} reached {method} {path}"
        checked += 1
    assert checked >= 5


def test_staff_are_signed_out_after_30_idle_minutes(app: Flask, db_session: Session) -> None:
    client = staff_client(app, db_session, "idle@example.org", "organiser")
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    response = client.get("/account/")
    assert response.headers["Location"] == "/account/timed-out"
    assert "30 minutes" in client.get("/account/timed-out").get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_residents_are_not_timed_out(client: FlaskClient, db_session: Session) -> None:
    make_user(db_session, "slow@example.org")
    sign_in(client, "slow@example.org")
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 5 * 60 * 60
    assert client.get("/account/").status_code == 200


def test_session_cookie_is_rotated_at_sign_in_and_flags_are_set(
    client: FlaskClient, db_session: Session
) -> None:
    make_user(db_session, "rotate@example.org")
    sign_in(client, "rotate@example.org")
    with client.session_transaction() as session:
        first = session["sid"]
    client.post("/account/sign-out")
    response = sign_in(client, "rotate@example.org")
    with client.session_transaction() as session:
        assert session["sid"] != first
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_audit_log_view_filters_and_cannot_be_changed(app: Flask, db_session: Session) -> None:
    admin = staff_client(app, db_session, "auditor@example.org", "admin")
    page = admin.get("/admin/audit?action=two_factor").get_data(as_text=True)
    assert "two_factor.enabled" in page and "sign_in.succeeded" not in page
    page = admin.get("/admin/audit?actor=auditor&since=2020-01-01").get_data(as_text=True)
    assert "sign_in.succeeded" in page
    bad = admin.get("/admin/audit?since=not-a-date")
    assert bad.status_code == 200 and "Not a valid date value" in bad.get_data(as_text=True)
    event = db_session.scalar(select(AuditEvent).limit(1))
    assert event is not None
    nested = db_session.begin_nested()
    event.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
    nested.rollback()
    nested = db_session.begin_nested()
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.delete(event)
        db_session.flush()
    nested.rollback()


def test_audit_records_ip_only_as_a_hash(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, "ghost@example.org", "whatever password")
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in.failed"))
    assert event is not None and event.ip_hash and "127.0.0.1" not in event.ip_hash


def test_create_admin_command(app: Flask, db_session: Session) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "cli-admin@example.org",
                                 "--password", "a long admin password"])
    assert result.exit_code == 0, result.output
    assert "Created admin account cli-admin@example.org" in result.output
    again = runner.invoke(args=["create-admin", "cli-admin@example.org"])
    assert again.exit_code == 0 and "is now an admin" in again.output
    weak = runner.invoke(args=["create-admin", "weak@example.org", "--password", "short"])
    assert weak.exit_code == 1 and "12 characters" in weak.output
    with app.app_context():
        from citizen.db import get_database

        session = get_database(app).session_factory()
        user = session.scalar(select(User).where(User.email == "cli-admin@example.org"))
        assert user is not None and {"admin", "resident"} <= user.role_names
        session.delete(user)
        session.commit()
        session.close()


@pytest.mark.usefixtures("app")  # the schema is in place
def test_csrf_is_required_even_for_sign_out(database_url: str, tmp_path: Path) -> None:
    app = other_app(database_url, tmp_path, ratelimit_enabled=False)
    with rolled_back_session(app):
        client = app.test_client()
        response = client.post("/account/sign-out")
        assert response.status_code == 400
        assert "Your form timed out" in response.get_data(as_text=True)
        login = client.post("/account/sign-in", data={"email": "a@example.org",
                                                      "password": PASSWORD})
        assert login.status_code == 400


@pytest.mark.usefixtures("app")  # the schema is in place
def test_rate_limit_triggers_and_recovers(database_url: str, tmp_path: Path) -> None:
    # A window long enough that slow password hashing on a busy machine stays inside it; the
    # clock is then moved past it rather than waited for.
    app = other_app(database_url, tmp_path, WTF_CSRF_ENABLED=False,
                    RATELIMIT_SIGN_IN="3 per 1 minute")
    with rolled_back_session(app), time_machine.travel(time.time(), tick=True) as clock:
        client = app.test_client()
        codes = [sign_in(client, "x@example.org", "wrong password here").status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert "Too many tries" in sign_in(client, "x@example.org").get_data(as_text=True)
        clock.shift(61)
        assert sign_in(client, "x@example.org", "wrong password here").status_code == 200


@pytest.mark.redis
@pytest.mark.usefixtures("app")  # the schema is in place
def test_rate_limits_are_kept_in_redis_when_configured(database_url: str, tmp_path: Path) -> None:
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {url}")
    redis.Redis.from_url(url).flushdb()
    apps = [other_app(database_url, tmp_path, redis_url=url, RATELIMIT_LOOKUPS="2 per 10 second")
            for _ in range(2)]
    # Two app servers share one limit through Redis (a read-only page, so no database locks).
    first = apps[0].test_client().get("/places/find?postcode=CV1")
    second = apps[1].test_client().get("/places/find?postcode=CV1")
    third = apps[1].test_client().get("/places/find?postcode=CV1")
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)
    assert any(key.startswith(b"LIMITS") for key in redis.Redis.from_url(url).scan_iter())
