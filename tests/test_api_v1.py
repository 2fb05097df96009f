"""The API under /api/v1/: the incident list streamed whole or paged by cursor (RFC 8288 Link, a total count),
absolute links, and the old /api/ paths kept as deprecated aliases that name their successor."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from incident_factory import make_article, make_incident

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident

DAY = datetime.date(2024, 8, 20)
NEXT = re.compile(r'<([^>]+)>; rel="next"')


@pytest.fixture
def five(small_gazetteer) -> list[Incident]:
    """Five reports on four days (two share one), one with no date at all."""
    days = [DAY, DAY, DAY - datetime.timedelta(days=3), DAY + datetime.timedelta(days=9), None]
    return [make_incident("t:CUR1", make_article(), date=day) for day in days]


def next_link(response) -> str | None:
    found = NEXT.search(response.get("Link", ""))
    return found.group(1) if found else None


def test_the_list_without_a_page_streams_every_feature(client, five):
    response = client.get("/api/v1/incidents?unit=report")
    assert response.streaming and response["Content-Type"] == "application/geo+json"
    assert response["X-Total-Count"] == "5"
    features = json.loads(b"".join(response.streaming_content))["features"]
    assert sorted(f["id"] for f in features) == sorted(i.pk for i in five)


@pytest.mark.parametrize("order", ["desc", "asc"])
@pytest.mark.parametrize("limit", [1, 2, 4, 5])
def test_cursor_pages_give_every_incident_once_in_order(client, five, order, limit):
    url: str | None = f"/api/v1/incidents?unit=report&limit={limit}&order={order}"
    seen: list[int] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        assert response["X-Total-Count"] == "5" and response.json()["count"] == 5
        seen += [f["id"] for f in response.json()["features"]]
        url = next_link(response)
        assert url == response.json()["next"]
        assert url is None or url.startswith("http://testserver/api/v1/incidents?")
        pages += 1
    assert pages == -(-5 // limit)
    newest_first = [five[3].pk, five[1].pk, five[0].pk, five[2].pk, five[4].pk]  # ties by id, undated last
    assert seen == (newest_first if order == "desc" else newest_first[::-1])


@pytest.mark.parametrize("cursor", ["nonsense", "MjAyNC0wOC0yMHwxfHg", "%%%"])
def test_a_cursor_the_api_did_not_give_is_a_400(client, five, cursor):
    response = client.get(f"/api/v1/incidents?limit=2&cursor={cursor}")
    assert response.status_code == 400 and response.json()["parameter"] == "cursor"


def test_the_unpaged_list_over_the_row_limit_says_to_page(client, five, settings):
    settings.EXPORT_MAX_ROWS = 3
    response = client.get("/api/v1/incidents?unit=report")
    assert response.status_code == 400
    assert response.json()["parameter"] == "limit" and "cursor" in response.json()["error"]


@pytest.mark.parametrize(
    "old, new",
    [
        ("/api/incidents/facets", "/api/v1/incidents/facets"),
        ("/api/regions", "/api/v1/regions"),
        ("/api/incidents/histogram?step=month", "/api/v1/incidents/histogram?step=month"),
        ("/api/incidents/{id}", "/api/v1/incidents/{id}"),
    ],
)
def test_old_paths_answer_the_same_marked_deprecated(client, five, old, new):
    old, new = (path.format(id=five[0].pk) for path in (old, new))
    legacy, current = client.get(old), client.get(new)
    assert legacy.status_code == current.status_code == 200
    assert legacy.json() == current.json()
    assert re.fullmatch(r"@\d+", legacy["Deprecation"])
    assert f'<http://testserver{new}>; rel="successor-version"' in legacy["Link"]
    assert not current.has_header("Deprecation")


def test_the_old_list_still_pages_by_default_and_keeps_both_links(client, five):
    response = client.get("/api/incidents?unit=report&limit=2")
    assert not response.streaming and response.json()["returned"] == 2
    assert 'rel="next"' in response["Link"] and 'rel="successor-version"' in response["Link"]
    assert len(client.get("/api/incidents?unit=report").json()["features"]) == 5  # a page, not a stream


def site_paths(data: Any) -> list[str]:
    """Every value under a url or …_url key that is not an absolute URL."""
    if isinstance(data, dict):
        own = [
            v
            for k, v in data.items()
            if (k == "url" or k.endswith("_url")) and isinstance(v, str) and v and not v.startswith("http")
        ]
        return own + [p for v in data.values() for p in site_paths(v)]
    if isinstance(data, list):
        return [p for item in data for p in site_paths(item)]
    return []


def test_every_url_in_a_response_is_absolute(client, five):
    Incident.objects.filter(pk=five[0].pk).update(event=None)
    for path in (
        "/api/v1/incidents?limit=5",
        f"/api/v1/incidents/{five[0].pk}",
        "/api/v1/incidents/facets",
        "/api/v1/changes",
    ):
        body = client.get(path).json()
        assert site_paths(body) == [], path
    streamed = json.loads(b"".join(client.get("/api/v1/incidents").streaming_content))
    assert site_paths(streamed) == [] and streamed["features"]


def many_incidents(n: int) -> None:
    """n incidents in bulk, each with its own article, spread over the days of two years."""
    articles = Article.objects.bulk_create(
        Article(body=f"text {k}", lang="en", content_hash=f"bulk{k:060d}", title=f"Article {k}")
        for k in range(n)
    )
    Incident.objects.bulk_create(
        Incident(
            article=a,
            date=DAY - datetime.timedelta(days=k % 730),
            point=Point(36 + (k % 100) / 50, 33 + (k // 100) / 60, srid=4326),
            admin1_pcode="SY08",
            geo_precision=1,
            actors=[],
            event_type="battles",
            label_en=f"Place {k}",
            label_ar="مكان",
        )
        for k, a in enumerate(articles)
    )


@pytest.mark.django_db(transaction=True)
def test_ogr2ogr_reads_every_feature_of_12000_incidents(live_server, tmp_path):
    many_incidents(12_000)
    out = tmp_path / "all.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), f"GeoJSON:{live_server.url}/api/v1/incidents"],
        check=True,
        capture_output=True,
        env={"GDAL_HTTP_TIMEOUT": "120", "PATH": "/usr/bin:/bin", "no_proxy": "*"},
    )
    info = subprocess.run(["ogrinfo", "-so", "-al", str(out)], capture_output=True, text=True, check=True)
    assert "Feature Count: 12000" in info.stdout
