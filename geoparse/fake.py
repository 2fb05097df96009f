"""An in-memory Gazetteer built from PlaceRecords and names, for tests, benches and tools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .fuzzy import FuzzyKeys
from .normalize import match_keys
from .types import PlaceRecord


class FakeGazetteer:
    """Implements the geoparse Gazetteer Protocol over a list of places and extra names."""

    def __init__(self, places: Iterable[PlaceRecord], names: Iterable[tuple[int, str]] = ()) -> None:
        self._places: dict[int, PlaceRecord] = {p.id: p for p in places}
        self._by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._children: dict[int, list[PlaceRecord]] = defaultdict(list)
        self._fuzzy = FuzzyKeys()
        all_names = [(p.id, n) for p in self._places.values() for n in (p.name_en, p.name_ar) if n]
        for place_id, name in (*all_names, *names):
            self.add_name(place_id, name)
        for place in self._places.values():
            if place.parent_id is not None:
                self._children[place.parent_id].append(place)

    def add_name(self, place_id: int, name: str) -> None:
        """Index one more name (an alias) for a place; a Geoparser made before does not see it."""
        for key in match_keys(name):
            entries = self._by_key[key]
            if all(pid != place_id for pid, _ in entries):
                entries.append((place_id, name))
            self._fuzzy.add(key)

    def place(self, place_id: int) -> PlaceRecord | None:
        """Return the place with this id."""
        return self._places.get(place_id)

    def exact(self, key: str) -> list[tuple[PlaceRecord, str]]:
        """Return places indexed under a normalised key, with the name that matched."""
        return [(self._places[pid], name) for pid, name in self._by_key.get(key, ())]

    def fuzzy(self, key: str, limit: int, cutoff: float) -> list[tuple[PlaceRecord, str, float]]:
        """Return places whose keys sound alike or score high on edit similarity."""
        best = self._fuzzy.search(key, limit, cutoff)
        return [
            (self._places[pid], name, quality) for near, quality in best for pid, name in self._by_key[near]
        ]

    def children(self, place_id: int) -> list[PlaceRecord]:
        """Return the places whose parent is this place."""
        return list(self._children.get(place_id, ()))

    def keys(self) -> list[str]:
        """Return every indexed key."""
        return list(self._by_key)
