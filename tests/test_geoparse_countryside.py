"""Countryside and regions: "قرى X" may name the villages of a region X; a bare "الريف الشمالي" in a headline that names one governorate capital is
that city's countryside; a directional countryside is coded at its own point (its main town, set
by the gazetteer build), a plain "ريف X" at X itself."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import place, primary_incident

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.scoring import prior
from geoparse.triggers import settlements_of
from geoparse.types import AREA, COMMUNITY, GOVERNORATE, Span

PUB = dt.date(2016, 3, 1)
HOMS = (34.73, 36.71)
RASTAN = (34.92, 36.73)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    places = [
        place(1, GOVERNORATE, "Homs", "حمص", 34.6, 38.3, "SY04", 1.0, pcode="SY04"),
        place(2, GOVERNORATE, "Hama", "حماة", 35.2, 36.9, "SY05", 1.0, pcode="SY05"),
        place(10, COMMUNITY, "Homs", "حمص", *HOMS, "SY04", 0.95),
        place(11, COMMUNITY, "Ar-Rastan", "الرستن", *RASTAN, "SY04", 0.65),
        place(12, COMMUNITY, "Talbiseh", "تلبيسة", 34.84, 36.73, "SY04", 0.55),
        place(13, COMMUNITY, "Hama", "حماة", 35.13, 36.76, "SY05", 0.95),
        # Points as the build sets them: a plain countryside keeps its polygon's point (coded at
        # its city), a directional one points at its main town.
        place(20, AREA, "Homs countryside", "ريف حمص", 34.5, 37.6, "SY04", 0.45),
        place(21, AREA, "Northern Homs countryside", "ريف حمص الشمالي", *RASTAN, "SY04", 0.45),
    ]
    return Geoparser(FakeGazetteer(places))


@pytest.mark.parametrize(
    ("text", "place_id", "point"),
    [
        ("حمص: تحليق للطيران الحربي في سماء الريف الشمالي", 21, RASTAN),
        ("#حمص_الريف_الشمالي غارات جوية على بلدات الريف", 21, RASTAN),
        ("خطوة || شاهد تحليق الطيران في سماء الريف الشمالي في حمص", 21, RASTAN),
        ("قصف على ريف حمص الشمالي", 21, RASTAN),  # the area, at its main town
        ("قصف على ريف حمص", 20, HOMS),  # a plain countryside, at its city
    ],
)
def test_countryside_is_coded_at_the_town_that_stands_for_it(parser, text, place_id, point):
    incident = primary_incident(text, parser, PUB)
    assert (incident.place.id, incident.geo_precision) == (place_id, 2)
    assert (incident.lat, incident.lon) == pytest.approx(point)


@pytest.mark.parametrize(
    ("text", "place_id", "precision"),
    [
        ("حمص: قصف على تلبيسة في الريف الشمالي", 12, 1),  # a named town is the incident
        ("حمص وحماة: تحليق في سماء الريف الشمالي", 10, 1),  # two capitals: whose countryside?
        ("قصف على مدينة حمص", 10, 1),  # no countryside word at all
        ("حمص: ارتفاع أسعار الخبز في المدينة والريف", 10, 1),  # the countryside in general
        ("حمص: قصف مدفعي. وفي خبر آخر تحليق في سماء الريف الشمالي", 10, 1),  # another sentence
    ],
)
def test_bare_countryside_needs_one_capital_and_no_other_place(parser, text, place_id, precision):
    incident = primary_incident(text, parser, PUB)
    assert (incident.place.id, incident.geo_precision) == (place_id, precision)


@pytest.mark.parametrize(
    ("trigger", "of_a_region"),
    [
        ("قري", True),
        ("لقري", True),
        ("والقري", True),
        ("وبلدات", True),
        ("villages", True),
        ("قريه", False),
        ("حي", False),
        ("بيروت", False),
    ],
)
def test_a_plural_settlement_noun_may_name_a_regions_villages(trigger, of_a_region):
    region = place(30, AREA, "Jabal al-Akrad", "جبل الاكراد", 35.74, 36.16, "SY06", 0.45)
    announced = Span(0, 10, "جبل الأكراد", "جبل الاكراد", kind_hint=COMMUNITY, trigger=trigger)
    bare = Span(0, 10, "جبل الأكراد", "جبل الاكراد")
    assert settlements_of(trigger) is of_a_region
    assert (prior(announced, region, 100.0) > prior(bare, region, 100.0)) is of_a_region
