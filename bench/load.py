"""Load test: a burst of residents answering a consultation at once, then an exactly-once check.

Not a test. Runs the app under gunicorn (2 workers) on PostgreSQL and a load generator on
loopback: bounded, self-stopping virtual residents who each open the consultation, read the CSRF
token and form key from the page as a browser would, send their answers, check them and submit.
Some residents double-click the final button (two requests at once with the same cookie) and
some retry it after the reply (as when a reply is lost). At the end it prints responses per
second and latency percentiles, then checks the database: every reference acknowledged to a
client is stored exactly once, and nothing else was stored.

    .venv/bin/python bench/load.py [--residents 2000] [--concurrency 32]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_consultations  (the default)

The target database is emptied first (schema ``public`` dropped and re-created).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from citizen.app import create_app  # noqa: E402
from citizen.cli import upgrade_database  # noqa: E402
from citizen.consultations import services  # noqa: E402
from citizen.consultations.models import Answer, Response, Status  # noqa: E402
from citizen.db import make_engine, unit_of_work, utcnow  # noqa: E402
from citizen.demo import seed_all  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test_consultations"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
FIELD = r'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"'
REFERENCE = re.compile(r"ref=(CW-[A-Z0-9]{8})")


def _find(pattern: str, html: str) -> str:
    match = re.search(pattern, html)
    if not match:
        raise RuntimeError(f"not found on the page: {pattern}")
    return next(g for g in match.groups() if g is not None)


def prepare(url: str) -> tuple[str, dict[str, int]]:
    """Empty the database, migrate, seed, and add a one-page consultation; return its slug and
    question ids by code."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"env": "test", "database_url": url, "instance_path": Path(tmp),
                          "log_level": "WARNING"})
        upgrade_database(app)
        with app.app_context(), unit_of_work(app) as session:
            seed_all(session)
            now = utcnow().astimezone(services.LONDON).replace(tzinfo=None)
            consultation = services.create(session, None, services.Details(
                title="Launch day", summary="Load test.", body="", privacy_notice="",
                places=["coventry"], topic="general", opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=1), anonymous_allowed=True, post_moderated=False,
                equality_monitoring=False, contact=""))
            section = services.add_section(session, consultation, {"en": "Your view"})
            for kind, label, options in (("single_choice", "Pick one", ["Yes", "No"]),
                                         ("agreement", "Do you agree", []),
                                         ("short_text", "Anything else", [])):
                services.add_question(session, section, services.QuestionSpec(
                    kind=kind, text={"en": label}, help={}, required=kind == "single_choice",
                    option_labels=options, statement_labels=[], settings={}, condition=None))
            consultation.status = Status.SCHEDULED
            session.flush()
            return consultation.slug, {q.code: q.id for q in consultation.questions()}


class Client:
    """A browser-like HTTP client on one keep-alive connection, with a cookie jar of one."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie: str | None = None
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                cookie: str | None = None, latencies: list[float] | None = None
                ) -> tuple[int, str, str]:
        headers = {"Accept-Language": "en"}
        use_cookie = cookie if cookie is not None else self.cookie
        if use_cookie:
            headers["Cookie"] = use_cookie
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                started = time.perf_counter()
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read().decode()
                if latencies is not None:
                    latencies.append((time.perf_counter() - started) * 1000)
                break
            except (TimeoutError, http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie and cookie is None:
            self.cookie = set_cookie.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", payload


@dataclass
class Totals:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    double_clicks: int = 0
    retries: int = 0


def resident(port: int, slug: str, ids: dict[str, int], rng: random.Random, totals: Totals,
             double_click: float, retry: float) -> None:
    client = Client(port)
    latencies: list[float] = []
    try:
        status, _location, html = client.request("GET", f"/consultations/{slug}/respond/1",
                                                 latencies=latencies)
        assert status == 200, f"page 1: {status}"
        form = {"csrf_token": _find(CSRF.pattern, html),
                "form_key": _find(FIELD.format(name="form_key"), html), "action": "next",
                f"q{ids['Q1']}": rng.choice(["o1", "o2"]), f"q{ids['Q2']}": rng.choice(["agree", "disagree"]),
                f"q{ids['Q3']}": rng.choice(["", "More buses please", "Open on Saturdays"])}
        status, location, _html = client.request("POST", f"/consultations/{slug}/respond/1", form,
                                                 latencies=latencies)
        assert status == 302 and location.endswith("/respond/check"), f"page 1 post: {status}"
        status, _location, html = client.request("GET", f"/consultations/{slug}/respond/check",
                                                 latencies=latencies)
        assert status == 200, f"check: {status}"
        final = {"csrf_token": _find(CSRF.pattern, html),
                 "submit_key": _find(FIELD.format(name="submit_key"), html)}
        cookie_before = client.cookie
        path = f"/consultations/{slug}/respond/check"
        if rng.random() < double_click:
            # Two presses at once: the second leaves before the first reply (same old cookie).
            other = Client(port)
            results: list[tuple[int, str, str]] = []
            thread = threading.Thread(target=lambda: results.append(
                other.request("POST", path, final, cookie=cookie_before or "")))
            thread.start()
            status, location, _html = client.request("POST", path, final, latencies=latencies)
            thread.join()
            second = results[0][1] if results else ""
            with totals.lock:
                totals.double_clicks += 1
            if REFERENCE.search(second) and REFERENCE.search(location):
                assert REFERENCE.search(second).group(1) == REFERENCE.search(location).group(1), \
                    "double-click gave two references"  # type: ignore[union-attr]
        else:
            status, location, _html = client.request("POST", path, final, latencies=latencies)
        assert status == 302, f"submit: {status}"
        if rng.random() < retry:
            # The reply was "lost": the browser sends the same form again with the old cookie.
            _s, again, _h = client.request("POST", path, final, cookie=cookie_before or "")
            with totals.lock:
                totals.retries += 1
            assert REFERENCE.search(again) and REFERENCE.search(again).group(1) == \
                REFERENCE.search(location).group(1), "retry gave a new reference"  # type: ignore[union-attr]
        found = REFERENCE.search(location)
        assert found, f"no reference in {location}"
        with totals.lock:
            totals.acknowledged.append(found.group(1))
        done_path = location.replace(f"http://127.0.0.1:{port}", "")
        status, _l, _h = client.request("GET", done_path, latencies=latencies)
        assert status == 200, f"confirmation page: {status}"
        with totals.lock:
            totals.latencies.extend(latencies)
    except Exception as error:
        with totals.lock:
            totals.errors.append(repr(error)[:200])
            totals.latencies.extend(latencies)
    finally:
        client.connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--double-click", type=float, default=0.05)
    parser.add_argument("--retry", type=float, default=0.05)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    slug, ids = prepare(url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CITIZEN_ENV": "development", "DATABASE_URL": url,
               "SECRET_KEY": secrets.token_urlsafe(48), "RATELIMIT_ENABLED": "false",
               "LOG_LEVEL": "WARNING", "CITIZEN_INSTANCE_PATH": tmp, "REDIS_URL": ""}
        gunicorn = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.workers), "--threads",
             str(args.threads), "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, start_new_session=True)
        try:
            deadline = time.time() + 60
            while True:
                try:
                    status, _l, _h = Client(port).request("GET", "/healthz")
                    if status == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.5)
            totals = Totals()
            rng = random.Random(11)
            queue = list(range(args.residents))
            queue_lock = threading.Lock()

            def worker(seed: int) -> None:
                local = random.Random(seed)
                while True:
                    with queue_lock:
                        if not queue:
                            return
                        queue.pop()
                    resident(port, slug, ids, local, totals, args.double_click, args.retry)

            threads = [threading.Thread(target=worker, args=(rng.randrange(1 << 30),))
                       for _ in range(args.concurrency)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
    acknowledged = totals.acknowledged
    print(f"{args.residents} residents, {args.concurrency} at once, gunicorn {args.workers} workers x "
          f"{args.threads} threads, {os.cpu_count()} CPU cores shared with everything else")
    print(f"submitted responses acknowledged: {len(acknowledged)} in {elapsed:.1f}s = "
          f"{len(acknowledged) / elapsed:.1f} responses/s ({len(totals.latencies) / elapsed:.1f} requests/s)")
    print(f"request latency ms: p50 {percentile(totals.latencies, 0.50):.1f}  "
          f"p95 {percentile(totals.latencies, 0.95):.1f}  p99 {percentile(totals.latencies, 0.99):.1f}  "
          f"mean {statistics.fmean(totals.latencies) if totals.latencies else 0:.1f}")
    print(f"double-clicks: {totals.double_clicks}, retries: {totals.retries}, errors: {len(totals.errors)}")
    for error in totals.errors[:5]:
        print("  error:", error)
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = [r for (r,) in conn.execute(select(Response.reference).where(
            Response.status == "submitted", Response.reference.like("CW-%")))]
        answers_per = {n for (n,) in conn.execute(
            select(func.count()).select_from(Answer).join(Response, Response.id == Answer.response_id)
            .where(Response.status == "submitted", Response.reference.like("CW-%"))
            .group_by(Response.id))}
    engine.dispose()
    missing = set(acknowledged) - set(stored)
    extra = set(stored) - set(acknowledged)
    duplicates = len(stored) - len(set(stored))
    print(f"database: {len(stored)} submitted responses stored; acknowledged but missing: {len(missing)}; "
          f"stored but never acknowledged: {len(extra)}; duplicate references: {duplicates}; "
          f"answers per response: {sorted(answers_per)}")
    ok = not missing and not duplicates and len(set(acknowledged)) == len(acknowledged) and not extra
    print("exactly once: " + ("YES" if ok else "NO"))
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
