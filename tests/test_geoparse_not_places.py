"""Words analysts marked "not a place" (Rules.not_places) are never mentions."""

from __future__ import annotations

import dataclasses

import pytest

from geoparse.events import default_rules
from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.types import PlaceRecord

HASAKAH = PlaceRecord(1, "community", "Al-Hasakeh", "الحسكة", 36.505, 40.743, "SY08", "SY0800", "SY080000", "C4360",
                      None, 0.9)  # fmt: skip
KARAMA = PlaceRecord(2, "community", "Al-Karama", "الكرامة", 35.95, 39.4, "SY11", "SY1101", "SY110100", "C5800",
                     None, 0.4)  # fmt: skip
BAB = PlaceRecord(
    3, "community", "Al Bab", "الباب", 36.37, 37.515, "SY02", "SY0202", "SY020200", "C1202", None, 0.7
)
GAZETTEER = FakeGazetteer([HASAKAH, KARAMA, BAB])


def surfaces(text: str, not_places: tuple[str, ...] = ()) -> dict[str, int | None]:
    """Map each mention's surface text to its place id, parsed with these not-a-place keys."""
    rules = dataclasses.replace(default_rules(), not_places=not_places)
    mentions = Geoparser(GAZETTEER, rules).parse(text).mentions
    return {m.span.text: (m.place.id if m.place else None) for m in mentions}


@pytest.mark.parametrize(
    ("text", "word", "key", "other"),
    [
        ("قصف على الكرامة والحسكة يوم الاثنين.", "الكرامة", "الكرامه", "الحسكة"),
        ("Operation Karama began in Hasakah on Monday.", "Karama", "karama", "Hasakah"),
        ("Operation al-Karama began in Hasakah on Monday.", "al-Karama", "al karama", "Hasakah"),
    ],
)
def test_a_word_marked_not_a_place_is_no_longer_a_mention(text, word, key, other):
    assert surfaces(text) == {word: KARAMA.id, other: HASAKAH.id}
    assert surfaces(text, (key,)) == {other: HASAKAH.id}


@pytest.mark.parametrize(
    ("marked", "text", "word"),
    [
        ("karama", "Operation al-Karama began in Hasakah on Monday.", "al-Karama"),
        ("al karama", "Operation Karama began in Hasakah on Monday.", "Karama"),
        ("Al-Karama", "Operation Karama began in Hasakah on Monday.", "Karama"),  # normalised on the way in
    ],
)
def test_a_latin_article_does_not_make_another_word(marked, text, word):
    assert word not in surfaces(text, (marked,))


def test_an_arabic_article_is_part_of_the_word():
    # «باب» (a door) marked not a place leaves the town «الباب» alone, as the gazetteer keys do.
    text = "قصف مدفعي على الباب صباح اليوم"
    assert surfaces(text, ("باب",))["الباب"] == BAB.id
    assert "الباب" not in surfaces(text, ("الباب",))
