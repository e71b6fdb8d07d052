"""Reminder e-mails: 6 and 12 months after a pledge was approved, and a week before each
action's due date. ``flask --app wsgi send-reminders`` runs :func:`send_reminders`; each reminder
is recorded (``pledge_reminder``) so running it again sends nothing twice.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from citizen.db import unit_of_work, utcnow
from citizen.mail import Mail, deliver_all, links_context, render_mail
from citizen.pledges import services
from citizen.pledges.models import Pledge, PledgeAction, PledgeReminder

DUE_SOON_DAYS = 7


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueReminder:
    key: str
    kind: str  # "6_months" | "12_months" | "due_soon"
    pledge: Pledge
    action: PledgeAction | None


def due_reminders(session: Session, today: date) -> list[DueReminder]:
    """Reminders whose date has come and that were not sent before."""
    pledges = list(session.scalars(
        select(Pledge).where(Pledge.status == "approved", Pledge.approved_at.is_not(None))
        .options(selectinload(Pledge.actions), selectinload(Pledge.organisation))
        .order_by(Pledge.id)
    ))
    sent = set(session.scalars(select(PledgeReminder.key)))
    due: list[DueReminder] = []
    for pledge in pledges:
        assert pledge.approved_at is not None
        approved = pledge.approved_at.date()
        open_actions = [a for a in pledge.actions if a.progress_status not in ("done", "stopped")]
        # Only the latest anniversary reached is sent (a pledge approved 13 months before the
        # first run gets the 12-month reminder, not both).
        if open_actions:
            if today >= add_months(approved, 12):
                kind = "12_months"
            elif today >= add_months(approved, 6):
                kind = "6_months"
            else:
                kind = ""
            key = f"pledge:{pledge.id}:{kind}"
            if kind and key not in sent:
                due.append(DueReminder(key, kind, pledge, None))
        for action in open_actions:
            key = f"action:{action.id}:due_soon"
            if action.due_date - timedelta(days=DUE_SOON_DAYS) <= today <= action.due_date \
                    and key not in sent:
                due.append(DueReminder(key, "due_soon", pledge, action))
    return due


def _mails(session: Session, reminder: DueReminder) -> list[Mail]:
    recipients = services.members(session, reminder.pledge.organisation)
    url = url_for("pledges.pledge_manage", pledge_id=reminder.pledge.id, _external=True)
    mails = []
    for person in recipients:
        mails.append(render_mail(
            "pledges_reminder", person.email, person.locale, kind=reminder.kind,
            organisation=reminder.pledge.organisation.name, url=url,
            action=reminder.action.description if reminder.action else None,
            due_date=reminder.action.due_date if reminder.action else None,
        ))
    return mails


def send_reminders(app: Flask, today: date | None = None) -> int:
    """Record and send every reminder that is due; return how many reminders went out.

    The records are committed before the mail leaves, so a crash half-way never sends the same
    reminder twice (at worst one is recorded and not delivered, which the log reports).
    """
    today = today or utcnow().date()
    outbox: list[Mail] = []
    with links_context(app), unit_of_work(app) as session:
        reminders = due_reminders(session, today)
        for reminder in reminders:
            session.add(PledgeReminder(key=reminder.key, pledge_id=reminder.pledge.id,
                                       kind=reminder.kind))
            if reminder.kind == "12_months":  # the 6-month one is no longer worth sending
                six = f"pledge:{reminder.pledge.id}:6_months"
                if session.scalar(select(PledgeReminder).where(PledgeReminder.key == six)) is None:
                    session.add(PledgeReminder(key=six, pledge_id=reminder.pledge.id,
                                               kind="6_months"))
            outbox.extend(_mails(session, reminder))
        session.flush()
    deliver_all(app, outbox)
    return len(reminders)
