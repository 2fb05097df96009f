"""The map's Download menu in Debian's Chromium: each link exports exactly the current filters, and the CSV
it serves opens with a BOM and the Arabic intact; the Arabic page shows the menu right to left."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest
from event_browser_data import EventPair, make_event_pair
from map_browser import open_map


@pytest.fixture
def pair(transactional_db, small_gazetteer) -> EventPair:
    """One event of two reports (Arabic and English), made before the browser starts."""
    return make_event_pair()


def hrefs(page) -> dict[str, str]:
    links = page.locator("#map-downloads a[data-base]")
    return {a.inner_text(): a.get_attribute("href") for a in links.all()}


@pytest.mark.browser
@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {}),
        ("?unit=report&region=SY08", {"unit": ["report"], "region": ["SY08"]}),
        ("?start=2024-08-01&end=2024-08-31", {"start": ["2024-08-01"], "end": ["2024-08-31"]}),
    ],
)
def test_download_links_carry_the_current_filters(pair, browser, live_server, query, expected, screenshots):
    page = open_map(browser, live_server, "en", query)
    page.locator("#map-downloads summary").click()
    links = hrefs(page)
    assert set(links) == {
        "CSV (ACLED columns, for Excel)",
        "CSV with HXL tags",
        "GeoJSON (QGIS)",
        "GeoPackage (QGIS, with areas and counts)",
        "KML (Google Earth)",
    }
    for text, href in links.items():
        params = parse_qs(urlparse(href).query)
        assert {k: v for k, v in params.items() if k != "hxl"} == expected
        assert ("hxl" in params) == ("HXL" in text)
    csv_link = links["CSV (ACLED columns, for Excel)"]
    body = page.request.get(live_server.url + csv_link).body()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == (2 if "report" in query else 1)
    assert all(r["location_ar"] and "\ufffd" not in r["location_ar"] for r in rows)
    assert page.errors == []
    if not query:
        page.screenshot(path=str(screenshots / "download-menu-en.png"))


@pytest.mark.browser
def test_the_arabic_menu_is_right_to_left(pair, browser, live_server, screenshots):
    page = open_map(browser, live_server, "ar", "")
    page.locator("#map-downloads summary").click()
    menu = page.locator("#map-downloads ul")
    assert menu.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "تنزيل" in page.locator("#map-downloads summary").inner_text()
    page.screenshot(path=str(screenshots / "download-menu-ar.png"))
