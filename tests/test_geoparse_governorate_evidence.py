"""Governorate evidence: a governorate the text names by a province or countryside decides
against loose spellings that only match a village somewhere else."""

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
        place(3, GOVERNORATE, "Lattakia", "اللاذقية", 35.6, 36.0, "SY06", 1.0),
        place(4, GOVERNORATE, "Damascus", "دمشق", 33.51, 36.29, "SY01", 1.0),
        place(5, GOVERNORATE, "Rural Damascus", "ريف دمشق", 33.5, 36.6, "SY03", 0.9),
        place(10, COMMUNITY, "Damascus", "دمشق", 33.517, 36.277, "SY01", 1.0),
        place(11, COMMUNITY, "Aleppo", "حلب", 36.20, 37.15, "SY02", 0.95),
        place(12, COMMUNITY, "Hama", "حماة", 35.13, 36.75, "SY05", 0.95),
        # Only villages far from the governorate the texts name, spelt a little differently.
        place(20, COMMUNITY, "Marastah", "معراستة", 35.70, 36.10, "SY06"),
        place(21, COMMUNITY, "Abu Fasil", "ابو فاصل", 36.60, 40.90, "SY08"),
        place(24, COMMUNITY, "Marj", "المرج", 35.95, 36.55, "SY07", 0.2),
        place(23, COMMUNITY, "Duma", "دوما", 33.57, 36.40, "SY03", 0.7),
        place(22, COMMUNITY, "Misraba", "مسرابا", 33.55, 36.36, "SY03"),
    ]
    return Geoparser(FakeGazetteer(places))


def incident(text: str, parser: Geoparser) -> PlaceRecord:
    return first_incident(text, parser, PUB)


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("Russian jets bombed the village of Maarstah in the north of Aleppo province", "SY02"),
        ("Aircraft bombed the village of Abu Faysal in several raids in Hama countryside", "SY05"),
        ("قصف الطيران الروسي قرية معرستة بعدة غارات في ريف حلب", "SY02"),
    ],
)
def test_a_loose_spelling_outside_the_named_governorate_yields_to_it(parser, text, admin1):
    assert incident(text, parser).admin1 == admin1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian jets bombed the village of Maarstah near the coast", "Marastah"),
        ("قصف الطيران الروسي على قرية معرستة", "Marastah"),
    ],
)
def test_without_a_named_governorate_the_loose_spelling_stands(parser, text, expected):
    assert incident(text, parser).name_en == expected


@pytest.mark.parametrize(
    "text",
    [
        "Aircraft bombed the village of Misrabah in several raids in Damascus countryside",
        "Jets struck the town of Misrabah again, Damascus suburbs",
    ],
)
def test_the_countryside_of_damascus_is_rural_damascus(parser, text):
    assert incident(text, parser).name_en == "Misraba"


@pytest.mark.parametrize(
    "text",
    [
        "Damascus: Russian jets struck the city of Duma at dawn",
        "دمشق: غارات روسية على مدينة دوما فجر اليوم",
    ],
)
def test_a_bare_damascus_heading_yields_to_a_rural_damascus_town(parser, text):
    assert incident(text, parser).name_en == "Duma"


@pytest.mark.parametrize(
    "text",
    [
        "Aircraft bombed the village of Marj in several raids in Hama countryside",
        "قصف الطيران الروسي قرية المرج بعدة غارات في ريف حماة",
    ],
)
def test_a_minor_village_outside_the_one_named_governorate_yields_to_it(parser, text):
    assert incident(text, parser).admin1 == "SY05"


@pytest.mark.parametrize(
    "text",
    [
        "Hama countryside and Aleppo countryside: Russian aircraft flying over the Marj area",
        "ريف حماة وريف حلب: تحليق للطيران الروسي فوق قرية المرج",
    ],
)
def test_with_two_named_governorates_an_exact_village_elsewhere_stands(parser, text):
    names = [m.place.name_en for m in parser.parse(text, published=PUB).mentions if m.place]
    assert "Marj" in names


@pytest.mark.parametrize(
    "text",
    [
        "Russian jets bombed the village of Maarstah in the north of Aleppo",
        "قصف الطيران الروسي قرية معرستة بعدة غارات شمال حلب",
    ],
)
def test_the_surroundings_of_a_capital_name_its_governorate(parser, text):
    assert incident(text, parser).admin1 == "SY02"


@pytest.mark.parametrize(
    "text",
    [
        "Shelling hit the village of Marj. Hama countryside has seen repeated raids for months",
        "قصف على قرية المرج. وتشهد أرياف حماة هجمات متكررة",
    ],
)
def test_a_governorate_named_in_another_sentence_leaves_an_exact_village_alone(parser, text):
    names = [m.place.name_en for m in parser.parse(text, published=PUB).mentions if m.place]
    assert "Marj" in names
