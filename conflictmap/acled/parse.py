"""Read ACLED's own CSV export: check its header, and turn each row into a frozen AcledRecord or a BadRow
saying why (with its line number).

Pure Python, no Django: `manage.py import_acled`, the upload task and the tests all read files through it.
"""

from __future__ import annotations

import csv
import datetime
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geoparse.acled import COLUMN_NAMES

# What a row cannot do without; ACLED's older exports lack disorder_type, civilian_targeting, tags and
# timestamp, and some drop admin3 or iso, so every other column may be missing (it reads as empty).
REQUIRED = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country", "location",
    "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip
# Current exports write 2024-08-20; older ones 20 August 2024.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")
MAX_ID = 32
# ACLED's text columns and the longest value the model stores of each (longer ones are refused, not cut).
TEXT_LIMITS = {
    "disorder_type": 100, "event_type": 100, "sub_event_type": 100, "actor1": 300, "inter1": 100,
    "actor2": 300, "inter2": 100, "interaction": 200, "civilian_targeting": 100, "region": 100,
    "country": 100, "admin1": 200, "admin2": 200, "admin3": 200, "location": 300, "source_scale": 300,
}  # fmt: skip


@dataclass(frozen=True)
class AcledRecord:
    """One ACLED event as its CSV row gives it, typed."""

    line: int
    event_id_cnty: str
    event_date: datetime.date
    year: int
    time_precision: int | None
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    inter1: str
    actor2: str
    assoc_actor_2: str
    inter2: str
    interaction: str
    civilian_targeting: str
    iso: int | None
    region: str
    country: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int | None
    source: str
    source_scale: str
    notes: str
    fatalities: int
    tags: str
    timestamp: int | None

    def columns(self) -> dict[str, object]:
        """ACLED's columns but the coordinates (the model keeps them as a point), by name."""
        return {name: getattr(self, name) for name in COLUMN_NAMES if name not in {"latitude", "longitude"}}


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be imported, and why."""

    line: int
    event_id: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}" + (f" ({self.event_id})" if self.event_id else "") + f": {self.reason}"


class BadFile(ValueError):
    """The file cannot be read as ACLED's CSV at all (not UTF-8, not CSV, no header)."""


class MissingColumns(BadFile):
    """The header lacks columns every row needs."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"the CSV header lacks the required column(s): {', '.join(missing)}")
        self.missing = missing


def read_file(path: Path) -> Iterator[AcledRecord | BadRow]:
    """Yield each row of an ACLED CSV file as a record or a bad row; raise BadFile if it is not one."""
    with path.open(encoding="utf-8-sig", newline="") as lines:
        try:
            yield from read_lines(lines)
        except UnicodeDecodeError as exc:
            raise BadFile(f"not UTF-8 text (a bad byte at offset {exc.start} of a block)") from exc
        except csv.Error as exc:
            raise BadFile(f"not a readable CSV file: {exc}") from exc


def read_lines(lines: Iterable[str]) -> Iterator[AcledRecord | BadRow]:
    """Yield each row of ACLED CSV text as a record or a bad row (a repeated event id is a bad row)."""
    reader = csv.reader(lines)
    names = check_header(next(reader, None))
    seen: dict[str, int] = {}
    line = 2
    for values in reader:
        # A quoted field may span lines: the row starts where the previous one ended.
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values) or values[0].startswith("#"):
            continue  # a blank line, or the HXL hashtag row (an event id never starts with "#")
        if len(values) > len(names):
            yield BadRow(start, values[0].strip(), "more fields than the header has")
            continue
        yield parse_row(start, dict(zip(names, values, strict=False)), seen)


def check_header(header: list[str] | None) -> list[str]:
    """Return the header's column names, lower-cased; raise MissingColumns naming what is missing."""
    if not header:
        raise BadFile("the file is empty: no CSV header")
    names = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise MissingColumns(missing)
    return names


@dataclass
class _Reasons:
    """The problems found in one row, each naming its column."""

    found: list[str] = field(default_factory=list)

    def whole(
        self, name: str, raw: str, low: int, high: int, default: int | None = None, required: bool = False
    ) -> int | None:
        if not raw:
            if required:
                self.found.append(f"{name} is empty")
            return default
        try:
            value = int(raw)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            self.found.append(f"{name} {raw!r} is not a whole number from {low} to {high}")
            return None
        return value

    def degrees(self, name: str, raw: str, limit: float) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not -limit <= value <= limit:
            self.found.append(f"{name} {raw!r} is not a number of degrees from {-limit:g} to {limit:g}")
            return 0.0
        return value

    def date(self, raw: str) -> datetime.date | None:
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(raw, pattern).date()
            except ValueError:
                continue
        self.found.append(f"event_date {raw!r} is not a date like 2024-08-20 or 20 August 2024")
        return None

    def text(self, name: str, raw: str) -> str:
        limit = TEXT_LIMITS.get(name)
        if limit is not None and len(raw) > limit:
            self.found.append(f"{name} is longer than {limit} characters")
        return raw


def parse_row(line: int, row: dict[str, str], seen: dict[str, int]) -> AcledRecord | BadRow:
    """Type one row (by column name); `seen` maps the event ids read so far to their lines."""
    text = {name: (row.get(name) or "").strip() for name in COLUMN_NAMES}
    check = _Reasons()
    event_id = text["event_id_cnty"]
    if not event_id or len(event_id) > MAX_ID:
        check.found.append(f"event_id_cnty {event_id!r} is not an id of 1 to {MAX_ID} characters")
    elif event_id in seen:
        check.found.append(f"event_id_cnty repeats line {seen[event_id]}")
    else:
        seen[event_id] = line
    day = check.date(text["event_date"])
    record = {
        "year": check.whole("year", text["year"], 1900, 2200, day.year if day else None),
        "time_precision": check.whole("time_precision", text["time_precision"], 1, 3),
        "iso": check.whole("iso", text["iso"], 0, 999),
        "latitude": check.degrees("latitude", text["latitude"], 90),
        "longitude": check.degrees("longitude", text["longitude"], 180),
        "geo_precision": check.whole("geo_precision", text["geo_precision"], 1, 3),
        "fatalities": check.whole("fatalities", text["fatalities"], 0, 1_000_000, required=True),
        "timestamp": check.whole("timestamp", text["timestamp"], 0, 2**62),
    }
    strings = {name: check.text(name, value) for name, value in text.items() if name not in record}
    if check.found or day is None:
        return BadRow(line, event_id, "; ".join(check.found))
    return AcledRecord(line=line, **{**strings, **record, "event_date": day})  # type: ignore[arg-type]
