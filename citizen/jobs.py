"""Background jobs: RQ on Redis when ``REDIS_URL`` is set, otherwise run at once, inline.

A job is a plain function that takes JSON-friendly arguments and does its work in its own unit
of work (:func:`citizen.db.unit_of_work`), so it behaves the same in a worker and inline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import Flask, current_app

QUEUE_NAME = "citizen"


@cache
def redis_connection(url: str) -> Any:
    """A Redis client for ``url`` (one per URL per process)."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


@dataclass(frozen=True)
class JobHandle:
    """What the caller gets back: an id to look the job up by, and whether it already ran."""

    id: str
    finished: bool
    result: Any = None


def enqueue(func: Callable[..., Any], *args: Any, app: Flask | None = None, **kwargs: Any) -> JobHandle:
    """Run ``func(*args, **kwargs)`` in a worker when Redis is configured, else inline now."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    redis_url = app.config.get("REDIS_URL")
    if not redis_url:
        with app.app_context():
            result = func(*args, **kwargs)
        return JobHandle(id="inline", finished=True, result=result)
    from rq import Queue

    queue = Queue(QUEUE_NAME, connection=redis_connection(redis_url))
    job = queue.enqueue(run_in_app, func, *args, **kwargs)
    return JobHandle(id=job.id, finished=False)


def run_in_app(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Worker side: build the app from the environment and run ``func`` inside its context."""
    from citizen.app import create_app

    app = create_app()
    with app.app_context():
        return func(*args, **kwargs)
