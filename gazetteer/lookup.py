"""Forward and reverse gazetteer lookups for people and the geopy geocoder."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.gis.geos import Point

from geoparse.normalize import normalize
from geoparse.scoring import place_score
from geoparse.triggers import split_trigger
from geoparse.types import Candidate, PlaceRecord

from .index import GazetteerIndex, NameEntry, get_index, index_keys
from .models import Place, PlaceKind

MAX_QUERY = 200
FUZZY_CUTOFF = 78.0


class QueryError(ValueError):
    """The query cannot be looked up (empty, too long or meaningless)."""


def clean_query(query: str) -> str:
    """Strip a query and refuse what cannot name a place."""
    query = "".join(ch for ch in query if unicodedata.category(ch)[0] != "C").strip()
    if not query:
        raise QueryError("Type a place name.")
    if len(query) > MAX_QUERY:
        raise QueryError(f"Queries are limited to {MAX_QUERY} characters.")
    if not normalize(query):
        raise QueryError("The query has no letters or digits to look up.")
    return query


def _matches(index: GazetteerIndex, key: str) -> dict[int, tuple[NameEntry, float]]:
    """Return the best (entry, quality) per place for a key: exact first, then fuzzy."""
    best: dict[int, tuple[NameEntry, float]] = {}
    for variant in index_keys(key):
        for entry in index.entries(variant):
            best.setdefault(entry.place_id, (entry, 100.0))
    near = index.fuzzy_entries(key, limit=25, cutoff=FUZZY_CUTOFF)
    wider = index.containing_entries(key) if len(key) >= 4 else []
    for entry, quality in near + wider:
        if quality > best.get(entry.place_id, (entry, 0.0))[1]:
            best[entry.place_id] = (entry, quality)
    return best


def _inside(record: PlaceRecord, within: str) -> bool:
    return within in (record.admin1, record.admin2, record.admin3, record.pcode)


def lookup(name: str, lang: str | None = None, within: str | None = None, limit: int = 20) -> list[Candidate]:
    """Return ranked candidates for a place name, tolerant of spelling and typos."""
    key = normalize(clean_query(name))
    hint, bare = split_trigger(key)
    index = get_index()
    hits = _matches(index, bare) or (_matches(index, key) if bare != key else {})
    candidates = []
    for place_id, (entry, quality) in hits.items():
        record = index.place(place_id)
        if record is None or (lang and entry.lang and entry.lang != lang):
            continue
        if within and not _inside(record, within):
            continue
        candidates.append(
            Candidate(record, entry.name, quality, round(place_score(record, quality, hint), 4), hint)
        )
    # Exact names first, as the pipeline looks for spelling variants only when no name matches.
    candidates.sort(key=lambda c: (c.match_quality < 100.0, -c.score, c.place.id))
    return candidates[:limit]


@dataclass(frozen=True)
class ReverseResult:
    governorate: Place | None
    district: Place | None
    subdistrict: Place | None
    nearest: Place | None
    distance_km: float | None

    @property
    def chain(self) -> list[Place]:
        return [p for p in (self.governorate, self.district, self.subdistrict) if p is not None]


def reverse(lat: float, lon: float, radius_km: float = 30.0) -> ReverseResult:
    """Return the admin units containing a point and the nearest settlement."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise QueryError(f"({lat}, {lon}) is not a latitude/longitude pair.")
    point = Point(lon, lat, srid=4326)
    units = {p.kind: p for p in Place.objects.admin_units().containing(point).defer("area")}
    nearest = Place.objects.settlements().defer("area").near(point, radius_km).first()
    distance = round(nearest.distance.km, 3) if nearest is not None else None
    return ReverseResult(
        units.get(PlaceKind.GOVERNORATE),
        units.get(PlaceKind.DISTRICT),
        units.get(PlaceKind.SUBDISTRICT),
        nearest,
        distance,
    )
