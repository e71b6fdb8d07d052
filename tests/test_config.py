from __future__ import annotations

from pathlib import Path

import pytest

from citizen.app import create_app
from citizen.config import ConfigError, load_settings


def test_development_defaults_to_sqlite_in_instance_folder(tmp_path: Path) -> None:
    instance = tmp_path / "missing" / "instance"
    settings = load_settings({}, {"instance_path": instance})
    assert settings.env == "development"
    assert settings.database_url == f"sqlite:///{instance / 'citizen.sqlite3'}"
    assert instance.is_dir(), "a missing instance folder is created"
    assert len(settings.secret_key) >= 32
    # The development key is kept, so sign-ins survive a restart.
    assert load_settings({}, {"instance_path": instance}).secret_key == settings.secret_key


def test_environment_variables_are_read_and_typed(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CITIZEN_ENV": "test",
            "DATABASE_URL": "postgresql+psycopg://u@h/db",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SECRET_KEY": "x" * 40,
            "PROXY_FIX_HOPS": "2",
            "CITIZEN_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert settings.env == "test"
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.proxy_fix_hops == 2


@pytest.mark.parametrize("key", [None, "", "dev", "change-me", "short-but-random"])
def test_production_refuses_missing_default_or_short_secret_key(key: str | None) -> None:
    environ = {"CITIZEN_ENV": "production", "DATABASE_URL": "postgresql+psycopg://u@h/db",
               "MAIL_SERVER": "smtp.example.org"}
    if key is not None:
        environ["SECRET_KEY"] = key
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(environ)


PRODUCTION = {"CITIZEN_ENV": "production", "DATABASE_URL": "postgresql+psycopg://u@h/db",
              "SECRET_KEY": "k" * 48, "MAIL_SERVER": "smtp.example.org"}


def test_production_starts_with_a_real_key() -> None:
    settings = load_settings(PRODUCTION)
    assert settings.is_production
    assert settings.flask_config()["SESSION_COOKIE_SECURE"] is True


def test_production_needs_a_database_url() -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings({"CITIZEN_ENV": "production", "SECRET_KEY": "k" * 48})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CITIZEN_ENV", "staging", "CITIZEN_ENV must be one of"),
        ("PROXY_FIX_HOPS", "two", "PROXY_FIX_HOPS must be a whole number"),
        ("PROXY_FIX_HOPS", "-1", "PROXY_FIX_HOPS must be at least 0"),
        ("SESSION_COOKIE_SECURE", "maybe", "SESSION_COOKIE_SECURE must be true or false"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
        ("PUBLIC_URL", "haveyoursay.example.org", "PUBLIC_URL must start with https://"),
        ("MODERATION_REPORT_THRESHOLD", "0", "MODERATION_REPORT_THRESHOLD must be at least 1"),
    ],
)
def test_bad_values_get_a_clear_message(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({name: value, "CITIZEN_INSTANCE_PATH": str(tmp_path)})


def test_an_instance_folder_that_cannot_be_created_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="could not be created"):
        load_settings({}, {"instance_path": blocker / "instance"})


def test_create_app_applies_overrides(tmp_path: Path) -> None:
    app = create_app({"env": "test", "instance_path": tmp_path, "database_url": "sqlite://",
                      "SOMETHING_EXTRA": 5})
    assert app.config["CITIZEN_ENV"] == "test"
    assert app.config["TESTING"] is True
    assert app.config["SOMETHING_EXTRA"] == 5
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_needs_a_mail_server() -> None:
    with pytest.raises(ConfigError, match="MAIL_SERVER"):
        load_settings({k: v for k, v in PRODUCTION.items() if k != "MAIL_SERVER"})


def test_public_url_and_report_threshold_reach_the_flask_config(tmp_path: Path) -> None:
    settings = load_settings({"PUBLIC_URL": " https://haveyoursay.example.org/ ",
                              "MODERATION_REPORT_THRESHOLD": "5",
                              "CITIZEN_INSTANCE_PATH": str(tmp_path)})
    config = settings.flask_config()
    assert config["PUBLIC_URL"] == "https://haveyoursay.example.org"
    assert config["MODERATION_REPORT_THRESHOLD"] == 5
