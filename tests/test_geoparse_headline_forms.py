"""Headline forms: event words with their article, "shot down", nisba adjectives and unmarked
headline capitals as containers, glued words (ta marbuta, a capital after a name), two names read
as one, the Arabic fuzzy margin, "#ريف_X" hashtags, vocalised verbs, "قرية تل X" proposals,
a hamza-alef written without its alef; in English, "X al-Y" runs on a looser match and direction
words that belong to a name ("Al Ghariya eastern")."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import first_incident, place

from geoparse.candidates import PlaceLookup, candidates_for
from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.types import AREA, COMMUNITY, GOVERNORATE, PlaceRecord, Span

PUB = dt.date(2016, 3, 1)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    places = [
        place(1, GOVERNORATE, "Homs", "حمص", 34.6, 38.3, "SY04", 1.0),
        place(2, GOVERNORATE, "Aleppo", "حلب", 36.2, 37.5, "SY02", 1.0),
        place(3, GOVERNORATE, "Rural Damascus", "ريف دمشق", 33.4, 36.9, "SY03", 1.0),
        place(4, GOVERNORATE, "Idlib", "ادلب", 35.8, 36.6, "SY07", 1.0),
        place(5, GOVERNORATE, "Damascus", "دمشق", 33.51, 36.30, "SY01", 1.0),
        place(10, COMMUNITY, "Homs", "حمص", 34.73, 36.71, "SY04", 0.95),
        place(11, COMMUNITY, "Aleppo", "حلب", 36.20, 37.15, "SY02", 0.95),
        place(12, COMMUNITY, "Idlib", "ادلب", 35.93, 36.63, "SY07", 0.95),
        place(13, COMMUNITY, "Damascus", "دمشق", 33.51, 36.29, "SY01", 0.95),
        place(20, AREA, "Idlib countryside", "ريف ادلب", 35.8, 36.6, "SY07", 0.45),
        place(30, COMMUNITY, "Ghanto", "الغنطو", 34.83, 36.73, "SY04"),
        place(31, COMMUNITY, "Zeitan", "زيتان", 36.10, 37.00, "SY02"),
        # The only Jobar the sources know is a Homs village; the Damascus quarter is missing.
        place(32, COMMUNITY, "Jober", "جوبر", 34.70, 36.75, "SY04"),
        # The only As-Saan the sources know is in Hama, 70 km from Homs city.
        place(33, COMMUNITY, "As-Saan", "السعن", 35.30, 37.25, "SY05"),
        # "معرة" alone is another village's alias; OCHA writes "معارة النعسان".
        place(40, COMMUNITY, "Maarra", "معرة", 33.70, 36.40, "SY03"),
        place(41, COMMUNITY, "Naasan", "النعسان", 35.0, 40.5, "SY11"),
        place(42, COMMUNITY, "Maaret Elnaasan", "معارة النعسان", 35.98, 36.83, "SY07"),
        place(43, COMMUNITY, "Maarat al-Numan", "معرة النعمان", 35.65, 36.67, "SY07", 0.8),
        place(50, COMMUNITY, "Tadmor", "تدمر", 34.56, 38.28, "SY04", 0.8),
        place(51, COMMUNITY, "Tal Sultan", "تل سلطان", 35.80, 36.90, "SY07"),
        place(52, COMMUNITY, "Azaz", "أعزاز", 36.59, 37.05, "SY02", 0.6),
        place(53, COMMUNITY, "Kafr Nabudah", "كفرنبودة", 35.43, 36.50, "SY05"),
        place(54, COMMUNITY, "Misraba", "مسرابا", 33.56, 36.41, "SY03"),
        # A Damascus quarter the gazetteer knows, to tell Damascus from Rural Damascus.
        place(55, COMMUNITY, "Qaboun", "القابون", 33.54, 36.33, "SY01"),
        # GeoNames' spelling of Muadamiyat al-Sham; "al-Sham" alone is Damascus (an alias below).
        place(60, COMMUNITY, "Mu`addamiyat ash Shih", "معضمية الشام", 33.46, 36.19, "SY03"),
        place(62, COMMUNITY, "Eastern Ghariyeh", "الغارية الشرقية", 32.68, 36.30, "SY12"),
        place(63, COMMUNITY, "Ghariyah", "الغارية", 32.55, 36.75, "SY13"),
        place(67, COMMUNITY, "Tir Maallah", "تير معلة", 34.80, 36.71, "SY04"),
        place(68, COMMUNITY, "Milh", "ملح", 32.60, 36.80, "SY13"),
        place(69, COMMUNITY, "Al Hamra", "الحمرا", 35.30, 36.90, "SY05"),
        # "Marj" alone is a far village; GeoNames writes the Ghouta town "Marj Elsultan".
        place(64, COMMUNITY, "Marj", "المرج", 35.70, 36.40, "SY07"),
        place(65, COMMUNITY, "Marj Elsultan", "مرج السلطان", 33.50, 36.47, "SY03"),
        place(66, AREA, "Eastern Ghouta", "الغوطة الشرقية", 33.55, 36.45, "SY03"),
    ]
    return Geoparser(FakeGazetteer(places, names=[(13, "Al-Sham"), (68, "Malah")]))


def incident(text: str, parser: Geoparser) -> PlaceRecord:
    return first_incident(text, parser, PUB)


@pytest.mark.parametrize(
    "text",
    [
        "تصاعد الدخان جراء الغارات الجوية على بلدة الغنطو",  # "الغارات": the keyword with its article
        "تصاعد الدخان بعد القصف على بلدة الغنطو",
    ],
)
def test_an_event_word_with_its_article_makes_the_sentence_an_event(parser, text):
    assert incident(text, parser).name_en == "Ghanto"


@pytest.mark.parametrize(
    "text",
    [
        "تصاعد الدخان من الطائرة التي اسقطها الثوار فوق بلدة كفرنبودة",
        "Smoke has risen from the warplane the rebels shot down over Kafr Nabudah",
    ],
)
def test_shooting_down_an_aircraft_is_an_event(parser, text):
    assert incident(text, parser).name_en == "Kafr Nabudah"


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("غارات جوية على حي جوبر الدمشقي", "SY01"),  # in Damascus, not the Homs village
        ("غارات جوية على بلدة جوبر", "SY04"),  # without it, the only Jobar known
    ],
)
def test_a_nisba_adjective_names_the_city_a_place_is_in(parser, text, admin1):
    assert incident(text, parser).admin1 == admin1


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("السعن حمص غارة جوية على القرية", "SY04"),  # Homs holds the village, not Hama's As-Saan
        ("السعن غارة جوية على القرية", "SY05"),
    ],
)
def test_an_unmarked_capital_after_a_headlines_first_place_contains_it(parser, text, admin1):
    assert incident(text, parser).admin1 == admin1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("حلب-قريةزيتان: دمار في المسجد جراء القصف", "Zeitan"),  # ta marbuta ends قرية
        ("الغنطوحمص لحظة انفجار الصواريخ في البلدة", "Ghanto"),  # Homs glued after the name
    ],
)
def test_words_glued_together_are_split(parser, text, expected):
    assert incident(text, parser).name_en == expected


def test_two_adjacent_names_can_be_one_name_spelt_differently(parser):
    place = incident("قصف الطيران الروسي ببلدة معرة النعسان", parser)
    assert place.name_en == "Maaret Elnaasan"


def test_a_famous_arabic_name_spelt_further_off_does_not_win_a_fuzzy_match(parser):
    span = Span(0, 12, "معرة النعسان", "معره النعسان", source="trigger")
    names = {c.place.name_en for c in candidates_for(span, PlaceLookup(parser.gazetteer))}
    assert "Maaret Elnaasan" in names
    assert "Maarat al-Numan" not in names


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("#ريف_دمشق - مسرابا : دمار في المسجد جراء الغارات", "SY03"),
        ("#دمشق_القابون : دمار في المسجد جراء الغارات", "SY01"),  # "_" elsewhere still separates
    ],
)
def test_a_countryside_hashtag_names_the_countryside(parser, text, admin1):
    assert incident(text, parser).admin1 == admin1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الطائرات تُدمر ملاجئ الأهالي في قرية زيتان", "Zeitan"),  # a verb, vocalised
        ("الطائرات تقصف مدينة تدمر", "Tadmor"),
    ],
)
def test_a_vocalised_common_word_is_a_verb_not_aplace(parser, text, expected):
    assert incident(text, parser).name_en == expected


@pytest.mark.parametrize(
    "text",
    [
        "سقوط صاروخ بالستي على قرية تل السلطان",
        "سقوط صاروخ بالستي على قرية تل سلطان",
    ],
)
def test_a_tell_name_after_a_trigger_is_proposed_with_or_without_its_inner_article(parser, text):
    assert incident(text, parser).name_en == "Tal Sultan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قصف مشفى الأطفال بعزاز", "Azaz"),
        ("قصف مشفى الأطفال في أعزاز", "Azaz"),
    ],
)
def test_a_major_town_written_without_its_initial_alef_is_found(parser, text, expected):
    assert incident(text, parser).name_en == expected


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("Casualties of the shelling in Muadamiyat al-Sham", "SY03"),  # 86.5 to the GeoNames name
        ("Airstrikes on Muadamiyat al-Sham", "SY03"),
    ],
)
def test_an_english_run_joined_by_an_article_matches_a_little_more_loosely(parser, text, admin1):
    assert incident(text, parser).admin1 == admin1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Al Ghariya eastern: the moment warplanes targeted the town", "Eastern Ghariyeh"),
        ("eastern Al Ghariya hit by airstrikes", "Eastern Ghariyeh"),
        ("Al Ghariya hit by airstrikes", "Ghariyah"),
    ],
)
def test_an_english_direction_word_can_be_part_of_the_name(parser, text, expected):
    assert incident(text, parser).name_en == expected


@pytest.mark.parametrize(
    "text",
    [
        "Airstrikes on the town of Marj al-Sultan Eastern Ghouta",
        "Airstrikes on the town of Marj al-Sultan",
    ],
)
def test_a_direction_closing_a_capitalised_run_opens_the_next_name(parser, text):
    assert incident(text, parser).name_en == "Marj Elsultan"


def _orm_parser() -> Geoparser:
    # OCHA gives the sub-district's name to its communities as an alias; one town is its namesake.
    sub = "SY020001"
    places = [
        PlaceRecord(
            1, COMMUNITY, "Qanater", "القناطر", 36.10, 36.90, admin1="SY02", admin3=sub, importance=0.2
        ),
        PlaceRecord(
            2, COMMUNITY, "Big Orm", "أورم الكبرى", 36.15, 36.95, admin1="SY02", admin3=sub, importance=0.2
        ),
        PlaceRecord(
            3, COMMUNITY, "Radwan", "الرضوان", 36.20, 36.85, admin1="SY02", admin3=sub, importance=0.2
        ),
    ]
    aliases = [(pid, name) for pid in (1, 3) for name in ("أورم الكبرى", "Big Orm")]
    return Geoparser(FakeGazetteer(places, names=aliases))


ORM_PARSER = _orm_parser()


@pytest.mark.parametrize(
    "text",
    [
        "طائرات تقصف مدرسة في أورم الكبرى",
        "Warplanes bomb a school in Big Orm",
    ],
)
def test_a_sub_districts_namesake_town_beats_the_communities_carrying_its_name(text):
    assert incident(text, ORM_PARSER).name_en == "Big Orm"


@pytest.mark.parametrize(
    "text",
    [
        "Teir Maalah struck by warplanes for the second time today",  # a 4-letter first word
        "Warplanes struck Teir Maalah again today",
    ],
)
def test_a_capitalised_run_may_open_with_a_short_word(parser, text):
    assert incident(text, parser).name_en == "Tir Maallah"


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("Air strike on Hamoria Damascus countryside", "SY03"),  # the countryside holds the name
        ("Air strike on Hamoria", "SY05"),  # alone, the fuzzy match stands
    ],
)
def test_an_english_name_followed_by_a_countryside_is_in_it(parser, text, admin1):
    assert incident(text, parser).admin1 == admin1
