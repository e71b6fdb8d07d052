"""Register, confirm, sign in, reset, change, delete — through the views, with real mail."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from citizen.accounts import tokens
from citizen.accounts.models import User
from citizen.shared.audit import AuditEvent
from tests.accounts.conftest import PASSWORD, Inbox, make_user, sign_in


def _actions(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_up_confirm_and_sign_in(client: FlaskClient, inbox: Inbox, db_session: Session) -> None:
    response = client.post("/account/register", data={"email": "Sam@Example.org",
                                                      "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-your-email"
    user = db_session.scalar(select(User).where(User.email == "sam@example.org"))
    assert user is not None and not user.email_verified
    assert user.role_names == {"resident"}
    assert user.password_hash.startswith("$argon2")

    # Not confirmed yet: signing in sends a new link instead.
    body = sign_in(client, "sam@example.org").get_data(as_text=True)
    assert "confirm your email address first" in body

    mail = inbox.last_to("sam@example.org")
    assert mail["Subject"] == "Confirm your email address"
    response = client.get(inbox.link_in(mail))
    assert response.status_code == 302
    response = sign_in(client, "sam@example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    page = client.get("/account/").get_data(as_text=True)
    assert "sam@example.org" in page and "Resident" in page
    assert "account.registered" in _actions(db_session)
    assert "sign_in.succeeded" in _actions(db_session)


def test_mail_is_in_the_recipients_language(client: FlaskClient, inbox: Inbox) -> None:
    client.set_cookie("lang", "ur")
    client.post("/account/register", data={"email": "ur@example.org", "password": PASSWORD})
    mail = inbox.last_to("ur@example.org")
    assert mail["Content-Language"] == "ur"
    assert mail["Subject"] != "Confirm your email address", "translated into Urdu"


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "12 characters or more"), ("password1234", "too easy to guess"),
     ("aaaaaaaaaaaaaaaa", "too easy to guess"), ("newperson-secret-words", "must not contain")],
)
def test_weak_passwords_are_refused_with_the_reason(
    client: FlaskClient, db_session: Session, password: str, message: str
) -> None:
    response = client.post("/account/register",
                           data={"email": "newperson@example.org", "password": password})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert 'value="newperson@example.org"' in body, "the email is kept"
    assert db_session.scalar(select(User).where(User.email == "newperson@example.org")) is None


def test_bad_email_is_explained_at_the_field(client: FlaskClient) -> None:
    body = client.post("/account/register",
                       data={"email": "not-an-email", "password": PASSWORD}).get_data(as_text=True)
    assert '<a href="#email">Enter an email address in the right format' in body


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: FlaskClient, db_session: Session
) -> None:
    make_user(db_session, "known@example.org")
    wrong = sign_in(client, "known@example.org", "wrong password here")
    unknown = sign_in(client, "nobody@example.org", "wrong password here")
    assert wrong.status_code == unknown.status_code == 200
    assert "Your email address or password is wrong" in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).replace("known@", "X@") == unknown.get_data(
        as_text=True).replace("nobody@", "X@")
    assert _actions(db_session).count("sign_in.failed") == 2


def test_no_enumeration_through_registration_or_reset(
    client: FlaskClient, db_session: Session, inbox: Inbox
) -> None:
    make_user(db_session, "taken@example.org")
    taken = client.post("/account/register", data={"email": "taken@example.org",
                                                   "password": PASSWORD})
    free = client.post("/account/register", data={"email": "free@example.org",
                                                  "password": PASSWORD})
    assert (taken.status_code, taken.headers["Location"]) == (free.status_code,
                                                              free.headers["Location"])
    # The owner of the taken address is told, by mail only.
    assert "already have one" in inbox.body(inbox.last_to("taken@example.org"))

    known = client.post("/account/forgot-password", data={"email": "taken@example.org"})
    unknown = client.post("/account/forgot-password", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert inbox.to("nobody@example.org") == []


def test_password_reset_link_works_once(
    client: FlaskClient, db_session: Session, inbox: Inbox, app: Flask
) -> None:
    make_user(db_session, "reset@example.org")
    client.post("/account/forgot-password", data={"email": "reset@example.org"})
    link = inbox.link_in(inbox.last_to("reset@example.org"))
    assert client.get(link).status_code == 200
    new_password = "a brand new long password"
    response = client.post(link, data={"password": new_password})
    assert response.status_code == 302
    assert sign_in(client, "reset@example.org", new_password).status_code == 302
    again = client.post(link, data={"password": "yet another long password"})
    assert "already been used" in again.get_data(as_text=True)
    assert "password.reset" in _actions(db_session)


def test_expired_and_tampered_reset_links_are_refused(
    client: FlaskClient, db_session: Session, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db_session, "late@example.org")
    client.post("/account/forgot-password", data={"email": "late@example.org"})
    link = inbox.link_in(inbox.last_to("late@example.org"))
    assert "not right" in client.get(link[:-3] + "abc").get_data(as_text=True)
    monkeypatch.setitem(tokens.MAX_AGE, "reset-password", -1)
    assert "expired" in client.get(link).get_data(as_text=True)


def test_change_password_ends_other_sessions(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    make_user(db_session, "two@example.org")
    other = app.test_client()
    sign_in(client, "two@example.org")
    sign_in(other, "two@example.org")
    assert other.get("/account/").status_code == 200
    response = client.post("/account/change-password", data={
        "current_password": PASSWORD, "new_password": "another long password here"})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200, "this session carries on"
    assert other.get("/account/").status_code == 302, "the other session has ended"


def test_wrong_current_password_is_refused(client: FlaskClient, db_session: Session) -> None:
    make_user(db_session, "cp@example.org")
    sign_in(client, "cp@example.org")
    body = client.post("/account/change-password", data={
        "current_password": "not my password!!", "new_password": "another long password here"
    }).get_data(as_text=True)
    assert '<a href="#current_password">Your password is wrong</a>' in body


def test_sign_out_everywhere(app: Flask, client: FlaskClient, db_session: Session) -> None:
    make_user(db_session, "everywhere@example.org")
    other = app.test_client()
    sign_in(client, "everywhere@example.org")
    sign_in(other, "everywhere@example.org")
    client.post("/account/sign-out-everywhere")
    assert client.get("/account/").status_code == 302
    assert other.get("/account/").status_code == 302


def test_change_email_by_confirmed_link(
    client: FlaskClient, db_session: Session, inbox: Inbox
) -> None:
    user = make_user(db_session, "old@example.org")
    sign_in(client, "old@example.org")
    client.post("/account/change-email", data={"email": "new@example.org", "password": PASSWORD})
    assert user.email == "old@example.org"
    link = inbox.link_in(inbox.last_to("new@example.org"))
    assert client.get(link).status_code == 302
    db_session.expire_all()
    assert db_session.get(User, user.id).email == "new@example.org"  # type: ignore[union-attr]
    assert inbox.last_to("old@example.org")["Subject"] == "Your email address has been changed"


def test_delete_account(client: FlaskClient, db_session: Session) -> None:
    user = make_user(db_session, "bye@example.org")
    user_id = user.id
    sign_in(client, "bye@example.org")
    wrong = client.post("/account/delete", data={"password": "not the password"})
    assert "Your password is wrong" in wrong.get_data(as_text=True)
    response = client.post("/account/delete", data={"password": PASSWORD, "erase": "y"})
    assert response.headers["Location"] == "/account/deleted"
    db_session.expire_all()
    assert db_session.get(User, user_id) is None
    deleted = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
    assert deleted is not None and deleted.target_id == str(user_id)
    assert deleted.details == {"erase_contributions": True}
    assert "wrong" in sign_in(client, "bye@example.org").get_data(as_text=True)


def test_dev_mail_goes_to_the_instance_folder(database_url: str, tmp_path, db_session) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts.conftest import other_app
    from tests.conftest import rolled_back_session

    app = other_app(database_url, tmp_path, WTF_CSRF_ENABLED=False, ratelimit_enabled=False)
    with rolled_back_session(app):
        app.test_client().post("/account/register",
                               data={"email": "dev@example.org", "password": PASSWORD})
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    assert b"To: dev@example.org" in files[0].read_bytes()


def test_features_are_told_before_an_account_goes(
    client: FlaskClient, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Features holding what a person wrote unlink it, or erase it when asked (the hook)."""
    from citizen.accounts import services

    calls: list[tuple[int, bool]] = []
    monkeypatch.setattr(services, "_deletion_hooks", [])
    services.on_account_deleted(lambda _session, user_id, erase: calls.append((user_id, erase)))
    for address, erase in (("keep@example.org", {}), ("erase@example.org", {"erase": "y"})):
        user = make_user(db_session, address)
        sign_in(client, address)
        client.post("/account/delete", data={"password": PASSWORD, **erase})
        assert calls[-1] == (user.id, bool(erase))
    assert len(calls) == 2


def test_accounts_never_confirmed_are_deleted_after_30_days(app: Flask, db_session: Session) -> None:
    from datetime import timedelta

    from citizen.db import utcnow

    old = make_user(db_session, "never-confirmed@example.org", verified=False)
    recent = make_user(db_session, "just-registered@example.org", verified=False)
    confirmed = make_user(db_session, "confirmed@example.org")
    staff = make_user(db_session, "unconfirmed-staff@example.org", "moderator", verified=False)
    for user in (old, confirmed, staff):
        user.created_at = utcnow() - timedelta(days=31)
    db_session.flush()
    ids = {u.email: u.id for u in (old, recent, confirmed, staff)}
    result = app.test_cli_runner().invoke(args=["purge-unconfirmed-accounts"])
    assert result.exit_code == 0 and "Unconfirmed accounts deleted: 1" in result.output
    db_session.expire_all()
    assert db_session.get(User, ids["never-confirmed@example.org"]) is None
    for kept in ("just-registered@example.org", "confirmed@example.org",
                 "unconfirmed-staff@example.org"):
        assert db_session.get(User, ids[kept]) is not None, kept
    event = db_session.scalar(select(AuditEvent).where(
        AuditEvent.action == "account.deleted",
        AuditEvent.target_id == str(ids["never-confirmed@example.org"])))
    assert event is not None and event.details["reason"] == "never_confirmed"
