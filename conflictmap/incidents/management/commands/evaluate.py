"""manage.py evaluate FILE.jsonl [FILE ...]: run the pipeline over gold sets and print the scores."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from shapely import wkb
from shapely.geometry import shape
from tqdm import tqdm

from conflictmap.incidents.geoparser import default_geoparser
from conflictmap.incidents.management.commands.geoparse import Parse, process_line
from gazetteer.models import Place, PlaceKind
from geoparse.evaluation import (
    ERROR_FIELDS,
    FAR_KM,
    TABLE_HEADER,
    Admin1Locator,
    BadRow,
    GoldRow,
    Metrics,
    PlaceInfo,
    RowScore,
    category_counts,
    error_record,
    parse_gold_line,
    score_row,
    summarise,
    table_row,
)

GEOJSON_PCODE_KEYS = ("PCODE", "admin1Pcode", "ADM1_PCODE", "pcode")


@dataclass
class FileResult:
    name: str
    metrics: Metrics
    bad: list[tuple[int, str]]
    errors: int  # rows the pipeline raised on
    seconds: float
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.metrics.n / self.seconds if self.seconds > 0 else None

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "file": self.name,
            **self.metrics.as_dict(),
            "bad_lines": len(self.bad),
            "pipeline_errors": self.errors,
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(rate, 1) if rate else None,
            "categories": dict(sorted(category_counts(self.records).items())),
        }


def db_admin1_polygons() -> dict[str, Any]:
    """Return the governorate polygons of the loaded gazetteer as shapely geometries."""
    units = Place.objects.filter(kind=PlaceKind.GOVERNORATE, area__isnull=False).only("pcode", "area")
    return {p.admin1_pcode or p.pcode: wkb.loads(bytes(p.area.wkb)) for p in units}


def geojson_admin1_polygons(path: Path) -> dict[str, Any]:
    """Return the governorate polygons of a GeoJSON FeatureCollection, keyed by P-code."""
    polygons = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props = feature.get("properties") or {}
        code = next((props[k] for k in GEOJSON_PCODE_KEYS if props.get(k)), None)
        if code:
            polygons[str(code)] = shape(feature["geometry"])
    return polygons


def place_info(index: Any) -> PlaceInfo:
    """Return a lookup of (name, lat, lon, admin1) by place id from the gazetteer index."""

    def info(place_id: int) -> tuple[str, float, float, str] | None:
        record = index.place(place_id)
        if record is None:
            return None
        return (record.name_en or record.name_ar, record.lat, record.lon, record.admin1)

    return info


def evaluate_lines(
    name: str,
    lines: Iterable[str],
    parse: Parse,
    locator: Admin1Locator,
    places: PlaceInfo | None = None,
    limit: int | None = None,
    predictions: IO[str] | None = None,
    far_km: float = FAR_KM,
) -> FileResult:
    """Geoparse and score one gold file's lines; bad lines are counted and skipped."""
    rows: list[GoldRow] = []
    scores: list[RowScore] = []
    records: list[dict[str, Any]] = []
    bad: list[tuple[int, str]] = []
    seen: set[str] = set()
    errors = 0
    seconds = 0.0
    for number, raw in enumerate(lines, start=1):
        if limit is not None and len(rows) >= limit:
            break
        if not raw.strip():
            continue
        try:
            row = parse_gold_line(raw, number)
            if row.id in seen:
                raise BadRow(f"repeated id {row.id!r}")
        except BadRow as exc:
            bad.append((number, str(exc)))
            continue
        seen.add(row.id)
        started = time.perf_counter()
        prediction = process_line(raw, number, parse)
        seconds += time.perf_counter() - started
        errors += "error" in prediction
        if predictions is not None:
            predictions.write(json.dumps(prediction, ensure_ascii=False) + "\n")
        score = score_row(row, prediction, locator)
        rows.append(row)
        scores.append(score)
        records.append({"file": name, **error_record(row, prediction, score, places, far_km)})
    return FileResult(name, summarise(rows, scores), bad, errors, seconds, records)


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def format_table(results: list[FileResult]) -> str:
    """Render the per-file rows as aligned plain-text columns."""
    rows = [list(TABLE_HEADER)] + [table_row(r.name, r.metrics, len(r.bad), r.rate) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_HEADER))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def write_errors(path: str, results: list[FileResult]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=("file", *ERROR_FIELDS))
        writer.writeheader()
        for result in results:
            writer.writerows(result.records)


class Command(BaseCommand):
    help = "Geoparse gold JSONL files (dev-eval format) and print coverage, distance and admin1 scores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="Gold JSONL files.")
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
        parser.add_argument("--predictions", help="Write the predictions (geoparse output format) here.")
        parser.add_argument("--errors", help="Write a per-row report (CSV: text, gold, predicted, why) here.")
        parser.add_argument("--limit", type=int, help="Score only the first N rows of each file.")
        parser.add_argument("--admin1", help="Governorate polygons (GeoJSON) instead of the gazetteer's.")
        parser.add_argument("--far-km", type=float, default=FAR_KM, help="Distance that counts as an error.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **opts: Any) -> None:
        paths = [Path(f) for f in opts["files"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        locator = Admin1Locator(self._polygons(opts["admin1"]))
        parse, places = self._pipeline()
        results = []
        sink = open(opts["predictions"], "w", encoding="utf-8") if opts["predictions"] else None  # noqa: SIM115
        try:
            for path in paths:
                results.append(self._evaluate(path, parse, locator, places, sink, opts))
        finally:
            if sink is not None:
                sink.close()
        if opts["errors"]:
            write_errors(opts["errors"], results)
        for result in results:
            for number, reason in result.bad[:5]:
                self.stderr.write(f"{result.name}:{number}: skipped: {reason}")
        if opts["json"]:
            self.stdout.write(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_table(results))

    def _polygons(self, geojson: str | None) -> dict[str, Any]:
        polygons = geojson_admin1_polygons(Path(geojson)) if geojson else db_admin1_polygons()
        if not polygons:
            raise CommandError("No governorate polygons: load the gazetteer or pass --admin1 FILE.geojson.")
        return polygons

    def _pipeline(self) -> tuple[Parse, PlaceInfo]:
        geoparser = default_geoparser()  # fetched once, so the timing excludes freshness checks
        if not geoparser.gazetteer.records:  # type: ignore[attr-defined]
            raise CommandError("The gazetteer is empty: run manage.py load_gazetteer first.")
        parse = geoparser.parse
        parse("warm-up")  # builds the lazily made automaton, so articles/s measures steady state

        return parse, place_info(geoparser.gazetteer)

    def _evaluate(
        self,
        path: Path,
        parse: Parse,
        locator: Admin1Locator,
        places: PlaceInfo,
        sink: IO[str] | None,
        opts: Any,
    ) -> FileResult:
        total = count_lines(path)
        if opts["limit"] is not None:
            total = min(total, opts["limit"])
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            lines = tqdm(
                fh, total=total, desc=path.name, unit=" rows", file=sys.stderr, disable=opts["quiet"]
            )
            return evaluate_lines(
                path.name, lines, parse, locator, places, opts["limit"], sink, opts["far_km"]
            )
