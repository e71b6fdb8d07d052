"""Sending e-mail.

Mail is sent only after the unit of work has committed (so a rolled-back request never sends
one). With ``MAIL_SERVER`` set it goes through SMTP; without it (development) each message is
printed to the console and written to ``instance/mail/`` as an ``.eml`` file.
Templates are rendered in the recipient's language.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, render_template
from flask_babel import force_locale

log = logging.getLogger("citizen.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    locale: str = "en"


@contextmanager
def links_context(app: Flask) -> Iterator[None]:
    """Somewhere ``url_for(..., _external=True)`` works for links in mail: the current request,
    else a stand-in one at the ``PUBLIC_URL`` setting (commands and jobs have no request)."""
    if has_request_context():
        yield
        return
    with app.test_request_context("/", base_url=app.config.get("PUBLIC_URL") or "http://localhost"):
        yield


def render_mail(template: str, to: str, locale: str, **context: Any) -> Mail:
    """Render ``templates/mail/<template>.txt`` in ``locale``.

    The template's first line is the subject; the rest, after a blank line, is the body.
    """
    with force_locale(locale):
        rendered = render_template(f"mail/{template}.txt", **context)
    subject, _, body = rendered.strip().partition("\n")
    return Mail(to=to, subject=subject.strip(), text=body.strip() + "\n", locale=locale)


def send_after_commit(mail: Mail) -> None:
    """Queue ``mail`` to go when the current request commits (now, outside a request)."""
    if has_request_context():
        g.setdefault("mail_outbox", []).append(mail)
    else:
        deliver(current_app, mail)


def flush_outbox() -> None:
    """Send the mail queued during this request. Called after a successful commit.

    With Redis configured the sending is a background job, so a request takes the same time
    whether or not it produced mail (no account enumeration by timing).
    """
    from citizen.jobs import enqueue

    for mail in g.pop("mail_outbox", []):
        try:
            if current_app.config.get("REDIS_URL"):
                enqueue(deliver_job, mail.to, mail.subject, mail.text, mail.locale)
            else:
                deliver(current_app, mail)
        except (OSError, smtplib.SMTPException):
            # The address is personal data: log the failure, not the recipient.
            log.exception("could not send mail %r", mail.subject)


def deliver_job(to: str, subject: str, text: str, locale: str) -> None:
    """Worker side of :func:`flush_outbox`."""
    deliver(current_app, Mail(to=to, subject=subject, text=text, locale=locale))


def discard_outbox() -> None:
    g.pop("mail_outbox", None)


def _message(app: Flask, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = app.config["MAIL_FROM"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="citizen.local")
    message.set_content(mail.text)
    message["Content-Language"] = mail.locale  # after set_content, which resets Content-*
    return message


def deliver_all(app: Flask, mails: list[Mail]) -> None:
    """Send each of ``mails`` now, from a command or job whose records are already committed.
    A message that fails is logged (its subject, never its recipient) and the rest still go."""
    with app.app_context():
        for mail in mails:
            try:
                deliver(app, mail)
            except (OSError, smtplib.SMTPException):
                log.exception("could not send mail %r", mail.subject)


def deliver(app: Flask, mail: Mail) -> None:
    """Send one message now, by SMTP or (without ``MAIL_SERVER``) to the console and a file."""
    message = _message(app, mail)
    server = app.config.get("MAIL_SERVER")
    if not server:
        directory = Path(app.config["MAIL_DIRECTORY"])
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        (directory / f"{stamp}.eml").write_bytes(bytes(message))
        if app.config.get("CITIZEN_ENV") == "development":
            print(f"\n----- mail (development: not sent) -----\n{message}\n-----", flush=True)
        return
    port = int(app.config.get("MAIL_PORT") or 25)
    smtp_class = smtplib.SMTP_SSL if app.config.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(server, port, timeout=10) as smtp:
        if app.config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if app.config.get("MAIL_USERNAME"):
            smtp.login(app.config["MAIL_USERNAME"], app.config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
