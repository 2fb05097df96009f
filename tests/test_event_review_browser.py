"""The review page's Event section in Debian's Chromium: a reviewer sees both reports of the incident's event,
unlinks the other one (the database then holds two events), takes the event's location from a report and
merges another event in; a coder sees the reports without the buttons. Screenshot: --screenshots."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from event_browser_data import EventPair, make_event_pair
from incident_factory import make_article, make_incident, user_with_role
from review_flow import Browser, ready, shown

from conflictmap.incidents.models import Event, Incident, LinkedBy


@pytest.fixture
def pair(transactional_db, small_gazetteer) -> EventPair:
    """The event and its two reports, made before the browser starts (Playwright's loop forbids the ORM)."""
    return make_event_pair()


@pytest.fixture
def raqqa_event(pair) -> int:
    """Another event: a report from Raqqa (after the pair: the queue lists the Arabic report first)."""
    article = make_article("Strike in Raqqa", "A drone struck a car in Raqqa.", source="Enab Baladi")
    report = make_incident("t:C5710", article, date=datetime.date(2024, 8, 1), confidence=0.9)
    return Event.objects.link(report).pk


@pytest.fixture
def sessions(transactional_db) -> dict[str, str]:
    """Session cookies of a reviewer and a coder (force_login), made before the browser starts."""
    out = {}
    for role in ("reviewer", "coder"):
        client = Client()
        client.force_login(user_with_role(role, role))
        out[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


@pytest.fixture
def browser(live_server):
    b = Browser(live_server.url)
    yield b
    b.stop()


def reports(page) -> list[int]:
    return [
        int(i)
        for i in page.locator("#r-event-reports .event-report").evaluate_all(
            "l => l.map(x => x.dataset.report)"
        )
    ]


def click(page, selector: str) -> None:
    page.click(selector)
    ready(page)


@pytest.mark.browser
def test_a_reviewer_unlinks_the_other_report(pair, sessions, browser, screenshots):
    page = browser.open(session=sessions["reviewer"])
    shown(page, pair.arabic)
    assert page.inner_text("#r-event-title") == f"Event #{pair.event} — 2 reports"
    assert reports(page) == [pair.arabic, pair.english]
    own = page.locator(f".event-report[data-report='{pair.arabic}']")
    other = page.locator(f".event-report[data-report='{pair.english}']")
    assert own.locator(".event-report__own").text_content() == "this incident"
    assert own.locator("[data-action=event-unlink]").count() == 0
    assert own.locator("a").get_attribute("href").endswith(f"/incidents/{pair.arabic}/")
    assert other.locator("a").inner_text() == "Hawar News (en)"
    assert "linked by machine, score 0.93" in other.inner_text()
    page.locator("#r-event").screenshot(path=str(screenshots / "review-event-en.png"))
    click(page, f".event-report[data-report='{pair.english}'] [data-action=event-unlink]")
    assert page.inner_text("#r-event-title") == f"Event #{pair.event} — 1 report"
    assert reports(page) == [pair.arabic]
    assert f"Report #{pair.english} was unlinked" in page.inner_text("#review-messages")
    assert page.errors == []
    browser.stop()
    live = Event.objects.live()
    assert live.count() == 2
    assert {e.pk: e.report_count for e in live}.get(pair.event) == 1
    moved = Incident.objects.get(pk=pair.english)
    assert moved.event_id != pair.event and moved.linked_by == LinkedBy.REVIEWER


@pytest.mark.browser
def test_a_reviewer_moves_the_location_and_merges_another_event(pair, raqqa_event, sessions, browser):
    page = browser.open(session=sessions["reviewer"])
    shown(page, pair.arabic)
    lead = page.locator(".event-report.is-lead")
    assert lead.get_attribute("data-report") == str(pair.english)
    assert lead.locator(".event-report__lead").text_content() == "the event's location"
    click(page, f".event-report[data-report='{pair.arabic}'] [data-action=event-lead]")
    assert page.locator(".event-report.is-lead").get_attribute("data-report") == str(pair.arabic)
    # A number that is no event is refused next to the box; the Raqqa event is merged in.
    click(page, "[data-action=event-merge]")
    assert "Give the number of the event" in page.inner_text("#r-event")
    page.fill("#r-event-merge-id", "9999")
    click(page, "[data-action=event-merge]")
    assert page.inner_text("#r-event [data-error-for=other]") != ""
    assert page.get_attribute("#r-event-merge-id", "aria-invalid") == "true"
    page.fill("#r-event-merge-id", str(raqqa_event))
    click(page, "[data-action=event-merge]")
    assert page.inner_text("#r-event-title") == f"Event #{pair.event} — 3 reports"
    assert f"Event #{raqqa_event} was merged into event #{pair.event}." in page.inner_text("#review-messages")
    assert page.errors == []
    browser.stop()
    event = Event.objects.get(pk=pair.event)
    assert (event.lead_id, event.lead_by_reviewer, event.report_count) == (pair.arabic, True, 3)
    assert Event.objects.get(pk=raqqa_event).moved_to_id == pair.event


@pytest.mark.browser
def test_a_coder_sees_the_reports_without_the_buttons_and_the_arabic_section_is_right_to_left(
    pair, sessions, browser
):
    page = browser.open(lang="ar", session=sessions["coder"])
    shown(page, pair.arabic)
    assert page.inner_text("#r-event-title") == f"الحدث رقم {pair.event} — عدد التقارير: 2"
    assert page.locator("#r-event").evaluate("s => getComputedStyle(s).direction") == "rtl"
    assert page.locator("#r-event [data-action], #r-event-merge-id").count() == 0
    assert (
        page.locator(f".event-report[data-report='{pair.arabic}'] .event-report__own").text_content()
        == "هذه الحادثة"
    )
    assert page.errors == []
