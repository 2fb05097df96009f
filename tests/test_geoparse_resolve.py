"""Resolution: containment, nearby places, kind and importance, declining; mention roles."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import FIXTURE_PARSER

from geoparse.pipeline import Geoparser
from geoparse.types import CONTEXT, INCIDENT, REPORTING

PUB = dt.date(2023, 8, 20)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return FIXTURE_PARSER


def resolved(text, parser):
    """Map each mention's surface text to the chosen place id (None when declined)."""
    return {m.span.text: (m.place.id if m.place else None) for m in parser.parse(text, PUB).mentions}


@pytest.mark.parametrize(
    ("text", "surface", "place_id"),
    [
        # Explicit containment picks among same-named neighbourhoods.
        ("اشتباكات في حي الصالحية بمدينة الرقة", "الصالحية", 206),
        ("اشتباكات في حي الصالحية في مدينة الحسكة", "الصالحية", 205),
        ("Clashes in the Salhiyeh neighbourhood of Raqqa city", "Salhiyeh", 206),
        ("Clashes in Hasakah's Salhiyeh neighbourhood", "Salhiyeh", 205),
        ("Shelling on Salhiyeh, Raqqa", "Salhiyeh", 206),
        # The admin unit or town named nearby.
        ("قصف على بلدة المنصورة بريف الرقة الغربي", "المنصورة", 123),
        ("اشتباكات في المنصورة غربي حلب", "المنصورة", 124),
        ("Fighting in Mansura near Tabqa", "Mansura", 123),
        # Other places in the article and their distance.
        ("قصف على المنصورة. وفي الطبقة سقطت قذائف", "المنصورة", 123),
        # Kind: a trigger chooses between the governorate and its capital.
        ("انتشار أمني في محافظة الحسكة", "الحسكة", 8),
        ("انتشار أمني في مدينة الحسكة", "الحسكة", 111),
        # Importance: the better-known place without any other evidence.
        ("قصف على المنصورة", "المنصورة", 123),
        # Fuzzy transliteration families reach the right place.
        ("Clashes erupted in Ghoweran in Hasakah overnight", "Ghoweran", 201),
        ("Shelling hit Hasakeh city", "Hasakeh", 111),
        ("Fighting in Dayr az Zawr city", "Dayr az Zawr", 114),
    ],
)
def test_the_right_place_is_chosen(parser, text, surface, place_id):
    assert resolved(text, parser)[surface] == place_id


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("قصف على قرية الطيانة شرق دير الزور", "الطيانة"),  # unknown village: kept, unresolved
    ],
)
def test_an_unknown_name_stays_unresolved(parser, text, surface):
    got = resolved(text, parser)
    assert surface in got and got[surface] is None


@pytest.mark.parametrize(
    "text",
    [
        "Clashes erupted in Zanzibarville overnight",  # nothing near it
        "Clashes erupted in Ghoweran overnight",  # a fuzzy neighbourhood with no town to anchor it
    ],
)
def test_a_weak_fuzzy_guess_is_declined(parser, text):
    result = parser.parse(text, PUB)
    assert all(m.place is None for m in result.mentions)
    assert result.incidents == ()


def roles(text, parser):
    return {m.span.text: m.role for m in parser.parse(text, PUB).mentions}


@pytest.mark.parametrize(
    ("text", "surface", "role"),
    [
        ("DAMASCUS (AP) — Shelling killed two people in Maadan on Sunday.", "DAMASCUS", REPORTING),
        ("DAMASCUS (AP) — Shelling killed two people in Maadan on Sunday.", "Maadan", INCIDENT),
        ("Homs, Syria (Reuters) - Clashes broke out in Tadmor.", "Homs", REPORTING),
        ("وقال مراسلنا في الحسكة إن قصفا استهدف بلدة معدان", "الحسكة", REPORTING),
        ("وقال مراسلنا في الحسكة إن قصفا استهدف بلدة معدان", "معدان", INCIDENT),
        (
            "Shelling hit Maadan. Activity has risen in Raqqa and Deir ez-Zor since the start of the year.",
            "Deir ez-Zor",
            CONTEXT,
        ),
        ("قصف على معدان. وينشط التنظيم منذ سنوات في البادية السورية", "البادية السورية", CONTEXT),
        ("قصف على معدان. وتشهد أرياف دير الزور هجمات متكررة", "دير الزور", CONTEXT),
        ("قصف على معدان. وتقع البلدة على طريق الرقة دير الزور", "دير الزور", CONTEXT),  # no event
    ],
)
def test_mentions_get_their_role(parser, text, surface, role):
    assert roles(text, parser)[surface] == role


def test_with_no_event_word_the_first_place_is_the_incident(parser):
    result = parser.parse("مشاهد من بلدة كفر نبودة بريف حماة الشمالي", PUB)
    assert result.incidents and result.incidents[0].place.id == 110
