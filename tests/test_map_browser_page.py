"""The analyst's map page in Debian's Chromium: filters, drawn area, timeline, slider, layers, URL state, Arabic."""

from __future__ import annotations

import datetime
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import sync_playwright

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, Mention

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
XSS_TITLE = '<img src=x onerror="window.__xss=1">Raid report'
XSS_SUMMARY = "<script>window.__xss=2</script> cell seen near the river"

# (key, date, lon, lat, admin1, admin2, admin3, event type, precision, title)
INCIDENTS = [
    (
        "ghuwayran",
        "2024-08-01",
        40.76,
        36.47,
        "SY08",
        "SY0800",
        "SY080000",
        "battles",
        1,
        "Clashes at Ghuwayran",
    ),
    (
        "north",
        "2024-08-20",
        40.9,
        36.9,
        "SY08",
        "SY0800",
        "",
        "explosions_remote_violence",
        2,
        "Blast north of town",
    ),
    (
        "nashwa",
        "2024-06-10",
        40.69,
        36.48,
        "SY08",
        "SY0800",
        "SY080000",
        "violence_against_civilians",
        1,
        "Shooting in al-Nashwa",
    ),
    (
        "raqqa",
        "2024-07-05",
        39.0,
        35.95,
        "SY11",
        "SY1101",
        "",
        "explosions_remote_violence",
        1,
        "Strike in Raqqa",
    ),
    ("xss", "2024-09-10", 38.6, 35.6, "SY11", "", "", "battles", 3, XSS_TITLE),
    ("protest", "2023-12-30", 39.2, 36.1, "SY11", "", "", "protests", 1, "Sit-in in Raqqa"),
]


@pytest.fixture
def incidents(transactional_db, small_gazetteer) -> dict[str, int]:
    """Six hand-made incidents; created before the browser starts (Playwright's loop forbids the ORM later)."""
    ids = {}
    for n, (key, date, lon, lat, a1, a2, a3, etype, precision, title) in enumerate(INCIDENTS):
        body = f"Report {n}: fighters were seen in {key.title()} on that day."
        article = Article.objects.create(
            body=body,
            lang="en",
            content_hash=f"{n:064d}",
            title=title,
            source=f"Source {n % 2}",
            url=f"https://news.example/{n}",
            status="done",
        )
        incident = Incident.objects.create(
            article=article,
            date=datetime.date.fromisoformat(date),
            geo_precision=precision,
            point=Point(lon, lat, srid=4326),
            admin1_pcode=a1,
            admin2_pcode=a2,
            admin3_pcode=a3,
            event_type=etype,
            label_en=key.title(),
            label_ar="الحسكة" if a1 == "SY08" else "الرقة",
            summary=XSS_SUMMARY if key == "xss" else f"{etype} at {key}",
            confidence=0.8,
            actors=["ISIS"],
        )
        start = body.index(key.title())
        Mention.objects.create(
            article=article, start=start, end=start + len(key), text=key.title(), role="incident"
        )
        ids[key] = incident.pk
    return ids


@pytest.fixture
def browser_page(request):
    """Yield a function opening a fresh page; console errors and off-site requests are collected."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pages = []

        def open_page(lang: str = "en", width: int = 1440):
            context = browser.new_context(viewport={"width": width, "height": 900})
            if lang != "en":
                context.add_cookies(
                    [
                        {
                            "name": "django_language",
                            "value": lang,
                            "url": request.getfixturevalue("live_server").url,
                        }
                    ]
                )
            page = context.new_page()
            page.errors, page.requests = [], []
            page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.on("request", lambda req: page.requests.append(req.url))
            pages.append(page)
            return page

        yield open_page
        browser.close()


def ready(page) -> None:
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=15000)


def wait_count(page, expected: int) -> None:
    page.wait_for_function(
        "n => document.body.dataset.ready === '1' && document.getElementById('incident-count').dataset.count === n",
        arg=str(expected),
        timeout=15000,
    )


# The map's entry module exports a handle (the Leaflet map, the marker cluster group, the state) for tests;
# import() of the same URL gives the page's own module instance.
HANDLE = "(await import('/static/incidents/map.js')).handle"


def on_map(expression: str) -> str:
    """A page function evaluating `expression` with `h` bound to the map module's handle."""
    return f"async () => {{ const h = {HANDLE}; return {expression}; }}"


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def point_on_map(page, lon: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a lon/lat on the Leaflet map."""
    return tuple(
        page.evaluate(
            f"""async ([lon, lat]) => {{ const m = {HANDLE}.map; const p = m.latLngToContainerPoint([lat, lon]);
           const r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }}""",
            [lon, lat],
        )
    )


@pytest.mark.browser
def test_map_loads_markers_legend_list_and_offline_basemap(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 6)
    assert page.locator("#map-status").inner_text() == "6 events"
    # Our own admin polygons and the Natural Earth neighbours are drawn; markers and clusters together cover all six.
    page.wait_for_function("document.querySelectorAll('#incident-map .leaflet-admin-pane path').length >= 2")
    assert page.locator("#incident-map .leaflet-countries-pane path").count() >= 5
    shown = page.evaluate(on_map("h.clusters.getLayers().length"))
    assert shown == 6
    legend = page.locator("#map-legend .legend-row").all_inner_texts()
    assert "Battles (2)" in legend and "Explosions / remote violence (2)" in legend
    page.wait_for_function("document.querySelectorAll('#incident-list .incident-item').length === 6")
    dates = page.locator(".incident-item__meta").all_inner_texts()
    assert dates[0].startswith("10 Sep 2024") and dates[-1].startswith("30 Dec 2023")
    page.select_option("#list-sort", "asc")
    page.wait_for_function(
        "document.querySelector('.incident-item__meta').textContent.startsWith('30 Dec 2023')"
    )
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(live_server.url) and not u.startswith("data:")] == []


BUBBLE_TOTAL = """() => Array.from(document.querySelectorAll('#incident-map .incident-cluster span'))
    .reduce((sum, s) => sum + Number(s.textContent), 0)"""


@pytest.mark.browser
def test_large_sets_draw_grid_bubbles_then_markers_when_zoomed_in(live_server, incidents, browser_page):
    page = browser_page()
    # Pretend three incidents is a large set, so the six of the fixture go through the server's grid.
    page.add_init_script(
        """document.addEventListener('readystatechange', () => {
             const m = document.getElementById('incident-map'); if (m) { m.dataset.pointsMax = '3'; } });"""
    )
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 6)
    assert page.evaluate("document.getElementById('incident-map').dataset.mode") == "cells"
    assert any("/api/v1/incidents/clusters?zoom=9" in u for u in page.requests)
    assert not any("/api/v1/incidents/points" in u for u in page.requests)
    assert page.evaluate(on_map("h.clusters.getLayers().length")) == 0
    assert page.evaluate(BUBBLE_TOTAL) == 6
    assert page.locator("#map-status").inner_text() == "6 events"
    legend = page.locator("#map-legend .legend-row").all_inner_texts()
    assert "Battles (2)" in legend and "Explosions / remote violence (2)" in legend
    page.wait_for_function("document.querySelectorAll('#incident-list .incident-item').length === 6")
    assert page.locator("#list-count").inner_text() == "6 events in view"
    # A date filter asks the grid again: the bubbles and the count follow it.
    page.fill("#f-start", "2024-07-01")
    page.dispatch_event("#f-start", "change")
    wait_count(page, 4)
    page.wait_for_function(f"({BUBBLE_TOTAL})() === 4")
    # Zoomed in to a town, real markers of the incidents around the view replace the bubbles.
    page.evaluate(on_map("h.map.setView([36.47, 40.74], 11, {animate: false}) && null"))
    page.wait_for_function("document.getElementById('incident-map').dataset.mode === 'detail'")
    wait_count(page, 4)
    assert any("/api/v1/incidents/points?start=2024-07-01&bbox=" in u for u in page.requests)
    assert page.evaluate(on_map("h.clusters.getLayers().length")) == 1  # Ghuwayran; al-Nashwa is June
    page.evaluate(on_map("h.map.setView([35.8, 39.5], 7, {animate: false}) && null"))
    page.wait_for_function("document.getElementById('incident-map').dataset.mode === 'cells'")
    wait_count(page, 4)
    assert page.errors == []


@pytest.mark.browser
def test_region_pickers_filter_outline_and_zoom(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/")  # the home page is the map
    wait_count(page, 6)
    zoom_before = page.evaluate(on_map("h.map.getZoom()"))
    page.select_option("#f-gov", "SY08")
    wait_count(page, 3)
    assert query(page)["region"] == "SY08"
    page.wait_for_selector("#incident-map path.region-outline")
    assert page.evaluate(on_map("h.map.getZoom()")) > zoom_before
    assert not page.locator("#f-dist").is_disabled()
    page.select_option("#f-dist", "SY0800")
    wait_count(page, 3)
    page.select_option("#f-sub", "SY080000")
    wait_count(page, 2)
    assert query(page)["region"] == "SY080000"
    # Back goes to the district, with the pickers following.
    page.go_back()
    wait_count(page, 3)
    assert page.locator("#f-dist").input_value() == "SY0800"
    assert page.locator("#f-sub").input_value() == ""
    assert page.errors == []


@pytest.mark.browser
def test_drawn_rectangle_filters_and_clears(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 6)
    page.click(".leaflet-draw-draw-rectangle")
    x0, y0 = point_on_map(page, 38.4, 36.0)
    x1, y1 = point_on_map(page, 39.1, 35.4)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    wait_count(page, 2)
    west, south, east, north = map(float, query(page)["bbox"].split(","))
    assert 38.3 < west < 38.5 and 39.0 < east < 39.2 and 35.3 < south < 35.5 and 35.9 < north < 36.1
    assert page.locator("#incident-map path.drawn-area").count() == 1
    page.click("#f-area-clear")
    wait_count(page, 6)
    assert "bbox" not in query(page)
    # A drawn polygon restored from a link filters too.
    ring = [[40.5, 36.3], [41.0, 36.3], [41.0, 36.7], [40.5, 36.7], [40.5, 36.3]]
    page.goto(f"{live_server.url}/map/?polygon=" + json.dumps({"type": "Polygon", "coordinates": [ring]}))
    wait_count(page, 2)
    assert page.locator("#incident-map path.drawn-area").count() == 1
    assert page.errors == []


@pytest.mark.browser
def test_date_inputs_and_histogram_brush_set_the_range(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/?step=month")
    wait_count(page, 6)
    page.fill("#f-start", "2024-08-01")
    page.dispatch_event("#f-start", "change")
    page.fill("#f-end", "2024-08-31")
    page.dispatch_event("#f-end", "change")
    wait_count(page, 2)
    page.click("#t-clear-dates")
    wait_count(page, 6)
    # Monthly bins from Dec 2023 to Sep 2024: drag from July (index 7) to August (index 8).
    bars = page.locator("#timeline-chart svg")
    box = bars.bounding_box()
    bins = page.evaluate("document.querySelectorAll('#timeline-chart rect.timeline__bar').length")
    assert bins == 5  # months with incidents: Dec, Jun, Jul, Aug, Sep
    width = box["width"] / 10
    y = box["y"] + 30
    page.mouse.move(box["x"] + 7.5 * width, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 8.0 * width, y, steps=3)
    page.mouse.move(box["x"] + 8.5 * width, y, steps=3)
    page.mouse.up()
    wait_count(page, 3)
    assert (query(page)["start"], query(page)["end"]) == ("2024-07-01", "2024-08-31")
    assert page.locator("#f-start").input_value() == "2024-07-01"
    assert page.locator("#timeline-chart rect.timeline__bar--out").count() == 3
    assert page.errors == []


@pytest.mark.browser
def test_slider_play_steps_through_months_and_stops(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/?step=month&start=2024-06-01")
    wait_count(page, 5)
    page.evaluate("""() => { window.__counts = [];
      new MutationObserver(() => window.__counts.push(+document.getElementById('incident-count').dataset.count))
        .observe(document.getElementById('incident-count'), {attributes: true}); }""")
    page.click("#t-play")
    assert page.locator("#t-play").get_attribute("aria-pressed") == "true"
    page.wait_for_function("document.getElementById('incident-map').dataset.playing === '0'", timeout=15000)
    counts = [
        c
        for i, c in enumerate(page.evaluate("window.__counts"))
        if i == 0 or c != page.evaluate("window.__counts")[i - 1]
    ]
    # Accumulating month by month from June: 1, 2 (July), 4 (August), 5 (September).
    assert counts == [1, 2, 4, 5]
    assert query(page)["t"] == "2024-09-01"
    # A moving window of one month shows only that month.
    page.select_option("#t-mode", "win")
    page.fill("#t-slider", "2")
    page.dispatch_event("#t-slider", "input")
    wait_count(page, 2)
    assert query(page)["mode"] == "win" and query(page)["t"] == "2024-08-01"
    page.click("#t-reset")
    wait_count(page, 5)
    assert page.errors == []


@pytest.mark.browser
def test_heatmap_and_choropleth_toggles(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 6)
    page.check("#l-heat")
    page.wait_for_selector("#incident-map canvas.leaflet-heatmap-layer")
    page.uncheck("#l-clusters")
    assert page.locator("#incident-map .leaflet-marker-icon").count() == 0
    assert query(page)["layers"] == "heat"
    page.check("#l-choropleth")
    page.wait_for_function("document.getElementById('incident-map').dataset.choropleth === '2'")
    assert page.locator("#choropleth-legend").is_visible()
    assert page.locator("#choropleth-legend").get_attribute("data-max") == "3"
    filled = page.locator("#incident-map .leaflet-choropleth-pane path[fill='#a50f15']").count()
    assert filled == 2  # both governorates hold the maximum (3 each)
    page.uncheck("#l-heat")
    assert page.locator("#incident-map canvas.leaflet-heatmap-layer").count() == 0
    page.uncheck("#l-choropleth")
    assert page.locator("#incident-map .leaflet-choropleth-pane path").count() == 0
    assert page.errors == []


@pytest.mark.browser
def test_url_state_restores_after_reload(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 6)
    zoom_before = page.evaluate(on_map("h.map.getZoom()"))
    page.select_option("#f-gov", "SY11")
    wait_count(page, 3)
    # The region's own zoom must finish first, or its animation's end would move the map again.
    page.wait_for_function(on_map(f"h.map.getZoom() > {zoom_before} && !h.map._animatingZoom"))
    page.select_option("#f-type", "battles")
    wait_count(page, 1)
    page.check("#l-heat")
    page.evaluate(on_map("h.map.setView([35.8, 38.9], 9, {animate: false}) && null"))
    page.wait_for_function("location.search.includes('map=9/35.8')")
    before = query(page)
    page.reload()
    wait_count(page, 1)
    assert query(page) == before
    assert page.locator("#f-gov").input_value() == "SY11"
    assert page.locator("#f-type").input_value() == "battles"
    assert page.locator("#l-heat").is_checked()
    view = page.evaluate(on_map("[h.map.getZoom(), h.map.getCenter().lat, h.map.getCenter().lng]"))
    assert view[0] == 9 and abs(view[1] - 35.8) < 1e-3 and abs(view[2] - 38.9) < 1e-3
    # Back undoes one step at a time: first the heatmap, then the event type.
    page.go_back()
    page.wait_for_function("!location.search.includes('heat')")
    assert not page.locator("#l-heat").is_checked()
    page.go_back()
    page.wait_for_function("!location.search.includes('event_type')")
    wait_count(page, 3)
    assert page.locator("#f-type").input_value() == ""
    assert page.errors == []


@pytest.mark.browser
def test_malformed_url_state_is_ignored_with_a_notice(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(
        f"{live_server.url}/map/?start=2024-02-30&region=SY99&bbox=200,0,1,1&map=zoom&precision=7&layers=x"
    )
    wait_count(page, 6)
    notices = page.locator(".map-notice").all_inner_texts()
    for param in ("start", "SY99", "bbox", "map", "precision", "layers"):
        assert any(param in n for n in notices), (param, notices)
    assert set(query(page)) <= {"map"}
    assert page.errors == []


@pytest.mark.browser
def test_arabic_interface_is_right_to_left_with_arabic_names_and_months(live_server, incidents, browser_page):
    page = browser_page(lang="ar")
    page.goto(f"{live_server.url}/map/?sel={incidents['ghuwayran']}")
    wait_count(page, 6)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator(".map-filters h1").inner_text() == "الحوادث"
    # The filters sit on the right in RTL, the list on the left.
    filters = page.locator(".map-filters").bounding_box()
    side = page.locator(".map-side").bounding_box()
    assert filters["x"] > side["x"]
    option = page.locator("#f-gov option[value='SY08']").inner_text()
    assert option.startswith("الحسكة")
    page.wait_for_selector("#detail:not([hidden]) .detail__facts")
    facts = page.locator("#detail .detail__facts").inner_text()
    assert "1 آب/أغسطس 2024" in facts
    mark = page.locator("#detail .detail__excerpt mark")
    assert mark.inner_text() == "Ghuwayran"
    assert page.locator("#map-status").inner_text() == "6 أحداث"
    assert page.errors == []


@pytest.mark.browser
def test_popup_and_detail_show_article_text_escaped(live_server, incidents, browser_page):
    page = browser_page()
    page.goto(f"{live_server.url}/map/")
    wait_count(page, 6)
    page.locator(f".incident-item[data-id='{incidents['xss']}']").click()
    popup = page.locator(".leaflet-popup-content .incident-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert XSS_TITLE in text and "<script>window.__xss=2</script>" in text
    assert popup.locator("img, script").count() == 0
    assert page.locator("#detail-body img, #detail-body script").count() == 0
    assert re.search(r"Raid report", page.locator("#detail .detail__title").inner_text())
    assert page.evaluate("window.__xss") is None
    # A precision-3 incident shows its uncertainty, not a bare pin.
    page.wait_for_selector("#incident-map path.uncertainty")
    assert query(page)["sel"] == str(incidents["xss"])
    assert page.errors == []
