"""The ACLED layer: GET /api/v1/acled/points under the map's region, dates, box and drawn area, and the map's
"ACLED events" toggle (only once ACLED rows exist), whose popup shows ACLED's fields, Arabic right to left."""

from __future__ import annotations

import json

import pytest
from acled_data import ARABIC_NOTES, IDS, import_sample
from map_browser import open_map

from conflictmap.acled.models import AcledEvent

URL = "/api/v1/acled/points"
HASAKAH_BOX = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [[[40.6, 36.4], [40.8, 36.4], [40.8, 36.6], [40.6, 36.6], [40.6, 36.4]]],
    }
)


@pytest.fixture
def imported(small_gazetteer):
    import_sample()


def ids(client, query: str = "") -> list[str]:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return sorted(f["id"] for f in response.json()["features"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", IDS),
        ("?region=SY08", ["SYR1001", "SYR1002", "SYR1004", "SYR1006"]),
        ("?region=SY0800", ["SYR1001", "SYR1002", "SYR1006"]),
        ("?region=sy080000", ["SYR1001", "SYR1002", "SYR1006"]),
        ("?region=SY11", ["SYR1003"]),
        ("?start=2024-09-01", ["SYR1003", "SYR1004", "SYR1005"]),
        ("?start=2024-08-21&end=2024-09-03", ["SYR1002", "SYR1003", "SYR1006"]),
        ("?bbox=40.0,36.0,41.5,37.1", ["SYR1001", "SYR1002", "SYR1004", "SYR1006"]),
        (f"?polygon={HASAKAH_BOX}", ["SYR1001", "SYR1002", "SYR1006"]),
        (f"?polygon={HASAKAH_BOX}&end=2024-08-21", ["SYR1001", "SYR1002"]),
    ],
)
def test_the_layer_takes_the_maps_where_and_when(client, imported, query, expected):
    assert ids(client, query) == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?region=SY99", "region"),
        ("?start=20 August 2024", "start"),
        ("?start=2024-09-01&end=2024-08-01", "end"),
        ("?bbox=1,2,3", "bbox"),
        ("?event_type=battles", "event_type"),  # our coding's filters are not ACLED's
    ],
)
def test_a_bad_parameter_gets_a_400_naming_it(client, imported, query, parameter):
    response = client.get(URL + query)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_each_feature_carries_what_the_popup_shows(client, imported):
    features = {f["id"]: f for f in client.get(URL).json()["features"]}
    raqqa = features["SYR1003"]
    assert raqqa["geometry"] == {"type": "Point", "coordinates": [39.0061, 35.9531]}
    p = raqqa["properties"]
    assert (p["event_id_cnty"], p["event_date"], p["event_type"], p["sub_event_type"]) == (
        "SYR1003", "2024-09-03", "Violence against civilians", "Attack"
    )  # fmt: skip
    assert (p["actor1"], p["actor2"], p["fatalities"], p["source"]) == (
        "Unidentified Armed Group (Syria)", "Civilians (Syria)", 1, "Enab Baladi"
    )  # fmt: skip
    assert p["notes"] == ARABIC_NOTES


def test_the_newest_come_first_and_a_cut_says_so(client, imported, monkeypatch):
    data = AcledEvent.objects.all().feature_collection(limit=2)
    assert [f["id"] for f in data["features"]] == ["SYR1004", "SYR1005"]
    assert (data["count"], data["truncated"]) == (6, True)
    assert client.get(URL).json()["truncated"] is False


@pytest.mark.parametrize(
    ("lang", "rows", "shown", "hidden"),
    [
        ("en", True, 'id="l-acled"', "no ACLED data imported"),
        ("en", False, "no ACLED data imported", 'id="l-acled"'),
        ("ar", True, "أحداث ACLED", "ACLED events"),
        ("ar", False, "لم تُستورد بيانات ACLED", 'id="l-acled"'),
    ],
)
def test_the_map_offers_the_toggle_only_with_acled_rows(client, small_gazetteer, lang, rows, shown, hidden):
    if rows:
        import_sample()
    client.cookies["django_language"] = lang
    html = client.get("/map/").content.decode()
    assert shown in html
    assert hidden not in html


@pytest.fixture
def live_rows(transactional_db, small_gazetteer):
    """The sample imported before the browser starts (Playwright's loop makes the test async)."""
    import_sample()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_toggle_draws_acleds_events_with_their_popup(live_rows, browser, live_server, lang, screenshots):
    page = open_map(browser, live_server, lang, "?region=SY11")
    page.locator("#l-acled").check()
    page.wait_for_function("() => document.getElementById('incident-map').dataset.acled === '1'")
    assert "layers=clusters,acled" in page.url
    # Open the one dot's popup: click where Leaflet draws it.
    point = page.evaluate(
        """async () => {
            const { handle } = await import('/static/incidents/map.js');
            const p = handle.map.latLngToContainerPoint([35.9531, 39.0061]);
            const box = document.getElementById('incident-map').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    popup = page.locator(".acled-popup")
    popup.wait_for()
    assert "SYR1003" in popup.inner_text()
    notes = popup.locator("dd", has_text="الدرعية")
    assert notes.inner_text() == ARABIC_NOTES
    assert notes.evaluate("n => getComputedStyle(n).direction") == "rtl"
    assert page.errors == []
    page.screenshot(path=str(screenshots / f"acled-layer-{lang}.png"))
    # The layer goes with the link: reloading it shows the layer again, and unchecking takes it off.
    page.reload()
    page.wait_for_function("() => document.getElementById('incident-map').dataset.acled === '1'")
    assert page.locator("#l-acled").is_checked()
    page.locator("#l-acled").uncheck()
    page.wait_for_function("() => document.getElementById('incident-map').dataset.acled === undefined")
    assert "acled" not in page.url
