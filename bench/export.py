"""Benchmark: export 100,000 responses x 20 questions in each format; rows per second and peak
memory.

Not a test. Seeds (once) a consultation with N submitted responses to 20 questions of every
kind (two free-text questions, run through personal-data redaction like any real export) on
the configured database: a SQLite file under ``--workdir`` by default, or ``DATABASE_URL``
(PostgreSQL: use your own database, e.g. ``postgresql+psycopg://postgres@127.0.0.1/test_exports``).
Each export then runs in a fresh process through the real job (``run_export``), and the
process's peak resident memory (everything: Python, Flask, SQLAlchemy and the export) is
reported. Goals: CSV >= 50,000 rows/s; peak memory < 150 MB for every format.

    .venv/bin/python bench/export.py [--responses 100000] [--formats csv,xlsx,jsonl]
                                     [--layouts wide,long] [--workdir /tmp/citizen-bench-export]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "bench-export"
QUESTIONS: list[tuple[str, str]] = (
    [("single_choice", "Q")] * 6 + [("agreement", "Q")] * 3 + [("rating", "Q")] * 2
    + [("multiple_choice", "Q")] * 2 + [("dropdown", "Q")] + [("number", "Q")] * 2
    + [("date", "Q")] + [("ranking", "Q")] + [("long_text", "Q")] * 2
)
OPTIONS = [{"code": f"o{i}", "label": {"en": f"Option {i}"}} for i in range(1, 6)]
PHRASES = [
    "The wait at the clinic was {n} minutes and nobody told us why.",
    "Staff on ward {n} were kind and explained everything clearly.",
    "Parking cost me {n} pounds, which is too much for a short visit.",
    "I could not get an appointment for {n} days; the phone line was always busy.",
    "Please ring me on 07700 900{n:03d} about my experience.",
    "The interpreter was very helpful and the leaflet was in my language.",
]


def database_url(workdir: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench_export.sqlite3'}"


def make_app(workdir: Path) -> Any:
    from citizen.app import create_app

    return create_app({"env": "test", "database_url": database_url(workdir),
                       "instance_path": workdir / "instance", "redis_url": None,
                       "secret_key": "bench-secret-key-that-is-long-enough-for-anything",
                       "ratelimit_enabled": False})


def seed(app: Any, responses: int) -> int:
    """Create the benchmark consultation unless it is there with ``responses`` responses."""
    from sqlalchemy import func, insert, select

    from citizen.accounts.models import User
    from citizen.cli import upgrade_database
    from citizen.consultations.models import (
        Answer,
        Consultation,
        ConsultationTranslation,
        Question,
        Response,
        Section,
    )
    from citizen.db import unit_of_work
    from citizen.places.services import seed_places

    upgrade_database(app)
    existing = None
    with app.app_context(), unit_of_work(app) as session:
        consultation = session.scalar(select(Consultation).where(Consultation.slug == SLUG))
        if consultation is not None and session.scalar(
                select(func.count()).select_from(Response)
                .where(Response.consultation_id == consultation.id)) == responses:
            existing = consultation.id
    if existing is not None:
        _store_cells(app, existing)
        return existing
    with app.app_context(), unit_of_work(app) as session:
        seed_places(session)
        consultation = session.scalar(select(Consultation).where(Consultation.slug == SLUG))
        if consultation is not None:
            session.delete(consultation)
            session.flush()
        user = session.scalar(select(User).where(User.email == "bench-exporter@bench.example"))
        if user is None:
            session.add(User(email="bench-exporter@bench.example", password_hash="-", locale="en"))
        consultation = Consultation(slug=SLUG, status="closed", equality_monitoring=True)
        consultation.translations.append(ConsultationTranslation(locale="en", title="Benchmark"))
        section = Section(position=0, title={"en": "All"})
        consultation.sections.append(section)
        session.add(consultation)
        session.flush()
        questions = []
        for i, (kind, _prefix) in enumerate(QUESTIONS, start=1):
            settings: dict[str, Any] = {}
            if kind == "multiple_choice":
                settings = {"other": True}
            question = Question(consultation_id=consultation.id, section_id=section.id,
                                code=f"Q{i}", position=i, kind=kind, text={"en": f"Question {i}"},
                                options=OPTIONS if kind in ("single_choice", "multiple_choice",
                                                            "dropdown", "ranking") else [],
                                settings=settings)
            session.add(question)
            questions.append(question)
        session.flush()
        consultation_id = consultation.id
        plan = [(q.id, q.kind) for q in questions]

    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    chunk = 5000
    began = time.perf_counter()
    for offset in range(0, responses, chunk):
        with app.app_context(), unit_of_work(app) as session:
            rows = [{"consultation_id": consultation_id, "status": "submitted",
                     "channel": rng.choice(("online", "online", "online", "paper", "phone")),
                     "locale": rng.choice(("en", "en", "en", "pl", "ur", "pa")),
                     "client_key_hash": uuid.uuid4().hex + uuid.uuid4().hex[:32],
                     "place_slug": rng.choice(("coventry", "rugby", "south-warwickshire",
                                               "warwickshire-north")),
                     "submitted_at": start + timedelta(seconds=(offset + n) * 97),
                     "created_at": start, "updated_at": start}
                    for n in range(min(chunk, responses - offset))]
            ids = list(session.scalars(insert(Response).returning(Response.id), rows))
            answers = []
            for response_id in ids:
                for question_id, kind in plan:
                    answers.append({"response_id": response_id, "question_id": question_id,
                                    **_value(kind, rng)})
            session.execute(insert(Answer), answers)
        done = offset + len(rows)
        print(f"\r  seeded {done:,} responses ({time.perf_counter() - began:.0f} s)", end="",
              file=sys.stderr, flush=True)
    print(file=sys.stderr)
    _store_cells(app, consultation_id)
    return consultation_id


def _store_cells(app: Any, consultation_id: int) -> None:
    """What submission does for each response: keep its answers as export cells (only the
    missing or out-of-date ones are built)."""
    from sqlalchemy import text

    from citizen.db import unit_of_work
    from citizen.exports.cells import refresh

    began = time.perf_counter()
    with app.app_context(), unit_of_work(app) as session:
        done = refresh(session, consultation_id)
        if session.get_bind().dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load: without statistics the planner
            # expects a handful of rows and sorts 100,000 on disk.
            session.execute(text("ANALYZE consultation_response"))
            session.execute(text("ANALYZE consultation_answer"))
    if done:
        print(f"  export cells stored for {done:,} responses ({time.perf_counter() - began:.1f} s)",
              file=sys.stderr)


def _value(kind: str, rng: random.Random) -> dict[str, Any]:
    codes = [o["code"] for o in OPTIONS]
    if kind in ("single_choice", "dropdown"):
        return {"value_text": rng.choice(codes), "value_json": None, "value_number": None}
    if kind == "agreement":
        return {"value_text": rng.choice(("agree", "disagree", "neutral")), "value_json": None,
                "value_number": None}
    if kind == "rating":
        return {"value_text": str(rng.randint(1, 5)), "value_json": None, "value_number": None}
    if kind == "multiple_choice":
        selected = sorted(rng.sample(codes, 2))
        other = "Sometimes by bus" if rng.random() < 0.05 else None
        return {"value_text": "|" + "|".join(selected) + "|",
                "value_json": {"selected": selected, "other": other}, "value_number": None}
    if kind == "number":
        number = rng.randint(0, 120)
        return {"value_text": str(number), "value_json": None, "value_number": float(number)}
    if kind == "date":
        return {"value_text": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "value_json": None,
                "value_number": None}
    if kind == "ranking":
        order = rng.sample(codes, len(codes))
        return {"value_text": "|" + "|".join(f"{c}:{i + 1}" for i, c in enumerate(order)) + "|",
                "value_json": order, "value_number": None}
    if rng.random() < 0.6:  # most people leave a comment box empty
        return {"value_text": None, "value_json": None, "value_number": None}
    text = " ".join(rng.choice(PHRASES).format(n=rng.randint(0, 999)) for _ in range(rng.randint(1, 3)))
    return {"value_text": text, "value_json": None, "value_number": None}


def peak_rss_mb() -> float:
    """This process's peak resident memory. /proc's VmHWM starts afresh at exec (getrusage's
    ru_maxrss would carry over the parent's peak from seeding)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(workdir: Path, consultation_id: int, fmt: str, layout: str,
            free_text: bool = True) -> dict[str, Any]:
    """In a fresh process: one export through the real job; time and peak memory."""
    from sqlalchemy import select

    from citizen.accounts.models import User
    from citizen.db import unit_of_work, utcnow
    from citizen.exports.jobs import run_export
    from citizen.exports.models import ExportJob
    from citizen.exports.services import KEEP_FOR, folder_of

    app = make_app(workdir)
    text_codes = {f"Q{i}" for i, (kind, _p) in enumerate(QUESTIONS, start=1) if kind == "long_text"}
    columns = ["submitted_at", "channel", "locale", "place"] + [
        f"Q{i}" for i in range(1, len(QUESTIONS) + 1) if free_text or f"Q{i}" not in text_codes]
    with app.app_context(), unit_of_work(app) as session:
        user = session.scalar(select(User).where(User.email == "bench-exporter@bench.example"))
        assert user is not None
        now = utcnow()
        job = ExportJob(token=uuid.uuid4().hex, requested_by_id=user.id, source="consultation",
                        consultation_id=consultation_id, title="Benchmark", file_format=fmt,
                        layout=layout, columns=columns, status="queued", files=[],
                        created_at=now, expires_at=now + KEEP_FOR, include_equality=False,
                        include_contact=False)
        session.add(job)
        session.flush()
        export_id = job.id
    baseline = peak_rss_mb()
    with app.app_context():
        began = time.perf_counter()
        cpu_began = time.process_time()
        rows = run_export(export_id)
        seconds = time.perf_counter() - began
        cpu_seconds = time.process_time() - cpu_began
    with app.app_context(), unit_of_work(app) as session:
        job = session.get(ExportJob, export_id)
        assert job is not None and job.status == "done", (job.status, job.error) if job else None
        size = sum(f["size"] for f in job.files)
        folder = folder_of(job, app)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    peak = peak_rss_mb()
    return {"format": fmt, "layout": layout + ("" if free_text else "*"), "rows": rows, "seconds": seconds,
            "rows_per_second": rows / seconds if seconds else 0.0, "cpu_seconds": cpu_seconds,
            "peak_mb": peak,
            "baseline_mb": baseline, "size_mb": size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx,jsonl")
    parser.add_argument("--layouts", default="wide,long")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citizen-bench-export"))
    parser.add_argument("--child", nargs=4, metavar=("CONSULTATION", "FORMAT", "LAYOUT", "TEXT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(run_one(args.workdir, int(args.child[0]), args.child[1], args.child[2],
                                 args.child[3] == "text")))
        return

    from citizen.db import safe_url

    url = database_url(args.workdir)
    print(f"Database: {safe_url(url)}")
    app = make_app(args.workdir)
    began = time.perf_counter()
    consultation_id = seed(app, args.responses)
    print(f"Data: {args.responses:,} responses x {len(QUESTIONS)} questions "
          f"(ready in {time.perf_counter() - began:.1f} s)")
    print(f"{'format':7} {'layout':7} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'cpu s':>7} "
          f"{'peak MB':>8} {'own MB':>8} {'file MB':>8}  goals")
    failed = False
    runs = [(fmt, layout, "text") for layout in args.layouts.split(",")
            for fmt in args.formats.split(",")]
    if "csv" in args.formats.split(","):
        runs.append(("csv", "wide", "no-text"))
    for fmt, layout, text in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--workdir", str(args.workdir), "--child",
             str(consultation_id), fmt, layout, text],
            check=True, capture_output=True, text=True, env={**os.environ, "LOG_LEVEL": "WARNING"},
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        goals = []
        own = result["peak_mb"] - result["baseline_mb"]
        if result["peak_mb"] >= 150:
            goals.append("MEMORY OVER 150 MB")
            failed = True
        if fmt == "csv" and result["layout"].startswith("wide") and result["rows_per_second"] < 50_000:
            goals.append("CSV UNDER 50,000 rows/s")
            failed = True
        print(f"{fmt:7} {result['layout']:7} {result['rows']:>10,} {result['seconds']:>8.2f} "
              f"{result['rows_per_second']:>10,.0f} {result['cpu_seconds']:>7.2f} {result['peak_mb']:>8.1f} "
              f"{own:>8.1f} {result['size_mb']:>8.1f}  {'; '.join(goals) or 'met'}")
    print("Peak MB: the whole process's peak resident memory (Python, the app and the export).")
    print("cpu s: this process's CPU time for the export (not the database server's); on a busy "
          "machine it shows the work better than the wall-clock seconds do.")
    print("Own MB: the export's share (peak minus the process's peak before the export began).")
    print("wide* = the same export without the two free-text questions (no redaction needed).")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
