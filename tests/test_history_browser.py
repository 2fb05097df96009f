"""An incident's history and the changes feed in Debian's Chromium: a reviewer reverts an incident corrected
twice to its first version, then finds the created, corrected and reverted changes on /changes/ and filters
them by kind; the Arabic pages are right to left. Screenshots go to --screenshots (docs/screenshots)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from incident_factory import add_mention, make_incident, user_with_role
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def corrected_twice(transactional_db, small_gazetteer) -> dict:
    """An incident the pipeline made and a coder corrected twice, and a reviewer's session cookie; all made
    before the browser starts (Playwright's loop forbids the ORM later)."""
    since = timezone.now() - datetime.timedelta(minutes=5)
    coder, reviewer = user_with_role("omar", "coder"), user_with_role("huda", "reviewer")
    incident = make_incident(summary="اشتباكات بين قسد وخلايا داعش قرب غويران", fatalities=2)
    add_mention(incident, "t:CUR2")
    incident = incident.correct(
        coder, incident.version, {"fatalities": 5, "summary": "Clashes near Ghuwayran"}
    )
    incident.correct(coder, incident.version, {"fatalities": 9, "event_type": "explosions_remote_violence"})
    client = Client()
    client.force_login(reviewer)  # the login page is another branch's; the session is the same
    return {
        "id": incident.pk,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "since": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@pytest.fixture
def browser_page(live_server):
    """Yield a function opening a page (as the reviewer if given the session, in a language); console errors
    and off-site requests are collected."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def open_page(session: str = "", lang: str = "en"):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            cookies = [{"name": "django_language", "value": lang, "url": live_server.url}]
            if session:
                cookies.append(
                    {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
                )
            context.add_cookies(cookies)
            page = context.new_page()
            page.errors, page.requests = [], []
            page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.on("request", lambda req: page.requests.append(req.url))
            return page

        yield open_page
        browser.close()


def offsite(page, live_server) -> list[str]:
    return [u for u in page.requests if not u.startswith(live_server.url) and not u.startswith("data:")]


def map_drawn(page) -> None:
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=15000)
    page.wait_for_function("document.querySelectorAll('#incident-map .leaflet-admin-pane path').length >= 1")
    page.wait_for_function(
        "document.querySelectorAll('#incident-map .leaflet-countries-pane path').length >= 1"
    )


@pytest.mark.browser
def test_a_reviewer_reverts_to_the_first_version_and_finds_it_in_the_changes(
    live_server, corrected_twice, browser_page, screenshots
):
    page = browser_page(session=corrected_twice["session"])
    page.goto(f"{live_server.url}/incidents/{corrected_twice['id']}/")
    map_drawn(page)
    assert page.locator("#incident-map path.incident-marker").count() == 1
    rows = page.locator("tr.history-row")
    assert [rows.nth(i).get_attribute("data-version") for i in range(3)] == ["3", "2", "1"]
    assert page.locator("tr.history-row").nth(2).locator(".history-row__who").inner_text() == "pipeline"
    assert page.locator(".fact-fatalities").inner_text() == "9"

    page.locator('tr.history-row[data-version="1"] button', has_text="Revert to this version").click()
    expect(page.locator("tr.history-row").first).to_have_attribute("data-kind", "reverted", timeout=10000)
    newest = page.locator("tr.history-row").first
    assert newest.get_attribute("data-version") == "4"
    assert "reverted to version 1" in newest.inner_text() and "huda" in newest.inner_text()
    assert "fatalities: 9 → 2" in newest.locator(".history-row__fields").inner_text()
    assert page.locator(".fact-fatalities").inner_text() == "2"
    assert page.locator(".fact-type").inner_text().startswith("Battles")
    assert page.locator(".fact-summary").inner_text() == "اشتباكات بين قسد وخلايا داعش قرب غويران"
    assert page.locator("tr.history-row").count() == 4
    map_drawn(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots / "history-en.png"))

    page.goto(f"{live_server.url}/changes/?since={corrected_twice['since']}")
    kinds = page.locator("tr.change-row").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds == ["reverted", "corrected", "corrected", "created"]
    assert page.locator("#changes-since").input_value() == corrected_twice["since"]
    page.select_option("#changes-kind", "corrected")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**kind=corrected**")
    assert page.locator("tr.change-row").evaluate_all("rows => rows.map(r => r.dataset.kind)") == [
        "corrected",
        "corrected",
    ]
    assert page.locator("#changes-count").get_attribute("data-count") == "2"
    page.locator("tr.change-row").first.get_by_role("link").click()
    page.wait_for_url(f"**/incidents/{corrected_twice['id']}/")
    assert page.errors == [] and offsite(page, live_server) == []


@pytest.mark.browser
def test_the_arabic_pages_are_right_to_left(live_server, corrected_twice, browser_page, screenshots):
    page = browser_page(session=corrected_twice["session"], lang="ar")
    page.goto(f"{live_server.url}/incidents/{corrected_twice['id']}/")
    map_drawn(page)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.history-table')).direction") == "rtl"
    assert page.locator("#history h2").inner_text() == "السجل"
    assert (
        page.locator("tr.history-row").nth(2).locator(".history-row__who").inner_text() == "المعالجة الآلية"
    )
    assert page.locator("tr.history-row button").first.inner_text() == "الرجوع إلى هذه النسخة"
    # In a right-to-left row the fields read before ← after: the arrow is mirrored.
    box = page.locator("tr.history-row").first.locator(".change-fields li").first
    before, after = (
        box.locator(c).bounding_box()["x"] for c in (".change-fields__before", ".change-fields__after")
    )
    assert after < before
    page.screenshot(path=str(screenshots / "history-ar.png"))
    page.goto(f"{live_server.url}/changes/?since={corrected_twice['since']}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("h1").inner_text() == "التغييرات"
    assert page.locator("tr.change-row").count() == 3
    assert page.errors == [] and offsite(page, live_server) == []
