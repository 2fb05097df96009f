"""Lookups against the real shipped gazetteer."""

import json

import pytest
from django.core.management import CommandError, call_command
from geopy.distance import geodesic

from gazetteer.lookup import QueryError, lookup, reverse

pytestmark = pytest.mark.django_db

HASAKAH_CITY = (36.5024, 40.7477)
DEIR_EZ_ZOR_CITY = (35.3359, 40.1408)
RAQQA_CITY = (35.9528, 39.0079)


def top(query, **kwargs):
    found = lookup(query, **kwargs)
    assert found, f"no candidate for {query!r}"
    return found[0].place


def km(place, point):
    return geodesic((place.lat, place.lon), point).km


@pytest.mark.parametrize("query", ["غويران", "حي غويران", "Ghweiran", "Ghuwayran", "Ghwairan"])
def test_ghuwayran_is_in_hasakah_city(real_gazetteer, query):
    place = top(query)
    assert km(place, (36.475, 40.760)) < 3
    assert place.admin1 == "SY08"


@pytest.mark.parametrize("query", ["النشوة", "حي النشوة", "al-Nashwa"])
def test_nashwa_is_a_hasakah_neighbourhood(real_gazetteer, query):
    place = top(query)
    assert place.admin1 == "SY08"
    assert km(place, HASAKAH_CITY) < 8


@pytest.mark.parametrize(
    ("query", "city"),
    [
        ("دير الزور", DEIR_EZ_ZOR_CITY),
        ("Deir-ez-Zor", DEIR_EZ_ZOR_CITY),
        ("Dayr az Zawr", DEIR_EZ_ZOR_CITY),
        ("Deir ez-Zor", DEIR_EZ_ZOR_CITY),
        ("الرقة", RAQQA_CITY),
        ("Raqqa", RAQQA_CITY),
        ("Ar-Raqqa", RAQQA_CITY),
        ("مدينة الرقة", RAQQA_CITY),
        ("Hasakah", HASAKAH_CITY),
        ("Hassakeh", HASAKAH_CITY),
        ("al-Hasakah", HASAKAH_CITY),
        ("الحسكة", HASAKAH_CITY),
    ],
)
def test_city_names_find_the_city_not_the_admin_unit(real_gazetteer, query, city):
    place = top(query)
    assert place.kind == "community"
    assert km(place, city) < 3


@pytest.mark.parametrize("query", ["Raqqah", "Deir ez Zour", "Hasakka"])
def test_typos_still_find_the_city(real_gazetteer, query):
    assert top(query).kind == "community"


@pytest.mark.parametrize(
    ("query", "admin1"),
    [
        ("حي جوبر", "SY01"),  # OCHA's Damascus quarter of Joubar Sharqi and Gharbi, not Jawbar in Homs
        ("جبل الزاوية", "SY07"),
        ("Jabal al-Akrad", "SY06"),
        ("جبل التركمان", "SY06"),
        ("al-Qalamoun", "SY03"),
    ],
)
def test_quarters_and_regions_are_places(real_gazetteer, query, admin1):
    place = top(query)
    assert place.kind in ("neighbourhood", "area")
    assert place.admin1 == admin1


@pytest.mark.parametrize("query", ["الجولان", "the Golan", "Golan Heights"])
def test_the_golan_heights_are_offered(real_gazetteer, query):
    # The search ranks settlements first (the Sweida quarter al-Joulan); the region is offered too.
    assert any(c.place.kind == "area" and c.place.admin1 == "SY14" for c in lookup(query)[:3])


@pytest.mark.parametrize(
    ("query", "town"),
    [
        ("ريف حمص الشمالي", (34.9241, 36.7312)),  # Ar-Rastan
        ("Northern Aleppo countryside", (36.5849, 37.0432)),  # Azaz
        ("ريف حمص", (34.7300, 36.7197)),  # a plain countryside: its city
    ],
)
def test_a_countryside_points_at_the_town_that_stands_for_it(real_gazetteer, query, town):
    place = top(query)
    assert place.kind == "area"
    assert km(place, town) < 1


def test_within_restricts_to_an_admin_unit(real_gazetteer):
    assert all(c.place.admin1 == "SY11" for c in lookup("الرقة", within="SY11"))
    assert lookup("غويران", within="SY01") == [] or top("غويران", within="SY01").admin1 == "SY01"


def test_governorate_hint_prefers_the_governorate(real_gazetteer):
    place = top("محافظة الرقة")
    assert (place.kind, place.pcode) == ("governorate", "SY11")


@pytest.mark.parametrize("query", ["", "   ", "!!!???", "x" * 201])
def test_bad_queries_raise_a_clear_error(real_gazetteer, query):
    with pytest.raises(QueryError):
        lookup(query)


def test_reverse_gives_the_admin_chain_and_nearest_settlement(real_gazetteer):
    result = reverse(36.50, 40.75)
    assert [u.pcode for u in result.chain] == ["SY08", "SY0800", "SY080000"]
    assert result.nearest is not None and result.distance_km < 3


def test_reverse_outside_syria_has_no_chain(real_gazetteer):
    result = reverse(48.85, 2.35)
    assert result.chain == [] and result.nearest is None


def test_search_command_prints_json(real_gazetteer, capsys):
    call_command("gazetteer_search", "Deir-ez-Zor", json=True, limit=3)
    rows = json.loads(capsys.readouterr().out)
    assert 1 <= len(rows) <= 3
    keys = {
        "id",
        "name_en",
        "name_ar",
        "kind",
        "lat",
        "lon",
        "admin1_pcode",
        "admin2_pcode",
        "admin3_pcode",
        "score",
    }
    assert set(rows[0]) == keys
    assert rows[0]["admin1_pcode"] == "SY09"
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_search_command_rejects_bad_query(real_gazetteer):
    with pytest.raises(CommandError, match="200"):
        call_command("gazetteer_search", "y" * 300)


def test_stats_command_counts_kinds_and_neighbourhoods(real_gazetteer, capsys):
    call_command("gazetteer_stats")
    out = capsys.readouterr().out
    assert "neighbourhood" in out and "governorate" in out
    assert "Places with an Arabic name" in out
    hasakah = next(line for line in out.splitlines() if "(SY08)" in line and "/" in line)
    assert int(hasakah.split()[-1]) >= 31
