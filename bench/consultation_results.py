"""Benchmark: a consultation with 100,000 responses x 15 questions; time of the results page and hub.

Not a test. Builds the schema on ``DATABASE_URL`` (default: a fresh SQLite file), seeds one
consultation with 15 questions of every countable kind and N submitted responses (bulk inserts),
then requests the staff results page (signed in as an organiser with two-factor), the hub and
the public consultation page through the WSGI test client and prints the median and worst time.

    .venv/bin/python bench/consultation_results.py [--responses 100000] [--runs 5]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_consultations \\
        .venv/bin/python bench/consultation_results.py

On PostgreSQL the target database is emptied first (schema ``public`` dropped and re-created).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from citizen.app import create_app
from citizen.cli import upgrade_database
from citizen.consultations import questions as kinds
from citizen.consultations import services
from citizen.consultations.models import Answer, Response, Status
from citizen.db import get_database, make_engine, unit_of_work, utcnow
from citizen.demo import seed_all

QUESTIONS = [
    ("single_choice", ("Yes", "No", "Not sure")),
    ("single_choice", ("Bus", "Car", "Walk", "Bike")),
    ("dropdown", ("Coventry", "Rugby", "South Warwickshire", "Warwickshire North")),
    ("agreement", ()),
    ("agreement", ()),
    ("rating", ()),
    ("rating", ()),
    ("multiple_choice", ("A", "B", "C", "D", "E")),
    ("multiple_choice", ("Mornings", "Afternoons", "Evenings")),
    ("ranking", ("Speed", "Continuity", "Distance", "Language")),
    ("matrix", ()),
    ("number", ()),
    ("date", ()),
    ("long_text", ()),
    ("short_text", ()),
]
WORDS = ("bus", "parking", "waiting", "phone", "receptionist", "appointment", "pharmacy", "late",
         "kind", "helpful", "interpreter", "evening", "weekend", "online", "letter")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PLACES = ("coventry", "rugby", "south-warwickshire", "warwickshire-north")
CHANNELS = ("online",) * 8 + ("paper", "phone")


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def value_for(question, rng: random.Random):  # type: ignore[no-untyped-def]
    kind = question.kind
    codes = [c for c, _l in kinds.choices_of(question, "en")]
    if kind in ("single_choice", "dropdown", "agreement", "rating"):
        return rng.choice(codes)
    if kind == "multiple_choice":
        return {"selected": sorted(rng.sample(codes, rng.randint(1, len(codes)))), "other": None}
    if kind == "ranking":
        return rng.sample(codes, len(codes))
    if kind == "matrix":
        scale = [c for c, _l in kinds.scale_of(question)]
        return {s: rng.choice(scale) for s, _l in kinds.statements_of(question, "en")}
    if kind == "number":
        return str(rng.randint(0, 30))
    if kind == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))


def seed(app, responses: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with app.app_context(), unit_of_work(app) as session:
        seed_all(session)
        details = services.Details(
            title="Bench consultation", summary="For the benchmark.", body="", privacy_notice="",
            places=list(PLACES), topic="general", opens_at=None, closes_at=None,
            anonymous_allowed=True, post_moderated=False, equality_monitoring=False, contact="")
        consultation = services.create(session, None, details)
        now = utcnow()
        consultation.opens_at, consultation.closes_at = now - timedelta(days=30), now + timedelta(days=30)
        section = services.add_section(session, consultation, {"en": "Questions"})
        for index, (kind, options) in enumerate(QUESTIONS, start=1):
            services.add_question(session, section, services.QuestionSpec(
                kind=kind, text={"en": f"Question {index}"}, help={}, required=False,
                option_labels=list(options), statement_labels=["One", "Two", "Three"],
                settings={"other": True} if index == 8 else {}, condition=None))
        consultation.status = Status.SCHEDULED
        session.flush()
        cid, slug = consultation.id, consultation.slug
        questions = consultation.questions()
        from citizen.accounts.models import User, UserRole
        from citizen.accounts.passwords import hash_password

        user = User(email="bench-organiser@example.org", password_hash=hash_password("bench password 123"),
                    locale="en", email_verified_at=now, totp_secret=SECRET, totp_enabled_at=now)
        user.roles.append(UserRole(role="organiser"))
        session.add(user)
    rng = random.Random(7)
    engine = get_database(app).engine
    postgres = engine.url.get_backend_name() == "postgresql"
    # A pool of stored values per question, sampled from, keeps seeding fast.
    pools = []
    for q in questions:
        pool = []
        for _ in range(3000):
            stored = kinds.to_stored(q, value_for(q, rng))
            pool.append((stored.text, None if stored.json is None else json.dumps(stored.json),
                         stored.number, stored.code(q.kind)))
        pools.append((q.id, pool))
    started = time.perf_counter()
    chunk = 10_000
    response_columns = ("id", "consultation_id", "channel", "status", "locale", "reference",
                        "client_key_hash", "place_slug", "consent_contact", "consent_publish",
                        "created_at", "updated_at", "submitted_at")
    answer_columns = ("id", "response_id", "question_id", "value_text", "value_json", "value_number",
                      "value_code")
    with engine.begin() as conn:
        next_response = (conn.scalar(select(func.max(Response.id))) or 0) + 1
        next_answer = (conn.scalar(select(func.max(Answer.id))) or 0) + 1
        raw = conn.connection.driver_connection
        for start in range(0, responses, chunk):
            count = min(chunk, responses - start)
            response_rows = []
            answer_rows = []
            for i in range(count):
                rid = next_response + start + i
                when = now - timedelta(minutes=rng.randint(0, 60 * 24 * 29))
                stamp = when if postgres else when.isoformat(sep=" ")
                response_rows.append((rid, cid, rng.choice(CHANNELS), "submitted", "en", f"B-{rid:09d}",
                                      secrets.token_hex(32), rng.choice(PLACES), False, False,
                                      stamp, stamp, stamp))
                for qid, pool in pools:
                    text_value, json_value, number, code = pool[rng.randrange(len(pool))]
                    answer_rows.append((next_answer, rid, qid, text_value, json_value, number, code))
                    next_answer += 1
            if postgres:
                with raw.cursor() as cursor:
                    with cursor.copy(f"COPY consultation_response ({', '.join(response_columns)}) "
                                     "FROM STDIN") as copy:
                        for row in response_rows:
                            copy.write_row(row)
                    with cursor.copy(f"COPY consultation_answer ({', '.join(answer_columns)}) "
                                     "FROM STDIN") as copy:
                        for row in answer_rows:
                            copy.write_row(row)
            else:
                cursor = raw.cursor()
                cursor.executemany(
                    f"INSERT INTO consultation_response ({', '.join(response_columns)}) "
                    f"VALUES ({', '.join('?' * len(response_columns))})", response_rows)
                cursor.executemany(
                    f"INSERT INTO consultation_answer ({', '.join(answer_columns)}) "
                    f"VALUES ({', '.join('?' * len(answer_columns))})", answer_rows)
                cursor.close()
        if postgres:
            for table in ("consultation_response", "consultation_answer"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        conn.execute(text("ANALYZE"))
    if postgres:
        # What autovacuum does soon after a bulk load; lets PostgreSQL count from the index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE consultation_answer"))
            conn.execute(text("VACUUM ANALYZE consultation_response"))
    print(f"seeded {responses:,} responses x {len(questions)} questions "
          f"({responses * len(questions):,} answers) in {time.perf_counter() - started:.1f}s")
    return cid, slug


def timed(client, path: str, runs: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    times = []
    status = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(times), max(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="keep an already seeded DATABASE_URL (skip reset and seeding)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        if make_url(url).get_backend_name() == "postgresql" and not args.reuse:
            reset_postgres(url)
        app = create_app({"env": "test", "database_url": url, "instance_path": Path(tmp),
                          "ratelimit_enabled": False, "WTF_CSRF_ENABLED": False, "log_level": "WARNING"})
        upgrade_database(app)
        with app.app_context(), unit_of_work(app) as session:
            found = services.by_slug(session, "bench-consultation") if args.reuse else None
            existing = (found.id, found.slug) if found is not None else None
        cid, slug = existing or seed(app, args.responses)
        client = app.test_client()
        client.post("/account/sign-in", data={"email": "bench-organiser@example.org",
                                              "password": "bench password 123"})
        done = client.post("/account/two-factor", data={"code": pyotp.TOTP(SECRET).now()})
        assert done.status_code == 302, "could not sign in"
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(f"/consultations/manage/{cid}/results")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        backend = make_url(url).get_backend_name()
        print(f"database: {backend}; {args.runs} runs each (first run included)")
        cold: list[float] = []
        from citizen.consultations import results as results_service

        with app.app_context(), unit_of_work(app) as session:
            consultation = services.get(session, cid)
            assert consultation is not None
            for _run in range(args.runs):
                started = time.perf_counter()
                results_service.compute(session, consultation, results_service.Filters(), "en",
                                        use_cache=False)
                cold.append((time.perf_counter() - started) * 1000)
        print(f"{'results counting, no cache (SQL)':40s} median {statistics.median(cold):8.1f} ms   "
              f"worst {max(cold):8.1f} ms")
        for label, path in (
            ("results page (cached after first run)", f"/consultations/manage/{cid}/results"),
            ("results, filtered (place + channel)",
             f"/consultations/manage/{cid}/results?place=rugby&channel=online"),
            ("results, free-text search", f"/consultations/manage/{cid}/results?q=interpreter+evening"),
            ("hub", "/consultations/"),
            ("consultation page", f"/consultations/{slug}"),
        ):
            median, worst, status = timed(client, path, args.runs)
            print(f"{label:40s} median {median:8.1f} ms   worst {worst:8.1f} ms   (HTTP {status})")


if __name__ == "__main__":
    main()
