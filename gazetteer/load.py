"""Load the committed gazetteer artefact into the database, idempotently.

Places are matched by `uid`, so their ids (which incidents point at) survive reloads.
Only places whose build record changed are rewritten. Places and names added by
analysts are never touched. Everything happens in one transaction: a failed load
leaves the previous gazetteer as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import transaction
from tqdm import tqdm

from geoparse.normalize import normalize

from .models import GazetteerVersion, NameOrigin, Place, PlaceName

ARTEFACT = "places.jsonl.gz"
ANALYST_SOURCE = "analyst"
REQUIRED = ("uid", "kind", "name_en", "lat", "lon", "source", "names")
PLACE_FIELDS = (
    "kind", "name_en", "name_ar", "pcode", "geonames_id", "admin1_pcode", "admin2_pcode",
    "admin3_pcode", "point", "area", "population", "importance", "source", "source_ref", "note",
    "checksum",
)  # fmt: skip


class LoadError(Exception):
    """The artefact cannot be loaded; the database was left unchanged."""


@dataclass(frozen=True)
class LoadStats:
    sha256: str
    places: int
    created: int
    updated: int
    deleted: int
    names: int
    skipped: bool = False


def artefact_path() -> Path:
    """Return the path of the committed artefact."""
    return Path(settings.GAZETTEER_DATA_DIR) / ARTEFACT


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_records(path: Path) -> Iterator[dict]:
    """Yield artefact records, checking each has the fields the loader needs."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LoadError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc
            missing = [key for key in REQUIRED if key not in record]
            if missing:
                raise LoadError(f"{path}:{lineno}: missing {', '.join(missing)}")
            yield record


def record_checksum(record: dict) -> str:
    """Hash a record canonically, so unchanged places are skipped on reload."""
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.md5(blob, usedforsecurity=False).hexdigest()


def to_area(geometry: dict | None) -> MultiPolygon | None:
    """Turn a GeoJSON (multi)polygon into a MultiPolygon."""
    if not geometry:
        return None
    geom = GEOSGeometry(json.dumps(geometry), srid=4326)
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=4326)
    return geom


def place_from_record(record: dict, checksum: str) -> Place:
    """Build an unsaved Place from an artefact record."""
    return Place(
        uid=record["uid"],
        kind=record["kind"],
        name_en=record["name_en"],
        name_ar=record.get("name_ar") or "",
        pcode=record.get("pcode") or "",
        geonames_id=record.get("geonames_id"),
        admin1_pcode=record.get("admin1") or "",
        admin2_pcode=record.get("admin2") or "",
        admin3_pcode=record.get("admin3") or "",
        point=Point(record["lon"], record["lat"], srid=4326),
        area=to_area(record.get("area")),
        population=record.get("population"),
        importance=record.get("importance") or 0.0,
        source=record["source"],
        source_ref=record.get("source_ref") or "",
        note=record.get("note") or "",
        checksum=checksum,
    )


def names_for(place_id: int, record: dict) -> Iterator[PlaceName]:
    """Yield the build names of a record as unsaved PlaceNames."""
    for entry in record["names"]:
        name = entry["name"].strip()
        if name:
            yield PlaceName(
                place_id=place_id,
                name=name[:200],
                lang=entry.get("lang") or "",
                normalized=normalize(name)[:200],
                origin=entry.get("origin") or NameOrigin.OFFICIAL,
            )


def _batches(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _upsert_places(changed: list[tuple[dict, str]], existing: dict[str, int], bar: tqdm) -> tuple[int, int]:
    """Create new places and rewrite changed ones; return (created, updated)."""
    new = [place_from_record(r, c) for r, c in changed if r["uid"] not in existing]
    old = [place_from_record(r, c) for r, c in changed if r["uid"] in existing]
    for batch in _batches(new):
        Place.objects.bulk_create(batch)
        bar.update(len(batch))
    for place in old:
        place.pk = existing[place.uid]
    for batch in _batches(old):
        Place.objects.bulk_update(batch, PLACE_FIELDS)
        bar.update(len(batch))
    return len(new), len(old)


def _link_parents(changed: list[tuple[dict, str]], ids: dict[str, int]) -> None:
    """Point changed places at their parents, now that every uid has an id."""
    places = [Place(pk=ids[r["uid"]], parent_id=ids.get(r.get("parent") or "")) for r, _ in changed]
    for batch in _batches(places):
        Place.objects.bulk_update(batch, ["parent"])


def _replace_names(changed: list[tuple[dict, str]], ids: dict[str, int], bar: tqdm) -> None:
    """Swap the build names of changed places; analysts' names stay."""
    place_ids = [ids[r["uid"]] for r, _ in changed]
    for batch in _batches(place_ids):
        PlaceName.objects.filter(place_id__in=batch).exclude(origin=NameOrigin.ANALYST).delete()
    names = [n for r, _ in changed for n in names_for(ids[r["uid"]], r)]
    for batch in _batches(names, 2000):
        # An analyst may already have added a name the build now ships: keep theirs.
        PlaceName.objects.bulk_create(batch, ignore_conflicts=True)
        bar.update(len(batch))


def load_records(records: Iterable[dict], sha256: str, progress: bool = False) -> LoadStats:
    """Load records in one transaction; return what changed."""
    records = list(records)
    with transaction.atomic():
        existing = dict(Place.objects.exclude(source=ANALYST_SOURCE).values_list("uid", "pk"))
        checksums = dict(Place.objects.values_list("uid", "checksum"))
        pairs = [(r, record_checksum(r)) for r in records]
        changed = [(r, c) for r, c in pairs if checksums.get(r["uid"]) != c]
        wanted = {r["uid"] for r in records}
        gone = [uid for uid in existing if uid not in wanted]
        total = len(changed) + sum(len(r["names"]) for r, _ in changed)
        with tqdm(total=total, disable=not progress, unit="rows", desc="gazetteer") as bar:
            created, updated = _upsert_places(changed, existing, bar)
            ids = dict(Place.objects.values_list("uid", "pk"))
            _link_parents(changed, ids)
            _replace_names(changed, ids, bar)
        for batch in _batches(gone):
            Place.objects.filter(uid__in=batch).delete()
        version = GazetteerVersion.objects.first() or GazetteerVersion()
        version.sha256 = sha256
        version.places = Place.objects.count()
        version.names = PlaceName.objects.count()
        version.save()
    return LoadStats(sha256, len(records), created, updated, len(gone), version.names)


def is_loaded(path: Path | None = None) -> bool:
    """Tell whether this exact artefact is the one in the database."""
    path = path or artefact_path()
    return GazetteerVersion.objects.filter(sha256=file_sha256(path)).exists()


def load_gazetteer(path: Path | None = None, progress: bool = False, if_changed: bool = False) -> LoadStats:
    """Load the artefact (default: the committed one) into the database."""
    path = path or artefact_path()
    if not path.exists():
        raise LoadError(f"{path}: no gazetteer artefact; run build_gazetteer first")
    sha256 = file_sha256(path)
    if if_changed and is_loaded(path):
        count = Place.objects.count()
        return LoadStats(sha256, count, 0, 0, 0, PlaceName.objects.count(), skipped=True)
    return load_records(read_records(path), sha256, progress=progress)
