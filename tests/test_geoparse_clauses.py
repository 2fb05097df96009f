"""Roles are decided per clause: a background clause after "في حين" / "while" leaves the event clause alone."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import FIXTURE_PARSER

from geoparse.pipeline import Geoparser
from geoparse.types import CONTEXT, INCIDENT

PUB = dt.date(2024, 8, 20)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return FIXTURE_PARSER


@pytest.mark.parametrize(
    ("text", "incident", "background"),
    [
        (
            "أعلنت قسد مطلع الشهر الجاري تفكيك خليتين في ريف الرقة الشرقي، "
            "في حين تشهد مناطق ريف دير الزور هجمات متكررة.",
            "ريف الرقة الشرقي",
            "ريف دير الزور",
        ),
        (
            "داهمت قوات الأمن حي غويران بمدينة الحسكة، بينما تتصاعد الهجمات في دير الزور منذ بداية العام.",
            "غويران",
            "دير الزور",
        ),
        (
            "SDF forces raided a cell in Ghuwayran, while attacks have risen in Deir ez-Zor since the start of the year.",
            "Ghuwayran",
            "Deir ez-Zor",
        ),
    ],
)
def test_background_clause_does_not_demote_the_event_clause(parser, text, incident, background):
    result = parser.parse(text, published=PUB)

    def role_of(name):
        return next(
            m.role for m in result.mentions if name.endswith(m.span.text) or m.span.text.endswith(name)
        )

    assert role_of(incident) == INCIDENT
    assert role_of(background) == CONTEXT
    assert len(result.incidents) == 1
