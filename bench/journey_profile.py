"""CPU cost of the residents' journey, request by request, without a server.

Not a test. Builds the app as ``bench/load.py`` runs it under gunicorn (development settings,
rate limiter on, PostgreSQL), adds the same one-page consultation, then replays residents'
journeys through the WSGI app in this process, as a browser would (cookie, CSRF token and form
key read from the page): GET page 1 → POST answers → GET "check your answers" → POST submit
(sometimes twice: a double-click or a retry) → GET the confirmation.

It prints, per kind of request, the CPU milliseconds spent inside the WSGI application
(``time.process_time`` around the call and the reading of its body; the test client's own
work is counted apart) and the SQL statements sent, then CPU per journey, and the CPU that the
PostgreSQL backend used for the same journeys (from ``/proc``). CPU time, not wall time:
other programs on the machine do not change it much.

    .venv/bin/python bench/journey_profile.py [--journeys 400] [--profile cprofile|pyinstrument]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_journey  (the default)
    DATABASE_URL=sqlite:////tmp/journey.sqlite3  (for a quick look)

The database is emptied first (schema ``public`` dropped; a SQLite file is deleted).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from citizen.app import create_app  # noqa: E402
from citizen.db import get_database  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test_journey"


def _load_bench() -> Any:
    """``bench/load.py`` as a module: the same consultation, limits and page parsing."""
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


load = _load_bench()


@dataclass
class Meter:
    """CPU and SQL statements of the last WSGI call."""

    cpu: float = 0.0
    statements: int = 0
    counting: int = 0
    show_sql: bool = False

    def wrap(self, app: Flask) -> None:
        inner = app.wsgi_app

        def timed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            self.counting = 0
            started = time.process_time()
            body = b"".join(inner(environ, start_response))
            self.cpu = time.process_time() - started
            self.statements = self.counting
            return [body]

        app.wsgi_app = timed  # type: ignore[method-assign]

        @event.listens_for(get_database(app).engine, "before_cursor_execute")
        def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            self.counting += 1
            if self.show_sql:
                print("   SQL:", " ".join(statement.split())[:150], file=sys.stderr)


@dataclass
class Results:
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statements: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    journeys: list[float] = field(default_factory=list)
    client: float = 0.0  # the test client's and this script's own CPU

    def add(self, kind: str, meter: Meter) -> None:
        self.cpu[kind].append(meter.cpu)
        self.statements[kind].append(meter.statements)


class Browser:
    """A browser with a cookie jar of one, on Flask's test client (its own jar unused)."""

    def __init__(self, app: Flask, meter: Meter, results: Results) -> None:
        self.client = app.test_client(use_cookies=False)
        self.meter = meter
        self.results = results
        self.cookie: str | None = None

    def request(self, kind: str, method: str, path: str, form: dict[str, str] | None = None,
                cookie: str | None = None) -> tuple[int, str, str]:
        headers = {"Accept-Language": "en"}
        sent = cookie if cookie is not None else self.cookie
        if sent:
            headers["Cookie"] = sent
        body = urlencode(form) if form is not None else None
        if self.meter.show_sql:
            print(f"{kind}: {method} {path}", file=sys.stderr)
        started = time.process_time()
        reply = self.client.open(path, method=method, headers=headers, data=body,
                                 content_type="application/x-www-form-urlencoded" if body else None)
        spent = time.process_time() - started
        self.results.client += spent - self.meter.cpu
        self.results.add(kind, self.meter)
        set_cookie = reply.headers.get("Set-Cookie")
        if set_cookie and cookie is None:
            self.cookie = set_cookie.split(";", 1)[0]
        return reply.status_code, reply.headers.get("Location", ""), reply.get_data(as_text=True)


def journey(app: Flask, meter: Meter, results: Results, slug: str, ids: dict[str, int],
            rng: random.Random, args: argparse.Namespace, number: int) -> None:
    """One resident, as in ``bench/load.py``: page 1, answers, check, submit, confirmation."""
    browser = Browser(app, meter, results)
    base = f"/consultations/{slug}/respond"
    status, _l, html = browser.request("GET section", "GET", f"{base}/1")
    assert status == 200, status
    form = {"csrf_token": load._find(load.CSRF.pattern, html),
            "form_key": load._find(load.FIELD.format(name="form_key"), html), "action": "next",
            f"q{ids['Q1']}": rng.choice(["o1", "o2"]),
            f"q{ids['Q2']}": rng.choice(["agree", "disagree"]),
            f"q{ids['Q3']}": rng.choice(load.TEXTS)}
    status, location, _h = browser.request("POST section", "POST", f"{base}/1", form)
    assert status == 302 and location.endswith("/respond/check"), (status, location)
    status, _l, html = browser.request("GET check", "GET", f"{base}/check")
    assert status == 200, status
    final = {"csrf_token": load._find(load.CSRF.pattern, html),
             "submit_key": load._find(load.FIELD.format(name="submit_key"), html)}
    if rng.random() < args.publish:
        final["consent_publish"] = "y"
    if rng.random() < args.email:
        final["email"] = f"resident{number}@example.org"
    before = browser.cookie or ""
    path = f"{base}/check"
    double = rng.random() < args.double_click
    status, location, _h = browser.request("POST submit", "POST", path, final)
    assert status == 302 and load.REFERENCE.search(location), (status, location)
    if double or rng.random() < args.retry:
        # The second press (or the retry) carries the cookie from before the first reply.
        again = Browser(app, meter, results)
        status, other, _h = again.request("POST submit again", "POST", path, final, cookie=before)
        assert status == 302 and other == location, (status, other, location)
    status, _l, _h = browser.request("GET done", "GET", location.replace("http://localhost", ""))
    assert status == 200, status


def _postgres_cpu(database: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving ``database``."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cmdline.startswith("postgres:") and f" {database} " in cmdline:
            total += load._cpu_seconds(int(entry.name))
    return total


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Development mail goes to stdout: keep it off the report."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _prepare(url: str) -> tuple[str, dict[str, int]]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).unlink(missing_ok=True)
    with _quiet():
        slug, ids = load.prepare(url)
    return slug, ids


def make_app(url: str, instance: Path) -> Flask:
    """The app as ``bench/load.py`` starts it under gunicorn."""
    return create_app({"env": "development", "database_url": url, "instance_path": instance,
                       "secret_key": secrets.token_urlsafe(48), "ratelimit_enabled": True,
                       "log_level": "WARNING", "redis_url": None,
                       "RATELIMIT_FORMS": load.BENCH_FORMS_LIMIT})


def run(app: Flask, meter: Meter, slug: str, ids: dict[str, int], args: argparse.Namespace,
        count: int, seed: int) -> Results:
    results = Results()
    rng = random.Random(seed)
    with _quiet():
        for number in range(count):
            started = time.process_time()
            journey(app, meter, results, slug, ids, rng, args, seed * 100000 + number)
            results.journeys.append(time.process_time() - started)
    return results


def report(results: Results, pg_cpu: float | None) -> None:
    n = len(results.journeys)
    print(f"{'request':<20}{'count':>7}{'CPU ms mean':>13}{'median':>9}{'p90':>8}{'SQL':>6}")
    app_total = 0.0
    for kind, values in results.cpu.items():
        ms = sorted(v * 1000 for v in values)
        app_total += sum(values)
        print(f"{kind:<20}{len(ms):>7}{statistics.fmean(ms):>13.2f}{statistics.median(ms):>9.2f}"
              f"{ms[int(0.9 * (len(ms) - 1))]:>8.2f}{statistics.fmean(results.statements[kind]):>6.1f}")
    requests = sum(len(v) for v in results.cpu.values())
    statements = sum(sum(v) for v in results.statements.values())
    print(f"app CPU per journey: {1000 * app_total / n:.2f} ms ({requests / n:.2f} requests, "
          f"{statements / n:.1f} SQL statements); per request {1000 * app_total / requests:.2f} ms")
    print(f"test client and script per journey: {1000 * results.client / n:.2f} ms "
          f"(not part of the app; whole journey incl. it: "
          f"{1000 * statistics.fmean(results.journeys):.2f} ms)")
    if pg_cpu is not None:
        print(f"PostgreSQL backend CPU per journey: {1000 * pg_cpu / n:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=30)
    load.add_journey_options(parser)
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"), default=None)
    parser.add_argument("--profile-out", default=None,
                        help="cProfile: write stats here (for pstats/snakeviz) as well")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--show-sql", action="store_true",
                        help="print each request and its SQL statements (to stderr) for a few journeys")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    slug, ids = _prepare(url)
    backend = make_url(url).get_backend_name()
    database = url.rsplit("/", 1)[1].split("?", 1)[0]
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp))
        meter = Meter()
        meter.wrap(app)
        run(app, meter, slug, ids, args, args.warmup, seed=1)  # imports, caches, connections
        if args.show_sql:
            meter.show_sql = True
            run(app, meter, slug, ids, args, 3, seed=3)
            meter.show_sql = False
        pg0 = _postgres_cpu(database) if backend == "postgresql" else None
        if args.profile == "cprofile":
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            results = run(app, meter, slug, ids, args, args.journeys, seed=2)
            profiler.disable()
            stats = pstats.Stats(profiler)
            if args.profile_out:
                stats.dump_stats(args.profile_out)
            stats.sort_stats(args.sort).print_stats(args.top)
        elif args.profile == "pyinstrument":
            from pyinstrument import Profiler  # not a dependency: pip install it to use this

            profiler = Profiler(interval=0.0005)
            profiler.start()
            results = run(app, meter, slug, ids, args, args.journeys, seed=2)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        else:
            results = run(app, meter, slug, ids, args, args.journeys, seed=2)
        pg_cpu = _postgres_cpu(database) - pg0 if pg0 is not None else None
        get_database(app).engine.dispose()
    print(f"{args.journeys} journeys on {backend} ({args.warmup} before, not counted)"
          + (f", under {args.profile}: times inflated" if args.profile else ""))
    report(results, pg_cpu)


if __name__ == "__main__":
    main()
