"""Event linking's pure scoring (geoparse.linking) and the clustering scores (geoparse.clusters), by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from geoparse.clusters import score_clusters
from geoparse.linking import (
    Facts,
    Link,
    Thresholds,
    best_link,
    combine,
    compare,
    date_range,
    reach_km,
    report_dates,
    scope,
)
from geoparse.types import PlaceRecord

D = dt.date(2024, 8, 20)
TH = Thresholds()
KM_PER_DEG_LAT = 6371.0 * 3.141592653589793 / 180  # one degree of latitude on the linking sphere


def facts(**fields: object) -> Facts:
    """A precision-1 report at place 1 in SY08 on day D: a battle between the SDF and ISIS."""
    base = Facts(
        lat=36.5, lon=40.75, geo_precision=1, first=D, last=D, event_type="battles",
        actors=frozenset({"SDF", "ISIS"}), place_ids=frozenset({1}), admin1="SY08",
    )  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


def north(km: float, **fields: object) -> Facts:
    """The base report moved `km` north, at another place (2), naming no place in common."""
    return facts(**{"lat": 36.5 + km / KM_PER_DEG_LAT, "place_ids": frozenset({2}), **fields})


def days(first: str, last: str | None = None) -> dict[str, dt.date]:
    """The first and last day of a date range, as Facts fields."""
    return {"first": dt.date.fromisoformat(first), "last": dt.date.fromisoformat(last or first)}


def place_part(score: float) -> float:
    """The total of a match whose date, type and actors agree exactly, from its place score."""
    return round(0.4 * score + 0.25 + 0.2 + 0.15, 4)


# name: (report fields, event fields, score or None)
TYPES_AND_ACTORS = {
    "same type and actors": ({}, {}, 1.0),
    "the event's type unknown": ({}, {"event_type": ""}, 0.9),
    "the report's type unknown": ({"event_type": ""}, {}, 0.9),
    "other types": ({}, {"event_type": "protests"}, None),
    "actors overlap": ({}, {"actors": frozenset({"SDF", "SAA"})}, 1.0),
    "actors disjoint": ({}, {"actors": frozenset({"SAA"})}, None),
    "the event names no actor": ({}, {"actors": frozenset()}, 0.925),
    "the report names no actor": ({"actors": frozenset()}, {}, 0.925),
    "neither type nor actors known": ({"event_type": "", "actors": frozenset()}, {}, 0.825),
}


@pytest.mark.parametrize(("report", "event", "expected"), TYPES_AND_ACTORS.values(), ids=TYPES_AND_ACTORS)
def test_types_and_actors(report, event, expected):
    assert compare(facts(**report), facts(**event), TH) == expected


DATES = {
    "the same day": (days("2024-08-20"), days("2024-08-20"), TH, 1.0),
    "a day within a week": (days("2024-08-22"), days("2024-08-19", "2024-08-25"), TH, 0.9),
    "a day within a month": (days("2024-08-31"), days("2024-08-01", "2024-08-31"), TH, 0.9),
    "a day after the week": (days("2024-08-26"), days("2024-08-19", "2024-08-25"), TH, None),
    "a month and the next month": (days("2024-09-01", "2024-09-30"), days("2024-08-01", "2024-08-31"), TH, None),
    "stated a day apart, slack 0": (days("2024-08-21"), days("2024-08-20"), TH, None),
    "stated a day apart, slack 1": (days("2024-08-21"), days("2024-08-20"), Thresholds(day_slack=1), 0.875),
    "stated two days apart, slack 1": (days("2024-08-22"), days("2024-08-20"), Thresholds(day_slack=1), None),
    "the report undated": ({"first": None, "last": None}, days("2024-08-20"), TH, None),
    "the event undated": (days("2024-08-20"), {"first": None, "last": None}, TH, None),
    "both undated": ({"first": None, "last": None}, {"first": None, "last": None}, TH, None),
}  # fmt: skip


@pytest.mark.parametrize(("report", "event", "th", "expected"), DATES.values(), ids=DATES)
def test_dates(report, event, th, expected):
    assert compare(facts(**report), facts(**event), th) == expected


@pytest.mark.parametrize(
    ("day", "precision", "expected"),
    [
        ("2024-08-20", "day", ("2024-08-20", "2024-08-20")),
        ("2024-08-19", "week", ("2024-08-19", "2024-08-25")),
        ("2024-02-01", "month", ("2024-02-01", "2024-02-29")),
        ("2023-02-01", "month", ("2023-02-01", "2023-02-28")),
        ("2024-01-01", "year", ("2024-01-01", "2024-12-31")),
    ],
)
def test_date_range_widens_to_the_precision(day, precision, expected):
    first, last = date_range(dt.date.fromisoformat(day), precision)
    assert (first.isoformat(), last.isoformat()) == expected


def test_date_range_of_no_date_is_none():
    assert date_range(None, "day") == (None, None)


@pytest.mark.parametrize(
    ("stated", "event_day", "expected"),
    [
        (False, "2024-08-20", 0.9),  # published the 21st with no date: the 20th fits
        (False, "2024-08-21", 0.9),
        (False, "2024-08-19", None),
        (True, "2024-08-20", None),  # the text says the 21st: the 20th is another day
        (True, "2024-08-21", 1.0),
    ],
)
def test_an_unstated_date_also_covers_the_day_before(stated, event_day, expected):
    first, last = report_dates(dt.date(2024, 8, 21), "day", stated)
    assert first == (dt.date(2024, 8, 21) if stated else D)
    assert compare(facts(first=first, last=last), facts(**days(event_day)), TH) == expected


def test_an_undated_report_has_no_range_even_unstated():
    assert report_dates(None, "day", stated=False) == (None, None)


# Two precision-1 points: 0.6 at near_km, 0.9 at the same point; beyond near_km they are other places.
PLACES = {
    "the same place": (facts(), facts(place_ids=frozenset({1, 9})), 1.0),
    "2 km apart": (north(2.0), facts(), place_part(0.6 + 0.3 * (1 - 2.0 / 5))),
    "at near_km": (north(4.99), facts(), place_part(0.6 + 0.3 * (1 - 4.99 / 5))),
    "beyond near_km": (north(6.0), facts(), None),
    "the event's place holds the report's": (north(8.0, scope_ids=frozenset({1, 30})), facts(), place_part(0.9)),
    "the report's place holds the event's": (facts(), north(8.0, scope_ids=frozenset({1})), place_part(0.9)),
    "a precision-2 event holds its place": (north(30.0, scope_ids=frozenset({1})), facts(geo_precision=2), place_part(0.7)),
    "a precision-2 area reaches the report": (north(15.0), facts(geo_precision=2, reach_km=20.0), place_part(0.7)),
    "beyond the area's reach": (north(25.0), facts(geo_precision=2, reach_km=20.0), None),
    "the report's area reaches the event": (facts(geo_precision=2, reach_km=20.0), north(15.0), place_part(0.7)),
    "p3 in the same governorate": (north(100.0), facts(geo_precision=3, reach_km=150.0), place_part(0.5)),
    "p3 of another governorate": (north(100.0, admin1="SY11"), facts(geo_precision=3, reach_km=150.0), None),
    "p3 beyond its reach": (north(200.0), facts(geo_precision=3, reach_km=150.0), None),
    "p3 holding by its place": (north(400.0, scope_ids=frozenset({1})), facts(geo_precision=3), place_part(0.5)),
}  # fmt: skip


@pytest.mark.parametrize(("report", "event", "expected"), PLACES.values(), ids=PLACES)
def test_places(report, event, expected):
    found = compare(report, event, TH)
    assert found == (pytest.approx(expected, abs=1e-4) if expected is not None else None)


def test_near_km_is_the_setting():
    assert compare(north(6.0), facts(), Thresholds(near_km=10.0)) == pytest.approx(
        place_part(0.6 + 0.3 * (1 - 6.0 / 10)), abs=1e-4
    )


class Chain:
    """A gazetteer of parent links only: what `scope` reads."""

    def __init__(self, parents: dict[int, int | None]) -> None:
        self.parents = parents

    def place(self, place_id: int) -> PlaceRecord | None:
        if place_id not in self.parents:
            return None
        return PlaceRecord(place_id, "community", "", "", 0.0, 0.0, parent_id=self.parents[place_id])


def test_scope_follows_each_parent_chain():
    # 5 neighbourhood → 4 city → 3 sub-district → 2 governorate; 7 village → 3.
    chain = Chain({5: 4, 4: 3, 3: 2, 2: None, 7: 3})
    assert scope([5], chain) == {4, 3, 2}
    assert scope([5, 7], chain) == {4, 3, 2}
    assert scope([2], chain) == frozenset()
    assert scope([99], chain) == frozenset()


def test_scope_stops_on_a_parent_loop():
    assert scope([1], Chain({1: 2, 2: 1})) == {1, 2}


@pytest.mark.parametrize(
    ("kind", "precision", "radius", "expected"),
    [
        ("governorate", 3, 0.0, 150.0),
        ("district", 2, 0.0, 40.0),
        ("subdistrict", 2, 0.0, 20.0),
        ("community", 2, 0.0, 10.0),  # "near X"
        ("community", 2, 25.0, 25.0),  # "25 km west of X"
        ("community", 3, 0.0, 150.0),
        ("community", 1, 0.0, 0.0),
    ],
)
def test_reach_km(kind, precision, radius, expected):
    assert reach_km(kind, precision, radius) == expected


EXACT = facts()  # scores 1.0 against another exact match
CITY = north(8.0, place_ids=frozenset({4}))  # holds the report (scope): 0.96
TYPELESS = facts(event_type="")  # 0.9

BEST = {
    "one candidate": ([(7, EXACT)], TH, Link(7, 1.0)),
    "no candidate": ([], TH, None),
    "incompatible only": ([(7, facts(event_type="protests"))], TH, None),
    "at the threshold": ([(7, TYPELESS)], Thresholds(min_score=0.9), Link(7, 0.9)),
    "below the threshold": ([(7, TYPELESS)], Thresholds(min_score=0.91), None),
    "clear winner": ([(7, TYPELESS), (8, EXACT)], TH, Link(8, 1.0)),
    "within the margin": ([(7, EXACT), (8, CITY)], TH, None),
    "outside a smaller margin": ([(7, EXACT), (8, CITY)], Thresholds(margin=0.03), Link(7, 1.0)),
    "a tie": ([(7, EXACT), (8, EXACT)], TH, None),
    "a tie with no margin: the lowest key": ([(8, EXACT), (7, EXACT)], Thresholds(margin=0.0), Link(7, 1.0)),
    "the runner-up below the threshold": ([(7, EXACT), (8, TYPELESS)], Thresholds(min_score=0.95, margin=0.5), Link(7, 1.0)),
}  # fmt: skip


@pytest.mark.parametrize(("candidates", "th", "expected"), BEST.values(), ids=BEST)
def test_best_link(candidates, th, expected):
    report = facts(scope_ids=frozenset({4, 3}))
    assert best_link(report, candidates, th) == expected


def test_combine_takes_the_most_precise_location_and_every_date_actor_and_place():
    rough = facts(geo_precision=2, lat=36.0, **days("2024-08-01"), event_type="", actors=frozenset({"A"}),
                  place_ids=frozenset({1}), scope_ids=frozenset({10}), reach_km=40.0)  # fmt: skip
    fine = facts(lat=36.4, **days("2024-08-03", "2024-08-09"), actors=frozenset({"B"}), place_ids=frozenset({2}),
                 scope_ids=frozenset({10, 11}))  # fmt: skip
    event = combine([rough, fine])
    assert (event.lat, event.geo_precision, event.reach_km) == (36.4, 1, 0.0)
    assert (event.first, event.last) == (dt.date(2024, 8, 1), dt.date(2024, 8, 9))
    assert event.event_type == "battles"
    assert (event.actors, event.place_ids, event.scope_ids) == ({"A", "B"}, {1, 2}, {10, 11})


def test_combine_types_the_event_by_its_reports_when_the_lead_has_none():
    lead = facts(event_type="")
    others = [facts(geo_precision=2, event_type=t) for t in ("protests", "battles", "protests")]
    assert combine([lead, *others]).event_type == "protests"


def test_combine_of_undated_reports_is_undated():
    event = combine([facts(first=None, last=None), facts(geo_precision=2, first=None, last=None)])
    assert (event.first, event.last) == (None, None)


GOLD = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}  # 4 same-event pairs: ab, cd, ce, de
# name: (predicted, pair precision, recall, F1, B-cubed precision, recall, F1, predicted pairs)
CLUSTERINGS = {
    "perfect": ({"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}, 1, 1, 1, 1, 1, 1, 4),
    # 10 pairs, 4 right; B-cubed precision (2/5·2 + 3/5·3) / 5.
    "all merged": ({k: "x" for k in GOLD}, 0.4, 1, 4 / 7, 0.52, 1, 2 * 0.52 / 1.52, 10),
    # No pair predicted (precision 1 by convention); B-cubed recall (1/2·2 + 1/3·3) / 5.
    "all split": ({k: k for k in GOLD}, 1, 0, 0, 1, 0.4, 4 / 7, 0),
    # Pairs ab, ac, bc, de: ab and de right; B-cubed (2/3 + 2/3 + 1/3 + 1 + 1) / 5 both ways.
    "one report misplaced": ({"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}, 0.5, 0.5, 0.5, 11 / 15, 11 / 15, 11 / 15, 4),
}  # fmt: skip


@pytest.mark.parametrize(
    ("predicted", "pp", "pr", "pf", "bp", "br", "bf", "pairs"), CLUSTERINGS.values(), ids=CLUSTERINGS
)
def test_score_clusters(predicted, pp, pr, pf, bp, br, bf, pairs):
    s = score_clusters(GOLD, predicted)
    got = (s.pair_precision, s.pair_recall, s.pair_f1, s.bcubed_precision, s.bcubed_recall, s.bcubed_f1)
    assert got == pytest.approx((pp, pr, pf, bp, br, bf))
    assert (s.gold_pairs, s.predicted_pairs) == (4, pairs)


def test_score_clusters_refuses_other_reports():
    with pytest.raises(ValueError, match="same reports"):
        score_clusters(GOLD, {"a": "x"})
