"""Benchmark: searching the health information pages, and peak memory.

Not a test. Builds the app on a fresh SQLite file (or DATABASE_URL when given), runs the
migrations and demo seeders, adds ``--pages`` published pages in English and Arabic of about
``--kb`` kilobytes of text each, then times the search service (the first search of a word,
when every text is read and folded, and repeats) and the search page through the WSGI test
client, and prints the medians in milliseconds.

    .venv/bin/python bench/content_search.py [--pages 300] [--kb 8] [--repeats 50]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from citizen.app import create_app
from citizen.cli import upgrade_database
from citizen.content import services
from citizen.content.models import Page, PageTranslation, Topic
from citizen.db import unit_of_work, utcnow
from citizen.demo import seed_all

EN_WORDS: tuple[str, ...] = (
    "health", "clinic", "doctor", "nurse", "pharmacy", "appointment", "winter", "flu", "vaccine",
    "warm", "home", "water", "food", "sleep", "walk", "family", "carer", "child", "school", "help",
    "advice", "phone", "call",
)
AR_WORDS: tuple[str, ...] = (
    "صحة", "عيادة", "طبيب", "ممرضة", "صيدلية", "موعد", "شتاء", "إنفلونزا", "لقاح", "دافئ", "منزل",
    "ماء", "طعام", "نوم", "مشي", "عائلة", "رعاية", "طفل", "مدرسة", "مساعدة", "نصيحة", "هاتف",
)


def _body(words: tuple[str, ...], kb: int, rng: random.Random) -> str:
    parts, size = [], 0
    while size < kb * 1024:
        sentence = " ".join(rng.choice(words) for _ in range(12))
        parts.append(f"<p>{sentence}. <a href=\"https://example.org/{rng.randrange(999)}\">"
                     f"{rng.choice(words)}</a></p>")
        size += len(parts[-1].encode())
    return "".join(parts)


def _add_pages(session, count: int, kb: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(2026)
    topic = session.scalars(select(Topic).order_by(Topic.id)).first()
    now = utcnow()
    for number in range(count):
        page = Page(topic_id=topic.id, slug=f"bench-page-{number}", pillar="behaviours_lifestyles",
                    place_slugs=[], position=1000 + number, english_version_at=now)
        session.add(page)
        session.flush()
        for locale, words in (("en", EN_WORDS), ("ar", AR_WORDS)):
            title = " ".join(rng.choice(words) for _ in range(4))
            body = _body(words, kb, rng)
            session.add(PageTranslation(
                page_id=page.id, locale=locale, variant="standard", title=title, summary=title,
                body=body, status="published", published_title=title, published_summary=title,
                published_body=body, published_at=now, published_source_version_at=now))
    session.flush()


def _median_ms(run, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--kb", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"env": "test", "database_url": url, "instance_path": Path(tmp),
                          "ratelimit_enabled": False})
        upgrade_database(app)
        with app.app_context(), unit_of_work(app) as session:
            seed_all(session)
            _add_pages(session, args.pages, args.kb)
        print(f"{args.pages} pages x 2 languages x about {args.kb} KB of text")
        with app.test_request_context(), unit_of_work(app) as session:
            for locale, query in (("en", "winter vaccine"), ("ar", "شتاء لقاح")):
                started = time.perf_counter()
                found = services.search(session, query, locale)
                first = (time.perf_counter() - started) * 1000
                again = _median_ms(lambda q=query, lc=locale: services.search(session, q, lc),
                                   args.repeats)
                print(f"service  {locale}  {query!r:22} first {first:8.1f} ms   then median "
                      f"{again:6.1f} ms   ({len(found.hits)} pages)")
        client = app.test_client()
        for locale, query in (("en", "flu"), ("ar", "إنفلونزا")):
            client.set_cookie("lang", locale)
            path = f"/information/search?q={query}"
            assert client.get(path).status_code == 200
            page_ms = _median_ms(lambda p=path: client.get(p), args.repeats)
            print(f"page     {locale}  {query!r:22} median {page_ms:6.1f} ms")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
