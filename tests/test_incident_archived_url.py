"""An archived incident's URL answers 410 with where it went; archived incidents leave every list and aggregate."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from playwright.sync_api import sync_playwright

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REASON = "dropped by the re-run of 2025-01-02"


def incident(article: Article, **fields) -> Incident:
    values = {"date": datetime.date(2024, 8, 1), "geo_precision": 1, "admin1_pcode": "SY08"}
    values["point"] = Point(40.76, 36.47, srid=4326)
    return Incident.objects.create(article=article, **values | fields)


@pytest.fixture
def archive(transactional_db) -> dict[str, int]:
    """One live incident; archived ones moved to it, moved to one moved to it, and one that went nowhere."""
    kept = Article.objects.create(
        body="Clashes in Ghuwayran.", content_hash="1" * 64, source="Hawar", status="done"
    )
    gone = Article.objects.create(
        body="A protest in Raqqa.", content_hash="2" * 64, source="Enab", status="done"
    )
    live = incident(kept, event_type="battles", actors=["SDF"], label_en="Ghuwayran")
    archived = {"archived_at": timezone.now(), "archive_reason": REASON, "event_type": "protests"}
    raqqa = {
        "date": datetime.date(2024, 9, 1),
        "admin1_pcode": "SY11",
        "actors": ["ISIS"],
        "point": Point(39.0, 35.95, srid=4326),
    }
    merged = incident(gone, moved_to=live, **archived | raqqa)
    twice = incident(gone, moved_to=merged, **archived | raqqa)
    nowhere = incident(gone, **archived | raqqa)
    return {"live": live.pk, "merged": merged.pk, "twice": twice.pk, "nowhere": nowhere.pk, "gone": gone.pk}


@pytest.mark.parametrize(
    ("name", "target"), [("merged", "live"), ("twice", "live"), ("nowhere", None)]
)  # fmt: skip
def test_an_archived_incident_answers_410_with_where_it_went(client, archive, name, target):
    response = client.get(f"/api/incidents/{archive[name]}")
    assert response.status_code == 410
    body = response.json()
    assert body["id"] == archive[name]
    assert body["archive_reason"] == REASON and REASON in body["error"]
    assert datetime.datetime.fromisoformat(body["archived_at"]) <= timezone.now()
    moved_to = archive[target] if target else None
    assert body["moved_to"] == moved_to
    assert body["moved_to_url"] == (f"http://testserver/api/v1/incidents/{moved_to}" if moved_to else None)


def test_an_id_that_never_existed_is_still_404(client, archive):
    missing = max(archive.values()) + 100
    response = client.get(f"/api/incidents/{missing}")
    assert (response.status_code, response.json()["error"]) == (404, f"no incident {missing}")
    assert client.get(f"/api/incidents/{archive['live']}").status_code == 200


@pytest.mark.parametrize(
    ("url", "read"),
    [
        ("/api/incidents", lambda d: [f["id"] for f in d["features"]]),
        ("/api/incidents/points", lambda d: ([r[0] for r in d["rows"]], d["types"])),
        ("/api/incidents/clusters?zoom=5", lambda d: (d["count"], d["types"])),
        ("/api/incidents/histogram?step=month", lambda d: (d["total"], [b["start"] for b in d["bins"]])),
        ("/api/incidents/choropleth?level=1", lambda d: d["counts"]),
        ("/api/incidents/facets", lambda d: (d["event_types"], d["actors"], d["sources"], d["date_max"])),
    ],
)
def test_archived_incidents_are_left_out_of_every_list_and_aggregate(client, archive, url, read):
    live = archive["live"]
    expected = {
        "/api/incidents": [live],
        "/api/incidents/points": ([live], ["battles"]),
        "/api/incidents/clusters?zoom=5": (1, ["battles"]),
        "/api/incidents/histogram?step=month": (1, ["2024-08-01"]),
        "/api/incidents/choropleth?level=1": {"SY08": 1},
        "/api/incidents/facets": (["battles"], ["SDF"], ["Hawar"], "2024-08-01"),
    }
    assert read(client.get(url).json()) == expected[url]


def test_the_article_page_counts_archived_incidents_without_listing_them(client, archive):
    page = client.get(f"/articles/{archive['gone']}/").content.decode()
    assert "3 archived incidents (dropped by a re-run or merged into others) are not shown." in page
    assert 'class="incident-table"' not in page
    assert client.get(f"/api/articles/{archive['gone']}").json()["incidents"] == 0


@pytest.fixture
def map_at(live_server):
    """Yield a function opening the map at a query string, ready; uncaught script errors go to page.errors."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def open_at(query: str):
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            # Only uncaught errors: Chromium logs the 410 itself as a failed load, and that is the answer.
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.goto(f"{live_server.url}/map/{query}")
            page.wait_for_function("document.body.dataset.ready === '1'", timeout=15000)
            return page

        yield open_at
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("merged", "This incident was merged into or replaced by #{live}."),
        ("nowhere", f"This incident was archived: {REASON}"),
    ],
)
def test_the_map_says_where_an_archived_incident_went_or_why(archive, map_at, name, message):
    page = map_at(f"?sel={archive[name]}")
    note = page.locator("#detail .detail__archived")
    note.wait_for()
    assert note.inner_text() == message.format(live=archive["live"])
    assert page.locator(".map-notice").count() == 0, "an archived incident is not an error"
    assert page.errors == []


@pytest.mark.browser
def test_the_map_links_an_archived_incident_to_the_one_it_went_to(archive, map_at):
    page = map_at(f"?sel={archive['twice']}")
    page.locator("#detail .detail__moved-to").click()
    page.wait_for_selector(f"#detail[data-id='{archive['live']}'] .detail__facts")
    assert f"sel={archive['live']}" in page.url
    assert page.errors == []
