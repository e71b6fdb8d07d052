"""Flask extensions, created once and bound to the app in :func:`citizen.app.create_app`."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()

# Storage comes from RATELIMIT_STORAGE_URI: Redis when REDIS_URL is set, memory otherwise.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def limit_from_config(key: str) -> Callable[[], str]:
    """A rate limit read from ``app.config[key]`` on each request, so deployments and tests
    can tune it (for example ``RATELIMIT_SIGN_IN = "10 per minute"``)."""

    def read() -> str:
        return str(current_app.config[key])

    return read
