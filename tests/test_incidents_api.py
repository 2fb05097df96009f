"""GET /api/incidents (filters, paging, every 400), the QuerySet filters and GET /api/regions."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident


def add_incident(
    n: int,
    *,
    date: str,
    a1: str,
    a2: str = "",
    a3: str = "",
    lon: float,
    lat: float,
    event_type: str = "attack",
    summary: str = "",
    label: str = "Somewhere",
    title: str = "",
) -> Incident:
    article = Article.objects.create(
        body=f"text {n}", lang="en", content_hash=f"{n:064d}", title=title or f"Article {n}"
    )
    return Incident.objects.create(
        article=article,
        date=datetime.date.fromisoformat(date),
        point=Point(lon, lat, srid=4326),
        admin1_pcode=a1,
        admin2_pcode=a2,
        admin3_pcode=a3,
        geo_precision=1,
        event_type=event_type,
        summary=summary,
        label_en=label,
        label_ar="مكان",
    )


@pytest.fixture
def incidents(small_gazetteer):
    return [
        add_incident(
            1,
            date="2024-08-01",
            a1="SY08",
            a2="SY0800",
            a3="SY080000",
            lon=40.76,
            lat=36.47,
            event_type="security operation",
            summary="Raid on a cell in Ghuwayran",
            label="Ghuwayran",
        ),
        add_incident(
            2,
            date="2024-08-15",
            a1="SY08",
            a2="SY0800",
            lon=40.9,
            lat=36.9,
            event_type="attack",
            summary="Roadside bomb",
        ),
        add_incident(
            3,
            date="2024-07-10",
            a1="SY11",
            a2="SY1101",
            lon=39.0,
            lat=35.95,
            event_type="airstrike",
            summary="Strike east of Raqqa",
            title="<script>alert('x')</script>",
        ),
        add_incident(
            4,
            date="2024-09-02",
            a1="SY11",
            lon=38.5,
            lat=35.5,
            event_type="attack",
            summary="Clashes in the countryside",
        ),
    ]


def ids(response) -> set[int]:
    return {f["properties"]["article_id"] for f in response.json()["features"]}


def article_ids(incidents, *numbers: int) -> set[int]:
    return {incidents[n - 1].article_id for n in numbers}


FILTERS = [
    ("", (1, 2, 3, 4)),
    ("region=SY08", (1, 2)),
    ("region=sy0800", (1, 2)),
    ("region=SY080000", (1,)),
    ("region=SY11", (3, 4)),
    ("start=2024-08-01", (1, 2, 4)),
    ("end=2024-08-01", (1, 3)),
    ("start=2024-08-01&end=2024-08-31", (1, 2)),
    ("bbox=40.5,36.3,41.0,36.7", (1,)),
    ("bbox=38.0,35.0,40.0,36.5", (3, 4)),
    ("event_type=attack", (2, 4)),
    ("event_type=attack,airstrike", (2, 3, 4)),
    ("q=ghuwayran", (1,)),
    ("q=countryside", (4,)),
    ("q=مكان", (1, 2, 3, 4)),
    ("q=script", (3,)),
    ("region=SY08&event_type=attack&start=2024-08-10", (2,)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters_select_the_right_incidents(client, incidents, query, expected):
    response = client.get(f"/api/incidents?{query}")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert ids(response) == article_ids(incidents, *expected)
    assert body["count"] == len(expected)


@pytest.mark.django_db
def test_feature_carries_point_and_properties(client, incidents):
    feature = next(f for f in client.get("/api/incidents?region=SY080000").json()["features"])
    assert feature["geometry"] == {"type": "Point", "coordinates": [40.76, 36.47]}
    props = feature["properties"]
    assert (props["date"], props["event_type"], props["admin1_pcode"], props["label_ar"]) == (
        "2024-08-01",
        "security operation",
        "SY08",
        "مكان",
    )
    assert props["article_url"] == f"/articles/{incidents[0].article_id}/"


@pytest.mark.django_db
def test_paging_reports_total_count_and_next(client, incidents):
    first = client.get("/api/incidents?limit=3").json()
    assert (first["count"], first["returned"], len(first["features"])) == (4, 3, 3)
    assert first["next"] and "offset=3" in first["next"]
    second = client.get(first["next"]).json()
    assert second["returned"] == 1 and second["next"] is None
    seen = {f["id"] for f in first["features"]} | {f["id"] for f in second["features"]}
    assert len(seen) == 4


BAD = [
    ("region=XX", "region"),
    ("region=SY99", "region"),
    ("region=SY0", "region"),
    ("start=2024-13-01", "start"),
    ("start=yesterday", "start"),
    ("end=01/08/2024", "end"),
    ("start=2024-09-01&end=2024-08-01", "end"),
    ("bbox=1,2,3", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("bbox=41,36,40,37", "bbox"),
    ("bbox=0,-95,10,10", "bbox"),
    ("limit=0", "limit"),
    ("limit=100000", "limit"),
    ("limit=ten", "limit"),
    ("offset=-1", "offset"),
    ("q=" + "x" * 201, "q"),
    ("colour=red", "colour"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "parameter"), BAD)
def test_bad_parameters_get_400_naming_the_parameter(client, small_gazetteer, query, parameter):
    response = client.get(f"/api/incidents?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert body["error"].startswith(f"{parameter}: ")


@pytest.mark.django_db
def test_queryset_filters_compose(incidents):
    qs = Incident.objects.in_region("SY08").between(datetime.date(2024, 8, 2), None).of_type("attack")
    assert [i.pk for i in qs] == [incidents[1].pk]
    assert not Incident.objects.in_region("SY1").exists()
    assert Incident.objects.in_bbox(38.0, 35.0, 40.0, 36.5).matching("strike").count() == 1


@pytest.mark.django_db
def test_regions_tree_nests_governorate_district_subdistrict(client, small_gazetteer):
    regions = client.get("/api/regions").json()["regions"]
    assert [r["pcode"] for r in regions] == ["SY08", "SY11"]
    hasakah = regions[0]
    assert hasakah["name_ar"] == "الحسكة"
    assert [d["pcode"] for d in hasakah["children"]] == ["SY0800"]
    assert [s["pcode"] for s in hasakah["children"][0]["children"]] == ["SY080000"]
    assert hasakah["bbox"] == [39.5, 35.5, 42.4, 37.4]


@pytest.mark.django_db
def test_region_outline_and_areas(client, small_gazetteer):
    outline = client.get("/api/regions/SY08").json()
    assert outline["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert outline["properties"]["name_en"] == "Al-Hasakeh"
    assert client.get("/api/regions/SY99").status_code == 404
    areas = client.get("/api/regions/areas?level=1").json()
    assert {f["id"] for f in areas["features"]} == {"SY08", "SY11"}
    assert client.get("/api/regions/areas?level=4").json()["parameter"] == "level"
