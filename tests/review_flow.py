"""Driving the review queue page in Chromium: shared by tests/test_review_queue_browser.py and
bench/bench_review_queue.py, so that the benchmark measures the flow the test checks."""

from __future__ import annotations

import re
import statistics

from django.conf import settings

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The queue's entry module exports a handle (the action timings, the queue); import() of the same URL gives
# the page's own module instance.
HANDLE = "(await import('/static/incidents/review.js')).handle"
MAP = "(await import('/static/incidents/review-map.js')).miniMap()"
# Chromium logs every 4xx; a refused correction (400) and a conflict (409) are answers the page shows.
EXPECTED = re.compile(r"Failed to load resource: the server responded with a status of 40[09]")


def watch(page):
    """Keep the page's errors (page.errors) and the URLs it requests (page.api); return the page."""
    page.errors, page.api = [], []
    page.on(
        "console",
        lambda msg: msg.type == "error" and not EXPECTED.search(msg.text) and page.errors.append(msg.text),
    )
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("request", lambda req: page.api.append(req.url))
    return page


def ready(page, timeout: int = 15000) -> None:
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=timeout)


def shown(page, pk: int, timeout: int = 15000) -> None:
    page.wait_for_function(
        "id => document.body.dataset.ready === '1' && document.body.dataset.shown === id",
        arg=str(pk),
        timeout=timeout,
    )


def open_queue(page, url: str) -> None:
    page.goto(url)
    ready(page)


def api_requests(page) -> list[str]:
    return [u for u in page.api if "/api/" in u]


def press(page, key: str, expect: int | None = None) -> int:
    """Press a key and wait for its result (incident `expect` shown, if given); return the API requests sent."""
    before = len(api_requests(page))
    page.keyboard.press(key)
    if expect is None:
        ready(page)
    else:
        shown(page, expect)
    return len(api_requests(page)) - before


def timings(page) -> list[dict]:
    """The page's record of each action: {action, ms (key to result shown), requests}."""
    return page.evaluate(f"async () => {HANDLE}.timings")


def click_map(page, lat: float, lon: float, zoom: float) -> None:
    """Centre the queue's small map on a point at a zoom, and click there."""
    point = page.evaluate(
        f"""async ([lat, lon, zoom]) => {{ const m = {MAP}; m.setView([lat, lon], zoom, {{animate: false}});
            const p = m.latLngToContainerPoint([lat, lon]); const r = m.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }}""",
        [lat, lon, zoom],
    )
    page.mouse.click(*point)


def queue_ids(page) -> list[int]:
    return page.evaluate(f"async () => {HANDLE}.queue.items.map(i => i.id)")


def report(rows: list[dict]) -> str:
    """Per action: how often, the median and worst milliseconds, and the requests each sent on average."""
    lines = []
    for action in dict.fromkeys(r["action"] for r in rows):
        ms = [r["ms"] for r in rows if r["action"] == action]
        requests = [r["requests"] for r in rows if r["action"] == action]
        lines.append(
            f"  {action:10} x{len(ms):<3} median {statistics.median(ms):7.1f} ms  max {max(ms):7.1f} ms  "
            f"requests {statistics.mean(requests):.2f}"
        )
    return "\n".join(lines)


class Browser:
    """Chromium pages on /review/ at 1280x800, each logged in as a user through the login form (with the
    password given), or with a session cookie; console errors and every request are kept (watch).
    Playwright's loop forbids the ORM while it runs: the first page starts Chromium, and stop() ends it so
    that the test can read the database again."""

    def __init__(self, url: str, password: str = "") -> None:
        self.url, self.password = url, password
        self.pw = self.chromium = None

    def open(self, user=None, lang: str = "en", session: str = ""):
        if self.pw is None:
            from playwright.sync_api import sync_playwright

            self.pw = sync_playwright().start()
            self.chromium = self.pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = self.chromium.new_context(viewport={"width": 1280, "height": 800})
        cookies = [{"name": "django_language", "value": lang, "url": self.url}]
        if session:
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.url})
        context.add_cookies(cookies)
        page = watch(context.new_page())
        if session:
            page.goto(f"{self.url}/review/")
            return page
        page.goto(f"{self.url}/accounts/login/?next=/review/")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", self.password)
        page.press("input[name=password]", "Enter")
        page.wait_for_url("**/review/")
        return page

    def stop(self) -> None:
        if self.pw is not None:
            self.chromium.close()
            self.pw.stop()
            self.pw = None
