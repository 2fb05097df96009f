"""The review queue in Debian's Chromium: the keyboard (with each action's time and requests), a candidate
picked with a key teaching the next article, corrections by search and by a click on the map, a split and a
merge, two reviewers editing one incident, and the Arabic page with HTML shown as text."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.gis.geos import Point
from django.db import connections
from review_data import PASSWORD, QUEUE_ORDER, RAID_AR, XSS_SUMMARY, make_queue, make_user
from review_flow import (
    Browser,
    click_map,
    open_queue,
    press,
    queue_ids,
    ready,
    report,
    shown,
    timings,
)

from conflictmap.accounts.roles import Role
from conflictmap.articles.ingest import clean_body, store
from conflictmap.articles.models import Article
from conflictmap.incidents.geocoding import run_geocode
from conflictmap.incidents.models import Incident, Mention, Review
from gazetteer.models import NameOrigin, Place, PlaceName


@pytest.fixture
def queue(transactional_db, small_gazetteer):
    """The queue of review_data, made before the browser starts (Playwright's loop forbids the ORM later)."""
    return make_queue(password=PASSWORD)


@pytest.fixture
def browser(live_server):
    b = Browser(live_server.url, PASSWORD)
    yield b
    b.stop()


@pytest.mark.browser
def test_the_queue_with_the_keyboard(live_server, queue, browser):
    ids = [queue.incidents[k] for k in QUEUE_ORDER]
    page = browser.open(queue.users["reviewer"])
    open_queue(page, f"{live_server.url}/review/")
    shown(page, ids[0])
    assert queue_ids(page) == ids
    assert page.inner_text("#queue-position") == "1 / 4"
    assert page.locator("#queue-list .queue-item.is-current").get_attribute("data-id") == str(ids[0])
    # j/k and the arrows walk the queue; the next incident's detail is already there (prefetched).
    assert press(page, "j", ids[1]) == 1
    assert page.inner_text("#queue-position") == "2 / 4"
    assert press(page, "k", ids[0]) == 0
    press(page, "ArrowDown", ids[1])
    press(page, "ArrowUp", ids[0])
    # c confirms and moves on by itself; x rejects and moves on.
    assert press(page, "c", ids[1]) == 1  # the POST; the incident after the next is prefetched already
    assert "confirmed" in page.inner_text(f'#queue-list [data-id="{ids[0]}"]')
    assert press(page, "x", ids[2]) == 2  # the POST, and the prefetch of the incident after the next
    assert "rejected" in page.inner_text(f'#queue-list [data-id="{ids[1]}"]')
    # Keys typed in a field are text; Escape leaves the field; unsaved edits hold the next move once.
    press(page, "e")
    assert page.evaluate("document.activeElement.id") == "f-date"
    page.click("#f-summary")
    page.keyboard.type("jk c")
    assert "jk c" in page.input_value("#f-summary")
    assert page.evaluate("document.body.dataset.shown") == str(ids[2])
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement === document.body")
    press(page, "j")
    assert page.evaluate("document.body.dataset.shown") == str(ids[2])
    assert "unsaved changes" in page.inner_text("#review-messages")
    press(page, "j", ids[3])
    # m/M walk the mentions; ? shows the shortcuts, Escape closes them.
    press(page, "k", ids[2])
    page.keyboard.press("?")
    assert page.locator("#review-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#review-help").is_visible()
    press(page, "k", ids[1])
    press(page, "k", ids[0])
    first = page.get_attribute("#r-mentions .mention-card.is-selected", "data-mention")
    press(page, "m")
    assert page.get_attribute("#r-mentions .mention-card.is-selected", "data-mention") != first
    assert page.get_attribute("#r-excerpt mark.is-selected", "data-mention") != first
    press(page, "M")
    assert page.get_attribute("#r-mentions .mention-card.is-selected", "data-mention") == first

    rows = timings(page)
    print("\nReview queue, keyboard, small gazetteer (ms from the key to the result shown; API requests):")
    print(report(rows))
    per = {r["action"]: r for r in rows}
    assert per["next"]["requests"] <= 1 and per["confirm"]["requests"] <= 2
    assert page.errors == []
    assert [u for u in page.api if not u.startswith(live_server.url) and not u.startswith("data:")] == []
    browser.stop()
    states = dict(Incident.objects.filter(pk__in=ids).values_list("pk", "review"))
    assert [states[pk] for pk in ids] == [Review.CONFIRMED, Review.REJECTED, Review.MACHINE, Review.MACHINE]


def village(uid: str, lat: float, lon: float, admin1: str, importance: float) -> Place:
    place = Place.objects.create(
        uid=uid, kind="community", name_en="Al-Malikiyah", name_ar="المالكية", pcode=uid.split(":")[1],
        point=Point(lon, lat), admin1_pcode=admin1, importance=importance, source="test",
    )  # fmt: skip
    for name, lang in ((place.name_en, "en"), (place.name_ar, "ar")):
        PlaceName.objects.create(place=place, name=name, lang=lang, origin=NameOrigin.OFFICIAL)
    return place


def geocode(body: str, source: str) -> Article:
    article = store(
        clean_body(body), published=datetime.date(2024, 8, 20), source=source, queue=False
    ).article
    assert run_geocode(article.pk) == "done"
    return article


def in_a_thread(fn):
    """Run fn in another thread and return its result: the ORM is off limits on Playwright's loop."""
    out = {}

    def work():
        try:
            out["value"] = fn()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    return out["value"]


@pytest.mark.browser
def test_a_candidate_picked_with_a_key_resolves_the_next_article(
    live_server, transactional_db, small_gazetteer, browser
):
    north = village("t:M1", 37.17, 42.14, "SY08", 0.3)
    west = village("t:M2", 35.0, 36.0, "SY05", 0.7)
    wrong = geocode("Shelling hit al-Malikiyah on Monday.", source="Teach")
    incident = wrong.incidents.get()
    assert incident.place == west and [c["id"] for c in wrong.mentions.get().candidates] == [
        west.pk,
        north.pk,
    ]
    coder = make_user("coder", Role.CODER, PASSWORD)
    page = browser.open(coder)
    open_queue(page, f"{live_server.url}/review/?source=Teach")
    shown(page, incident.pk)
    candidates = page.locator("#r-mentions .mention-card.is-selected .candidate")
    assert candidates.count() == 2 and "chosen" in candidates.nth(0).inner_text()
    assert "km away" in candidates.nth(1).inner_text()
    assert page.locator("#review-map .candidate-pin").count() == 2
    assert press(page, "2") == 1
    assert f"Incident #{incident.pk} corrected." in page.inner_text("#review-messages")
    assert "chosen" in page.locator("#r-mentions .mention-card.is-selected .candidate").nth(1).inner_text()

    second = in_a_thread(lambda: geocode("Clashes broke out in al-Malikiyah overnight.", source="Teach"))
    page.reload()
    ready(page)
    resolved = in_a_thread(lambda: list(second.incidents.values_list("pk", "place_id")))
    assert [place for _, place in resolved] == [north.pk]
    # The new article's incident is in the queue, at the place the reviewer chose.
    assert resolved[0][0] in queue_ids(page)
    assert page.errors == []
    browser.stop()
    assert PlaceName.objects.filter(place=north, origin=NameOrigin.ANALYST, added_by=coder).exists()
    assert Mention.objects.get(article=second).place == north


@pytest.mark.browser
def test_corrections_by_search_and_by_a_click_on_the_map(live_server, queue, browser):
    raid = queue.incidents["raid"]
    page = browser.open(queue.users["coder"])
    open_queue(page, f"{live_server.url}/review/")
    shown(page, raid)
    # Coders do not see the reviewers' actions, and c says so.
    assert page.locator('[data-action="confirm"]').count() == 0 and page.locator("#r-merge").count() == 0
    press(page, "c")
    assert "Only reviewers" in page.inner_text("#review-messages")
    # / searches the gazetteer; a result moves the incident there (and teaches the selected own mention).
    press(page, "/")
    assert page.evaluate("document.activeElement.id") == "r-search"
    page.keyboard.type("Nashwa")
    page.keyboard.press("Enter")
    ready(page)
    first = page.locator("#r-search-results .search-result").first
    assert "Al-Nashwa" in first.inner_text()
    first.locator('[data-action="use-place"]').click()
    ready(page)
    assert "Al-Nashwa" in page.inner_text("#queue-list .is-current")
    # A click on the map outside every governorate: the error shows beside the form, nothing is made.
    click_map(page, 34.0, 44.0, 7)
    assert page.locator("#r-point-form").is_visible()
    page.fill("#r-point-form [name=name]", "Out of range")
    page.click("#r-point-form [type=submit]")
    ready(page)
    assert "outside every governorate" in page.inner_text('#r-point-form [data-error-for="point"]')
    # Inside al-Hasakah: an analyst place with its note; HTML in the name stays text.
    click_map(page, 36.45, 40.7, 11)
    page.fill("#r-point-form [name=name]", "<b>Checkpoint</b>")
    page.fill("#r-point-form [name=note]", "seen on a video")
    page.click("#r-point-form [type=submit]")
    ready(page)
    assert page.locator("#r-point-form").is_hidden()
    assert page.inner_text("#queue-list .is-current .queue-item__place") == "<b>Checkpoint</b>"
    assert page.locator("#queue-list b").count() == 0
    assert page.errors == []
    browser.stop()
    place = Place.objects.get(source="analyst")
    assert (place.name_en, place.note, place.admin1_pcode) == ("<b>Checkpoint</b>", "seen on a video", "SY08")
    assert Incident.objects.get(pk=raid).place == place


@pytest.mark.browser
def test_a_split_and_a_merge(live_server, queue, browser):
    raid, city = queue.incidents["raid"], queue.incidents["city"]
    page = browser.open(queue.users["reviewer"])
    open_queue(page, f"{live_server.url}/review/")
    shown(page, raid)
    assert page.is_disabled("#r-split")
    page.check(f'#r-mentions input[data-split="{queue.mentions["al-Nashwa"]}"]')
    assert page.is_enabled("#r-split")
    page.click("#r-split")
    ready(page)
    message = page.inner_text("#review-messages")
    assert "Split: the ticked mentions are now incident #" in message
    ids = queue_ids(page)
    assert len(ids) == 5 and ids[0] == raid and ids[1] not in queue.incidents.values()
    own = page.locator("#r-mentions .mention-card.is-own .mention-card__text").all_inner_texts()
    assert own == ["Ghweiran"]
    siblings = page.locator("#r-siblings button").all_inner_texts()
    assert len(siblings) == 2 and siblings[0].startswith(f"#{city} ")
    # Merge the article's other incident into this one: picked from the article's list.
    page.click(f'#r-siblings [data-id="{city}"]')
    assert page.input_value("#r-merge-id") == str(city)
    page.click('[data-action="merge"]')
    ready(page)
    assert f"Incident #{city} was merged into this one." in page.inner_text("#review-messages")
    assert page.locator(f'#r-siblings [data-id="{city}"]').count() == 0
    assert "merged" in page.inner_text(f'#queue-list [data-id="{city}"]')
    assert "Hasakah" in page.locator("#r-mentions .mention-card.is-own .mention-card__text").all_inner_texts()
    # The split-off incident is next in the queue, with its own mention.
    press(page, "j", ids[1])
    own = page.locator("#r-mentions .mention-card.is-own .mention-card__text").all_inner_texts()
    assert own == ["al-Nashwa"]
    assert page.errors == []
    browser.stop()
    merged = Incident.objects.get(pk=city)
    assert merged.archived_at is not None and merged.moved_to_id == raid
    new = Incident.objects.get(pk=ids[1])
    assert list(new.mentions.values_list("text", flat=True)) == ["al-Nashwa"]
    assert new.history.latest("history_date").history_change_reason == f"split from #{raid}"


@pytest.mark.browser
def test_two_reviewers_editing_one_incident_lose_nothing(live_server, queue, browser):
    raid = queue.incidents["raid"]
    first, second = queue.users["reviewer"], queue.users["reviewer2"]
    a, b = browser.open(first), browser.open(second)
    for page in (a, b):
        open_queue(page, f"{live_server.url}/review/")
        shown(page, raid)
    a.fill("#f-fatalities", "5")
    a.press("#f-fatalities", "Enter")
    ready(a)
    assert f"Incident #{raid} corrected." in a.inner_text("#review-messages")
    b.fill("#f-summary", "Seen from the river")
    b.click("#r-form [type=submit]")
    ready(b)
    conflict = b.locator("#review-conflict")
    assert conflict.is_visible()
    text = conflict.inner_text()
    assert "Someone else changed this incident" in text and "reviewer, " in text
    assert "Fatalities: (empty) → 5" in text
    assert b.input_value("#f-summary") == "Seen from the river"  # nothing of theirs is lost
    assert b.input_value("#f-fatalities") == ""
    b.click("#conflict-retry")
    ready(b)
    assert conflict.is_hidden()
    assert f"Incident #{raid} corrected." in b.inner_text("#review-messages")
    assert b.input_value("#f-fatalities") == "5" and b.input_value("#f-summary") == "Seen from the river"
    # The first reviewer, still on version 2, changes the date: they see the summary change, take it.
    a.fill("#f-date", "2024-03-04")
    a.press("#f-date", "Enter")
    ready(a)
    assert "Summary: (empty) → Seen from the river" in a.inner_text("#review-conflict")
    a.click("#conflict-load")
    ready(a)
    assert a.input_value("#f-summary") == "Seen from the river" and a.input_value("#f-date") == "2024-03-03"
    assert a.errors == [] and b.errors == []
    browser.stop()
    saved = Incident.objects.get(pk=raid)
    assert (saved.fatalities, saved.summary, saved.version, str(saved.date)) == (
        5,
        "Seen from the river",
        3,
        "2024-03-03",
    )


@pytest.mark.browser
def test_the_arabic_queue_is_right_to_left_and_shows_html_as_text(live_server, queue, browser):
    page = browser.open(queue.users["coder"], lang="ar")
    open_queue(page, f"{live_server.url}/review/")
    shown(page, queue.incidents["raid"])
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.inner_text("h1") == "قائمة المراجعة"
    assert page.inner_text("#queue-list .is-current .queue-item__place") == "غويران"
    press(page, "j", queue.incidents["raqqa"])
    excerpt = page.locator("#r-excerpt")
    assert excerpt.get_attribute("dir") == "rtl" and excerpt.inner_text() == RAID_AR
    assert page.inner_text("#r-excerpt mark.mention--own") == "الرقة"
    # A date out of range: the server's message, in Arabic, next to the field; nothing saved.
    page.fill("#f-date", "0224-03-01")
    page.press("#f-date", "Enter")
    ready(page)
    assert page.inner_text('#r-form [data-error-for="date"]') == "يجب أن يقع التاريخ بين عام 1900 واليوم."
    assert page.get_attribute("#f-date", "aria-invalid") == "true"
    page.fill("#f-date", "2024-03-03")
    page.keyboard.press("Escape")
    press(page, "j", queue.incidents["html"])
    assert page.input_value("#f-summary") == XSS_SUMMARY
    assert page.evaluate("window.__xss") is None
    assert page.locator("#review-main img").count() == 0 and page.locator("#review-main b").count() == 0
    assert page.errors == []
    browser.stop()
    assert Incident.objects.get(pk=queue.incidents["raqqa"]).version == 1
