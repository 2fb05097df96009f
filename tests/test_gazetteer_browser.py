"""The gazetteer search page in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright

from gazetteer import index

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def page():
    """Yield a Chromium page; collect console errors and requests that leave the test server."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_page(viewport={"width": 1280, "height": 900})
        context.errors = []
        context.requests = []
        context.on("console", lambda msg: msg.type == "error" and context.errors.append(msg.text))
        context.on("pageerror", lambda exc: context.errors.append(str(exc)))
        context.on("request", lambda req: context.requests.append(req.url))
        yield context
        browser.close()


@pytest.mark.browser
def test_search_page_draws_result_markers_and_arabic_names(
    live_server, transactional_db, small_gazetteer, page
):
    index.invalidate()
    page.goto(f"{live_server.url}/gazetteer/?q={quote('غويران')}")
    page.wait_for_selector("#map[data-ready='true']")
    # Leaflet is running and drew our own governorate outlines (two in the fixture) and one pin per result.
    assert page.evaluate("typeof L !== 'undefined' && L.version") == "1.9.4"
    page.wait_for_function(
        "document.querySelectorAll('#map path.leaflet-interactive, #map svg path').length >= 2"
    )
    rows = page.locator(".result:not(.result--weak)").count()
    assert rows >= 1
    assert page.locator("#map .result-pin").count() == rows
    # The Arabic name is visible, right-to-left, and intact in the list and in the pin's popup.
    arabic = page.locator(".result .name-ar", has_text="غويران").first
    assert arabic.is_visible()
    assert arabic.evaluate("n => getComputedStyle(n).direction") == "rtl"
    first_arabic = page.locator(".result").first.locator(".name-ar").inner_text()
    # A dispatched click: pins at one point overlap, and a mouse click hits whichever is on top.
    page.locator("#map .result-pin").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content .popup__ar")
    popup.wait_for()
    assert popup.inner_text() == first_arabic
    assert (
        page.locator(".leaflet-popup-content a.popup__link")
        .get_attribute("href")
        .startswith("/gazetteer/place/")
    )
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(live_server.url) and not u.startswith("data:")] == []
