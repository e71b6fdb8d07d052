"""Benchmark: time to render the public pages and the sign-in round trip, and peak memory.

Not a test. Builds the app on a fresh SQLite file (or DATABASE_URL when given), runs the
migrations and demo seeders, then requests each page N times through the WSGI test client and
prints the median and 95th percentile in milliseconds.

    .venv/bin/python bench/pages.py [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from citizen.app import create_app
from citizen.cli import upgrade_database
from citizen.db import unit_of_work
from citizen.demo import DEMO_PASSWORD, seed_all

PAGES = ["/", "/places/", "/places/rugby", "/places/find?postcode=CV21+3AB", "/accessibility",
         "/account/sign-in", "/healthz"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"env": "test", "database_url": url, "instance_path": Path(tmp),
                          "ratelimit_enabled": False, "WTF_CSRF_ENABLED": False})
        upgrade_database(app)
        with app.app_context(), unit_of_work(app) as session:
            seed_all(session)
        client = app.test_client()
        print(f"{'page':40} {'lang':4} {'median ms':>10} {'p95 ms':>8}")
        for lang in ("en", "ar"):
            client.set_cookie("lang", lang)
            for page in PAGES:
                client.get(page)  # warm up templates
                times = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(page)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (page, response.status_code)
                times.sort()
                p95 = times[int(len(times) * 0.95) - 1]
                print(f"{page:40} {lang:4} {statistics.median(times):10.2f} {p95:8.2f}")
        # Sign-in: argon2 verification dominates, on purpose.
        times = []
        for _ in range(max(5, args.requests // 20)):
            fresh = app.test_client()
            started = time.perf_counter()
            response = fresh.post("/account/sign-in", data={"email": "resident@demo.example",
                                                            "password": DEMO_PASSWORD})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302
        print(f"{'POST /account/sign-in (argon2)':40} {'en':4} {statistics.median(times):10.2f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
