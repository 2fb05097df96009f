"""The SpatiaLite and PostGIS differences live in conflictmap.backend; the current connection picks one."""

from __future__ import annotations

import pytest
from django.db import connection

from conflictmap.backend import DIALECTS, POSTGRESQL, SQLITE, dialect


def test_the_connection_has_a_dialect():
    assert dialect(connection) is DIALECTS[connection.vendor]


@pytest.mark.parametrize(
    ("chosen", "text", "stored"),
    [(SQLITE, "قسد", "\\u0642\\u0633\\u062f"), (POSTGRESQL, "قسد", "قسد"), (SQLITE, "SDF", "SDF")],
)
def test_json_text_matches_how_the_backend_stores_json(chosen, text, stored):
    assert chosen.json_text(text) == stored
