"""Time linking one incident against many existing events (issue: < 50 ms against 500,000).

    .venv/bin/python bench/bench_event_linking.py                       # SpatiaLite file under /tmp
    .venv/bin/python bench/bench_event_linking.py --db postgis://postgres@127.0.0.1:5432/conflictmap_bench
    .venv/bin/python bench/bench_event_linking.py --events 50000 --links 100

Fills a throwaway database with N events spread over Syria and 15 years (the same density per day and km²
as 500,000 real ones would have), then links --links new incidents one by one with Event.objects.link (the
worker's call: candidates by the spatial and date indexes, scoring, the write and the event refresh) and
prints the median and 95th percentile, the candidates the indexes returned, and the query plans. The
PostGIS database is created if missing and dropped afterwards. A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WEST, SOUTH, EAST, NORTH = 35.7, 32.3, 42.4, 37.3
START = dt.date(2011, 3, 15)
DAYS = 15 * 365
TYPES = ("battles", "explosions_remote_violence", "violence_against_civilians", "protests", "riots", "")
ACTORS = ("SDF", "ISIS", "Turkey", "SNA", "Regime forces", "HTS", "Russia")


def setup(db: str) -> None:
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")
    if db.startswith("postgis://"):
        name = db.rsplit("/", 1)[1]
        base = db.rsplit("/", 1)[0].replace("postgis://", "postgresql://")
        subprocess.run(["psql", f"{base}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=False)
        subprocess.run(
            ["psql", f"{base}/{name}", "-qc", "CREATE EXTENSION IF NOT EXISTS postgis"], check=True
        )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(n: int, rng: random.Random) -> None:
    from django.contrib.gis.geos import Point

    from conflictmap.incidents.models import Event

    have = Event.objects.count()
    batch: list[Event] = []
    for _ in range(have, n):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        span = rng.choices((0, 1, 6, 30, 364), weights=(90, 3, 3, 3, 1))[0]  # day-precise mostly
        batch.append(
            Event(
                point=Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
                geo_precision=rng.choice((1, 1, 1, 2, 3)),
                date_first=day,
                date_last=day + dt.timedelta(days=span),
                span=int(span > 31),
                event_type=rng.choice(TYPES),
                actors=rng.sample(ACTORS, rng.randrange(3)),
                place_ids=[rng.randrange(1, 14000)],
                admin1_pcode=f"SY{rng.randrange(1, 15):02d}",
                report_count=1,
            )
        )
        if len(batch) == 10_000:
            Event.objects.bulk_create(batch)
            batch.clear()
            print(f"  {Event.objects.count()} events", end="\r", flush=True)
    Event.objects.bulk_create(batch)
    print(f"  {Event.objects.count()} events")


def incidents(k: int, rng: random.Random) -> list:
    from django.contrib.gis.geos import Point

    from conflictmap.articles.models import Article
    from conflictmap.incidents.models import Incident

    article = Article.objects.create(
        title="bench", body=f"bench {time.time()}", content_hash=str(time.time())
    )
    rows = []
    for rank in range(k):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        rows.append(
            Incident(
                article=article,
                rank=rank,
                date=day,
                point=Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
                geo_precision=rng.choice((1, 1, 2, 3)),
                event_type=rng.choice(TYPES),
                actors=rng.sample(ACTORS, rng.randrange(3)),
                admin1_pcode=f"SY{rng.randrange(1, 15):02d}",
            )
        )
    return Incident.objects.bulk_create(rows)


def plans(incident) -> None:
    from django.db import connection

    from conflictmap.incidents.models import NEAR_BOX_KM, Event, link_thresholds

    facts = incident.link_facts()
    th = link_thresholds()
    timely = Event.objects.live().filter(held=False).dated_near(facts.first, facts.last, th.day_slack)
    qs = timely.order_by().around(facts.lat, facts.lon, NEAR_BOX_KM)
    sql, params = qs.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        print("  plan of the nearby-events query:")
        for row in cursor.fetchall():
            print("   ", row[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="spatialite:////tmp/conflictmap-bench-events.sqlite3")
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the PostGIS database")
    args = parser.parse_args()
    setup(args.db)
    from django.db import connection

    from conflictmap.incidents.models import Event, link_thresholds

    rng = random.Random(11)
    started = time.perf_counter()
    fill(args.events, rng)
    print(f"filled in {time.perf_counter() - started:.0f} s on {connection.vendor}")
    rows = incidents(args.links, rng)
    plans(rows[0])
    th = link_thresholds()
    found, times = [], []
    for row in rows:
        facts = row.link_facts()
        found.append(len(Event.objects.candidates(facts, th)))
        t0 = time.perf_counter()
        Event.objects.link(row)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(
        f"link one incident against {Event.objects.count() - len(rows)}+ events ({connection.vendor}): "
        f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, "
        f"max {times[-1]:.1f} ms; candidates per link: median {statistics.median(found):.0f}, max {max(found)}"
    )
    if args.db.startswith("postgis://") and not args.keep:
        connection.close()
        name = args.db.rsplit("/", 1)[1]
        base = args.db.rsplit("/", 1)[0].replace("postgis://", "postgresql://")
        subprocess.run(["psql", f"{base}/postgres", "-qc", f'DROP DATABASE "{name}"'], check=False)


if __name__ == "__main__":
    main()
