"""Accounts in Debian's Chromium: logging in and out in English and Arabic, a viewer refused a write,
and no page of the app asking anything of a host other than the test server."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from playwright.sync_api import Page, Route, sync_playwright

from conflictmap.accounts.roles import assign_role
from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, Mention
from gazetteer.models import Place

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "pw-for-browser-tests-1"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.browser


@pytest.fixture
def accounts(transactional_db, django_user_model, settings) -> None:
    """One account per role, with a password: the browser logs in through the form."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for role in ("viewer", "coder", "admin"):
        assign_role(django_user_model.objects.create_user(f"{role}-1", password=PASSWORD), role)


@contextmanager
def chromium(base_url: str) -> Iterator[Callable[..., Page]]:
    """Yield a function opening a new page (its own cookies) in one headless Chromium.

    The ORM may be used again only after the block: Playwright's event loop runs inside it.
    """
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def open_page(lang: str = "en") -> Page:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_cookies([{"name": "django_language", "value": lang, "url": base_url}])
            page = context.new_page()
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            return page

        yield open_page
        browser.close()


def log_in(page, base_url: str, username: str, next_path: str = "") -> None:
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(".auth-form button[type=submit]")
    page.wait_for_selector(".account__logout")


@pytest.mark.parametrize(
    ("lang", "direction", "log_in_text", "log_out_text"),
    [("en", "ltr", "Log in", "Log out"), ("ar", "rtl", "تسجيل الدخول", "تسجيل الخروج")],
)
def test_log_in_and_out_through_the_form(live_server, accounts, lang, direction, log_in_text, log_out_text):
    with chromium(live_server.url) as open_page:
        page = open_page(lang)
        page.goto(f"{live_server.url}/gazetteer/")
        page.click(f".account__link:text-is('{log_in_text}')")
        assert urlparse(page.url).path == "/accounts/login/"
        assert page.evaluate("document.documentElement.dir") == direction
        assert page.locator("h1").inner_text() == log_in_text
        # The form lays out in the page's direction: in Arabic the labels start at the right.
        label = page.locator(".auth-form label").first
        assert label.evaluate("n => getComputedStyle(n).direction") == direction
        page.fill("input[name=username]", "coder-1")
        page.fill("input[name=password]", PASSWORD)
        page.click(".auth-form button[type=submit]")
        page.wait_for_selector(".account__logout")
        assert urlparse(page.url).path == "/gazetteer/"  # back where the reader was
        assert page.locator(".account__name").inner_text() == "coder-1"
        assert page.locator(".site-nav a[href='/articles/new']").count() == 1
        page.click(f".account__logout button:text-is('{log_out_text}')")
        page.wait_for_selector(".account__link")
        assert urlparse(page.url).path == "/map/"
        assert page.locator(".account__logout").count() == 0
        assert page.locator(".site-nav a[href='/articles/new']").count() == 0
        assert page.errors == []


POST = """async ([body, withCsrf]) => {
    const csrf = document.cookie.split("; ").find(c => c.startsWith("csrftoken=")).split("=")[1];
    const headers = {"Content-Type": "application/json"};
    if (withCsrf) headers["X-CSRFToken"] = csrf;
    const r = await fetch("/api/articles", {method: "POST", headers, body: JSON.stringify({body})});
    return [r.status, await r.json()];
}"""


def test_a_viewer_is_refused_a_write(live_server, accounts):
    body = "Clashes were reported on Tuesday in the countryside east of Raqqa, local sources said."
    with chromium(live_server.url) as open_page:
        page = open_page()
        log_in(page, live_server.url, "viewer-1")
        assert page.locator(".account__role").inner_text() == "viewer"
        assert page.locator(".site-nav a[href='/articles/new']").count() == 0
        status, answer = page.evaluate(POST, [body, True])
        assert status == 403 and "permission" in answer["detail"]
        status, answer = page.evaluate(POST, [body, False])
        assert status == 403 and "CSRF" in answer["detail"]
        response = page.goto(f"{live_server.url}/articles/new")
        assert response.status == 403
        assert page.locator("h1").inner_text() == "Not allowed"
    assert not Article.objects.exists()


@pytest.fixture
def rows(transactional_db, small_gazetteer) -> dict[str, int]:
    """An article with an incident (point and area) and a mention: every page has something to draw."""
    body = "Clashes were reported in Ghuwayran, al-Hasakah, on Tuesday."
    article = Article.objects.create(
        title="Clashes",
        body=body,
        lang="en",
        content_hash="b" * 64,
        status="done",
        published=datetime.date(2024, 8, 1),
    )
    ghuwayran = Place.objects.get(pcode="CUR1")
    incident = Incident.objects.create(
        article=article,
        date=datetime.date(2024, 8, 1),
        point=Point(40.76, 36.475, srid=4326),
        area=MultiPolygon(Polygon.from_bbox((40.74, 36.46, 40.78, 36.49)), srid=4326),
        geo_precision=1,
        place=ghuwayran,
        admin1_pcode="SY08",
        event_type="battles",
        label_en="Ghuwayran",
        label_ar="غويران",
    )
    start = body.index("Ghuwayran")
    Mention.objects.create(
        article=article, start=start, end=start + 9, text="Ghuwayran", role="incident", place=ghuwayran
    )
    return {"article": article.pk, "incident": incident.pk, "place": ghuwayran.pk}


def test_no_page_asks_anything_of_another_host(live_server, accounts, rows):
    pages = [
        ("/map/", "body[data-ready='1']"),
        (f"/articles/{rows['article']}/", "main"),
        ("/gazetteer/?q=Ghuwayran", "#map[data-ready='true']"),
        (f"/gazetteer/place/{rows['place']}/", "main"),
        ("/accounts/token/", "main"),
        (f"/admin/incidents/incident/{rows['incident']}/change/", "#id_area_map canvas"),
    ]
    outside: list[str] = []
    with chromium(live_server.url) as open_page:
        for lang in ("en", "ar"):
            page = open_page(lang)
            page.route("**/*", guard(page, outside))
            page.goto(f"{live_server.url}/accounts/login/", wait_until="networkidle")
            log_in(page, live_server.url, "admin-1")
            for path, ready in pages:
                response = page.goto(live_server.url + path, wait_until="networkidle")
                assert response.status == 200, path
                page.wait_for_selector(ready, state="attached")
            # Both geometry widgets of the incident (the last page) drew a map: OpenLayers draws on a canvas.
            assert page.locator("#id_point_map canvas").count() >= 1
            assert page.errors == [], page.errors
    assert outside == [], json.dumps(outside, indent=1)


def guard(page: Page, outside: list[str]) -> Callable[[Route], None]:
    """A route handler letting requests to the test server through, recording and aborting any other."""

    # One parameter only: Playwright passes the request too to a handler that takes two.
    def handle(route: Route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in {"data", "blob"} or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(f"{page.url} → {route.request.url}")
            route.abort()

    return handle
