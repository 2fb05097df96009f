"""Worker round trip per article: ingest → queued → geocoded by a real Celery worker → done.

Runs in a throwaway var/ directory (SpatiaLite + the shipped gazetteer), starts one worker
process on the chosen broker, ingests the demo articles one at a time and prints the
latency of each round trip (median, p90, max) and the sustained rate.

    .venv/bin/python bench/bench_worker_roundtrip.py                       # filesystem broker
    .venv/bin/python bench/bench_worker_roundtrip.py --broker redis://127.0.0.1:6379/15
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(var_dir: Path, broker: str) -> dict[str, str]:
    """Set the environment for this process and the worker, migrate and load the gazetteer."""
    env = {
        **os.environ,
        "CONFLICTMAP_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
        "CELERY_BROKER_URL": broker,
    }
    env.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_gazetteer", "--no-progress"], cwd=ROOT, env=env, check=True)
    return env


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    """Start one worker process and wait until it reports ready."""
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "conflictmap",
        "worker",
        "--concurrency=1",
        "--loglevel=INFO",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    for line in proc.stdout:
        if "ready." in line or time.monotonic() > deadline:
            break
    return proc


def roundtrips(articles: list[dict]) -> list[float]:
    """Ingest each article and wait for it to be geocoded; return the latencies in seconds."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from conflictmap.articles.ingest import clean_body, store
    from conflictmap.articles.models import Article

    times = []
    for row in articles:
        started = time.monotonic()
        outcome = store(clean_body(row["body"], row.get("lang")), title=row["title"], source="bench")
        while Article.objects.filter(pk=outcome.article.pk, status__in=["done", "failed"]).count() == 0:
            if time.monotonic() - started > 30:
                raise SystemExit(f"article {outcome.article.pk} not geocoded in 30 s")
            time.sleep(0.01)
        times.append(time.monotonic() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", default="filesystem://")
    parser.add_argument("--articles", type=Path, default=ROOT / "demo" / "articles.jsonl")
    args = parser.parse_args()
    rows = [
        json.loads(line) for line in args.articles.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    with tempfile.TemporaryDirectory(prefix="cm-bench-") as tmp:
        env = prepare(Path(tmp), args.broker)
        worker = start_worker(env)
        try:
            started = time.monotonic()
            times = roundtrips(rows)
            total = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    times.sort()
    print(f"broker: {args.broker}")
    print(f"articles: {len(times)} one at a time, {len(times) / total:.1f} articles/s sustained")
    print(
        f"round trip: median {statistics.median(times) * 1000:.0f} ms, "
        f"p90 {times[int(len(times) * 0.9)] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
