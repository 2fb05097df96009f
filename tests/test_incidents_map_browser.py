"""The map page in Chromium: markers, region picker and date range change what is shown."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import sync_playwright

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def add(n: int, date: str, a1: str, lon: float, lat: float, event_type: str, title: str) -> None:
    article = Article.objects.create(
        body=f"text {n}", lang="en", content_hash=f"{n:064d}", title=title, url="https://example.org/a"
    )
    Incident.objects.create(
        article=article,
        date=datetime.date.fromisoformat(date),
        geo_precision=1,
        point=Point(lon, lat, srid=4326),
        admin1_pcode=a1,
        event_type=event_type,
        label_en=f"Place {n}",
        label_ar="الحسكة",
    )


@pytest.fixture
def page():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        yield page
        browser.close()


def count(page) -> int:
    return int(page.locator("#map-counts").get_attribute("data-count"))


def wait_count(page, expected: int) -> None:
    page.wait_for_function(f"document.getElementById('map-counts').dataset.count === '{expected}'")


@pytest.fixture
def map_incidents(transactional_db, small_gazetteer):
    """Created before the browser starts: Playwright's event loop forbids the ORM in the test body."""
    add(1, "2024-08-01", "SY08", 40.76, 36.47, "security operation", "<b>Raid</b> in Ghuwayran")
    add(2, "2024-08-20", "SY08", 40.9, 36.9, "attack", "Attack north of Hasakah")
    add(3, "2024-07-05", "SY11", 39.0, 35.95, "airstrike", "Strike near Raqqa")
    add(4, "2024-09-10", "SY11", 38.6, 35.6, "attack", "Clashes in Raqqa countryside")


@pytest.mark.browser
def test_map_markers_region_and_dates_change_the_count(live_server, map_incidents, page):
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 4)
    assert page.locator("#incident-map path.incident-marker").count() == 4
    # Our own governorate polygons are the basemap.
    page.wait_for_function("document.querySelectorAll('#incident-map path').length >= 6")

    page.select_option("#f-gov", "SY08")
    wait_count(page, 2)
    assert page.locator("#incident-map path.incident-marker").count() == 2
    assert not page.locator("#f-dist").is_disabled()

    page.fill("#f-start", "2024-08-10")
    page.dispatch_event("#f-start", "change")
    wait_count(page, 1)
    page.fill("#f-end", "2024-08-15")
    page.dispatch_event("#f-end", "change")
    wait_count(page, 0)

    # A popup shows the title as text, not markup.
    page.click("#f-reset")
    wait_count(page, 4)
    page.fill("#f-q", "Raid")
    wait_count(page, 1)
    page.locator("#incident-map path.incident-marker").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<b>Raid</b> in Ghuwayran" in popup.inner_text()
    assert popup.locator("b").count() == 0
    assert page.errors == []
