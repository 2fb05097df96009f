"""Place predicates the resolve and incidents stages share: containment, distance, coded towns."""

from __future__ import annotations

import math

from .normalize import normalize
from .types import (
    AREA,
    CAMP,
    COMMUNITY,
    DISTRICT,
    FACILITY,
    GOVERNORATE,
    NEIGHBOURHOOD,
    Gazetteer,
    PlaceRecord,
)

AREA_KM = 80.0
CITY_KM = 12.0
COUNTRYSIDE_KM = 70.0
CITY_IMPORTANCE = 0.9  # governorate capitals: the only towns whose outskirts hold other towns
_DIRECTION_WORDS = frozenset(("الشرقي", "الغربي", "الشمالي", "الجنوبي"))
_PARENT_HOPS = 8


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle (haversine) distance between two points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: PlaceRecord, b: PlaceRecord) -> float:
    """Return the great-circle distance between two places."""
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)


def within(a: PlaceRecord, b: PlaceRecord, km: float) -> bool:
    """Tell quickly whether two places are within km (flat-earth approximation, fine at this scale)."""
    dy = (a.lat - b.lat) * 111.2
    dx = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return dx * dx + dy * dy <= km * km


def moved(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """Return the point km along a compass bearing (degrees from north) from lat, lon."""
    rad = math.radians(bearing)
    dlat = km * math.cos(rad) / 111.2
    dlon = km * math.sin(rad) / (111.2 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def town_holds(outer: PlaceRecord, inner: PlaceRecord) -> bool:
    """Tell whether a town holds a nearby place: a neighbourhood, camp or facility near it, or a
    smaller community on the outskirts of a governorate capital. Never both ways round."""
    if inner.kind in (NEIGHBOURHOOD, CAMP, FACILITY):
        return distance_km(outer, inner) <= CITY_KM
    if inner.kind != COMMUNITY or outer.importance < CITY_IMPORTANCE:
        return False
    return inner.importance < outer.importance and distance_km(outer, inner) <= CITY_KM


class Places:
    """Containment between the places of one gazetteer, remembering the towns of countryside areas."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._seats: dict[int, PlaceRecord | None] = {}

    def contains(self, outer: PlaceRecord, inner: PlaceRecord) -> bool:
        """Tell whether inner lies within outer: parent chain, admin codes, or closeness to a town."""
        if outer.id == inner.id:
            return False
        if self._ancestor(outer, inner):
            return True
        if (
            outer.pcode
            and outer.pcode in (inner.admin1, inner.admin2, inner.admin3)
            and outer.kind != COMMUNITY
        ):
            return True
        if outer.kind == COMMUNITY and inner.kind != GOVERNORATE:
            return town_holds(outer, inner)
        if outer.kind == AREA:
            return self._area_holds(outer, inner)
        return False

    def encloses(self, outer: PlaceRecord, inner: PlaceRecord, countryside: bool = False) -> bool:
        """Like `contains`, but "the countryside of X" also holds places of X's governorate nearby."""
        if self.contains(outer, inner):
            return True
        if countryside and outer.kind == COMMUNITY and outer.id != inner.id:
            return outer.admin1 == inner.admin1 and distance_km(outer, inner) <= COUNTRYSIDE_KM
        return False

    def area_seat(self, area: PlaceRecord) -> PlaceRecord | None:
        """Return the town a "ريف X [direction]" area is the countryside of: X's most important
        community in the area's governorate."""
        if area.kind != AREA:
            return None
        if area.id not in self._seats:
            self._seats[area.id] = self._find_seat(area)
        return self._seats[area.id]

    def coded_town(self, area: PlaceRecord) -> PlaceRecord | None:
        """Return the town an incident in an area is coded at when it is not the area's own point:
        the city of a plain "ريف X". A directional countryside ("ريف X الشمالي") or a named area
        already points at its main town (set by the gazetteer build), as ACLED codes such areas."""
        if _DIRECTION_WORDS.intersection(normalize(area.name_ar).split(" ")):
            return None
        return self.area_seat(area)

    def _ancestor(self, outer: PlaceRecord, inner: PlaceRecord) -> bool:
        """Tell whether outer is on inner's parent chain (a few hops up)."""
        parent_id = inner.parent_id
        for _ in range(_PARENT_HOPS):
            if parent_id is None:
                return False
            if parent_id == outer.id:
                return True
            parent = self.gazetteer.place(parent_id)
            parent_id = parent.parent_id if parent is not None else None
        return False

    def _area_holds(self, area: PlaceRecord, inner: PlaceRecord) -> bool:
        """Tell whether an area holds a place: near its point, or near the town it is named after."""
        if (area.admin1 and area.admin1 != inner.admin1) or inner.kind in (GOVERNORATE, DISTRICT):
            # An area is not read as holding a wider unit: the Ghouta would otherwise "hold" OCHA's
            # district «مركز ريف دمشق» (named «ريف دمشق») by distance, and code it.
            return False
        if distance_km(area, inner) <= AREA_KM:
            return True
        # "ريف حمص" spans a governorate whose centroid lies in the desert: measure from its town.
        seat = self.area_seat(area)
        return seat is not None and inner.kind != GOVERNORATE and distance_km(seat, inner) <= AREA_KM

    def _find_seat(self, area: PlaceRecord) -> PlaceRecord | None:
        """Find the most important community named like the area without "ريف" and directions."""
        words = normalize(area.name_ar).split(" ")
        if len(words) < 2 or words[0] != "ريف":
            return None
        rest = " ".join(w for w in words[1:] if w not in _DIRECTION_WORDS)
        found = [
            p
            for p, _ in self.gazetteer.exact(rest)
            if p.kind == COMMUNITY and (not area.admin1 or p.admin1 == area.admin1)
        ]
        return max(found, key=lambda p: (p.importance, -p.id)) if found else None
