"""Our counts beside ACLED's per admin unit and month: GET /api/v1/acled/compare (JSON and CSV) and the page
/acled/compare linked from the map, for the map's filters, counting events or reports as `unit` says."""

from __future__ import annotations

import csv
import datetime
import io
from urllib.parse import parse_qs, urlparse

import pytest
from acled_data import import_sample
from event_browser_data import make_event_pair
from incident_factory import make_incident
from map_browser import open_map

URL = "/api/v1/acled/compare"


def make_ours() -> None:
    """One event of two reports at Ghuwayran (Aug 2024), a battle in Raqqa (Sep) and one at al-Nashwa (Oct)."""
    make_event_pair()
    make_incident("t:C5710", date=datetime.date(2024, 9, 10))
    make_incident("t:CUR2", date=datetime.date(2024, 10, 5))


@pytest.fixture
def both(small_gazetteer):
    import_sample()
    make_ours()


def table(client, query: str) -> dict[tuple[str, str], tuple[int, int, int]]:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return {
        (r["pcode"], r["month"]): (r["ours"], r["acled"], r["difference"]) for r in response.json()["rows"]
    }


GOVERNORATES = {
    ("SY08", "2024-08"): (1, 3, -2),
    ("SY08", "2024-09"): (0, 1, -1),
    ("SY08", "2024-10"): (1, 0, 1),
    ("SY11", "2024-09"): (1, 1, 0),
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", GOVERNORATES),
        ("?level=governorate", GOVERNORATES),
        ("?unit=report", {**GOVERNORATES, ("SY08", "2024-08"): (2, 3, -1)}),
        ("?region=SY11", {("SY11", "2024-09"): (1, 1, 0)}),
        (
            "?start=2024-09-01&end=2024-09-30",
            {("SY08", "2024-09"): (0, 1, -1), ("SY11", "2024-09"): (1, 1, 0)},
        ),
        ("?event_type=explosions_remote_violence", {("SY08", "2024-08"): (1, 1, 0)}),
        # An actor filters ours alone: ACLED's rows stay, and a month only we had goes.
        ("?actor=nobody", {k: (0, a, -a) for k, (_, a, _d) in GOVERNORATES.items() if a}),
        (
            "?level=district",
            {
                ("SY0800", "2024-08"): (1, 3, -2),
                ("SY0800", "2024-10"): (1, 0, 1),
                ("SY1101", "2024-09"): (1, 0, 1),
            },
        ),
        (
            "?level=subdistrict&region=SY0800",
            {("SY080000", "2024-08"): (1, 3, -2), ("SY080000", "2024-10"): (1, 0, 1)},
        ),
    ],
)
def test_counts_per_unit_and_month(client, both, query, expected):
    assert table(client, query) == expected


def test_totals_names_and_what_is_left_out(client, both):
    data = client.get(URL + "?level=district&event_type=battles").json()
    assert data["level"] == "district" and data["unit"] == "event"
    assert data["acled_filters"] == ["event_type"]
    assert data["totals"] == {"ours": 2, "acled": 1, "difference": 1}
    # ACLED's battle near Damascus lies outside the test gazetteer's outlines.
    assert data["unplaced"] == {"ours": 0, "acled": 1}
    hasakah = next(r for r in data["rows"] if r["pcode"] == "SY0800")
    assert (hasakah["name_en"], hasakah["name_ar"]) == ("Al-Hasakeh", "الحسكة")


@pytest.mark.parametrize(
    ("query", "parameter"), [("?level=2", "level"), ("?format=xml", "format"), ("?region=SY99", "region")]
)
def test_a_bad_parameter_gets_a_400_naming_it(client, both, query, parameter):
    response = client.get(URL + query)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_the_csv_variant_has_a_bom_and_the_arabic_names(client, both):
    response = client.get(URL + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == 'attachment; filename="conflictmap-acled-compare-governorate.csv"'
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffpcode,name_en,name_ar,month,ours,acled,difference\r\n")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == {
        "pcode": "SY08", "name_en": "Al-Hasakeh", "name_ar": "الحسكة", "month": "2024-08",
        "ours": "1", "acled": "3", "difference": "-2",
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_page_shows_both_counts_and_the_difference(client, both, lang):
    client.cookies["django_language"] = lang
    response = client.get("/acled/compare?level=governorate&region=SY08")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr data-pcode="SY08"') == 3
    assert 'data-ours="2" data-acled="4"' in html
    assert '<bdi lang="ar" dir="rtl" class="name-ar">الحسكة</bdi>' in html
    assert ("أحداث ACLED" in html) == (lang == "ar")
    assert "/map/?region=SY08" in html  # back to the map with the same filters, without the level


def test_the_page_names_a_bad_parameter(client, both):
    response = client.get("/acled/compare?level=canton")
    assert response.status_code == 400
    assert "level:" in response.content.decode()


@pytest.fixture
def live_rows(transactional_db, small_gazetteer):
    """Both sides made before the browser starts (Playwright's loop makes the test async)."""
    import_sample()
    make_ours()


@pytest.mark.browser
def test_the_maps_link_opens_the_comparison_of_its_filters(live_rows, browser, live_server, screenshots):
    page = open_map(browser, live_server, "ar", "?region=SY08&layers=clusters,choropleth&level=2")
    link = page.locator("#l-acled-compare")
    params = parse_qs(urlparse(link.get_attribute("href")).query)
    assert params == {"region": ["SY08"], "level": ["district"]}
    page.locator("#l-level").select_option("3")
    assert parse_qs(urlparse(link.get_attribute("href")).query)["level"] == ["subdistrict"]
    link.click()
    page.wait_for_selector("#compare-table")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    name = page.locator("tr[data-pcode='SY080000'] .name-ar").first
    assert name.inner_text() == "مركز الحسكة"
    assert name.evaluate("n => getComputedStyle(n).direction") == "rtl"
    cells = page.locator("tr[data-pcode='SY080000'][data-month='2024-08'] td.num").all_inner_texts()
    assert cells == ["1", "3", "-2"]
    difference = page.locator("tr[data-pcode='SY080000'][data-month='2024-08'] td[data-col='difference']")
    assert difference.evaluate("n => getComputedStyle(n).direction") == "ltr"  # "-2", not "2-"
    assert page.errors == []
    page.screenshot(path=str(screenshots / "acled-compare-ar.png"), full_page=True)
