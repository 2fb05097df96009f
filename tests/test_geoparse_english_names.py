"""English place names in running text: a possessive written with a curly apostrophe ("Hama’s
Murek"), a capitalised run opened by an Arabic place-name head ("Ain Issa"), and "X desert" as the
countryside of X, with the trigger word closing the name ("al-Bokamal Desert"), as do the words
that open a town's own body ("Lattameneh Civil Defense")."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import place, primary_incident

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.types import COMMUNITY, GOVERNORATE

PUB = dt.date(2020, 3, 1)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    places = [
        place(1, GOVERNORATE, "Hama", "حماة", 35.2, 37.0, "SY05", 1.0, pcode="SY05"),
        place(2, GOVERNORATE, "Ar-Raqqa", "الرقة", 35.9, 38.9, "SY11", 1.0, pcode="SY11"),
        place(3, GOVERNORATE, "Deir-ez-Zor", "دير الزور", 35.0, 40.5, "SY09", 1.0, pcode="SY09"),
        place(10, COMMUNITY, "Hama", "حماة", 35.13, 36.76, "SY05", 0.95),
        place(11, COMMUNITY, "Murak", "مورك", 35.37, 36.69, "SY05", 0.5),
        # OCHA spells it "Ein Issa"; the news writes "Ain Issa", both words common in English text.
        place(12, COMMUNITY, "Ein Issa", "عين عيسى", 36.38, 38.86, "SY11", 0.5),
        place(13, COMMUNITY, "Abu Kamal", "البوكمال", 34.45, 40.91, "SY09", 0.65),
        place(14, COMMUNITY, "Deir-ez-Zor", "دير الزور", 35.33, 40.15, "SY09", 0.95),
        place(15, COMMUNITY, "Latmana", "اللطامنة", 35.32, 36.62, "SY05", 0.5),
        place(16, COMMUNITY, "Ramadan", "رمضان", 36.10, 37.60, "SY02", 0.3),  # a village of that name
        place(17, COMMUNITY, "Ras Al Ain", "رأس العين", 36.85, 40.07, "SY08", 0.65),
        place(18, COMMUNITY, "Ra", "رع", 36.11, 36.74, "SY02", 0.2),  # a far village named like the head
    ]
    return Geoparser(
        FakeGazetteer(
            places,
            names=[
                (13, "Albukamal"),
                (13, "Al-Bukamal"),
                (14, "Deir Ezzor"),
                (15, "Al-Lataminah"),
                (17, "Ra's al-Ain"),
            ],
        )
    )


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Regime soldier killed in Hama’s Murek", "Murak", 1),  # curly apostrophe
        ("Regime soldier killed in Hama's Murek", "Murak", 1),
        ("Clashes broke out in Ra’s al-Ain", "Ras Al Ain", 1),  # "Ra’s" is no possessive
        ("Fierce clashes between SDF and Turkish-backed factions in Ain Issa", "Ein Issa", 1),
        ("Two children killed by an old landmine in rural Ain Issa", "Ein Issa", 2),
        ("ISIS executes seven militiamen in Deir Ezzor desert", "Deir-ez-Zor", 2),
        ("A militiaman was killed by a landmine in al-Bokamal Desert", "Abu Kamal", 2),
        ("The Lattameneh Civil Defense restores roads destroyed by shelling", "Latmana", 1),
        ("Airstrikes at the start of Ramadan killed ten in Deir Ezzor", "Deir-ez-Zor", 1),  # the month
    ],
)
def test_english_names_in_running_text_are_found(parser, text, expected, precision):
    incident = primary_incident(text, parser, PUB)
    assert (incident.place.name_en, incident.geo_precision) == (expected, precision)


def test_a_possessive_is_not_read_as_a_longer_word(parser):
    mentions = parser.parse("Shelling on Hama’s countryside", published=PUB).mentions
    assert [m.span.key for m in mentions] == ["hama"]  # not "hamas"
