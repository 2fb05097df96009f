"""Spelling and evidence rules: graded same-sound matches, typo'd English words, "Sham", inner articles,
and a governorate named through an area or a capital choosing among same-named villages."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import place

from geoparse import english
from geoparse.fake import FakeGazetteer
from geoparse.fuzzy import FuzzyKeys
from geoparse.normalize import normalize, phonetic_key
from geoparse.pipeline import Geoparser
from geoparse.types import AREA, COMMUNITY, GOVERNORATE

PUB = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("query", "better", "worse"),
    [
        ("jobar", "jober", "jebru"),  # same skeleton kbr: the closer spelling ranks first
        ("kafr hamid", "kafar hamid", "kufr humayd"),
    ],
)
def test_same_sound_matches_rank_by_spelling(query, better, worse):
    keys = FuzzyKeys([better, worse])
    got = dict(keys.search(query, 5, 50.0))
    assert phonetic_key(better) == phonetic_key(worse) == phonetic_key(query)
    assert got[better] > got[worse]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Maarat an Numan", "Maarat al-Numan"),  # an/al inside a multiword name
        ("Tall as Sultan", "Tal al-Sultan"),
        ("Ras al Ain", "Ras el Ain"),
    ],
)
def test_inner_articles_share_a_skeleton(a, b):
    assert phonetic_key(normalize(a)) == phonetic_key(normalize(b))


def test_a_leading_word_is_kept_even_if_it_looks_like_an_article():
    assert phonetic_key(normalize("As Sukhnah")) != phonetic_key(normalize("Sukhnah"))


@pytest.mark.parametrize(
    ("token", "word_like"),
    [
        ("russain", True),  # a swap from "russian"
        ("eastren", True),  # a swap from "eastern"
        ("lattameneh", False),
        ("kafranbel", False),
    ],
)
def test_typos_of_frequent_words_are_not_proposed_as_places(token, word_like):
    assert english.word_like(token) is word_like


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    places = [
        place(1, GOVERNORATE, "Idlib", "ادلب", 35.8, 36.6, "SY07", 1.0),
        place(2, GOVERNORATE, "Aleppo", "حلب", 36.2, 37.5, "SY02", 1.0),
        place(3, GOVERNORATE, "Damascus", "دمشق", 33.5, 36.3, "SY01", 1.0),
        place(10, COMMUNITY, "Idlib", "ادلب", 35.93, 36.63, "SY07", 0.95),
        place(11, COMMUNITY, "Aleppo", "حلب", 36.2, 37.15, "SY02", 0.95),
        place(12, COMMUNITY, "Damascus", "دمشق", 33.51, 36.29, "SY01", 0.95),
        place(20, AREA, "Southern Idlib countryside", "ريف ادلب الجنوبي", 35.6, 36.6, "SY07", 0.3),
        # Two villages of one name, in different governorates; the Aleppo one is better known.
        place(30, COMMUNITY, "Qasabiyah", "القصابية", 35.55, 36.55, "SY07", 0.05),
        place(31, COMMUNITY, "Qasabiyah", "القصابية", 36.50, 37.90, "SY02", 0.15),
        place(40, COMMUNITY, "Ras al Ain", "راس العين", 36.85, 40.07, "SY08", 0.5),
    ]
    return Geoparser(FakeGazetteer(places, names=[(12, "Sham"), (12, "الشام")]))


def _first(text: str, parser: Geoparser) -> int | None:
    result = parser.parse(text, PUB)
    inc = result.incidents[0] if result.incidents else None
    return inc.place.id if inc is not None and inc.place is not None else None


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        # A countryside area names the governorate: its village wins over the better-known one.
        ("Warplanes struck Qasabiyah village in the Southern Idlib countryside", 30),
        ("قصف الطيران قرية القصابية في ريف ادلب الجنوبي", 30),
        # A governorate capital says the same.
        ("Warplanes struck Qasabiyah village near Idlib", 30),
        ("قصف الطيران قرية القصابية قرب مدينة ادلب", 30),
        # Without either, importance decides.
        ("Warplanes struck Qasabiyah village", 31),
    ],
)
def test_a_named_governorate_chooses_among_same_named_villages(parser, text, place_id):
    assert _first(text, parser) == place_id


@pytest.mark.parametrize(
    "text",
    [
        "Sham: warplanes struck Qasabiyah village near Idlib",  # the agency, not Damascus
        "Sham || warplanes struck Qasabiyah village near Idlib",
    ],
)
def test_sham_alone_is_not_damascus_in_english(parser, text):
    mentions = parser.parse(text, PUB).mentions
    assert all(m.place is None or m.place.id != 12 for m in mentions)
    assert _first(text, parser) == 30


def test_damascus_by_its_name_is_untouched(parser):
    assert _first("Warplanes struck Damascus", parser) == 12


@pytest.mark.parametrize(
    "text",
    [
        "Russain warplanes struck Qasabiyah village near Idlib",
        "Eastren warplanes struck Qasabiyah village near Idlib",
    ],
)
def test_a_typo_of_a_word_is_not_a_fuzzyplace(parser, text):
    mentions = parser.parse(text, PUB).mentions
    assert all(m.place is None or m.place.id != 40 for m in mentions)
