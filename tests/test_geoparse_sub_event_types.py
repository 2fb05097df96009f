"""Incidents carry ACLED's sub-event type, read from the words that decided their event type."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import fixture_gazetteer

from geoparse.events import BATTLES, EXPLOSIONS, PROTESTS, STRATEGIC, VIOLENCE_AGAINST_CIVILIANS
from geoparse.pipeline import Geoparser

PARSER = Geoparser(fixture_gazetteer())
PUB = dt.date(2025, 8, 20)


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        ("Clashes between the SDF and ISIS in Hajin.", BATTLES, "Armed clash"),
        ("Regime artillery shelled Maadan.", EXPLOSIONS, "Shelling/artillery/missile attack"),
        ("A Russian airstrike hit Maadan.", EXPLOSIONS, "Air/drone strike"),
        ("An IED exploded in Hajin.", EXPLOSIONS, "Remote explosive/landmine/IED"),
        (
            "Gunmen kidnapped a teacher in Hajin.",
            VIOLENCE_AGAINST_CIVILIANS,
            "Abduction/forced disappearance",
        ),
        ("داهمت قسد حي غويران واعتقلت ثلاثة أشخاص.", STRATEGIC, "Arrests"),
        ("Security forces seized weapons in Hajin.", STRATEGIC, "Disrupted weapons use"),
        ("Hundreds of people protested in Maadan against rising prices.", PROTESTS, "Peaceful protest"),
    ],
)
def test_event_words_give_acled_sub_event_types(text, event_type, sub_event_type):
    incident = PARSER.parse(text, published=PUB).incidents[0]
    assert (incident.event_type, incident.sub_event_type) == (event_type, sub_event_type)
