"""Gazetteer build: only real names are indexed, never fragments, articles or generic words."""

from __future__ import annotations

import pytest

from gazetteer.build import Place, disambiguated, indexable_name
from geoparse.normalize import normalize


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Al", False),
        ("West", False),
        ("Southern", False),
        ("قرية", False),
        ("مدينة", False),
        ("الشرقي", False),
        ("Abu Kbee", True),
        ("الصرايم", True),
        ("Al Jabal", True),
    ],
)
def test_only_real_names_are_indexable(name, ok):
    assert indexable_name(normalize(name)) is ok


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Abu Kbee - East", ["Abu Kbee"]),  # a direction qualifies, it is no second village
        ("اباد - قرية", ["اباد"]),  # a kind noun qualifies too
        ("Al- Saraym", []),  # an article with a stray space is not a split
        ("Tal Hamis - Tal Hmeis", ["Tal Hamis", "Tal Hmeis"]),  # real twin names still split
    ],
)
def test_names_split_only_on_real_separators(name, short):
    assert disambiguated(name, set()) == short


def test_a_place_keeps_no_generic_alias():
    place = Place(uid="ocha:C0001", kind="community", name_en="Abad")
    for name in ("Abad", "قرية", "East", "Al"):
        place.add_name(name)
    assert [n["name"] for n in place.names] == ["Abad"]
