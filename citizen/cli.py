"""Shell commands: ``flask --app wsgi db upgrade``, ``seed-demo`` and friends.

Each command is one unit of work: it commits once at its end or changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from citizen.config import PROJECT_ROOT
from citizen.db import get_database, safe_url, unit_of_work

MIGRATIONS_PATH = PROJECT_ROOT / "migrations"


def alembic_config(app: Flask) -> AlembicConfig:
    """Alembic's configuration pointed at this app's database."""
    config = AlembicConfig(str(MIGRATIONS_PATH / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_PATH))
    config.attributes["engine"] = get_database(app).engine
    return config


def _unreachable(exc: DBAPIError) -> click.ClickException:
    url = safe_url(current_app.config["DATABASE_URL"])
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "no such table" in reason or "does not exist" in reason:
        return click.ClickException(
            f"The database at {url} is not set up yet ({reason}). "
            "Run: flask --app wsgi db upgrade"
        )
    return click.ClickException(
        f"Cannot reach the database at {url}: {reason}\n"
        "Nothing was changed. Check DATABASE_URL and that the database server is running."
    )


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (each migration in its own transaction)."""
    if get_database(app).engine.url.get_backend_name() == "sqlite":
        database = get_database(app).engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(app), revision)


@click.group("db", help="Manage the database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    try:
        upgrade_database(current_app, revision)
    except OperationalError as exc:
        raise _unreachable(exc) from None
    click.echo(f"Database at {safe_url(current_app.config['DATABASE_URL'])} is up to date.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (use 'base' for an empty database)."""
    try:
        command.downgrade(alembic_config(current_app), revision)
    except OperationalError as exc:
        raise _unreachable(exc) from None


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the revision the database is at."""
    try:
        command.current(alembic_config(current_app))
    except OperationalError as exc:
        raise _unreachable(exc) from None


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """Write a new migration by comparing the models with the database."""
    command.revision(alembic_config(current_app), message=message, autogenerate=True)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo data (places and whatever later features add). Safe to run again."""
    from citizen.demo import seed_all

    try:
        with unit_of_work() as session:
            summary = seed_all(session)
    except (OperationalError, ProgrammingError) as exc:
        raise _unreachable(exc) from None
    for line in summary:
        click.echo(line)


@click.command("create-admin")
@click.argument("email")
@click.option("--password", envvar="CITIZEN_ADMIN_PASSWORD", default=None,
              help="Password for a new account (asked for when not given).")
@with_appcontext
def create_admin(email: str, password: str | None) -> None:
    """Give EMAIL the admin role, creating a confirmed account if there is none."""
    from citizen.accounts.messages import ERRORS
    from citizen.accounts.services import AccountError, normalise_email, user_by_email
    from citizen.accounts.services import create_admin as make_admin

    try:
        with unit_of_work() as session:
            exists = user_by_email(session, normalise_email(email)) is not None
            if not exists and password is None:
                password = click.prompt("Password for the new account", hide_input=True,
                                        confirmation_prompt=True)
            user, created = make_admin(session, email, password)
            message = (f"Created admin account {user.email}." if created
                       else f"{user.email} is now an admin.")
    except AccountError as error:
        raise click.ClickException(str(ERRORS.get(error.code, error.code))) from None
    except OperationalError as exc:
        raise _unreachable(exc) from None
    click.echo(message + " They will set up two-factor sign-in when they first sign in.")


@click.command("demo-code")
@click.argument("email")
@with_appcontext
def demo_code(email: str) -> None:
    """Print the current two-factor code of a demo staff account (not in production)."""
    import pyotp

    from citizen.demo import DEMO_ACCOUNTS, demo_totp_secret

    if current_app.config.get("CITIZEN_ENV") == "production":
        raise click.ClickException("Demo accounts do not exist in production.")
    if email not in {address for address, _roles in DEMO_ACCOUNTS}:
        raise click.ClickException(f"{email} is not a demo account.")
    click.echo(pyotp.TOTP(demo_totp_secret(email)).now())


# What ``daily`` runs, in order: (group, command) as typed after ``flask --app wsgi``.
DAILY_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("send-reminders",),
    ("send-draft-reminders",),
    ("purge-assembly-data",),
    ("purge-consultation-data",),
    ("purge-feedback",),
    ("purge-unconfirmed-accounts",),
    ("exports", "purge"),
)


@click.command("purge-feedback")
@with_appcontext
def purge_feedback() -> None:
    """Delete comments on information pages and dealt-with reports from the public once they
    are older than FEEDBACK_DAYS (an open safeguarding concern keeps them). Safe to run again."""
    from datetime import timedelta

    from citizen.content.services import forget_feedback_comments
    from citizen.db import utcnow
    from citizen.moderation.services import purge_reports

    before = utcnow() - timedelta(days=int(current_app.config["FEEDBACK_DAYS"]))
    with unit_of_work() as session:
        comments = forget_feedback_comments(session, before)
        reports = purge_reports(session, before)
    click.echo(f"Feedback deleted: {comments} page comments and {reports} reports from the public.")


@click.command("purge-unconfirmed-accounts")
@with_appcontext
def purge_unconfirmed_accounts() -> None:
    """Delete accounts whose e-mail address was never confirmed, 30 days after they were made.
    Safe to run again."""
    from datetime import timedelta

    from citizen.accounts.services import UNCONFIRMED_DAYS, forget_unconfirmed_accounts
    from citizen.db import utcnow

    with unit_of_work() as session:
        count = forget_unconfirmed_accounts(session, utcnow() - timedelta(days=UNCONFIRMED_DAYS))
    click.echo(f"Unconfirmed accounts deleted: {count}")


@click.command("daily")
@click.pass_context
@with_appcontext
def daily(ctx: click.Context) -> None:
    """Run every daily task: reminders (pledges, saved drafts), then deleting personal data,
    old feedback and old exports past their time. Each task commits on its own; one that
    fails does not stop the others, and the command then exits with 1. Run it once a day."""
    failed = []
    for path in DAILY_COMMANDS:
        command: click.Command | None = current_app.cli
        for name in path:
            assert isinstance(command, click.Group), path
            command = command.get_command(ctx, name)
        assert command is not None, f"no command {' '.join(path)}"
        click.echo(f"== {' '.join(path)}")
        try:
            ctx.invoke(command)
        except Exception as exc:  # report it, carry on with the other tasks
            failed.append(" ".join(path))
            # The first line only: what follows can hold a statement's parameters.
            first = (str(exc).strip().splitlines() or [""])[0]
            click.echo(f"failed: {type(exc).__name__}: {first}", err=True)
    if failed:
        raise click.ClickException(f"These daily tasks failed: {', '.join(failed)}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(daily)
    app.cli.add_command(purge_feedback)
    app.cli.add_command(purge_unconfirmed_accounts)
    app.cli.add_command(demo_code)
    app.cli.add_command(db_group)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
