"""Typed settings read from environment variables, with safe defaults.

Nothing else in the application reads ``os.environ``: every setting is here, named once, with
its type and default, so the README's configuration table can be checked against it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

Environment = Literal["development", "production", "test"]
ENVIRONMENTS: tuple[Environment, ...] = ("development", "production", "test")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"

# Keys that must never be used outside development: the app refuses to start with them.
KNOWN_WEAK_KEYS = frozenset({"", "dev", "change-me", "changeme", "secret", "development"})
MIN_PRODUCTION_KEY_LENGTH = 32

# Where Debian and Ubuntu's fonts-noto-core puts its fonts: letters in Punjabi, Gujarati and
# Tigrinya need them (see citizen/assembly/letter_languages.py).
DEFAULT_LETTER_FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/truetype/noto"),)


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message names the variable and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Every setting the application reads, typed.

    Built by :func:`load_settings` from the environment; tests pass overrides instead.
    """

    env: Environment = "development"
    secret_key: str = ""
    database_url: str = ""
    redis_url: str | None = None
    instance_path: Path = DEFAULT_INSTANCE_PATH
    proxy_fix_hops: int = 0
    log_level: str = "INFO"
    default_locale: str = "en"
    session_cookie_secure: bool = False
    sql_echo: bool = False
    mail_server: str | None = None
    mail_port: int = 25
    mail_username: str | None = None
    mail_password: str | None = None
    mail_use_tls: bool = False
    mail_use_ssl: bool = False
    mail_from: str = "Have your say <no-reply@localhost>"
    ratelimit_enabled: bool = True
    public_url: str = ""
    moderation_report_threshold: int = 3
    letter_font_dirs: tuple[Path, ...] = DEFAULT_LETTER_FONT_DIRS
    consultation_contact_days: int = 30
    consultation_outcome_wait_days: int = 365
    feedback_days: int = 365
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def flask_config(self) -> dict[str, Any]:
        """The Flask config mapping derived from these settings."""
        config: dict[str, Any] = {
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CITIZEN_ENV": self.env,
            "TESTING": self.env == "test",
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_DEFAULT_TIMEZONE": "Europe/London",
            "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.session_cookie_secure or self.is_production,
            "PREFERRED_URL_SCHEME": "https" if self.is_production else "http",
            "PROXY_FIX_HOPS": self.proxy_fix_hops,
            "SQL_ECHO": self.sql_echo,
            "WTF_CSRF_ENABLED": True,
            "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
            "MAIL_SERVER": self.mail_server,
            "MAIL_PORT": self.mail_port,
            "MAIL_USERNAME": self.mail_username,
            "MAIL_PASSWORD": self.mail_password,
            "MAIL_USE_TLS": self.mail_use_tls,
            "MAIL_USE_SSL": self.mail_use_ssl,
            "MAIL_FROM": self.mail_from,
            "MAIL_DIRECTORY": str(self.instance_path / "mail"),
            "RATELIMIT_ENABLED": self.ratelimit_enabled,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_HEADERS_ENABLED": False,
            "STAFF_IDLE_MINUTES": 30,
            "RATELIMIT_SIGN_IN": "10 per minute; 100 per hour",
            "RATELIMIT_FORMS": "20 per minute; 200 per hour",
            "RATELIMIT_LOOKUPS": "60 per minute",
            "PUBLIC_URL": self.public_url,
            "MODERATION_REPORT_THRESHOLD": self.moderation_report_threshold,
            "LETTER_FONT_DIRS": tuple(self.letter_font_dirs),
            "CONSULTATION_CONTACT_DAYS": self.consultation_contact_days,
            "CONSULTATION_OUTCOME_WAIT_DAYS": self.consultation_outcome_wait_days,
            "FEEDBACK_DAYS": self.feedback_days,
        }
        config.update(self.extra)
        return config


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def _public_url(raw: str) -> str:
    value = raw.strip().rstrip("/")
    if value and not value.startswith(("https://", "http://")):
        raise ConfigError(f"PUBLIC_URL must start with https:// or http://, not {raw!r}.")
    return value


def _folders(raw: str | None) -> tuple[Path, ...]:
    """Folders separated by the system's path separator (":" on Linux), like PATH. Unset: the
    default; set but empty: none."""
    if raw is None:
        return DEFAULT_LETTER_FONT_DIRS
    return tuple(Path(part.strip()) for part in raw.split(os.pathsep) if part.strip())


def _default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'citizen.sqlite3'}"


def _development_secret(instance_path: Path) -> str:
    """A random key kept in ``instance/secret_key`` so development sign-ins survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def ensure_instance_path(path: Path) -> Path:
    """Create the instance folder if it is missing; raise a clear error if that is impossible."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"The instance folder {path} does not exist and could not be created ({exc.strerror}). "
            "Create it, or set CITIZEN_INSTANCE_PATH to a folder the app can write to."
        ) from None
    return path


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Read settings from ``environ`` (default: the process environment), then apply overrides.

    Raises :class:`ConfigError` with a plain message when a value is invalid, and in production
    when ``SECRET_KEY`` is missing, a known default, or too short.
    """
    env_vars = dict(os.environ if environ is None else environ)
    overrides = dict(overrides or {})

    env = env_vars.get("CITIZEN_ENV", "development").strip().lower() or "development"
    if "env" in overrides:
        env = overrides.pop("env")
    if env not in ENVIRONMENTS:
        raise ConfigError(
            f"CITIZEN_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}."
        )

    instance_path = Path(
        overrides.pop("instance_path", None)
        or env_vars.get("CITIZEN_INSTANCE_PATH")
        or DEFAULT_INSTANCE_PATH
    )

    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    extra = dict(overrides.pop("extra", {}) or {})
    for name in unknown:
        extra[name] = overrides.pop(name)

    settings = Settings(
        env=env,
        secret_key=env_vars.get("SECRET_KEY", ""),
        database_url=env_vars.get("DATABASE_URL", "").strip(),
        redis_url=(env_vars.get("REDIS_URL") or "").strip() or None,
        instance_path=instance_path,
        proxy_fix_hops=_int("PROXY_FIX_HOPS", env_vars.get("PROXY_FIX_HOPS", "0")),
        log_level=env_vars.get("LOG_LEVEL", "INFO").upper(),
        default_locale="en",
        session_cookie_secure=_bool(
            "SESSION_COOKIE_SECURE", env_vars.get("SESSION_COOKIE_SECURE", "")
        ),
        sql_echo=_bool("SQL_ECHO", env_vars.get("SQL_ECHO", "")),
        mail_server=(env_vars.get("MAIL_SERVER") or "").strip() or None,
        mail_port=_int("MAIL_PORT", env_vars.get("MAIL_PORT", "25"), minimum=1),
        mail_username=env_vars.get("MAIL_USERNAME") or None,
        mail_password=env_vars.get("MAIL_PASSWORD") or None,
        mail_use_tls=_bool("MAIL_USE_TLS", env_vars.get("MAIL_USE_TLS", "")),
        mail_use_ssl=_bool("MAIL_USE_SSL", env_vars.get("MAIL_USE_SSL", "")),
        mail_from=env_vars.get("MAIL_FROM") or "Have your say <no-reply@localhost>",
        ratelimit_enabled=_bool("RATELIMIT_ENABLED", env_vars.get("RATELIMIT_ENABLED", "true")),
        public_url=_public_url(env_vars.get("PUBLIC_URL", "")),
        moderation_report_threshold=_int(
            "MODERATION_REPORT_THRESHOLD", env_vars.get("MODERATION_REPORT_THRESHOLD", "3"),
            minimum=1,
        ),
        letter_font_dirs=_folders(env_vars.get("LETTER_FONT_DIRS")),
        consultation_contact_days=_int(
            "CONSULTATION_CONTACT_DAYS", env_vars.get("CONSULTATION_CONTACT_DAYS", "30")
        ),
        consultation_outcome_wait_days=_int(
            "CONSULTATION_OUTCOME_WAIT_DAYS", env_vars.get("CONSULTATION_OUTCOME_WAIT_DAYS", "365"),
            minimum=1,
        ),
        feedback_days=_int("FEEDBACK_DAYS", env_vars.get("FEEDBACK_DAYS", "365"), minimum=1),
        extra=extra,
    )
    settings = replace(settings, **overrides)

    if settings.log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(
            f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {settings.log_level!r}."
        )

    if settings.is_production:
        key = settings.secret_key
        if key.strip().lower() in KNOWN_WEAK_KEYS or len(key) < MIN_PRODUCTION_KEY_LENGTH:
            raise ConfigError(
                "SECRET_KEY is missing, a known default, or shorter than "
                f"{MIN_PRODUCTION_KEY_LENGTH} characters. In production set it to a long random "
                "value, for example the output of: python -c \"import secrets; "
                "print(secrets.token_urlsafe(48))\""
            )
        if not settings.database_url:
            raise ConfigError(
                "DATABASE_URL is not set. In production use PostgreSQL, for example "
                "postgresql+psycopg://user:password@host/dbname"
            )
        if not settings.mail_server:
            raise ConfigError(
                "MAIL_SERVER is not set. In production the service sends sign-up and password "
                "reset e-mails through SMTP: set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, "
                "MAIL_PASSWORD, MAIL_USE_TLS, MAIL_FROM as needed)."
            )
    else:
        needs_instance = not settings.database_url or not settings.secret_key
        if needs_instance:
            ensure_instance_path(settings.instance_path)
        if not settings.database_url:
            settings = replace(
                settings, database_url=_default_database_url(settings.instance_path)
            )
        if not settings.secret_key:
            settings = replace(settings, secret_key=_development_secret(settings.instance_path))
    return settings
