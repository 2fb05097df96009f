"""Screenshots of the login page in English and Arabic (Chromium, 1280x800) for docs/screenshots/.

    .venv/bin/python bench/screenshot_login.py                           # throwaway database under /tmp
    .venv/bin/python bench/screenshot_login.py --url http://127.0.0.1:8000   # a server already running

Writes login-en.png and login-ar.png. Not a test: look at the pictures.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from contextlib import nullcontext
from pathlib import Path

from bench_map_50k import CHROMIUM, CHROMIUM_ARGS, ROOT, manage, server
from playwright.sync_api import sync_playwright

LANGUAGES = ("en", "ar")


def shoot(base: str, out: Path) -> list[Path]:
    """Save the login page in each language; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lang in LANGUAGES:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            page = context.new_page()
            page.goto(f"{base}/accounts/login/?next=/map/", wait_until="networkidle")
            path = out / f"login-{lang}.png"
            page.screenshot(path=str(path))
            written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running server; otherwise one is started on a throwaway database")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="conflictmap-shots-") as var_dir:
        env = {**os.environ, "CONFLICTMAP_VAR_DIR": var_dir}
        env.pop("DATABASE_URL", None)
        if not args.url:
            manage("migrate", "-v0", env=env)
        with nullcontext(args.url) if args.url else server(env) as base:
            for path in shoot(base, args.out):
                print(path)


if __name__ == "__main__":
    main()
