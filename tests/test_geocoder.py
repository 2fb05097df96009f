"""The geopy Geocoder over our gazetteer."""

import pytest
from geopy.distance import geodesic
from geopy.location import Location

from gazetteer.geocoder import LocalGazetteer

pytestmark = pytest.mark.django_db


def test_geocode_returns_a_geopy_location(real_gazetteer):
    location = LocalGazetteer().geocode("غويران")
    assert isinstance(location, Location)
    assert geodesic(location.point, (36.475, 40.760)).km < 3
    assert location.raw["admin1_pcode"] == "SY08"
    assert "غويران" in location.address


def test_geocode_many_and_nothing(real_gazetteer):
    many = LocalGazetteer().geocode("Raqqa", exactly_one=False, limit=5)
    assert 1 <= len(many) <= 5 and all(isinstance(loc, Location) for loc in many)
    assert LocalGazetteer().geocode("") is None
    assert LocalGazetteer().geocode("qqqqxxzzqqq") is None


def test_reverse_names_the_admin_chain(real_gazetteer):
    location = LocalGazetteer().reverse((36.50, 40.75))
    assert location.raw["admin1_pcode"] == "SY08"
    assert location.raw["admin3_pcode"] == "SY080000"
    assert location.raw["distance_km"] < 3


def test_geocoder_never_uses_the_network(small_gazetteer):
    geocoder = LocalGazetteer()
    with pytest.raises(RuntimeError):
        geocoder.adapter.get_json("https://example.org", timeout=1, headers={})
    assert geocoder.geocode("Hasakah").raw["kind"] == "community"
