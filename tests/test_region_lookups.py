"""Admin-unit lookups on Place (regions, region) and the in_region filter Place and Incident share."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident
from gazetteer.models import LEVEL_KIND, Place


@pytest.mark.parametrize(
    ("level", "pcodes"),
    [(1, ["SY08", "SY11"]), (2, ["SY0800"]), (3, ["SY080000"]), (None, ["SY08", "SY0800", "SY080000", "SY11"])],
)  # fmt: skip
def test_regions_lists_admin_units_of_a_level(small_gazetteer, level, pcodes):
    assert sorted(Place.objects.regions(level).values_list("pcode", flat=True)) == sorted(pcodes)


@pytest.mark.parametrize(
    ("pcode", "name"),
    [("SY08", "Al-Hasakeh"), ("SY0800", "Al-Hasakeh"), ("SY080000", "Al-Hasakeh"), ("SY11", "Ar-Raqqa")],
)
def test_region_finds_the_unit_of_the_code_level(small_gazetteer, pcode, name):
    (unit,) = Place.objects.region(pcode)
    assert (unit.name_en, unit.kind) == (name, LEVEL_KIND[len(pcode) // 2 - 1])


@pytest.mark.parametrize("pcode", ["SY99", "SY1", "", "C4360", "SY0801"])
def test_region_is_empty_for_unknown_or_malformed_codes(small_gazetteer, pcode):
    assert not Place.objects.region(pcode).exists()


def test_outlined_and_with_envelope(small_gazetteer):
    hasakah = Place.objects.region("SY08").outlined().with_envelope().get()
    assert hasakah.box.extent == (39.5, 35.5, 42.4, 37.4)
    assert not Place.objects.filter(pcode="C4360").outlined().exists()


@pytest.mark.parametrize(
    ("pcode", "uids"),
    [
        ("SY08", {"t:SY08", "t:SY0800", "t:SY080000", "t:C4360", "t:CUR1", "t:CUR2"}),
        ("SY080000", {"t:SY080000", "t:C4360", "t:CUR1", "t:CUR2"}),
        ("SY11", {"t:SY11", "t:C5710"}),
        ("SY1", set()),
    ],
)
def test_places_in_region(small_gazetteer, pcode, uids):
    assert set(Place.objects.in_region(pcode).values_list("uid", flat=True)) == uids


def incident_at(n: int, a1: str, a2: str = "", a3: str = "") -> Incident:
    article = Article.objects.create(body=f"text {n}", lang="en", content_hash=f"{n:064d}")
    return Incident.objects.create(
        article=article,
        date=datetime.date(2024, 8, n),
        point=Point(40.0, 36.0, srid=4326),
        admin1_pcode=a1,
        admin2_pcode=a2,
        admin3_pcode=a3,
        geo_precision=1,
    )


@pytest.mark.parametrize(
    ("pcode", "expected"),
    [("SY08", [1, 2]), ("SY0800", [1, 2]), ("SY080000", [1]), ("SY11", [3]), ("SY99", []), ("SY1", [])],
)
@pytest.mark.django_db
def test_incidents_in_region(pcode, expected):
    made = {
        1: incident_at(1, "SY08", "SY0800", "SY080000"),
        2: incident_at(2, "SY08", "SY0800"),
        3: incident_at(3, "SY11", "SY1101", "SY110100"),
    }
    found = set(Incident.objects.in_region(pcode).values_list("pk", flat=True))
    assert found == {made[n].pk for n in expected}
