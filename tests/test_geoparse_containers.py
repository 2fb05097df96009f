"""Container rules: countryside areas hold their governorate's towns, a bare district name
means its town, "حي X بحلب" is a quarter of the town, a stated container that holds none of a
name's places, headline place fields, and direction adjectives that are part of a name."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import place

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.places import Places
from geoparse.types import AREA, COMMUNITY, DISTRICT, GOVERNORATE, NEIGHBOURHOOD

PUB = dt.date(2016, 3, 1)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    places = [
        place(1, GOVERNORATE, "Homs", "حمص", 34.6, 38.3, "SY04", 1.0, pcode="SY04"),
        place(2, GOVERNORATE, "Aleppo", "حلب", 36.2, 37.5, "SY02", 1.0),
        place(3, GOVERNORATE, "Rural Damascus", "ريف دمشق", 33.4, 36.9, "SY03", 1.0),
        place(4, GOVERNORATE, "Idlib", "ادلب", 35.8, 36.6, "SY07", 1.0),
        place(5, GOVERNORATE, "Daraa", "درعا", 32.8, 36.2, "SY12", 1.0),
        place(6, GOVERNORATE, "As-Sweida", "السويداء", 32.7, 36.7, "SY13", 1.0),
        place(10, COMMUNITY, "Homs", "حمص", 34.73, 36.71, "SY04", 0.95),
        place(11, COMMUNITY, "Aleppo", "حلب", 36.20, 37.15, "SY02", 0.95),
        place(12, COMMUNITY, "Idlib", "ادلب", 35.93, 36.63, "SY07", 0.95),
        # The countryside of Homs: its centroid lies far out in the desert, 150 km from the city.
        place(20, AREA, "Homs countryside", "ريف حمص", 34.47, 38.38, "SY04", 0.45),
        place(30, COMMUNITY, "Tir Maallah", "تير معلة", 34.80, 36.71, "SY04"),
        # The district ranks above its town on importance alone.
        place(40, DISTRICT, "Azaz", "اعزاز", 36.55, 36.95, "SY02", 1.0, pcode="SY0204"),
        place(41, COMMUNITY, "Azaz", "اعزاز", 36.59, 37.05, "SY02", 0.4, admin2="SY0204"),
        # A village far from Aleppo city that shares its name with a city quarter.
        place(50, COMMUNITY, "Maysar", "الميسر", 36.60, 37.80, "SY02"),
        # "Marj" is only known in Idlib; the text puts it in Rural Damascus.
        place(60, COMMUNITY, "Marj", "المرج", 35.70, 36.40, "SY07"),
        place(70, COMMUNITY, "Najiyeh", "الناجية", 35.85, 36.30, "SY07"),
        # OCHA writes the western village "الغريبة"; the plain name is a town in another governorate.
        place(80, COMMUNITY, "Western Ghariyeh", "الغارية الغريبة", 32.69, 36.25, "SY12"),
        place(81, COMMUNITY, "Eastern Ghariyeh", "الغارية الشرقية", 32.68, 36.30, "SY12"),
        place(82, COMMUNITY, "Gharyeh", "الغارية", 32.55, 36.75, "SY13"),
        place(90, GOVERNORATE, "Damascus", "دمشق", 33.51, 36.30, "SY01", 1.0),
        place(91, COMMUNITY, "Damascus", "دمشق", 33.51, 36.29, "SY01", 0.95),
        place(100, COMMUNITY, "Ghanto", "الغنطو", 34.83, 36.73, "SY04"),
        # Villages named by common nouns ("mosque", "school").
        place(110, COMMUNITY, "Masjid", "مسجد", 36.0, 40.5, "SY08"),
        place(111, COMMUNITY, "Madrasa", "مدرسة", 36.3, 37.2, "SY02"),
        place(112, COMMUNITY, "Marj al-Sultan", "مرج السلطان", 33.50, 36.47, "SY03"),
        # OCHA's district "مركز ريف دمشق" is also read as "ريف دمشق"; the Ghouta lies near its seat.
        place(120, DISTRICT, "Rural Damascus", "ريف دمشق", 33.37, 36.31, "SY03", 1.0, pcode="SY0301"),
        place(121, AREA, "Eastern Ghouta", "الغوطة الشرقية", 33.57, 36.40, "SY03", 0.45),
        # Longer names that hold a short one: headlines write "السعن" and "حي القاطرجي".
        place(130, COMMUNITY, "Saan al-Aswad", "سعن الاسود", 34.86, 36.81, "SY04"),
        place(131, COMMUNITY, "As-Saan", "السعن", 35.40, 37.40, "SY05", 0.5),
        place(132, NEIGHBOURHOOD, "Karm al-Qaterji", "كرم القاطرجي", 36.20, 37.18, "SY02"),
        place(133, COMMUNITY, "Maadamiyat al-Qalamoun", "معضمية القلمون", 33.74, 36.66, "SY03"),
        # Two villages open with «ركايا» in Idlib: the short name says too little.
        place(134, COMMUNITY, "Rakaya Sijneh", "ركايا سجنة", 35.50, 36.58, "SY07"),
        place(135, COMMUNITY, "Rakaya Sharqiyeh", "ركايا شرقية", 35.52, 36.61, "SY07"),
    ]
    return Geoparser(FakeGazetteer(places))


def primary(text: str, parser: Geoparser) -> str:
    result = parser.parse(text, published=PUB)
    assert result.incidents, text
    return result.incidents[0].place.name_en


def test_a_countryside_area_holds_its_towns_measured_from_its_seat(parser):
    gaz = parser.gazetteer
    places = Places(gaz)
    area, village = gaz.place(20), gaz.place(30)
    assert places.area_seat(area) == gaz.place(10)
    assert places.contains(area, village)
    assert not places.contains(area, gaz.place(11))  # another governorate


@pytest.mark.parametrize(
    "text",
    [
        "ريف حمص قرية تير معلة غارات على البلدة",
        "Homs countryside: airstrikes on the village of Tir Maallah",
    ],
)
def test_the_town_in_a_countryside_is_the_incident(parser, text):
    assert primary(text, parser) == "Tir Maallah"


@pytest.mark.parametrize(
    "text",
    [
        "وكالة قاسيون: ريف دمشق: غارة جوية على الغوطة الشرقية",
        "Rural Damascus: an airstrike on Eastern Ghouta",
    ],
)
def test_an_area_is_the_incident_within_a_district_named_like_the_governorate(parser, text):
    gaz = parser.gazetteer
    assert not Places(gaz).contains(gaz.place(121), gaz.place(120))  # an area never holds a district
    assert primary(text, parser) == "Eastern Ghouta"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("السعن حمص غارة من الطيران على القرية", "Saan al-Aswad"),  # a village's name opens with it
        ("قصف على قرية السعن بريف حمص", "Saan al-Aswad"),
        ("قصف على حي القاطرجي بحلب", "Karm al-Qaterji"),  # a quarter's name ends with it
        ("قصف على قرية السعن بريف حماة", "As-Saan"),  # the exact name, in its container
        ("تحليق في سماء القلمون في ريف دمشق", "Rural Damascus"),  # a village's last word is a region
    ],
)
def test_a_short_name_is_the_one_longer_name_in_its_container(parser, text, expected):
    assert primary(text, parser) == expected


def test_a_short_name_two_longer_names_hold_stays_unresolved(parser):
    result = parser.parse("قصف على قرية الركايا بريف ادلب", published=PUB)
    assert [m.place for m in result.mentions if m.span.key == "الركايا"] == [None]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("قصف جوي على اعزاز", COMMUNITY),
        ("Airstrikes hit Azaz", COMMUNITY),
        ("قصف جوي على منطقة اعزاز", DISTRICT),
        ("Airstrikes hit Azaz district", DISTRICT),
    ],
)
def test_a_bare_district_name_means_its_town(parser, text, kind):
    result = parser.parse(text, published=PUB)
    assert result.incidents[0].place.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "قصف جوي على حي الميسر بحلب",
        "Airstrikes on the Maysar neighbourhood in Aleppo",
    ],
)
def test_a_quarter_of_a_town_is_not_a_far_village(parser, text):
    assert primary(text, parser) == "Aleppo"


@pytest.mark.parametrize(
    "text",
    [
        "قصف جوي على منطقة المرج بريف دمشق",
        "Airstrikes on the town of Marj in Rural Damascus",
    ],
)
def test_a_container_that_holds_none_of_a_names_places_stands_for_it(parser, text):
    result = parser.parse(text, published=PUB)
    assert result.incidents[0].place.admin1 == "SY03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("إدلب – الناجية: دمار جراء قصف الطيران", "Najiyeh"),
        ("إدلب – دمار الناجية جراء قصف الطيران", "Idlib"),  # not a field of the prefix
    ],
)
def test_a_headline_place_field_counts_as_aplace(parser, text, expected):
    assert primary(text, parser) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قصف جوي على الغارية الغربية", "Western Ghariyeh"),
        ("قصف جوي على الغارية الشرقية", "Eastern Ghariyeh"),
        ("قصف جوي على الغارية", "Gharyeh"),
        ("Airstrikes on Western Ghariyeh", "Western Ghariyeh"),
    ],
)
def test_a_direction_adjective_can_be_part_of_the_name(parser, text, expected):
    assert primary(text, parser) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Damascus suburbs: warplanes fly over the area",
        "Airstrikes on the countryside of Damascus",
        "غارات جوية على ريف دمشق",
    ],
)
def test_the_countryside_of_damascus_is_rural_damascus(parser, text):
    result = parser.parse(text, published=PUB)
    assert result.incidents[0].place.admin1 == "SY03"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("غارة على أطراف بلدة الغنطو28/10/2015", "2015-10-28"),
        ("غارة على بلدة الغنطو ٢٨-١٠-٢٠١٥", "2015-10-28"),
        ("Airstrike on Ghanto 28/10/2015", "2015-10-28"),
    ],
)
def test_a_date_glued_to_a_name_is_split_off(parser, text, date):
    result = parser.parse(text, published=PUB)
    assert result.incidents[0].place.name_en == "Ghanto"
    assert result.incidents[0].date == date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قصف جوي على مدرسة مرج السلطان", "Marj al-Sultan"),  # the school of Marj al-Sultan
        ("دمار كبير بمسجد النور في مرج السلطان", "Marj al-Sultan"),  # the Nour mosque
        ("قصف جوي على قرية مسجد", "Masjid"),  # a trigger makes it the village
        ("Airstrike on a school in Marj al-Sultan", "Marj al-Sultan"),
    ],
)
def test_a_common_noun_heading_a_construct_is_not_aplace(parser, text, expected):
    assert primary(text, parser) == expected
