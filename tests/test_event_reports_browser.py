"""An event's reports on the map in Debian's Chromium: the detail panel lists both reports of one event (an
Arabic and an English article) as links to their incident pages, the Count select counts events or reports,
and the Arabic page's report line is right to left. Screenshots go to --screenshots (docs/screenshots)."""

from __future__ import annotations

import pytest
from event_browser_data import EventPair, make_event_pair
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def pair(transactional_db, small_gazetteer) -> EventPair:
    """The event and its two reports, made before the browser starts (Playwright's loop forbids the ORM)."""
    return make_event_pair()


@pytest.fixture
def open_map(live_server):
    """Yield a function opening /map/ in a language (1280x800); console errors are kept in page.errors."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def open_page(lang: str = "en", query: str = ""):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            page = context.new_page()
            page.errors = []
            page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.goto(f"{live_server.url}/map/{query}")
            return page

        yield open_page
        browser.close()


def wait_count(page, expected: int) -> None:
    page.wait_for_function(
        "n => document.body.dataset.ready === '1' && document.getElementById('incident-count').dataset.count === n",
        arg=str(expected),
        timeout=15000,
    )


def list_ids(page, expected: int) -> list[int]:
    """The ids the list beside the map shows, once it shows `expected` of them."""
    page.wait_for_function(
        "n => document.querySelectorAll('#incident-list .incident-item').length === n", arg=expected
    )
    return [
        int(i)
        for i in page.locator("#incident-list .incident-item").evaluate_all("b => b.map(x => x.dataset.id)")
    ]


def report_links(page) -> list[tuple[str, str]]:
    """The detail panel's report links: (text, href)."""
    links = page.locator("#detail .detail__reports a.detail__report")
    return [(a.inner_text(), a.get_attribute("href")) for a in links.all()]


@pytest.mark.browser
def test_the_detail_panel_lists_both_reports_and_the_count_follows_the_unit(
    pair, open_map, screenshots, live_server
):
    page = open_map()
    wait_count(page, 1)  # events, the default
    assert page.locator("#f-unit").input_value() == ""
    (lead,) = list_ids(page, 1)
    assert lead in (pair.arabic, pair.english)
    page.locator(f".incident-item[data-id='{lead}']").click()
    line = page.locator("#detail .detail__reports")
    line.wait_for()
    assert line.get_attribute("data-event") == str(pair.event)
    assert line.locator("strong").inner_text() == "2 reports:"
    assert sorted(report_links(page)) == [
        ("Hawar News (en)", f"{live_server.url}/incidents/{pair.english}/"),
        ("SY24 (ar)", f"{live_server.url}/incidents/{pair.arabic}/"),
    ]  # the API's links are absolute
    assert page.locator("#detail a.detail__report[aria-current]").get_attribute("href") == (
        f"{live_server.url}/incidents/{lead}/"
    )
    page.locator("#detail").screenshot(path=str(screenshots / "event-reports-en.png"))
    # Counting reports, both articles' incidents are on the map and in the list; back on events, one.
    page.select_option("#f-unit", "report")
    wait_count(page, 2)
    assert "unit=report" in page.url
    assert sorted(list_ids(page, 2)) == sorted([pair.arabic, pair.english])
    page.select_option("#f-unit", "")
    wait_count(page, 1)
    assert list_ids(page, 1) == [lead]
    # A report's link opens its incident page.
    page.locator(f"#detail a.detail__report[href$='/incidents/{pair.arabic}/']").click()
    page.wait_for_url(f"**/incidents/{pair.arabic}/")
    assert page.errors == []


@pytest.mark.browser
def test_the_arabic_report_line_is_right_to_left(pair, open_map, screenshots):
    page = open_map("ar", f"?sel={pair.arabic}")
    wait_count(page, 1)
    line = page.locator("#detail .detail__reports")
    line.wait_for()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert line.evaluate("p => getComputedStyle(p).direction") == "rtl"
    assert line.locator("strong").inner_text() == "التقارير (2):"
    assert "، " in line.inner_text()  # the Arabic comma between the reports
    assert sorted(t for t, _ in report_links(page)) == ["Hawar News (en)", "SY24 (ar)"]
    # Right to left: the line's words start at its right edge.
    box, words = line.bounding_box(), line.locator("strong").bounding_box()
    assert words["x"] + words["width"] > box["x"] + box["width"] - 20
    page.locator("#detail").screenshot(path=str(screenshots / "event-reports-ar.png"))
    assert page.errors == []
