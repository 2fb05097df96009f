"""Benchmark the analyst's map with 50,000 incidents: first load, region change, date-range change.

    .venv/bin/python bench/bench_map_50k.py                    # throwaway SpatiaLite DB under /tmp, seeded
    .venv/bin/python bench/bench_map_50k.py --use-existing     # the configured DB as it is
    .venv/bin/python bench/bench_map_50k.py --url http://127.0.0.1:8000   # a server already running
    DATABASE_URL=postgis://postgres@127.0.0.1/cm50k .venv/bin/python bench/bench_map_50k.py --use-existing

It seeds (seed_demo) unless the database already holds that many synthetic incidents, starts
`manage.py runserver`, then drives Debian's headless Chromium with Playwright. Each phase is timed
from the action to the page reporting `document.body.dataset.ready == "1"` with `#incident-count`
filled; the API requests of each phase are listed from the browser's resource timings. Then each
endpoint is timed directly over HTTP (gzip on). A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import gzip
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET_MS = 1000
READY = """() => !!document.body && document.body.dataset.ready === "1"
    && (document.getElementById("incident-count") || {dataset: {}}).dataset.count !== "" """
RESOURCES = """() => performance.getEntriesByType("resource")
    .filter(e => e.name.includes("/api/"))
    .map(e => ({url: e.name.replace(location.origin, ""), ms: e.duration, bytes: e.transferSize,
                body: e.decodedBodySize, ttfb: e.responseStart - e.requestStart, start: e.startTime, end: e.responseEnd}))"""
ENDPOINTS = [
    "/api/incidents/clusters?zoom=9",
    "/api/incidents/clusters?zoom=9&region=SY08",
    "/api/incidents/points",
    "/api/incidents/points?region=SY08",
    "/api/incidents/points?start=2024-01-01&end=2024-06-30",
    "/api/incidents/points?bbox=36,35,38,37",
    "/api/incidents/histogram?step=day",
    "/api/incidents/histogram?step=week&region=SY08",
    "/api/incidents/histogram?step=month",
    "/api/incidents/choropleth?level=1",
    "/api/incidents/choropleth?level=3&start=2024-01-01",
    "/api/incidents/facets",
    "/api/incidents?fields=min&limit=5000",
    "/api/incidents?limit=50",
]


def manage(*args: str, env: dict[str, str]) -> str:
    """Run a management command and return its output; stop the benchmark if it fails."""
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def count_synthetic(env: dict[str, str]) -> tuple[int, int]:
    """Return (places, synthetic incidents) in the configured database."""
    code = (
        "from gazetteer.models import Place; from conflictmap.incidents.models import Incident;"
        "print(Place.objects.count(), Incident.objects.filter(article__synthetic=True).count())"
    )
    places, incidents = manage("shell", "-c", code, env=env).split()[-2:]
    return int(places), int(incidents)


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """Return the environment of a database holding the wanted number of synthetic incidents."""
    env = dict(os.environ)
    if not args.use_existing:
        env["CONFLICTMAP_VAR_DIR"] = args.var_dir
        env.pop("DATABASE_URL", None)
    manage("migrate", "-v0", env=env)
    places, incidents = count_synthetic(env)
    if places == 0:
        print("loading the gazetteer…", flush=True)
        manage("load_gazetteer", env=env)
    if incidents != args.incidents and not (args.use_existing and args.no_seed):
        started = time.perf_counter()
        manage("seed_demo", "--incidents", str(args.incidents), "--seed", str(args.seed), "--clear", env=env)
        print(f"seed_demo --incidents {args.incidents}: {time.perf_counter() - started:.1f} s", flush=True)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(env: dict[str, str]):
    """Run `manage.py runserver` (no reloader, DEBUG off) for the duration; yield its base URL."""
    port = free_port()
    env = {**env, "DEBUG": "false"}
    proc = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/incidents/choropleth", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("runserver did not come up")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def fetch_ms(base: str, path: str) -> tuple[float, int, int]:
    """Time one GET with gzip; return (ms, bytes on the wire, bytes decoded)."""
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        encoded = response.headers.get("Content-Encoding") == "gzip"
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(raw), len(gzip.decompress(raw) if encoded else raw)


def endpoint_table(base: str, repeats: int) -> None:
    print(f"\nEndpoints over HTTP (median of {repeats}, gzip):")
    for path in ENDPOINTS:
        runs = [fetch_ms(base, path) for _ in range(repeats)]
        ms = statistics.median(r[0] for r in runs)
        _, wire, body = runs[-1]
        print(f"  {ms:7.1f} ms  {wire / 1024:8.1f} kB wire  {body / 1024:8.1f} kB json  {path}")


def wait_ready(page, timeout_ms: int = 15_000) -> None:
    page.wait_for_function(READY, timeout=timeout_ms, polling="raf")


def phase(page, name: str, action, *action_args: str) -> dict:
    """Mark the page not ready, run the action, wait until ready; return the timing and API requests."""
    origin = page.evaluate(
        "() => { performance.clearResourceTimings(); document.body.dataset.ready = 'bench'; return performance.now(); }"
    )
    started = time.perf_counter()
    action(page, *action_args)
    wait_ready(page)
    elapsed = (time.perf_counter() - started) * 1000
    return summary(page, name, elapsed, origin)


def summary(page, name: str, elapsed: float, origin: float) -> dict:
    """Collect the phase's figures: total, when its last API response arrived, and each request."""
    count = page.eval_on_selector("#incident-count", "e => e.dataset.count || e.textContent")
    requests = page.evaluate(RESOURCES)
    api_done = max((r["end"] - origin for r in requests), default=0.0)
    return {
        "phase": name,
        "ms": elapsed,
        "api_done": api_done,
        "count": count,
        "requests": requests,
        "origin": origin,
    }


def first_load(page, url: str) -> dict:
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_ready(page)
    elapsed = (time.perf_counter() - started) * 1000
    return summary(page, "first load", elapsed, 0.0)  # resource times count from navigation start


def change_region(page, pcode: str) -> None:
    page.select_option("#f-gov", pcode)


def change_dates(page, start: str, end: str) -> None:
    page.evaluate(
        """([s, e]) => { document.getElementById("f-start").value = s;
            const end = document.getElementById("f-end"); end.value = e;
            end.dispatchEvent(new Event("change", {bubbles: true})); }""",
        [start, end],
    )


def failed(name: str, page, errors: list[str], exc: Exception) -> dict:
    """Record a phase that never reported ready, with what the page said."""
    try:
        state = page.evaluate("() => document.body ? document.body.dataset.ready : null")
    except Exception as err:  # the page itself may be gone
        state = f"unknown ({err})"
    reason = f"{type(exc).__name__}; body.dataset.ready={state!r}; page errors: {errors[-3:]}"
    return {"phase": name, "ms": float("inf"), "api_done": 0.0, "count": "-", "requests": [], "error": reason}


def browse(base: str, args: argparse.Namespace) -> list[list[dict]]:
    """Run the three phases in a fresh browser context per run."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                page.on("console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text))
                region, dates = f"region {args.region}", f"dates {args.start}..{args.end}"
                steps = [
                    ("first load", first_load, (base + args.path,)),
                    (region, phase, (region, change_region, args.region)),
                    (dates, phase, (dates, change_dates, args.start, args.end)),
                ]
                results = []
                for name, step, step_args in steps:
                    try:
                        results.append(step(page, *step_args))
                    except PlaywrightError as exc:  # report a page that never got ready, keep going
                        results.append(failed(name, page, errors, exc))
                runs.append(results)
                context.close()
        finally:
            browser.close()
    return runs


def report(runs: list[list[dict]]) -> bool:
    """Print each phase's median and worst time and the API requests of the last run; return all < 1 s."""
    ok = True
    print(f"\nBrowser phases over {len(runs)} runs (target < {TARGET_MS} ms each):")
    for i, first in enumerate(runs[0]):
        times = [run[i]["ms"] for run in runs]
        api = statistics.median(run[i]["api_done"] for run in runs)
        worst = max(times)
        ok &= worst < TARGET_MS
        verdict = "ok" if worst < TARGET_MS else "SLOW"
        print(
            f"  {first['phase']:<28} median {statistics.median(times):7.1f} ms  worst {worst:7.1f} ms  "
            f"(API done at {api:6.1f} ms, rest is the page drawing)  shown {runs[-1][i]['count']:>6}  {verdict}"
        )
        for run in runs:
            if run[i].get("error"):
                print(f"      not ready: {run[i]['error']}")
        for req in runs[-1][i]["requests"]:
            offset = runs[-1][i].get("origin", 0.0)
            print(
                f"      {req['ms']:7.1f} ms (ttfb {req['ttfb']:6.1f}, at {req['start'] - offset:6.1f}–"
                f"{req['end'] - offset:6.1f})  {req['bytes'] / 1024:7.1f} kB  {req['url'][:90]}"
            )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--var-dir", default="/tmp/conflictmap-bench-50k", help="throwaway CONFLICTMAP_VAR_DIR"
    )
    parser.add_argument("--use-existing", action="store_true", help="use the configured database")
    parser.add_argument("--no-seed", action="store_true", help="with --use-existing: never (re)seed")
    parser.add_argument("--url", help="benchmark a server already running here (no seeding)")
    parser.add_argument("--path", default="/map/", help="the map page's path")
    parser.add_argument("--region", default="SY08")
    parser.add_argument("--start", default="2024-01-01")
    parser.add_argument("--end", default="2024-06-30")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    if args.url:
        base = args.url.rstrip("/")
        runs = browse(base, args)
        endpoint_table(base, 3)
    else:
        env = prepare(args)
        with server(env) as base:
            runs = browse(base, args)
            endpoint_table(base, 3)
    ok = report(runs)
    print("\nall phases under 1 s" if ok else "\nsome phase took 1 s or more")


if __name__ == "__main__":
    main()
