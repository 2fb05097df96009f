"""A geopy Geocoder over our own gazetteer: offline, no HTTP ever made."""

from __future__ import annotations

from geopy.adapters import BaseSyncAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point as GeopyPoint

from geoparse.types import Candidate

from .lookup import QueryError, lookup, reverse
from .models import Place


class _NoNetworkAdapter(BaseSyncAdapter):
    """Stand-in HTTP adapter: this geocoder answers from the database only."""

    def get_json(self, url, *, timeout, headers):
        raise RuntimeError("LocalGazetteer never makes HTTP requests")

    def get_text(self, url, *, timeout, headers):
        raise RuntimeError("LocalGazetteer never makes HTTP requests")


def _address(name_en: str, name_ar: str, chain: list[str]) -> str:
    parts = [f"{name_en} / {name_ar}" if name_ar else name_en, *chain]
    return ", ".join(dict.fromkeys(p for p in parts if p))


class LocalGazetteer(Geocoder):
    """Geocode against the local gazetteer: `LocalGazetteer().geocode("غويران")`."""

    def __init__(self, *, lang: str | None = None, within: str | None = None):
        super().__init__(scheme="https", user_agent="conflictmap", adapter_factory=_NoNetworkAdapter)
        self.lang = lang
        self.within = within

    def geocode(self, query, *, exactly_one=True, limit=None, language=None, within=None):
        """Return the best Location for a name (or a list when exactly_one is False)."""
        try:
            found = lookup(
                str(query),
                lang=language or self.lang,
                within=within or self.within,
                limit=1 if exactly_one else (limit or 10),
            )
        except QueryError:
            found = []
        locations = [self._location(c) for c in found]
        if exactly_one:
            return locations[0] if locations else None
        return locations

    def reverse(self, query, *, exactly_one=True):
        """Return the nearest settlement with its admin chain for a (lat, lon) point."""
        point = GeopyPoint(query)
        result = reverse(point.latitude, point.longitude)
        place = result.nearest or result.subdistrict or result.district or result.governorate
        if place is None:
            return None if exactly_one else []
        chain = [u.name_en for u in reversed(result.chain)]
        raw = {
            "place_id": place.pk,
            "kind": place.kind,
            "distance_km": result.distance_km,
            "admin1_pcode": result.governorate.pcode if result.governorate else "",
            "admin2_pcode": result.district.pcode if result.district else "",
            "admin3_pcode": result.subdistrict.pcode if result.subdistrict else "",
        }
        location = Location(
            _address(place.name_en, place.name_ar, chain), (place.point.y, place.point.x), raw
        )
        return location if exactly_one else [location]

    def _location(self, candidate: Candidate) -> Location:
        record = candidate.place
        units = {
            p.pcode: p.name_en
            for p in Place.objects.admin_units().filter(
                pcode__in=[record.admin3, record.admin2, record.admin1]
            )
        }
        chain = [units.get(code, "") for code in (record.admin3, record.admin2, record.admin1)]
        raw = {
            "place_id": record.id,
            "kind": record.kind,
            "name_en": record.name_en,
            "name_ar": record.name_ar,
            "admin1_pcode": record.admin1,
            "admin2_pcode": record.admin2,
            "admin3_pcode": record.admin3,
            "score": candidate.score,
            "matched_name": candidate.matched_name,
        }
        return Location(_address(record.name_en, record.name_ar, chain), (record.lat, record.lon), raw)
