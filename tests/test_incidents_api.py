"""GET /api/incidents (filters, paging, every 400), the QuerySet filters and GET /api/regions."""

from __future__ import annotations

import datetime
import math

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
    body: str = "",
    source: str = "",
    actors: tuple[str, ...] = (),
    precision: int = 1,
    synthetic: bool = False,
) -> Incident:
    article = Article.objects.create(
        body=body or f"text {n}",
        lang="en",
        content_hash=f"{n:064d}",
        title=title or f"Article {n}",
        source=source,
        synthetic=synthetic,
    )
    return Incident.objects.create(
        article=article,
        date=datetime.date.fromisoformat(date),
        point=Point(lon, lat, srid=4326),
        admin1_pcode=a1,
        admin2_pcode=a2,
        admin3_pcode=a3,
        geo_precision=precision,
        actors=list(actors),
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
            body="Forces raided a hideout at dawn.",
            source="Hawar",
            actors=("SDF",),
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
            body="انفجرت عبوة ناسفة على طريق مدينة الحسكه الجنوبي.",
            source="Hawar",
            actors=("ISIS", "SDF"),
            precision=2,
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
            body="قال مصدر إن الغارة استهدفت موقعا شرق المدينة.",
            source="Enab Baladi",
            actors=("International Coalition",),
            precision=3,
        ),
        add_incident(
            4,
            date="2024-09-02",
            a1="SY11",
            lon=38.5,
            lat=35.5,
            event_type="attack",
            summary="Clashes in the countryside",
            source="SANA",
            actors=("Regime forces", "Civilians"),
            synthetic=True,
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
    ("bbox=40.76,36.47,41,37", (1, 2)),
    ("bbox=40,36,40.76,36.47", (1,)),
    ("event_type=attack", (2, 4)),
    ("event_type=attack,airstrike", (2, 3, 4)),
    ("q=ghuwayran", (1,)),
    ("q=countryside", (4,)),
    ("q=مكان", (1, 2, 3, 4)),
    ("q=script", (3,)),
    ("region=SY08&event_type=attack&start=2024-08-10", (2,)),
    ("event_type=attack&event_type=airstrike", (2, 3, 4)),
    ("event_type=attack&event_type=airstrike,security operation", (1, 2, 3, 4)),
    ("actor=SDF", (1, 2)),
    ("actor=isis", (2,)),
    ("actor=coalition", (3,)),
    ("actor=Civilians", (4,)),
    ("actor=HTS", ()),
    ("source=Hawar", (1, 2)),
    ("source=hawar", ()),
    ("source=Enab Baladi", (3,)),
    ("precision=1", (1, 4)),
    ("precision=2,3", (2, 3)),
    ("precision=1&precision=3", (1, 3, 4)),
    ("synthetic=include", (1, 2, 3, 4)),
    ("synthetic=exclude", (1, 2, 3)),
    ("synthetic=only", (4,)),
    ("q=dawn", (1,)),
    ("q=HIDEOUT", (1,)),
    ("q=الحسكة", (2,)),
    ("q=الحسكه", (2,)),
    ("q=عبوه ناسفه", (2,)),
    ("q=الغاره استهدفت", (3,)),
    ("q=ان الغارة", (3,)),
    ("q=in the", (4,)),
    ("q=in_the", ()),
    ("q=Clashes%25countryside", ()),
    ("q=الغارة%25شرق", ()),
    ("q=الغارة_استهدفت", ()),
    (
        'polygon={"type":"Polygon","coordinates":[[[40.7,36.4],[40.8,36.4],[40.8,36.5],[40.7,36.5],[40.7,36.4]]]}',
        (1,),
    ),
    ("polygon=POLYGON((38 35, 40 35, 40 36.5, 38 36.5, 38 35))", (3, 4)),
    (
        "polygon=MULTIPOLYGON(((37 34, 37.5 34, 37.5 34.5, 37 34)), ((40.5 36.8, 41 36.8, 41 37, 40.5 36.8)))",
        (2,),
    ),
    ("polygon=POLYGON((38 35, 40 35, 40 36.5, 38 36.5, 38 35))&synthetic=exclude", (3,)),
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
    assert props["article_url"] == f"http://testserver/articles/{incidents[0].article_id}/"


@pytest.mark.django_db
def test_paging_reports_total_count_and_next(client, incidents):
    first = client.get("/api/incidents?limit=3").json()
    assert (first["count"], first["returned"], len(first["features"])) == (4, 3, 3)
    assert first["next"] and "cursor=" in first["next"] and "offset" not in first["next"]
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
    ("polygon={not json", "polygon"),
    ('polygon={"type":"Point","coordinates":[40,36]}', "polygon"),
    ("polygon=POINT(40 36)", "polygon"),
    ("polygon=POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", "polygon"),
    ("polygon=POLYGON((0 0, 1 1, 2 2, 0 0))", "polygon"),
    ("polygon=POLYGON((0 0, 200 0, 200 10, 0 0))", "polygon"),
    ("polygon=hexagon", "polygon"),
    ("precision=4", "precision"),
    ("precision=1,x", "precision"),
    ("synthetic=maybe", "synthetic"),
    ("fields=all", "fields"),
    ("step=year", "step"),
    ("level=4", "level"),
    ("level=one", "level"),
    ("event_type=" + "x" * 101, "event_type"),
    ("actor=" + "x" * 101, "actor"),
    ("source=" + "x" * 201, "source"),
]


def many_vertices(n: int) -> str:
    """A WKT polygon (a circle around Hasakah) with n distinct vertices."""
    ring = [
        (40.75 + 0.1 * math.cos(2 * math.pi * i / n), 36.5 + 0.1 * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    ring.append(ring[0])
    return "POLYGON((" + ", ".join(f"{x:.6f} {y:.6f}" for x, y in ring) + "))"


@pytest.mark.django_db
@pytest.mark.parametrize(("vertices", "status"), [(499, 200), (500, 400)])
def test_polygon_vertex_limit_is_500(client, incidents, vertices, status):
    response = client.get("/api/incidents", {"polygon": many_vertices(vertices)})
    assert response.status_code == status
    if status == 200:
        assert ids(response) == article_ids(incidents, 1)
    else:
        assert response.json()["parameter"] == "polygon"


ENDPOINTS = [
    "/api/incidents",
    "/api/incidents/points",
    "/api/incidents/histogram",
    "/api/incidents/choropleth",
    "/api/incidents/facets",
    "/api/incidents/clusters?zoom=9&",
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [("region=SY99", "region"), ("polygon=POINT(40 36)", "polygon"), ("precision=0", "precision"),
     ("start=2024-02-30", "start"), ("bogus=1", "bogus")],
)  # fmt: skip
def test_every_endpoint_validates_the_same_parameters(client, small_gazetteer, endpoint, query, parameter):
    response = client.get(f"{endpoint}{'' if '?' in endpoint else '?'}{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


@pytest.mark.django_db
def test_fields_min_returns_only_marker_fields(client, incidents):
    body = client.get("/api/incidents?fields=min&region=SY080000").json()
    assert body["count"] == 1
    (feature,) = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [40.76, 36.47]}
    assert feature["properties"] == {
        "id": incidents[0].pk,
        "event_type": "security operation",
        "date": "2024-08-01",
        "geo_precision": 1,
    }


@pytest.mark.django_db
def test_next_link_keeps_repeated_parameters(client, incidents):
    first = client.get("/api/incidents?precision=1&precision=2&limit=2").json()
    assert first["count"] == 3
    second = client.get(first["next"]).json()
    assert (second["count"], second["returned"]) == (3, 1)


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
@pytest.mark.parametrize(("query", "preload"), [("", True), ("?map=7/35/38", True), ("?region=SY08", False)])
def test_map_page_preloads_the_unfiltered_grid_and_histogram(client, small_gazetteer, query, preload):
    response = client.get(f"/map/{query}")
    assert response.status_code == 200
    link = response.get("Link", "")
    assert ("</api/v1/incidents/clusters?zoom=9>; rel=preload; as=fetch" in link) is preload
    assert ("</api/v1/incidents/histogram?step=month>; rel=preload; as=fetch" in link) is preload
