"""Which incident is primary and where it is put: countryside seats, trigger-prefixed names,
casualty clauses, a vote across headlines, and fuzzy proposals for unknown spellings."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import FIXTURE_PARSER

from geoparse.pipeline import Geoparser

PUB = dt.date(2024, 3, 10)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return FIXTURE_PARSER


def primary(text: str, parser):
    result = parser.parse(text, published=PUB)
    assert result.incidents, f"no incident in {text!r}"
    return result.incidents[0]


@pytest.mark.parametrize(
    "text",
    ["قصف مدفعي على ريف حلب صباح اليوم", "Artillery shelled the countryside of Aleppo this morning"],
)
def test_countryside_incident_sits_at_its_town_and_carries_the_area(parser, text):
    inc = primary(text, parser)
    assert inc.geo_precision == 2
    assert (inc.lat, inc.lon) == (36.206013, 37.15242)  # Aleppo city, not the area's centroid
    assert inc.area_place_ids == (404,)


@pytest.mark.parametrize("text", ["غارة جوية على مدينة إدلب", "An airstrike hit Idlib city"])
def test_city_trigger_picks_the_town_over_a_district_named_with_it(parser, text):
    inc = primary(text, parser)
    assert inc.place.id == 108
    assert inc.geo_precision == 1


@pytest.mark.parametrize(
    "text",
    [
        "وصل وفد حكومي إلى الرقة. ومقتل ثلاثة مدنيين في منبج",
        "A government delegation arrived in Raqqa. Three people died in Menbij",
    ],
)
def test_casualty_clause_holds_the_incident(parser, text):
    assert primary(text, parser).place.id == 104


@pytest.mark.parametrize(
    "text",
    [
        "اشتباكات في الرقة\nقصف على منبج\nغارة على الباب",
        "Clashes erupt in Raqqa\nShelling hits Menbij\nDrone strike on al-Bab",
    ],
)
def test_headline_digest_votes_for_the_governorate_named_most(parser, text):
    assert primary(text, parser).place.admin1 == "SY02"


@pytest.mark.parametrize(
    "text",
    [
        "غارة تقتل خمسة في معدان\n\nقصف على منبج. غارة على الباب.",
        "Airstrike kills five in Maadan\n\nShelling hit Menbij. A drone struck al-Bab.",
    ],
)
def test_article_title_keeps_its_incident_first(parser, text):
    assert primary(text, parser).place.id == 119


@pytest.mark.parametrize(
    "text",
    [
        "Russian jets bombard Lattameneh with rockets",
        "Lattameneh bombardment leaves two dead",
        "Warplanes struck the countryside near Latamna",
    ],
)
def test_unknown_spelling_is_proposed_for_fuzzy_matching(parser, text):
    assert primary(text, parser).place.id == 507


@pytest.mark.parametrize("text", ["Heavy Bombardment Reported Today", "Local Council Statement on Shelling"])
def test_capitalised_english_words_are_not_proposed(parser, text):
    assert parser.parse(text, published=PUB).incidents == ()
