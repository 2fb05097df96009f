"""Each mention hands out the candidates the resolve stage weighed: top 5, best first, the chosen first."""

from __future__ import annotations

import pytest
from geoparse_places import FIXTURE_PARSER

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.resolve import MAX_RANKED
from geoparse.types import PlaceRecord

# Seven villages of one name, more important the further north; a district and its seat.
TELL_ABYAD = [
    PlaceRecord(
        20 + i, "community", "Tell Abyad", "تل أبيض", 35 + i * 0.3, 38 + i * 0.2, "SY11", importance=0.1 * i
    )
    for i in range(7)
]
AZAZ_DISTRICT = PlaceRecord(10, "district", "Azaz", "اعزاز", 36.58, 37.05, "SY02", "SY0204", pcode="SY0204",
                            importance=0.9)  # fmt: skip
AZAZ = PlaceRecord(11, "community", "Azaz", "اعزاز", 36.586, 37.045, "SY02", "SY0204", "SY020400", "C1564",
                   importance=0.2)  # fmt: skip
KARAMA = PlaceRecord(2, "community", "Al-Karama", "الكرامة", 35.95, 39.4, "SY11", importance=0.4)
HASAKAH = PlaceRecord(1, "community", "Al-Hasakeh", "الحسكة", 36.505, 40.743, "SY08", importance=0.9)
PARSER = Geoparser(FakeGazetteer([*TELL_ABYAD, AZAZ_DISTRICT, AZAZ, KARAMA, HASAKAH]))


def only_mention(text: str, parser: Geoparser = PARSER):
    (mention,) = parser.parse(text).mentions
    return mention


@pytest.mark.parametrize("text", ["Shelling hit Tell Abyad on Monday", "قصف على تل أبيض"])
def test_the_top_five_are_handed_out_best_first(text):
    mention = only_mention(text)
    ids = [pid for pid, _ in mention.candidates]
    scores = [score for _, score in mention.candidates]
    assert len(mention.candidates) == MAX_RANKED == 5
    assert ids == [26, 25, 24, 23, 22]  # the most important first; the two least left out
    assert scores == sorted(scores, reverse=True)
    assert mention.place is not None and mention.place.id == ids[0]


@pytest.mark.parametrize(
    ("text", "chosen", "other"),
    [
        ("Fighting in Mansura near Tabqa", 123, 124),  # the nearby town beats the namesake near Aleppo
        ("اشتباكات في المنصورة غربي حلب", 124, 123),
    ],
)
def test_the_evidence_of_the_text_is_in_the_scores(text, chosen, other):
    mention = next(
        m for m in FIXTURE_PARSER.parse(text).mentions if m.span.key.endswith(("mansura", "المنصوره"))
    )
    assert [pid for pid, _ in mention.candidates] == [chosen, other]
    assert mention.place is not None and mention.place.id == chosen


def test_the_chosen_place_comes_first_even_when_outscored():
    # A bare district name means its seat, which the district outscored.
    mention = only_mention("قصف مدفعي على اعزاز")
    assert mention.place == AZAZ
    assert [pid for pid, _ in mention.candidates] == [AZAZ.id, AZAZ_DISTRICT.id]
    assert mention.candidates[0][1] < mention.candidates[1][1]


def test_a_declined_mention_still_lists_what_was_weighed():
    # A minor village outside the one governorate the sentence names is declined.
    text = "بدأت عملية الكرامة في الحسكة يوم الاثنين."
    mention = next(m for m in PARSER.parse(text).mentions if m.span.text == "الكرامة")
    assert mention.place is None
    assert [pid for pid, _ in mention.candidates] == [KARAMA.id]
