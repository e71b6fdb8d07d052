"""Load test: a burst of residents answering a consultation at once, then an exactly-once check.

Not a test. Runs the app under gunicorn (2 workers) on PostgreSQL and a load generator on
loopback: bounded, self-stopping virtual residents who each open the consultation, read the CSRF
token and form key from the page as a browser would, send their answers, check them and submit.
Some residents double-click the final button (two requests at once with the same cookie) and
some retry it after the reply (as when a reply is lost). At the end it prints responses per
second and latency percentiles, then checks the database: every reference acknowledged to a
client is stored exactly once, and nothing else was stored.

    .venv/bin/python bench/load.py [--residents 2000] [--concurrency 32] [--ceiling]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_consultations  (the default)

The target database is emptied first (schema ``public`` dropped and re-created).

With ``--ceiling`` the same generator and journey run, under the same gunicorn settings, against
``bench/load_ceiling.py`` instead of the app: a skeleton with no application logic (session,
CSRF token, Jinja layout, one PostgreSQL transaction per request, an idempotent insert on
submit). Its figures are this machine's ceiling; the app's shortfall from them is application
work. Only its table ``load_ceiling`` is emptied, and the exactly-once check reads it.
"""

from __future__ import annotations

import argparse
import asyncio
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


def prepare_ceiling(url: str) -> tuple[str, dict[str, int]]:
    """Create the skeleton's table if missing and empty it; return a slug and its question ids."""
    from bench import load_ceiling

    load_ceiling.create_table(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE load_ceiling"))
    engine.dispose()
    return "launch-day", load_ceiling.QUESTIONS


def stored_references(url: str, ceiling: bool) -> tuple[list[str], str]:
    """The references stored (submitted responses, or the skeleton's rows) and, for the app, a
    note of how many answers each response has."""
    engine = make_engine(url)
    with engine.connect() as conn:
        if ceiling:
            stored = [r for (r,) in conn.execute(text("SELECT reference FROM load_ceiling"))]
            note = ""
        else:
            stored = [r for (r,) in conn.execute(select(Response.reference).where(
                Response.status == "submitted", Response.reference.like("CW-%")))]
            answers_per = {n for (n,) in conn.execute(
                select(func.count()).select_from(Answer)
                .join(Response, Response.id == Answer.response_id)
                .where(Response.status == "submitted", Response.reference.like("CW-%"))
                .group_by(Response.id))}
            note = f"; answers per response: {sorted(answers_per)}"
    engine.dispose()
    return stored, note


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams: just enough HTTP for this app.

    The generator shares the machine's cores with the server, so it is kept light: no
    threads, no http.client, one regular expression search per page read."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes, cookie: str | None
                      ) -> tuple[int, dict[str, str], bytes]:
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Accept-Language: en"]
        if cookie:
            head.append(f"Cookie: {cookie}")
        if method == "POST":
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                assert self.reader is not None
                self.writer.write(data)
                raw = await self.reader.readuntil(b"\r\n\r\n")
                lines = raw.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.lower()] = value.strip()
                if "content-length" in headers:
                    payload = await self.reader.readexactly(int(headers["content-length"]))
                elif headers.get("transfer-encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        chunks.append(await self.reader.readexactly(size + 2))
                        if size == 0:
                            break
                    payload = b"".join(c[:-2] for c in chunks)
                else:
                    payload = await self.reader.read()
                if headers.get("connection", "").lower() == "close":
                    await self.close()
                return status, headers, payload
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()  # the server closed a kept-alive connection: once more
                if attempt:
                    raise
        raise AssertionError("unreachable")


class Browser:
    """A browser-like client: one connection, a cookie jar of one, request latencies."""

    def __init__(self, port: int, latencies: list[float]) -> None:
        self.connection = Connection(port)
        self.cookie: str | None = None
        self.latencies = latencies

    async def request(self, method: str, path: str, form: dict[str, str] | None = None,
                      cookie: str | None = None, record: bool = True) -> tuple[int, str, str]:
        body = urlencode(form).encode() if form is not None else b""
        started = time.perf_counter()
        status, headers, payload = await self.connection.request(
            method, path, body, cookie if cookie is not None else self.cookie)
        if record:
            self.latencies.append((time.perf_counter() - started) * 1000)
        set_cookie = headers.get("set-cookie")
        if set_cookie and cookie is None:
            self.cookie = set_cookie.split(";", 1)[0]
        return status, headers.get("location", ""), payload.decode()


@dataclass
class Totals:
    latencies: list[float] = field(default_factory=list)
    submit_latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    double_clicks: int = 0
    retries: int = 0
    published: int = 0
    emailed: int = 0


TEXTS = ("", "", "More buses please", "Open on Saturdays",
         "I waited three weeks for an appointment at my surgery and the phone line was always busy. "
         "Please put more appointments online and keep the walk-in clinic open in the evenings.")


async def resident(port: int, slug: str, ids: dict[str, int], rng: random.Random, totals: Totals,
                   args: argparse.Namespace, number: int) -> None:
    """One resident: open page 1, answer, check, submit (sometimes twice), see the receipt."""
    latencies: list[float] = []
    browser = Browser(port, latencies)
    base = f"/consultations/{slug}/respond"
    try:
        status, _location, html = await browser.request("GET", f"{base}/1")
        assert status == 200, f"page 1: {status}"
        form = {"csrf_token": _find(CSRF.pattern, html),
                "form_key": _find(FIELD.format(name="form_key"), html), "action": "next",
                f"q{ids['Q1']}": rng.choice(["o1", "o2"]), f"q{ids['Q2']}": rng.choice(["agree", "disagree"]),
                f"q{ids['Q3']}": rng.choice(TEXTS)}
        status, location, _html = await browser.request("POST", f"{base}/1", form)
        assert status == 302 and location.endswith("/respond/check"), f"page 1 post: {status}"
        status, _location, html = await browser.request("GET", f"{base}/check")
        assert status == 200, f"check: {status}"
        final = {"csrf_token": _find(CSRF.pattern, html),
                 "submit_key": _find(FIELD.format(name="submit_key"), html)}
        if rng.random() < args.publish:
            final["consent_publish"] = "y"
            totals.published += 1
        if rng.random() < args.email:
            final["email"] = f"resident{number}@example.org"
            totals.emailed += 1
        cookie_before = browser.cookie or ""
        path = f"{base}/check"
        started = time.perf_counter()
        if rng.random() < args.double_click:
            # Two presses at once: the second leaves before the first reply (same old cookie,
            # its own connection).
            other = Browser(port, [])
            first, second = await asyncio.gather(
                browser.request("POST", path, final),
                other.request("POST", path, final, cookie=cookie_before))
            await other.connection.close()
            status, location, _html = first
            totals.double_clicks += 1
            a, b = REFERENCE.search(location), REFERENCE.search(second[1])
            if a and b:
                assert a.group(1) == b.group(1), "double-click gave two references"
        else:
            status, location, _html = await browser.request("POST", path, final)
        totals.submit_latencies.append((time.perf_counter() - started) * 1000)
        assert status == 302, f"submit: {status}"
        found = REFERENCE.search(location)
        assert found, f"no reference in {location}"
        if rng.random() < args.retry:
            # The reply was "lost": the browser sends the same form again with the old cookie.
            _s, again, _h = await browser.request("POST", path, final, cookie=cookie_before)
            totals.retries += 1
            repeat = REFERENCE.search(again)
            assert repeat and repeat.group(1) == found.group(1), "retry gave a new reference"
        totals.acknowledged.append(found.group(1))
        done_path = location.replace(f"http://127.0.0.1:{port}", "")
        status, _l, _h = await browser.request("GET", done_path)
        assert status == 200, f"confirmation page: {status}"
    except Exception as error:
        totals.errors.append(repr(error)[:200])
    finally:
        totals.latencies.extend(latencies)
        await browser.connection.close()


async def generate(port: int, slug: str, ids: dict[str, int], args: argparse.Namespace,
                   totals: Totals) -> None:
    """``args.concurrency`` virtual residents at a time until ``args.residents`` have answered."""
    remaining = iter(range(args.residents))
    rng = random.Random(11)

    async def worker(seed: int) -> None:
        local = random.Random(seed)
        for number in remaining:
            await resident(port, slug, ids, local, totals, args, number)

    await asyncio.gather(*(worker(rng.randrange(1 << 30)) for _ in range(args.concurrency)))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _server_cpu(gunicorn_pid: int, database: str) -> tuple[float, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by the PostgreSQL backends
    serving ``database``."""
    app = pg = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if int(entry.name) == gunicorn_pid or parent == gunicorn_pid:
            app += _cpu_seconds(int(entry.name))
        elif cmdline.startswith("postgres:") and f" {database} " in cmdline:
            pg += _cpu_seconds(int(entry.name))
    return app, pg


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# All residents come from one loopback address, so the public forms' limit (20 a minute per
# address) would be all this measured. The server runs with the limiter on (its cost counts)
# and this limit for the forms instead, passed to the app factory as Flask config.
BENCH_FORMS_LIMIT = "1000000 per minute"


def add_journey_options(parser: argparse.ArgumentParser) -> None:
    """How residents behave: shared with ``bench/journey_profile.py`` so both run one journey."""
    parser.add_argument("--double-click", type=float, default=0.05)
    parser.add_argument("--retry", type=float, default=0.05)
    parser.add_argument("--publish", type=float, default=0.3,
                        help="share who agree to publication (their free text is scanned and queued)")
    parser.add_argument("--email", type=float, default=0.1,
                        help="share who leave an e-mail address (a receipt is mailed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    add_journey_options(parser)
    parser.add_argument("--ceiling", action="store_true",
                        help="serve bench/load_ceiling.py (no application logic) instead of the app")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if args.ceiling:
        slug, ids = prepare_ceiling(url)
        target = "bench.load_ceiling:app"
    else:
        slug, ids = prepare(url)
        # Receipts go to files under the temporary instance folder (no MAIL_SERVER); the
        # development console copy of each mail is thrown away with the server's stdout.
        target = f"citizen.app:create_app({{'RATELIMIT_FORMS': {BENCH_FORMS_LIMIT!r}}})"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CITIZEN_ENV": "development", "DATABASE_URL": url,
               "SECRET_KEY": secrets.token_urlsafe(48), "RATELIMIT_ENABLED": "true",
               "LOG_LEVEL": "WARNING", "CITIZEN_INSTANCE_PATH": tmp, "REDIS_URL": ""}
        gunicorn = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.workers), "--threads",
             str(args.threads), "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
             "--backlog", "2048", "--log-level", "warning", target],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
        totals = Totals()
        try:
            deadline = time.time() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=5) as probe:
                        probe.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                        if probe.recv(64).split(b" ", 2)[1:2] == [b"200"]:
                            break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.5)
            database = url.rsplit("/", 1)[1].split("?", 1)[0]
            app_cpu0, pg_cpu0 = _server_cpu(gunicorn.pid, database)
            own0 = time.process_time()
            started = time.perf_counter()
            asyncio.run(generate(port, slug, ids, args, totals))
            elapsed = time.perf_counter() - started
            own_cpu = time.process_time() - own0
            app_cpu, pg_cpu = (a - b for a, b in zip(_server_cpu(gunicorn.pid, database),
                                                      (app_cpu0, pg_cpu0), strict=True))
        finally:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
    acknowledged = totals.acknowledged
    prefix = ("CEILING SKELETON bench/load_ceiling.py (no application logic, not the app): "
              if args.ceiling else "")
    print(f"{prefix}{args.residents} residents, {args.concurrency} at once, gunicorn {args.workers} "
          f"workers x {args.threads} threads (gthread), {os.cpu_count()} CPU cores shared with "
          "everything else")
    print(f"submitted responses acknowledged: {len(acknowledged)} in {elapsed:.1f}s = "
          f"{len(acknowledged) / elapsed:.1f} responses/s ({len(totals.latencies) / elapsed:.1f} requests/s)")
    print(f"request latency ms: p50 {percentile(totals.latencies, 0.50):.1f}  "
          f"p95 {percentile(totals.latencies, 0.95):.1f}  p99 {percentile(totals.latencies, 0.99):.1f}  "
          f"mean {statistics.fmean(totals.latencies) if totals.latencies else 0:.1f}")
    print(f"submission latency ms (final press until its reply): "
          f"p50 {percentile(totals.submit_latencies, 0.50):.1f}  "
          f"p95 {percentile(totals.submit_latencies, 0.95):.1f}  "
          f"p99 {percentile(totals.submit_latencies, 0.99):.1f}")
    per = max(len(acknowledged), 1)
    print(f"CPU seconds: app {app_cpu:.1f}, PostgreSQL {pg_cpu:.1f}, this load generator {own_cpu:.1f} "
          f"(per response ms: {1000 * app_cpu / per:.1f} / {1000 * pg_cpu / per:.1f} / "
          f"{1000 * own_cpu / per:.1f}); wall {elapsed:.1f}s x {os.cpu_count()} cores")
    print(f"double-clicks: {totals.double_clicks}, retries: {totals.retries}, agreed to publish: "
          f"{totals.published}, left an e-mail: {totals.emailed}, errors: {len(totals.errors)}")
    for error in totals.errors[:5]:
        print("  error:", error)
    stored, note = stored_references(url, args.ceiling)
    missing = set(acknowledged) - set(stored)
    extra = set(stored) - set(acknowledged)
    duplicates = len(stored) - len(set(stored))
    kept = "references stored in load_ceiling" if args.ceiling else "submitted responses stored"
    print(f"database: {len(stored)} {kept}; acknowledged but missing: {len(missing)}; "
          f"stored but never acknowledged: {len(extra)}; duplicate references: {duplicates}{note}")
    ok = not missing and not duplicates and len(set(acknowledged)) == len(acknowledged) and not extra
    print("exactly once: " + ("YES" if ok else "NO"))
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
