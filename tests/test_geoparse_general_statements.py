"""A sentence about a pattern over time is context, and a verb spelt with a hamza is no place."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import fixture_gazetteer, fixture_places

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.types import CONTEXT, PlaceRecord

PUB = dt.date(2025, 8, 20)
PARSER = Geoparser(fixture_gazetteer())
DANA = PlaceRecord(601, "community", "Dana", "دانا", 36.2126, 36.7726, admin1="SY07", importance=0.5)


@pytest.mark.parametrize(
    "text",
    [
        "The SDF said: ISIS attacks are concentrated in the Deir ez-Zor countryside.",
        "ISIS attacks have been concentrated in the Deir ez-Zor countryside.",
        "وقالت قسد إن هجمات داعش تتركز في ريف دير الزور.",
    ],
)
def test_a_pattern_over_time_is_no_incident_even_with_an_attack_word(text):
    result = PARSER.parse(text, published=PUB)
    assert result.incidents == ()
    assert {m.role for m in result.mentions} == {CONTEXT}


def test_a_pattern_sentence_leaves_the_event_beside_it():
    text = (
        "SDF forces raided an ISIS cell in Ghuwayran on Wednesday. "
        "ISIS attacks are concentrated in the Deir ez-Zor countryside."
    )
    incidents = PARSER.parse(text, published=PUB).incidents
    assert [i.place.name_en for i in incidents] == ["Ghuwayran"]


@pytest.fixture(scope="module")
def with_dana() -> Geoparser:
    return Geoparser(FakeGazetteer([*fixture_places(), DANA]))


@pytest.mark.parametrize(
    ("text", "dana"),
    [
        ("قال قائد ميداني: بدأنا عملية تمشيط في حي غويران بمدينة الحسكة.", False),  # «we began»
        ("وبدأنا الهجوم على حي النشوة.", False),
        ("قصف مدفعي على بلدة دانا في ريف إدلب.", True),
        ("قصف مدفعي على بدانا في ريف إدلب.", True),  # ب + the town, written without a hamza
    ],
)
def test_a_hamza_the_name_lacks_is_no_clitic_and_place(with_dana, text, dana):
    places = {m.place.name_en for m in with_dana.parse(text, published=PUB).mentions if m.place}
    assert ("Dana" in places) is dana
