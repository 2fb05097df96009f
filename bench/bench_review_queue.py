"""Benchmark the review queue with the keyboard: milliseconds and API requests per action, per incident.

    .venv/bin/python bench/bench_review_queue.py                  # throwaway SpatiaLite DB under /tmp
    .venv/bin/python bench/bench_review_queue.py --screenshots docs/screenshots   # also queue-en/ar.png
    .venv/bin/python bench/bench_review_queue.py --url http://127.0.0.1:8000 --sessionid KEY

Without --url it migrates a throwaway database, loads the shipped gazetteer, ingests and geocodes (in this
process, `ingest --now`) a few dozen short Arabic and English reports over real Syrian places, makes a
reviewer, starts `manage.py runserver`, and drives Debian's headless Chromium at 1280x800 through the flow
tests/test_review_queue_browser.py checks: next and previous (j/k), confirm (c), reject (x), pick a
candidate (1), the next mention (m), edit (e). Each action is timed by the page itself, from the key to its
result shown (review.js's handle.timings), with the requests it sent. With --dwell, the reviewer reads each
result that long before the next key (the next incident's prefetch then has landed). A benchmark, not a test:
it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench_map_50k import CHROMIUM, manage, server  # noqa: E402
from review_flow import (  # noqa: E402
    CHROMIUM_ARGS,
    HANDLE,
    open_queue,
    press,
    queue_ids,
    report,
    timings,
    watch,
)

# (English name, Arabic name, governorate in English, in Arabic): places the reports are about.
PLACES = [
    ("Ghuwayran", "غويران", "al-Hasakah", "الحسكة"),
    ("Tell Tamr", "تل تمر", "al-Hasakah", "الحسكة"),
    ("Amuda", "عامودا", "al-Hasakah", "الحسكة"),
    ("Manbij", "منبج", "Aleppo", "حلب"),
    ("al-Bab", "الباب", "Aleppo", "حلب"),
    ("Jarablus", "جرابلس", "Aleppo", "حلب"),
    ("Saraqib", "سراقب", "Idlib", "إدلب"),
    ("Ariha", "أريحا", "Idlib", "إدلب"),
    ("Hajin", "هجين", "Deir ez-Zor", "دير الزور"),
    ("al-Mayadin", "الميادين", "Deir ez-Zor", "دير الزور"),
    ("Tabqa", "الطبقة", "Raqqa", "الرقة"),
    ("Tell Abyad", "تل أبيض", "Raqqa", "الرقة"),
    ("Douma", "دوما", "Rural Damascus", "ريف دمشق"),
    ("Busra al-Harir", "بصرى الحرير", "Daraa", "درعا"),
    ("Palmyra", "تدمر", "Homs", "حمص"),
]
TEMPLATES_EN = [
    "Clashes broke out between the SDF and ISIS cells in {p}, {g}, on {d} March 2024, killing {n} fighters.",
    "A Turkish drone struck a car near {p} in the {g} countryside on {d} March 2024; {n} civilians were wounded.",
    "Regime artillery shelled {p} and {q} on {d} March 2024, local sources said.",
]
TEMPLATES_AR = [
    "اندلعت اشتباكات بين قسد وخلايا داعش في {p} بريف {g} يوم {d} آذار 2024، ما أسفر عن مقتل {n} عناصر.",
    "استهدفت طائرة مسيّرة تركية سيارة قرب {p} في محافظة {g} يوم {d} آذار 2024 وأصيب {n} مدنيين.",
    "قصفت قوات النظام بالمدفعية {p} و{q} يوم {d} آذار 2024 بحسب مصادر محلية.",
]
USER = "bench-reviewer"
MAKE_REVIEWER = f"""
from django.contrib.auth import get_user_model
from django.test import Client
from conflictmap.accounts.roles import assign_role
user, _ = get_user_model().objects.get_or_create(username="{USER}")
assign_role(user, "reviewer")
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""
COUNT_MACHINE = "from conflictmap.incidents.models import Incident; print(Incident.objects.live().filter(review='machine').count())"


def articles() -> list[dict[str, str]]:
    """A report per place and template, in both languages, on different days."""
    out = []
    for i, (en, ar, gov_en, gov_ar) in enumerate(PLACES):
        other = PLACES[(i + 4) % len(PLACES)]
        for j, (t_en, t_ar) in enumerate(zip(TEMPLATES_EN, TEMPLATES_AR, strict=True)):
            day, n = 1 + (i + 7 * j) % 28, 2 + (i + j) % 5
            out.append({"body": t_en.format(p=en, q=other[0], g=gov_en, d=day, n=n), "lang": "en",
                        "source": "Bench wire", "published": f"2024-03-{day:02d}"})  # fmt: skip
            out.append({"body": t_ar.format(p=ar, q=other[1], g=gov_ar, d=day, n=n), "lang": "ar",
                        "source": "وكالة المقياس", "published": f"2024-03-{day:02d}"})  # fmt: skip
    return out


def prepare(args: argparse.Namespace) -> tuple[dict[str, str], str]:
    """Return the environment of a database with incidents to review, and a reviewer's session key."""
    env = {**os.environ, "CONFLICTMAP_VAR_DIR": args.var_dir}
    env.pop("DATABASE_URL", None)
    manage("migrate", "-v0", env=env)
    places = manage(
        "shell", "-c", "from gazetteer.models import Place; print(Place.objects.count())", env=env
    )
    if int(places.split()[-1]) == 0:
        print("loading the gazetteer…", flush=True)
        manage("load_gazetteer", env=env)
    if int(manage("shell", "-c", COUNT_MACHINE, env=env).split()[-1]) < args.incidents:
        path = Path(args.var_dir) / "bench-review-articles.jsonl"
        path.write_text(
            "\n".join(json.dumps(a, ensure_ascii=False) for a in articles()) + "\n", encoding="utf-8"
        )
        started = time.perf_counter()
        print(manage("ingest", "--now", str(path), env=env).strip().splitlines()[0], flush=True)
        print(f"ingest --now: {time.perf_counter() - started:.1f} s", flush=True)
    machine = int(manage("shell", "-c", COUNT_MACHINE, env=env).split()[-1])
    print(f"{machine} incidents to review", flush=True)
    return env, manage("shell", "-c", MAKE_REVIEWER, env=env).split()[-1]


def context(browser, base: str, session: str, lang: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": base},
            {"name": "django_language", "value": lang, "url": base},
        ]
    )
    return ctx


# The screenshots show the first incident whose selected mention has this many candidates (up to SHOWN_AFTER on).
CANDIDATES_SHOWN, SHOWN_AFTER = 3, 20
CANDIDATES = "document.querySelectorAll('#r-mentions .mention-card.is-selected .candidate').length"


def screenshots(browser, base: str, session: str, folder: Path) -> None:
    """The queue in English and Arabic at an incident with a few candidates, once the basemap is drawn."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ar"):
        ctx = context(browser, base, session, lang)
        page = watch(ctx.new_page())
        open_queue(page, f"{base}/review/")
        for _ in range(SHOWN_AFTER):
            if page.evaluate(CANDIDATES) >= CANDIDATES_SHOWN:
                break
            press(page, "j")
        page.wait_for_function("document.querySelectorAll('#review-map .unit-label').length > 0")
        page.wait_for_timeout(500)  # the tooltips' fade-in
        page.screenshot(path=str(folder / f"queue-{lang}.png"))
        print(f"wrote {folder / f'queue-{lang}.png'}", flush=True)
        ctx.close()


def flow(page, base: str, dwell_ms: int) -> float:
    """Review with the keyboard as the browser test does, reading each result for `dwell_ms` before the
    next key; return the first load's milliseconds."""

    def key(name: str) -> None:
        press(page, name)
        page.wait_for_timeout(dwell_ms)

    started = time.perf_counter()
    open_queue(page, f"{base}/review/")
    first = (time.perf_counter() - started) * 1000
    walk = min(10, len(queue_ids(page)) - 1)
    for name in ["j"] * walk + ["k"] * walk + ["c"] * 12 + ["x"] * 3 + ["m", "1", "c"] * 5 + ["e"]:
        key(name)
    page.keyboard.press("Escape")
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--var-dir", default="/tmp/conflictmap-bench-review", help="throwaway CONFLICTMAP_VAR_DIR"
    )
    parser.add_argument(
        "--incidents", type=int, default=60, help="ingest reports unless this many are in review"
    )
    parser.add_argument("--url", help="benchmark a server already running here (with --sessionid)")
    parser.add_argument("--sessionid", help="a reviewer's session key, with --url")
    parser.add_argument(
        "--screenshots", type=Path, help="write queue-en.png and queue-ar.png into this folder"
    )
    parser.add_argument(
        "--dwell",
        type=int,
        default=0,
        help="ms a reviewer reads each result before the next key (0: at once)",
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    def run(base: str, session: str) -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if args.screenshots:
                screenshots(browser, base, session, args.screenshots)
            page = watch(context(browser, base, session, "en").new_page())
            first = flow(page, base, args.dwell)
            rows = timings(page)
            handled = page.evaluate(f"async () => {HANDLE}.queue.index + 1")
            browser.close()
        print(f"\nReview queue with the keyboard at {base}, {args.dwell} ms read between keys")
        print("(ms from the key to the result shown, as the page measures it; API requests sent):")
        print(f"  first load (navigation to the first incident shown): {first:.0f} ms")
        print(report(rows))
        per = [r for r in rows if r["action"] in ("confirm", "reject")]
        print(
            f"\nPer incident (confirm or reject, then the next one shown): median "
            f"{statistics.median(r['ms'] for r in per):.0f} ms, {statistics.mean(r['requests'] for r in per):.2f} "
            f"requests; {handled} incidents gone through. Errors on the page: {page.errors or 'none'}"
        )

    if args.url:
        if not args.sessionid:
            sys.exit("--url needs --sessionid (the session cookie of a logged-in reviewer)")
        run(args.url.rstrip("/"), args.sessionid)
        return
    env, session = prepare(args)
    with server(env) as base:
        run(base, session)


if __name__ == "__main__":
    main()
