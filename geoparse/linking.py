"""Link reports of one real-world event: what two reports must share, and how strongly they match.

A report (one article's incident) joins an event when all of these hold:
  - both are dated, and their date ranges overlap or are at most `day_slack` days apart. Each date is
    widened to its precision (a month-precise date covers its month), and a date the text does not
    state (the publication's) also covers the day before: a report published the next day without a
    date dates the event by its own day;
  - their event types are the same, or one is unknown;
  - their actors overlap, or one side names none;
  - their places match: the same place, or two precision-1 places within `near_km`, or one holds the
    other (a city its neighbourhood, "the countryside of X" its villages, a governorate its towns).
The score (0–1) weighs how well each part matches (an unknown type or actor counts half); a link needs
`min_score`, and a report that fits two events joins neither: their scores within `margin` of each
other, or the report's wider location holding both (a countryside with killings in two of its towns
that day). Such a report starts an event that takes no other reports (`held`). The same functions score
a link in the worker (against events the database proposes) and in the labelled-set benchmark.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .places import great_circle_km
from .types import AREA, DAY, DISTRICT, GOVERNORATE, MONTH, SUBDISTRICT, WEEK, YEAR, Gazetteer

# How far an area-like location reaches from its point, by the kind of its place (km); the
# countryside of a town is coded as an area, or as precision 2 at the town.
REACH_KM = {AREA: 50.0, DISTRICT: 40.0, SUBDISTRICT: 20.0, GOVERNORATE: 150.0}
COUNTRYSIDE_REACH_KM = 40.0
_PARENT_HOPS = 8


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The settings of automatic linking (see the module docstring)."""

    near_km: float = 5.0
    day_slack: int = 0
    min_score: float = 0.7
    margin: float = 0.05


@dataclass(frozen=True, slots=True)
class Facts:
    """What linking compares of a report, or of an event (its reports combined)."""

    lat: float
    lon: float
    geo_precision: int
    first: dt.date | None  # the first day the date may be; None: undated, never linked on it
    last: dt.date | None
    event_type: str = ""
    actors: frozenset[str] = frozenset()
    place_ids: frozenset[int] = frozenset()  # the places it names
    scope_ids: frozenset[int] = frozenset()  # the places that hold those (parent chains)
    admin1: str = ""
    reach_km: float = 0.0  # how far from its point the location extends (0: a point place)


@dataclass(frozen=True, slots=True)
class Link:
    """A report's best event, and the score of the match."""

    key: int
    score: float


# The weights of the parts of a match; they sum to 1.
W_PLACE, W_DATE, W_TYPE, W_ACTORS = 0.4, 0.25, 0.2, 0.15
UNKNOWN = 0.5  # the credit of a type or actors one side does not name
NEAR_REACH_KM = 10.0  # "near X", "on the outskirts of X": precision 2 at a town


def date_range(day: dt.date | None, precision: str) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day a date of this precision may stand for."""
    if day is None:
        return None, None
    if precision == WEEK:
        return day, day + dt.timedelta(days=6)
    if precision == MONTH:
        return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == YEAR:
        return day, dt.date(day.year, 12, 31)
    return day, day


def scope(place_ids: Iterable[int], gazetteer: Gazetteer) -> frozenset[int]:
    """Return the places holding any of these places, following each one's parent chain."""
    out: set[int] = set()
    for place_id in place_ids:
        place = gazetteer.place(place_id)
        for _ in range(_PARENT_HOPS):
            if place is None or place.parent_id is None:
                break
            out.add(place.parent_id)
            place = gazetteer.place(place.parent_id)
    return frozenset(out)


def reach_km(kind: str, geo_precision: int, radius_km: float = 0.0) -> float:
    """Return how far from its point a location reaches, from its place kind and precision."""
    if kind in REACH_KM:
        return REACH_KM[kind]
    if geo_precision == 2:
        return max(radius_km, NEAR_REACH_KM)
    if geo_precision >= 3:
        return REACH_KM[GOVERNORATE]
    return 0.0


def report_dates(day: dt.date | None, precision: str, stated: bool) -> tuple[dt.date | None, dt.date | None]:
    """Return a report's date range: its precision's, and the day before when the text states no date."""
    first, last = date_range(day, precision)
    if first is not None and not stated:
        first -= dt.timedelta(days=1)
    return first, last


def extent_km(lat: float, lon: float, box: tuple[float, float, float, float]) -> float:
    """Return how far a lon/lat box (west, south, east, north) reaches from a point: its farthest corner."""
    west, south, east, north = box
    return max(great_circle_km(lat, lon, y, x) for x in (west, east) for y in (south, north))


def distance_km(a: Facts, b: Facts) -> float:
    """Return the great-circle distance between two locations' points."""
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)


def holds(outer: Facts, inner: Facts) -> bool:
    """Tell whether one location holds the other: a parent place, or an area-like one around it."""
    if outer.place_ids & inner.scope_ids:
        return True
    if outer.geo_precision < 2 or outer.geo_precision < inner.geo_precision:
        return False
    if outer.admin1 and inner.admin1 and outer.admin1 != inner.admin1:
        return False
    return distance_km(outer, inner) <= outer.reach_km


def place_score(a: Facts, b: Facts, th: Thresholds) -> float | None:
    """Score how well two locations match (None: not the same location)."""
    if a.place_ids & b.place_ids:
        return 1.0
    if holds(a, b) or holds(b, a):
        outer = max(a.geo_precision, b.geo_precision)
        return {1: 0.9, 2: 0.7}.get(outer, 0.5)
    if a.geo_precision == b.geo_precision == 1:
        km = distance_km(a, b)
        if km <= th.near_km:
            return 0.6 + 0.3 * (1 - km / th.near_km)
    return None


def day_gap(a: Facts, b: Facts) -> int | None:
    """Return how many days apart two date ranges are (0 if they overlap; None if one is undated)."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return None
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


def date_score(a: Facts, b: Facts, th: Thresholds) -> float | None:
    """Score how well two dates match (None: too far apart, or undated)."""
    gap = day_gap(a, b)
    if gap is None or gap > th.day_slack:
        return None
    if gap:
        return 0.5
    exact = a.first == a.last == b.first == b.last
    return 1.0 if exact else 0.6


def compare(report: Facts, event: Facts, th: Thresholds) -> float | None:
    """Score a report against an event, 0–1; None when they cannot be one event."""
    if report.event_type and event.event_type and report.event_type != event.event_type:
        return None
    if report.actors and event.actors and not report.actors & event.actors:
        return None
    when = date_score(report, event, th)
    if when is None:
        return None
    where = place_score(report, event, th)
    if where is None:
        return None
    typed = 1.0 if report.event_type and report.event_type == event.event_type else UNKNOWN
    actors = 1.0 if report.actors & event.actors else UNKNOWN
    return round(W_PLACE * where + W_DATE * when + W_TYPE * typed + W_ACTORS * actors, 4)


def ranked(report: Facts, candidates: Iterable[tuple[int, Facts]], th: Thresholds) -> list[Link]:
    """Return the candidate events scoring at or above the threshold, best first (ties: the lower key)."""
    links = [
        Link(key, score)
        for key, facts in candidates
        if (score := compare(report, facts, th)) is not None and score >= th.min_score
    ]
    return sorted(links, key=lambda link: (-link.score, link.key))


def ambiguous(report: Facts, links: list[Link], events: Mapping[int, Facts], th: Thresholds) -> bool:
    """Tell whether a report fits two events: their scores within the margin, or a wider location
    ("the Daraa countryside") holding both events' places, whatever the scores."""
    if len(links) < 2:
        return False
    if links[0].score - links[1].score < th.margin:
        return True
    wider = [
        k
        for k in (link.key for link in links)
        if holds(report, events[k]) and not report.place_ids & events[k].place_ids
    ]
    return len(wider) > 1


def best_link(report: Facts, candidates: Iterable[tuple[int, Facts]], th: Thresholds) -> Link | None:
    """Return the best-scoring candidate event at or above the threshold, unless it is ambiguous."""
    events = dict(candidates)
    links = ranked(report, events.items(), th)
    return None if not links or ambiguous(report, links, events, th) else links[0]


def combine(reports: list[Facts]) -> Facts:
    """Return an event's facts from its reports: the most precise one's location, all dates, actors, places."""
    best = min(reports, key=lambda f: f.geo_precision)
    firsts = [f.first for f in reports if f.first is not None]
    lasts = [f.last for f in reports if f.last is not None]
    types = [f.event_type for f in reports if f.event_type]
    return replace(
        best,
        first=min(firsts) if firsts else None,
        last=max(lasts) if lasts else None,
        event_type=best.event_type or (max(set(types), key=types.count) if types else ""),
        actors=frozenset().union(*(f.actors for f in reports)),
        place_ids=frozenset().union(*(f.place_ids for f in reports)),
        scope_ids=frozenset().union(*(f.scope_ids for f in reports)),
    )


__all__ = [
    "DAY",
    "Facts",
    "Link",
    "Thresholds",
    "ambiguous",
    "best_link",
    "combine",
    "compare",
    "ranked",
]
