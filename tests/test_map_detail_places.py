"""The map's detail panel and popup show what the pipeline found: the incident's label, its sub-event type
and every place it names (in the page's language, with its kind), in English and in Arabic."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import sync_playwright

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, IncidentPlace, Mention
from gazetteer.models import Place

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BODY = "Security forces arrested three men in Ghuwayran and Al-Nashwa on Monday."


@pytest.fixture
def raid(transactional_db, small_gazetteer) -> int:
    """One arrest raid naming two neighbourhoods; made before the browser starts (Playwright's loop forbids the ORM)."""
    article = Article.objects.create(
        body=BODY, lang="en", content_hash="a" * 64, title="Raid in Ghuwayran", source="Source", status="done"
    )
    incident = Incident.objects.create(
        article=article,
        date=datetime.date(2024, 8, 5),
        geo_precision=1,
        point=Point(40.760, 36.475, srid=4326),
        admin1_pcode="SY08",
        admin2_pcode="SY0800",
        admin3_pcode="SY080000",
        event_type="strategic_developments",
        sub_event_type="Arrests",
        label_en="Ghuwayran / Al-Nashwa, Al-Hasakeh",
        label_ar="غويران / النشوة، الحسكة",
        summary="Arrests in Ghuwayran and Al-Nashwa",
        confidence=0.8,
    )
    for rank, uid in enumerate(("t:CUR1", "t:CUR2")):
        IncidentPlace.objects.create(incident=incident, place=Place.objects.get(uid=uid), rank=rank)
    for name in ("Ghuwayran", "Al-Nashwa"):
        start = BODY.index(name)
        Mention.objects.create(
            article=article, start=start, end=start + len(name), text=name, role="incident"
        )
    return incident.pk


@pytest.fixture
def open_page(live_server):
    """Yield a function opening the map in a language; console errors are collected on page.errors."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def open_in(lang: str):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            page = context.new_page()
            page.errors = []
            page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            return page

        yield open_in
        browser.close()


def show_detail(page, url: str, pk: int):
    """Open the map, click the incident in the list (detail panel and popup), wait for both."""
    page.goto(url + "/map/")
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=15000)
    page.locator(f".incident-item[data-id='{pk}']").click()
    page.wait_for_selector(f"#detail[data-id='{pk}']:not([hidden]) .detail__places li")
    page.locator(".leaflet-popup-content .incident-popup").wait_for()
    return page.locator("#detail .detail__facts"), page.locator(".leaflet-popup-content .incident-popup")


@pytest.mark.browser
def test_detail_and_popup_show_places_and_sub_event_type_in_english(live_server, raid, open_page):
    page = open_page("en")
    facts, popup = show_detail(page, live_server.url, raid)
    text = facts.inner_text()
    assert "Strategic developments · Arrests" in text
    assert "Ghuwayran / Al-Nashwa, Al-Hasakeh" in text
    places = page.locator("#detail .detail__places li").all_inner_texts()
    assert places == ["Ghuwayran (neighbourhood)", "Al-Nashwa (neighbourhood)"]
    popup_text = popup.inner_text()
    assert "Strategic developments · Arrests" in popup_text
    assert "Ghuwayran (neighbourhood)" in popup_text and "Al-Nashwa (neighbourhood)" in popup_text
    assert page.errors == []


@pytest.mark.browser
def test_detail_and_popup_show_places_and_sub_event_type_in_arabic(live_server, raid, open_page):
    page = open_page("ar")
    facts, popup = show_detail(page, live_server.url, raid)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    text = facts.inner_text()
    assert "تطورات استراتيجية · اعتقالات" in text
    assert "Arrests" not in text
    # The Arabic label first, intact, in its own right-to-left span; the English one after it.
    label = page.locator("#detail .detail__label span").first
    assert label.inner_text() == "غويران / النشوة، الحسكة"
    assert (
        label.get_attribute("dir") == "auto" and label.evaluate("e => getComputedStyle(e).direction") == "rtl"
    )
    places = page.locator("#detail .detail__places li").all_inner_texts()
    assert places == ["غويران (حي)", "النشوة (حي)"]
    names = page.locator("#detail .detail__place-name")
    assert names.first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    popup_text = popup.inner_text()
    assert "اعتقالات" in popup_text and "غويران (حي)" in popup_text and "النشوة (حي)" in popup_text
    assert page.errors == []


def test_sub_event_type_labels_cover_the_rules_names_in_arabic():
    from django.utils import translation

    from conflictmap.incidents.templatetags.incident_labels import sub_event_label
    from geoparse.events import default_rules

    coded = {rule.sub_event_type for rule in default_rules().events}
    labelled = dict(default_rules().sub_event_labels)
    assert coded <= set(labelled) and len(labelled) == 9
    with translation.override("ar"):
        assert sub_event_label("Arrests") == "اعتقالات"
        assert sub_event_label("Something new") == "Something new"
    with translation.override("en"):
        assert sub_event_label("Air/drone strike") == "Air/drone strike"
    assert sub_event_label("") == ""


@pytest.mark.django_db
def test_map_page_passes_sub_event_types_and_place_kinds_as_json(client):
    import json
    import re

    client.cookies["django_language"] = "ar"
    html = client.get("/map/").content.decode()
    words = json.loads(
        re.search(r'<script type="application/json" id="map-i18n">(.*?)</script>', html, re.S)[1]
    )
    assert words["sub_types"]["Shelling/artillery/missile attack"] == "قصف مدفعي/صاروخي"
    assert words["kinds"]["neighbourhood"] == "حي" and words["f_places"] == "الأماكن"
