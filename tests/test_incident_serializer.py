"""One serializer for the incident resource: the GeoJSON list, the detail endpoint and the article page."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point

from conflictmap.articles.models import Article
from conflictmap.incidents.models import KEYS, Incident
from conflictmap.incidents.serializers import for_serializing, incident_feature
from conflictmap.versioning import absolute_urls

# Keys the map, the side panel and the article page read.
READ_BY_FRONT_END = {
    "id", "title", "label_en", "label_ar", "geo_precision", "event_type", "date", "date_precision",
    "published", "summary", "article_url", "url", "lat", "lon", "admin1_pcode", "admin3_pcode", "primary",
}  # fmt: skip


@pytest.fixture
def incident(db) -> Incident:
    article = Article.objects.create(
        body="Body", lang="en", content_hash="0" * 64, title="T", source="S", url="https://example.org/a"
    )
    return Incident.objects.create(
        article=article,
        date=datetime.date(2024, 8, 1),
        point=Point(40.123456789, 36.987654321, srid=4326),
        geo_precision=1,
        event_type="attack",
        label_en="Ghuwayran",
    )


def test_full_keys_cover_what_the_front_end_reads():
    assert set(KEYS["full"]) >= READ_BY_FRONT_END


@pytest.mark.parametrize(
    ("key", "value"),
    [("lat", 36.98765), ("lon", 40.12346), ("date", "2024-08-01"), ("published", None), ("primary", True),
     ("url", "https://example.org/a"), ("source_url", "https://example.org/a"), ("title", "T")],
)  # fmt: skip
def test_full_values(incident, key, value):
    assert incident.to_dict()[key] == value


# The full set prefetches the incident's places in a second query, however many incidents there are.
@pytest.mark.parametrize(("fields", "queries"), [("full", 2), ("min", 1)])
def test_feature_wraps_the_same_properties(incident, fields, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        (loaded,) = for_serializing(Incident.objects.all(), fields)
        feature = incident_feature(loaded, fields)
    assert feature["geometry"] == {"type": "Point", "coordinates": [40.12346, 36.98765]}
    assert list(feature["properties"]) == list(KEYS[fields])


def test_detail_endpoint_and_article_page_use_the_serializer(client, incident):
    detail = client.get(f"/api/incidents/{incident.pk}").json()
    # The API's JSON is the one form with its site paths made absolute.
    assert {k: detail[k] for k in KEYS["full"]} == absolute_urls(
        incident.to_dict(), "http://testserver".__add__
    )
    page = client.get(incident.article.get_absolute_url())
    assert page.context["incident_points"] == [incident.to_dict()]
