"""In-memory gazetteer index: the pipeline's `Gazetteer` Protocol over the database.

Built once per process from Place and PlaceName, and rebuilt when the gazetteer changes
(a load, or an analyst adding a place or name), checked at most every few seconds. An analyst's
name wins: where one is indexed under a key, the other names under that key are not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from conflictmap.fresh import Fresh
from geoparse.fuzzy import FuzzyKeys
from geoparse.normalize import key_variants
from geoparse.types import PlaceRecord

from .models import GazetteerVersion, NameOrigin, Place, PlaceName


@dataclass(frozen=True, slots=True)
class NameEntry:
    place_id: int
    key: str  # the normalised name
    name: str  # as written
    lang: str
    origin: str = NameOrigin.OFFICIAL


def index_keys(normalized: str) -> tuple[str, ...]:
    """Return the keys a normalised name is indexed under (see normalize.match_keys)."""
    return key_variants(normalized)


def to_record(place: Place, has_area: bool | None = None) -> PlaceRecord:
    """Turn a Place row into the pipeline's frozen PlaceRecord."""
    return PlaceRecord(
        id=place.pk,
        kind=place.kind,
        name_en=place.name_en,
        name_ar=place.name_ar,
        lat=place.point.y,
        lon=place.point.x,
        admin1=place.admin1_pcode,
        admin2=place.admin2_pcode,
        admin3=place.admin3_pcode,
        pcode=place.pcode,
        parent_id=place.parent_id,
        importance=place.importance,
        has_area=place.area is not None if has_area is None else has_area,
    )


class GazetteerIndex:
    """All places and names in memory, looked up by normalised key."""

    def __init__(self, records: dict[int, PlaceRecord], names: list[NameEntry]):
        self.records = records
        self._by_key: dict[str, list[NameEntry]] = defaultdict(list)
        self._children: dict[int, list[PlaceRecord]] = defaultdict(list)
        self._by_token: dict[str, set[str]] = defaultdict(set)
        for entry in names:
            for key in index_keys(entry.key):
                self._by_key[key].append(entry)
                for token in key.split(" "):
                    self._by_token[token].add(key)
        _analyst_names_win(self._by_key)
        for record in records.values():
            if record.parent_id is not None:
                self._children[record.parent_id].append(record)
        self._key_list = list(self._by_key)
        self._fuzzy = FuzzyKeys(self._key_list)

    @classmethod
    def from_db(cls) -> GazetteerIndex:
        """Build the index from the database."""
        places = Place.objects.only(
            "id", "kind", "name_en", "name_ar", "point", "admin1_pcode", "admin2_pcode",
            "admin3_pcode", "pcode", "parent_id", "importance",
        )  # fmt: skip
        with_area = set(Place.objects.filter(area__isnull=False).values_list("pk", flat=True))
        records = {p.pk: to_record(p, p.pk in with_area) for p in places.iterator(chunk_size=2000)}
        rows = PlaceName.objects.values_list("place_id", "normalized", "name", "lang", "origin")
        names = [NameEntry(*row) for row in rows.iterator(chunk_size=5000)]
        return cls(records, names)

    # The geoparse Gazetteer Protocol.
    def place(self, place_id: int) -> PlaceRecord | None:
        """Return the place with this id."""
        return self.records.get(place_id)

    def exact(self, key: str) -> list[tuple[PlaceRecord, str]]:
        """Return places indexed under a normalised key, with the name that matched."""
        return [(self.records[e.place_id], e.name) for e in self.entries(key) if e.place_id in self.records]

    def fuzzy(self, key: str, limit: int, cutoff: float) -> list[tuple[PlaceRecord, str, float]]:
        """Return places whose keys are near a normalised key, with a 0–100 quality."""
        return [(self.records[e.place_id], e.name, q) for e, q in self.fuzzy_entries(key, limit, cutoff)]

    def children(self, place_id: int) -> list[PlaceRecord]:
        """Return the places whose parent is this place."""
        return list(self._children.get(place_id, ()))

    def keys(self) -> list[str]:
        """Return every indexed key (for building an automaton)."""
        return self._key_list

    # Extras for gazetteer lookups.
    def entries(self, key: str) -> list[NameEntry]:
        """Return the name entries indexed under a key."""
        return self._by_key.get(key, [])

    def containing_entries(self, key: str, limit: int = 25) -> list[tuple[NameEntry, float]]:
        """Return entries whose names contain every word of the key ("غويران" → "سجن غويران")."""
        sets = [self._by_token.get(token, set()) for token in key.split(" ")]
        keys = set.intersection(*sets) - {key} if sets else set()
        ranked = sorted(keys, key=lambda k: (len(k), k))[:limit]
        # Quality falls with the share of the name the query leaves unexplained.
        return [(e, 85.0 * len(key) / len(k)) for k in ranked for e in self._by_key[k]]

    def fuzzy_entries(self, key: str, limit: int, cutoff: float) -> list[tuple[NameEntry, float]]:
        """Return name entries whose keys are near a key, with a 0–100 quality."""
        hits = self._fuzzy.search(key, limit, cutoff)
        return [(e, quality) for near, quality in hits for e in self._by_key[near]]


def _analyst_names_win(by_key: dict[str, list[NameEntry]]) -> None:
    """Keep only the analysts' entries under a key that has any: an analyst who says a spelling
    means a place has settled which of its namesakes it is."""
    for key, entries in by_key.items():
        analyst = [e for e in entries if e.origin == NameOrigin.ANALYST]
        if analyst and len(analyst) < len(entries):
            by_key[key] = analyst


def current_token() -> tuple:
    """Return a cheap fingerprint that changes whenever places or names change."""
    version = GazetteerVersion.objects.order_by("-loaded_at").values_list("sha256", "loaded_at").first()
    places = Place.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("updated_at"))
    # A build name an analyst takes over (Mention.choose_place) changes only its origin: count those.
    analyst = Count("id", filter=Q(origin=NameOrigin.ANALYST))
    names = PlaceName.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("added_at"), analyst=analyst)
    return (version, *places.values(), *names.values())


_index: Fresh[GazetteerIndex] = Fresh(lambda: GazetteerIndex.from_db(), current_token)


def get_index() -> GazetteerIndex:
    """Return the process-wide index, rebuilding it when the gazetteer has changed."""
    return _index.get()


def invalidate() -> None:
    """Drop the cached index so the next get_index() rebuilds it."""
    _index.invalidate()
