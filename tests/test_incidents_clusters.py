"""GET /api/incidents/clusters: the filtered incidents snapped to a grid in SQL, on SpatiaLite and PostGIS."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point

from conflictmap.articles.models import Article
from conflictmap.incidents.aggregates import cell_size
from conflictmap.incidents.models import Incident

# name: (date, event type, precision, lon, lat, source)
ROWS = {
    "a": ("2024-01-01", "attack", 1, 40.7612, 36.4712, "Hawar"),
    "b": ("2024-01-03", "battles", 2, 40.7632, 36.4732, "Hawar"),
    "c": ("2024-01-15", "attack", 1, 39.0, 35.95, "SANA"),
    "d": ("2024-03-02", "protests", 3, 40.8, 36.6, ""),
    "e": (None, "", 1, 38.5, 35.5, "SANA"),
    "f": ("2024-04-09", "attack", 1, 40.7652, 36.4752, "Hawar"),
}


@pytest.fixture
def dataset(db) -> dict[str, Incident]:
    made = {}
    for n, (name, (date, kind, precision, lon, lat, source)) in enumerate(ROWS.items()):
        article = Article.objects.create(
            body=f"Body {name}.", title=f"Title {name}", lang="en", content_hash=f"{n:064d}", source=source
        )
        made[name] = Incident.objects.create(
            article=article,
            date=datetime.date.fromisoformat(date) if date else None,
            point=Point(lon, lat, srid=4326),
            event_type=kind,
            geo_precision=precision,
        )
    return made


def clusters(client, query: str) -> dict:
    response = client.get(f"/api/incidents/clusters?{query}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_clusters_answer_cells_with_count_mean_point_and_type(client, dataset):
    body = clusters(client, "zoom=9")
    assert body["zoom"] == 9
    assert body["cell"] == pytest.approx(40 * 360 / (256 * 2**9))
    assert body["fields"] == ["lat", "lon", "count", "type"]
    assert body["types"] == ["", "attack", "battles", "protests"]
    assert body["type_counts"] == [1, 3, 1, 1]
    # a, b and f lie a few hundred metres apart: one cell of three at this zoom, biggest first.
    first = body["cells"][0]
    assert first[2] == 3
    assert first[0:2] == [pytest.approx(36.4732, abs=1e-5), pytest.approx(40.7632, abs=1e-5)]
    assert body["types"][first[3]] == "attack"  # two attacks against one battle
    assert sorted(c[2] for c in body["cells"]) == [1, 1, 1, 3]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 6),
        ("precision=1", 4),
        ("event_type=attack", 3),
        ("start=2024-01-02&end=2024-03-31", 3),
        ("source=SANA", 2),
        ("bbox=40,36,41,37", 4),
        ("polygon=POLYGON((38 35, 40 35, 40 36, 38 36, 38 35))", 2),
        ("start=2030-01-01", 0),
    ],
)
@pytest.mark.parametrize("zoom", [0, 6, 9, 12, 16])
def test_cell_counts_sum_to_the_filtered_total(client, dataset, query, expected, zoom):
    body = clusters(client, f"zoom={zoom}&{query}")
    assert body["count"] == expected
    assert sum(cell[2] for cell in body["cells"]) == expected
    assert sum(body["type_counts"]) == expected
    assert body["count"] == client.get(f"/api/incidents/points?{query}").json()["count"]


@pytest.mark.django_db
@pytest.mark.parametrize(("zoom", "cells"), [(0, 1), (9, 4), (16, 6)])
def test_finer_zooms_split_cells(client, dataset, zoom, cells):
    assert len(clusters(client, f"zoom={zoom}")["cells"]) == cells


@pytest.mark.django_db
def test_one_cell_holds_the_mean_of_its_points(client, dataset):
    (cell,) = clusters(client, "zoom=0")["cells"]
    lats = [row[4] for row in ROWS.values()]
    lons = [row[3] for row in ROWS.values()]
    assert cell[:3] == [pytest.approx(sum(lats) / 6, abs=1e-5), pytest.approx(sum(lons) / 6, abs=1e-5), 6]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lon", "lat"),
    [(-180 + 4 * cell_size(0), 30.0), (30.0, -90 + 2 * cell_size(0)), (-180 + 3 * cell_size(0), -10.0)],
)
def test_grid_lines_split_points_the_same_way_on_every_backend(client, db, lon, lat):
    """Points just either side of a grid line (west and south of the origin too) fall in two cells."""
    for n, (dx, dy) in enumerate([(-0.01, -0.01), (0.01, 0.01)]):
        article = Article.objects.create(body="x", lang="en", content_hash=f"{n:064d}")
        Incident.objects.create(article=article, point=Point(lon + dx, lat + dy, srid=4326), geo_precision=1)
    body = clusters(client, "zoom=0")
    assert sorted(cell[2] for cell in body["cells"]) == [1, 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "zoom=", "zoom=x", "zoom=-1", "zoom=17", "zoom=3.5", "zoom=9&bbox=1,2"]
)
def test_bad_zoom_or_filter_gets_400_naming_it(client, small_gazetteer, query):
    response = client.get(f"/api/incidents/clusters?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == ("bbox" if "bbox" in query else "zoom")


@pytest.mark.django_db
def test_clusters_are_gzipped_and_cacheable(client, dataset):
    response = client.get("/api/incidents/clusters?zoom=9", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    again = client.get(
        "/api/incidents/clusters?zoom=9", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
