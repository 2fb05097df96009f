"""Debian's Chromium for the map's browser tests: launched headless as the developers' guide says, and the map
page opened in a language, waiting until it shows its data (page.errors keeps the page's exceptions)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def chromium() -> Iterator[Any]:
    """Launch Debian's Chromium; close it afterwards."""
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_map(browser: Any, live_server: Any, lang: str, query: str = "") -> Any:
    """Open /map/<query> in a 1280x800 page in `lang` and wait until it is ready."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"{live_server.url}/map/{query}")
    page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=15000)
    return page
