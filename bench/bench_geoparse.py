"""Benchmark the geoparse pipeline against a naive single-pass dictionary scan.

Usage: .venv/bin/python bench/bench_geoparse.py [--fake] [FILE.jsonl]
Uses the real gazetteer index when the Django database holds one, else a FakeGazetteer built
from the OCHA populated-places CSV (when present). Prints articles/s and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoparse.fake import FakeGazetteer  # noqa: E402
from geoparse.normalize import normalize  # noqa: E402
from geoparse.pipeline import Geoparser  # noqa: E402
from geoparse.types import Gazetteer, PlaceRecord  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_INPUT = SHARED / "dev-eval" / "ar_news_unlabelled.jsonl"
OCHA = SHARED / "gazetteer-src" / "ocha-hdx-syr-populated-places-2020" / "syr_locations.csv"


def real_index() -> Gazetteer | None:
    """Return the real in-memory index if a Django database with places is reachable."""
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")
        import django

        django.setup()
        from gazetteer.index import get_index

        index = get_index()
        return index if index.records else None  # type: ignore[no-any-return]
    except Exception as exc:  # no database, no table, no places: fall back to the fake
        print(f"real index unavailable ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def ocha_fake() -> FakeGazetteer:
    """Build a FakeGazetteer from the OCHA locations table (communities and neighbourhoods)."""
    places: list[PlaceRecord] = []
    kinds = {"Community": "community", "Neighbourhood": "neighbourhood", "Camp": "camp"}
    with OCHA.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            kind = kinds.get(row["location_type"], "community")
            name_en = row["LocationName_en"].split(" (")[0]
            name_ar = row["LocationName_ar"].split(" - ")[0].removeprefix("حي ")
            try:
                lat, lon = float(row["Latitude_y"]), float(row["Longitude_x"])
            except ValueError:
                continue
            places.append(
                PlaceRecord(i, kind, name_en, name_ar, lat, lon, row["admin1Pcode"], row["admin2Pcode"],
                            row["admin3Pcode"], row["Location_Pcode"], None, 0.3)
            )  # fmt: skip
    return FakeGazetteer(places)


def naive_scan(text: str, keys: set[str], max_words: int = 4) -> int:
    """Count dictionary hits over every word n-gram of the normalised text (the baseline)."""
    words = normalize(text).split()
    hits = 0
    for i in range(len(words)):
        for n in range(1, max_words + 1):
            if " ".join(words[i : i + n]) in keys:
                hits += 1
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", nargs="?", default=str(DEFAULT_INPUT))
    parser.add_argument("--fake", action="store_true", help="skip the real index")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.input).read_text(encoding="utf-8").splitlines() if line]
    gazetteer = None if args.fake else real_index()
    source = "real index"
    if gazetteer is None:
        gazetteer, source = ocha_fake(), "OCHA fake"
    start = time.perf_counter()
    parser = Geoparser(gazetteer)  # builds the automata
    parser.parse("warm up")
    build = time.perf_counter() - start
    keys = set(gazetteer.keys())
    start, cpu = time.perf_counter(), time.process_time()
    incidents = mentions = 0
    for row in rows:
        pub = dt.date.fromisoformat(row["published"]) if row.get("published") else None
        result = parser.parse(row["text"], published=pub, lang=row.get("lang"))
        incidents += len(result.incidents)
        mentions += len(result.mentions)
    pipeline, pipeline_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    for row in rows:
        naive_scan(row["text"], keys)
    naive = time.perf_counter() - start
    n = len(rows)
    print(f"gazetteer: {source}, {len(keys)} keys, automaton built in {build:.2f}s")
    print(f"articles: {n}, mentions: {mentions}, incidents: {incidents}")
    print(f"pipeline CPU: {n / pipeline_cpu:.0f} articles/s of one core's time")
    print(f"pipeline: {n / pipeline:.0f} articles/s; naive scan: {n / naive:.0f} articles/s; "
          f"ratio pipeline/naive: {naive / pipeline:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
