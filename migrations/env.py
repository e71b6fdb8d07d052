"""Alembic environment: runs migrations against the app's engine (or DATABASE_URL)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection, Engine

from citizen.models import metadata

config = context.config
if config.config_file_name and not config.attributes.get("engine"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _engine() -> Engine:
    engine: Engine | None = config.attributes.get("engine")
    if engine is not None:
        return engine
    from citizen.config import load_settings
    from citizen.db import make_engine

    return make_engine(load_settings().database_url)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with _engine().connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run against a database.")
run_migrations_online()
