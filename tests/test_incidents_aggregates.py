"""GET /api/incidents/points, /histogram, /choropleth, /facets and /<id> on a small hand-made set."""

from __future__ import annotations

import datetime
import gzip
import json

import pytest
from django.contrib.gis.geos import Point

from conflictmap.articles.models import Article
from conflictmap.incidents.aggregates import bin_start, next_bin
from conflictmap.incidents.models import Incident, Mention

# name: (date, admin1, admin2, admin3, event type, precision, lon, lat, actors, source)
ROWS = {
    "a": ("2024-01-01", "SY08", "SY0800", "SY080000", "attack", 1, 40.761234567, 36.471234567, ["SDF"], "Hawar"),
    "b": ("2024-01-03", "SY08", "SY0800", "", "battles", 2, 40.9, 36.9, ["ISIS", "SDF"], "Hawar"),
    "c": ("2024-01-15", "SY11", "SY1101", "SY110100", "attack", 1, 39.0, 35.95, ["ISIS"], "SANA"),
    "d": ("2024-03-02", "SY08", "", "", "protests", 3, 40.8, 36.6, ["Civilians"], ""),
    "e": (None, "SY11", "SY1101", "", "", 1, 38.5, 35.5, [], "SANA"),
}  # fmt: skip


@pytest.fixture
def dataset(db) -> dict[str, Incident]:
    made = {}
    for n, (name, (date, a1, a2, a3, kind, precision, lon, lat, actors, source)) in enumerate(ROWS.items()):
        article = Article.objects.create(
            body=f"Body of {name}.", title=f"Title {name}", lang="en", content_hash=f"{n:064d}", source=source
        )
        made[name] = Incident.objects.create(
            article=article,
            date=datetime.date.fromisoformat(date) if date else None,
            point=Point(lon, lat, srid=4326),
            admin1_pcode=a1,
            admin2_pcode=a2,
            admin3_pcode=a3,
            event_type=kind,
            geo_precision=precision,
            actors=actors,
        )
    return made


def names(dataset: dict[str, Incident], ids) -> set[str]:
    by_id = {incident.pk: name for name, incident in dataset.items()}
    return {by_id[i] for i in ids}


@pytest.mark.django_db
def test_points_are_compact_rows_with_type_index(client, dataset):
    body = client.get("/api/incidents/points").json()
    assert body["count"] == 5
    assert body["fields"] == ["id", "lat", "lon", "type", "date", "precision"]
    rows = {row[0]: row for row in body["rows"]}
    a = rows[dataset["a"].pk]
    assert a[1:3] == [36.47123, 40.76123]
    assert (body["types"][a[3]], a[4], a[5]) == ("attack", "2024-01-01", 1)
    assert rows[dataset["e"].pk][4] is None
    assert body["types"][rows[dataset["e"].pk][3]] == ""
    assert sorted(body["types"]) == ["", "attack", "battles", "protests"]
    assert rows[dataset["c"].pk][3] == a[3]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abcde"),
        ("precision=1", "ace"),
        ("event_type=attack,protests", "acd"),
        ("start=2024-01-02&end=2024-02-01", "bc"),
        ("actor=isis", "bc"),
        ("source=SANA", "ce"),
        ("bbox=40,36,41,37", "abd"),
        ("polygon=POLYGON((38 35, 40 35, 40 36, 38 36, 38 35))", "ce"),
    ],
)
def test_points_follow_the_filters(client, dataset, query, expected):
    body = client.get(f"/api/incidents/points?{query}").json()
    assert names(dataset, (row[0] for row in body["rows"])) == set(expected)
    assert body["count"] == len(expected)


@pytest.mark.django_db
def test_points_are_gzipped_and_answer_304_to_their_etag(client, dataset):
    response = client.get("/api/incidents/points", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["count"] == 5
    again = client.get(
        "/api/incidents/points", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    plain = client.get("/api/incidents/points")
    assert not plain.has_header("Content-Encoding")


def day_bins(first: str, counts: dict[str, int], days: int) -> list[dict]:
    start = datetime.date.fromisoformat(first)
    dates = [(start + datetime.timedelta(days=i)).isoformat() for i in range(days)]
    return [{"start": d, "count": counts.get(d, 0)} for d in dates]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "bins"),
    [
        ("day", day_bins("2024-01-01", {"2024-01-01": 1, "2024-01-03": 1, "2024-01-15": 1, "2024-03-02": 1}, 62)),
        (
            "week",
            [{"start": "2024-01-01", "count": 2}, {"start": "2024-01-08", "count": 0},
             {"start": "2024-01-15", "count": 1}, *({"start": d, "count": 0} for d in
             ("2024-01-22", "2024-01-29", "2024-02-05", "2024-02-12", "2024-02-19")),
             {"start": "2024-02-26", "count": 1}],
        ),
        (
            "month",
            [{"start": "2024-01-01", "count": 3}, {"start": "2024-02-01", "count": 0},
             {"start": "2024-03-01", "count": 1}],
        ),
    ],
)  # fmt: skip
def test_histogram_bins_are_contiguous_and_zero_filled(client, dataset, step, bins):
    body = client.get(f"/api/incidents/histogram?step={step}").json()
    assert body["step"] == step
    assert body["bins"] == bins
    assert (body["total"], body["undated"]) == (4, 1)


@pytest.mark.django_db
def test_histogram_defaults_to_days_and_follows_filters(client, dataset, small_gazetteer):
    body = client.get("/api/incidents/histogram?region=SY11").json()
    assert body == {"step": "day", "bins": [{"start": "2024-01-15", "count": 1}], "total": 1, "undated": 1}
    empty = client.get("/api/incidents/histogram?step=month&start=2030-01-01").json()
    assert (empty["bins"], empty["total"]) == ([], 0)


@pytest.mark.parametrize(
    ("day", "step", "start", "following"),
    [
        ("2024-02-29", "day", "2024-02-29", "2024-03-01"),
        ("2024-12-31", "day", "2024-12-31", "2025-01-01"),
        ("2024-03-02", "week", "2024-02-26", "2024-03-04"),
        ("2024-01-01", "week", "2024-01-01", "2024-01-08"),
        ("2023-12-31", "week", "2023-12-25", "2024-01-01"),
        ("2024-01-31", "month", "2024-01-01", "2024-02-01"),
        ("2023-12-15", "month", "2023-12-01", "2024-01-01"),
    ],
)
def test_bin_boundaries(day, step, start, following):
    first = bin_start(datetime.date.fromisoformat(day), step)
    assert first.isoformat() == start
    assert next_bin(first, step).isoformat() == following


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=1", {"SY08": 3, "SY11": 2}),
        ("", {"SY08": 3, "SY11": 2}),
        ("level=2", {"SY0800": 2, "SY1101": 2}),
        ("level=3", {"SY080000": 1, "SY110100": 1}),
        ("level=1&event_type=attack", {"SY08": 1, "SY11": 1}),
        ("level=2&start=2024-01-02", {"SY0800": 1, "SY1101": 1}),
        ("level=1&start=2031-01-01", {}),
    ],
)
def test_choropleth_counts_per_level(client, dataset, query, expected):
    body = client.get(f"/api/incidents/choropleth?{query}").json()
    assert body["counts"] == expected
    assert body["level"] == (int(query.split("level=")[1][0]) if "level=" in query else 1)
    assert body["max"] == max(expected.values(), default=0)
    assert body["total"] == sum(expected.values())


@pytest.mark.django_db
def test_facets_list_picker_values(client, dataset):
    body = client.get("/api/incidents/facets").json()
    assert body == {
        "event_types": ["attack", "battles", "protests"],
        "actors": ["ISIS", "SDF", "Civilians"],
        "sources": ["Hawar", "SANA"],
        "date_min": "2024-01-01",
        "date_max": "2024-03-02",
    }
    narrowed = client.get("/api/incidents/facets?source=SANA").json()
    assert (narrowed["actors"], narrowed["date_max"]) == (["ISIS"], "2024-01-15")


@pytest.fixture
def reported(small_gazetteer) -> Incident:
    """An incident whose article names Ghuwayran and al-Hasakah far into a long body."""
    from gazetteer.models import Place

    ghuwayran = Place.objects.get(name_en="Ghuwayran")
    city = Place.objects.get(kind="community", name_en="Al-Hasakeh")
    body = "x" * 500 + " Raid <b>in</b> غويران near الحسكة today. " + "y" * 500
    article = Article.objects.create(
        body=body, title="<img src=x onerror=alert(1)>", lang="ar", content_hash="f" * 64, source="Hawar"
    )
    for name, place, role in (("غويران", ghuwayran, "incident"), ("الحسكة", city, "context")):
        start = body.index(name)
        Mention.objects.create(
            article=article, start=start, end=start + len(name), text=name, place=place, role=role
        )
    far = len(body) - 3
    Mention.objects.create(article=article, start=far, end=far + 2, text="yy", role="context")
    return Incident.objects.create(
        article=article,
        date=datetime.date(2024, 8, 1),
        point=Point(40.76, 36.475, srid=4326),
        place=ghuwayran,
        label_en="Ghuwayran",
        label_ar="غويران",
        admin1_pcode="SY08",
        geo_precision=1,
        event_type="attack",
        actors=["SDF"],
        confidence=0.8,
    )


@pytest.mark.django_db
def test_detail_excerpt_offsets_point_at_the_place_names(client, reported):
    body = client.get(f"/api/incidents/{reported.pk}").json()
    text = body["excerpt"]
    start = reported.article.body.index("غويران")
    assert body["excerpt_offset"] == start - 300
    assert text == reported.article.body[start - 300 : start + len("غويران") + 300]
    assert (body["excerpt_truncated_start"], body["excerpt_truncated_end"]) == (True, True)
    spans = [(text[m["start"] : m["end"]], m["role"], m["incident"]) for m in body["mentions"]]
    assert spans == [("غويران", "incident", True), ("الحسكة", "context", False)]
    assert body["title"] == "<img src=x onerror=alert(1)>"  # raw in JSON; the page escapes it
    assert (body["article_url"], body["source"], body["label_ar"]) == (
        f"http://testserver/articles/{reported.article_id}/",
        "Hawar",
        "غويران",
    )
    assert (body["geo_precision"], body["confidence"], body["actors"], body["date"]) == (
        1,
        0.8,
        ["SDF"],
        "2024-08-01",
    )


@pytest.mark.django_db
def test_detail_without_mentions_shows_the_start_and_unknown_is_404(client, dataset):
    body = client.get(f"/api/incidents/{dataset['a'].pk}").json()
    assert (body["excerpt"], body["mentions"], body["excerpt_offset"]) == ("Body of a.", [], 0)
    missing = client.get("/api/incidents/999999")
    assert missing.status_code == 404
    assert missing.json()["parameter"] == "id"
