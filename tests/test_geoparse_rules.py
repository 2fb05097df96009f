"""Extraction and resolution rules measured on real reporting (issue 4): common words, trigger
nouns, containment, headline prefixes, governorate-named capitals, capitalised multiword names."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import FIXTURE_PARSER

from geoparse.pipeline import Geoparser
from geoparse.types import INCIDENT, REPORTING

PUB = dt.date(2024, 8, 20)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return FIXTURE_PARSER


def place_ids(text, parser):
    return {m.place.id for m in parser.parse(text, published=PUB).mentions if m.place is not None}


def primary_id(text, parser):
    result = parser.parse(text, published=PUB)
    return result.incidents[0].place.id if result.incidents else None


@pytest.mark.parametrize(
    ("text", "word_id"),
    [
        ("الطيران الحربي يقصف مدينة معدان", 501),  # "military" is not the village Al Harbi
        ("انتشال ثلاثة مدنيين من تحت الأنقاض في معدان", 502),  # "under"
        ("Salam returned to Maadan after the shelling, officials said", 503),
    ],
)
def test_a_common_word_without_place_context_is_not_a_place(parser, text, word_id):
    assert word_id not in place_ids(text, parser) and primary_id(text, parser) == 119


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("قصف مدفعي على قرية الحربي", 501),  # trigger noun
        ("قصف مدفعي على الحربي بريف الحسكة", 501),  # containment by a following place
        ("Shelling hit Salam village", 503),  # English trigger
        ("Shelling in Salam and Maadan", 503),  # preposition and coordination
    ],
)
def test_a_common_word_with_place_context_is_a_place(parser, text, place_id):
    assert primary_id(text, parser) == place_id


@pytest.mark.parametrize(
    "text", ["قصف مدفعي على مدينة", "غارات على قرية ليلة أمس", "Shelling on the village"]
)
def test_a_trigger_noun_alone_is_never_a_place(parser, text):
    assert parser.parse(text, published=PUB).incidents == ()


@pytest.mark.parametrize(
    "text",
    [
        "غارات على مدينة اللطامنة وقرية معركبة في ريف حماة",
        "Airstrikes on Latamneh and Maarkaba in the Hama countryside",
    ],
)
def test_neighbouring_towns_do_not_contain_each_other(parser, text):
    ids = [i.place.id for i in parser.parse(text, published=PUB).incidents]
    assert ids[:1] == [507] and 508 in ids


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("معدان: قصف مدفعي على الأحياء السكنية", 119),
        ("Maadan: shelling on residential areas", 119),
    ],
)
def test_a_headline_place_prefix_is_the_incident_location(parser, text, place_id):
    result = parser.parse(text, published=PUB)
    assert result.mentions[0].role == INCIDENT and result.incidents[0].place.id == place_id


def test_an_agency_dateline_is_still_a_reporting_location(parser):
    result = parser.parse("RAQQA (AP) — Shelling hit Maadan on Sunday", published=PUB)
    assert result.mentions[0].role == REPORTING and result.incidents[0].place.id == 119


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("حمص: غارات جوية على مدينة تدمر", 106),
        ("Homs | airstrikes on Palmyra overnight", 106),
        ("حلب – منبج: دمار جراء القصف", 104),
    ],
)
def test_a_governorate_named_capital_yields_to_the_place_named_inside_it(parser, text, place_id):
    assert primary_id(text, parser) == place_id


def test_a_capital_called_a_city_or_coordinated_stays_an_incident(parser):
    ids = [i.place.id for i in parser.parse("Airstrikes on Aleppo and Manbij", published=PUB).incidents]
    assert ids == [102, 104]


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("The first moments of the airstrike on Kafar Naha town", 504),  # run beats "Naha"
        ("Cluster rocket remnants in lataminah", 507),  # lower-case rare word after a preposition
        ("Warplanes bombed Al-Lataminah overnight", 507),  # verb as a place preposition
    ],
)
def test_english_spellings_and_multiword_names_are_matched_as_a_unit(parser, text, place_id):
    assert primary_id(text, parser) == place_id


@pytest.mark.parametrize(
    "text",
    [
        "Clashes in Jabal al-Zawiya left two dead",  # "Jabal" heads an unknown name
        "The war reached Syrias east as shelling hit Maadan",  # "Syrias" is not Sarisah
    ],
)
def test_name_heads_and_word_forms_do_not_become_villages(parser, text):
    assert not place_ids(text, parser) & {506, 509}


@pytest.mark.parametrize(
    "text", ["President Bashar al-Assad visited Maadan", "قال بشار الأسد إن القصف طال معدان"]
)
def test_person_names_block_the_villages_they_contain(parser, text):
    assert primary_id(text, parser) == 119
