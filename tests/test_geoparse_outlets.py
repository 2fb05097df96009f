"""Outlet names: the city in a local outlet's name as the container of an unplaced quarter,
an outlet's name is no place, and a long trigger-announced English name matched more loosely when
its consonant skeleton agrees."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import first_incident, place

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.types import COMMUNITY, GOVERNORATE, PlaceRecord

PUB = dt.date(2016, 3, 1)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    places = [
        place(1, GOVERNORATE, "Aleppo", "حلب", 36.2, 37.5, "SY02", 1.0),
        place(2, GOVERNORATE, "Hama", "حماة", 35.2, 37.0, "SY05", 1.0),
        place(3, GOVERNORATE, "Homs", "حمص", 34.6, 38.3, "SY04", 1.0),
        place(11, COMMUNITY, "Aleppo", "حلب", 36.20, 37.15, "SY02", 0.95),
        place(12, COMMUNITY, "Hama", "حماة", 35.13, 36.75, "SY05", 0.95),
        place(13, COMMUNITY, "Damascus", "دمشق", 33.51, 36.29, "SY01", 1.0),
        # The only Kallasa the gazetteer knows is a village far from Aleppo.
        place(20, COMMUNITY, "Kallasa", "الكلاسة", 34.90, 40.00, "SY04"),
        # Villages whose names are also the first word of an outlet's name.
        place(21, COMMUNITY, "Shamal", "تلمنس", 35.50, 40.40, "SY09"),
        place(22, COMMUNITY, "Kafr Nabudah", "كفرنبودة", 35.43, 36.50, "SY05"),
    ]
    return Geoparser(FakeGazetteer(places, names=[(11, "Halab"), (21, "Al Shamal"), (13, "Cham")]))


def incident(text: str, parser: Geoparser) -> PlaceRecord:
    return first_incident(text, parser, PUB)


@pytest.mark.parametrize(
    "text",
    [
        "شبكة حلب نيوز : قصف الطيران الروسي على حي الكلاسة",
        "Halab News: Russian jets bombed the Kallasa neighbourhood",
    ],
)
def test_a_local_outlets_city_contains_an_unplaced_quarter(parser, text):
    place = incident(text, parser)
    assert (place.admin1, place.kind) == ("SY02", COMMUNITY)


@pytest.mark.parametrize(
    "text",
    [
        "تلمنس برس : قصف الطيران الروسي على مدينة حماة",
        "شبكة صدى تلمنس : قصف الطيران الروسي على مدينة حماة",  # the head noun opens the name
        "Al Shamal Press: Russian jets bombed the city of Hama",
        "Al Shamal Observatory confirms that Russian jets bombed the city of Hama",
        "Al Shamal Agency: Russian jets bombed the city of Hama",
        "Al Shamal Network reports that Russian jets bombed the city of Hama",
        "Cham Observatory confirms that Russian jets bombed the city of Hama",  # Cham: the Levant
    ],
)
def test_the_first_word_of_an_outlets_name_is_noplace(parser, text):
    mentions = parser.parse(text, published=PUB).mentions
    assert [m.place.admin1 for m in mentions if m.place is not None] == ["SY05"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A helicopter struck the Kafanaboudah city at night", "Kafr Nabudah"),
        ("Shelling hit Kafanaboudah town again", "Kafr Nabudah"),
    ],
)
def test_a_long_name_a_trigger_announces_matches_more_loosely_when_its_sounds_agree(parser, text, expected):
    assert incident(text, parser).name_en == expected


@pytest.mark.parametrize(
    "text",
    [
        "A helicopter struck the Kafanaboudah market at night",
        "A helicopter struck the Kazr Nabulah city at night",
    ],
)
def test_without_a_trigger_or_agreeing_sounds_the_loose_match_is_not_made(parser, text):
    names = [m.place.name_en for m in parser.parse(text, published=PUB).mentions if m.place]
    assert "Kafr Nabudah" not in names
