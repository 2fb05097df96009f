"""Frozen dataclasses passed between pipeline stages, and the gazetteer Protocol."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# Place kinds, most specific first; the gazetteer app uses the same strings.
GOVERNORATE = "governorate"
DISTRICT = "district"
SUBDISTRICT = "subdistrict"
COMMUNITY = "community"
NEIGHBOURHOOD = "neighbourhood"
CAMP = "camp"
FACILITY = "facility"
AREA = "area"
KINDS = (GOVERNORATE, DISTRICT, SUBDISTRICT, COMMUNITY, NEIGHBOURHOOD, CAMP, FACILITY, AREA)
ADMIN_KINDS = (GOVERNORATE, DISTRICT, SUBDISTRICT)


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One gazetteer place as the pipeline sees it."""

    id: int
    kind: str
    name_en: str
    name_ar: str
    lat: float
    lon: float
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    pcode: str = ""
    parent_id: int | None = None
    importance: float = 0.0
    has_area: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer place proposed for a name, with how well and why it matched."""

    place: PlaceRecord
    matched_name: str
    match_quality: float  # 0–100: 100 is an exact key match
    score: float  # ranking score combining quality, kind and importance
    kind_hint: str = ""


class Gazetteer(Protocol):
    """What the pipeline needs from a gazetteer: in-memory, read-only lookups."""

    def place(self, place_id: int) -> PlaceRecord | None:
        """Return the place with this id."""
        ...

    def exact(self, key: str) -> list[tuple[PlaceRecord, str]]:
        """Return places indexed under a normalised key, with the name that matched."""
        ...

    def fuzzy(self, key: str, limit: int, cutoff: float) -> list[tuple[PlaceRecord, str, float]]:
        """Return places whose keys are near a normalised key, with a 0–100 quality."""
        ...

    def children(self, place_id: int) -> list[PlaceRecord]:
        """Return the places whose parent is this place."""
        ...

    def keys(self) -> Iterable[str]:
        """Return every normalised key the gazetteer indexes (the extract automaton is built from them)."""
        ...


# Mention roles.
INCIDENT = "incident"
CONTEXT = "context"
REPORTING = "reporting"
ROLES = (INCIDENT, CONTEXT, REPORTING)

# Date precisions.
DAY = "day"
WEEK = "week"
MONTH = "month"
YEAR = "year"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the text that may name a place (extract stage)."""

    start: int
    end: int
    text: str
    key: str  # normalised, clitics and trigger words removed
    kind_hint: str = ""
    trigger: str = ""  # the trigger word that announced it, if any
    qualifier: str = ""  # "countryside", "near", "between", "outskirts": makes an incident precision 2
    direction: str = ""  # "east", "west", "north", "south", … after a countryside qualifier
    source: str = (
        "exact"  # "exact" (automaton), "fuzzy" (proposed name), "trigger" (unknown, after a trigger)
    )


@dataclass(frozen=True, slots=True)
class Mention:
    """A span resolved to a place, or left unresolved, with its role (resolve stage)."""

    span: Span
    place: PlaceRecord | None
    score: float
    role: str = CONTEXT
    # The (place id, score) pairs the resolve stage weighed, best first (the chosen place first), top 5.
    candidates: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True, slots=True)
class IncidentDraft:
    """One incident the article reports (incidents stage)."""

    place: PlaceRecord
    lat: float
    lon: float
    geo_precision: int  # ACLED: 1 town/neighbourhood/facility, 2 part of region/near, 3 governorate+
    date: str | None  # ISO date (YYYY-MM-DD), first day of the period
    date_precision: str
    event_type: str
    actors: tuple[str, ...]
    fatalities: int | None
    summary: str
    confidence: float
    mentions: tuple[int, ...] = ()  # indexes into GeoparseResult.mentions
    area_place_ids: tuple[int, ...] = ()  # places whose areas the incident stands for
    label_en: str = ""  # e.g. "Ghuwayran / Al-Nashwa, Al-Hasakeh"
    label_ar: str = ""
    sub_event_type: str = ""  # e.g. "raid", "arrest", "airstrike"
    place_ids: tuple[int, ...] = ()  # every place the location names (coordinated neighbourhoods)
    # False when the text states no date and the date is the publication's: the event may be a day older.
    date_stated: bool = True
    # The radius of the uncertainty circle round (lat, lon) for a map to draw when the incident's
    # area places have no polygon: 0 for a point (precision 1) or a governorate (3); for
    # precision 2 a few km "near X" or on a road, half a stated offset ("10 km west of X": 5),
    # half the way between two places, more for a countryside.
    radius_km: float = 0.0


@dataclass(frozen=True, slots=True)
class GeoparseResult:
    """Everything the pipeline found in one text."""

    lang: str
    mentions: tuple[Mention, ...]
    incidents: tuple[IncidentDraft, ...]  # primary incident first
    warnings: tuple[str, ...] = ()
