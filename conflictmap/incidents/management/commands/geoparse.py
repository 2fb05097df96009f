"""manage.py geoparse --input IN.jsonl --output OUT.jsonl: the pipeline over many texts, no database writes."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from conflictmap.incidents.geoparser import default_geoparser
from geoparse.jsonl import BadLine, read_text_line
from geoparse.types import GeoparseResult, IncidentDraft, Mention

Parse = Callable[..., GeoparseResult]


def incident_json(draft: IncidentDraft) -> dict[str, Any]:
    place = draft.place
    return {
        "lat": draft.lat,
        "lon": draft.lon,
        "name": place.name_en,
        "name_ar": place.name_ar,
        "label": draft.label_en or place.name_en,
        "label_ar": draft.label_ar or place.name_ar,
        "place_id": place.id,
        "place_ids": list(dict.fromkeys((place.id, *draft.place_ids))),
        "admin1_pcode": place.admin1,
        "admin2_pcode": place.admin2,
        "admin3_pcode": place.admin3,
        "geo_precision": draft.geo_precision,
        "radius_km": draft.radius_km,
        "date": draft.date,
        "date_precision": draft.date_precision,
        "event_type": draft.event_type,
        "sub_event_type": draft.sub_event_type,
        "actors": list(draft.actors),
        "fatalities": draft.fatalities,
        "confidence": draft.confidence,
        "mentions": list(draft.mentions),
    }


def mention_json(mention: Mention) -> dict[str, Any]:
    span = mention.span
    return {
        "text": span.text,
        "start": span.start,
        "end": span.end,
        "place_id": mention.place.id if mention.place else None,
        "role": mention.role,
    }


def parse_line(raw: str) -> dict[str, Any]:
    """Check one input line; raise BadLine with the reason."""
    item = read_text_line(raw)
    if item.get("lang") not in (None, "ar", "en"):
        raise BadLine(f"lang {item.get('lang')!r} is not ar or en")
    return item


def process_line(raw: str, number: int, parse: Parse) -> dict[str, Any]:
    """Geoparse one input line into its output object; a bad line becomes an error object."""
    try:
        item = parse_line(raw)
    except BadLine as exc:
        return {"id": None, "line": number, "error": str(exc)}
    out_id = item.get("id")
    try:
        result = parse(item["text"], published=item.get("published"), lang=item.get("lang"))
    except Exception as exc:  # one text that breaks the pipeline must not stop the batch
        return {"id": out_id, "line": number, "error": f"{type(exc).__name__}: {exc}"}
    return {
        "id": out_id,
        "lang": result.lang,
        "incidents": [incident_json(d) for d in result.incidents],
        "mentions": [mention_json(m) for m in result.mentions],
        "warnings": list(result.warnings),
    }


def run(lines: Iterator[str], out: IO[str], parse: Parse, progress: IO[str] | None = None) -> tuple[int, int]:
    """Write one output line per non-blank input line, in order; return (lines, errors)."""
    total = errors = 0
    for number, raw in enumerate(
        tqdm(lines, file=progress, unit=" texts", disable=progress is None), start=1
    ):
        if not raw.strip():
            continue
        obj = process_line(raw, number, parse)
        errors += "error" in obj
        total += 1
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return total, errors


def default_parse() -> Parse:
    """Parse with this process's Geoparser, fetched once for the whole batch."""
    return default_geoparser().parse


class Command(BaseCommand):
    help = "Geoparse a JSONL file of texts with the loaded gazetteer; write one JSON line per input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", required=True, help="JSONL of {id, text, published?, lang?}; - for stdin."
        )
        parser.add_argument("--output", required=True, help="JSONL to write; - for stdout.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, input: str, output: str, quiet: bool, **options) -> None:
        try:
            source = sys.stdin if input == "-" else open(input, encoding="utf-8-sig", errors="replace")  # noqa: SIM115
            sink = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        parse = default_parse()
        loaded = time.perf_counter()
        with source, sink:
            total, errors = run(iter(source), sink, parse, None if quiet else sys.stderr)
        elapsed = time.perf_counter() - loaded
        rate = total / elapsed if elapsed else 0.0
        self.stderr.write(
            f"{total} texts ({errors} errors) in {elapsed:.2f} s: {rate:.1f} texts/s "
            f"(gazetteer index ready in {loaded - started:.2f} s)"
        )
