"""Benchmark the exports: time, peak memory and size per format at N incidents (a benchmark: it prints figures).

    .venv/bin/python bench/bench_exports.py --incidents 50000
    .venv/bin/python bench/bench_exports.py --incidents 500000 --var-dir /tmp/cm-bench-500k
    DATABASE_URL=postgis://postgres@127.0.0.1/cm50k .venv/bin/python bench/bench_exports.py --use-existing

Each export runs `manage.py export FORMAT --out FILE --unit report` in its own process, so the peak RSS
(ru_maxrss of that child) is the export's alone. A flat peak from 50k to 500k is what streaming promises.
It seeds a throwaway SpatiaLite database under --var-dir with seed_demo unless --use-existing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_map_50k import prepare  # noqa: E402

FORMATS = ("csv", "geojson", "kml", "gpkg")


def run_export(fmt: str, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Export once in a child process; return (seconds, the child's peak RSS in MB)."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        args = [sys.executable, "manage.py", "export", fmt, "--out", str(out), "--unit", "report"]
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.chdir(ROOT)
        os.execve(sys.executable, args, env)
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        raise SystemExit(f"export {fmt} failed ({status})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--var-dir", default="/tmp/cm-bench-exports")
    parser.add_argument("--use-existing", action="store_true")
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--out-dir", default="/tmp/cm-bench-exports-out")
    args = parser.parse_args()
    env = prepare(args)
    env["CONFLICTMAP_EXPORT_MAX_ROWS"] = str(max(args.incidents * 2, 1_000_000))
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    baseline = subprocess.run(
        [sys.executable, "-c", "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    print(f"{args.incidents} incidents; a bare Python process peaks at {int(baseline.stdout) / 1024:.0f} MB")
    print(f"{'format':8} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'file MB':>8}")
    for fmt in FORMATS:
        out = out_dir / f"export.{fmt}"
        seconds, peak = run_export(fmt, out, env)
        size = out.stat().st_size / 1e6
        print(f"{fmt:8} {seconds:8.1f} {args.incidents / seconds:8.0f} {peak:8.0f} {size:8.1f}", flush=True)


if __name__ == "__main__":
    main()
