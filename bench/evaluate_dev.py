"""Run `manage.py evaluate` over the shared dev sets and print (or record) the accuracy table.

Usage: .venv/bin/python bench/evaluate_dev.py [--dev-dir DIR] [--out DIR] [--write-doc] [--limit N]
Scores every *_dev.jsonl and ar_news_unlabelled.jsonl (throughput only) in one process with the
gazetteer of the default database; writes predictions and the per-row error report to --out
(var/eval by default); with --write-doc, rewrites docs/accuracy.md with the table, the baseline,
the date and the commit. Needs the loaded gazetteer and ../shared/dev-eval (not part of the tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV_DIR = ROOT.parent / "shared" / "dev-eval"
DOC = ROOT / "docs" / "accuracy.md"
NOTES = "<!-- notes: written by hand, kept when the figures above are regenerated -->"
COLUMNS = (
    ("n", "n"),
    ("coverage", "coverage"),
    ("within_1km", "≤1 km"),
    ("within_5km", "≤5 km"),
    ("within_25km", "≤25 km"),
    ("median_km", "median km"),
    ("median_km_predicted", "median km (predicted only)"),
    ("admin1", "admin1"),
    ("articles_per_s", "articles/s"),
)
# The dev-eval README's naive first-match geocoder, and the targets of issue 4.
BASELINE = {
    "ucdp_dev.jsonl": ("42.5", "4.3", "4.6", "9.6", "inf", "25.2"),
    "sa_ar_dev.jsonl": ("96.6", "26.5", "41.0", "57.4", "11.6", "65.4"),
    "sa_en_dev.jsonl": ("64.2", "11.5", "21.7", "43.4", "34.6", "49.5"),
    "fakes_en_dev.jsonl": ("97.8", "–", "–", "–", "–", "62.9"),
}
TARGETS = {
    "sa_ar_dev.jsonl": "≥ 85% within 5 km; ≥ 95% admin1",
    "ucdp_dev.jsonl": "≥ 75% admin1",
    "sa_en_dev.jsonl": "≥ 75% within 25 km; ≥ 92% admin1",
    "fakes_en_dev.jsonl": "≥ 88% admin1",
    "ar_news_unlabelled.jsonl": "no crash; ≥ 200 articles/s on one core",
}


def dev_files(directory: Path) -> list[Path]:
    files = sorted(directory.glob("*_dev.jsonl"))
    unlabelled = directory / "ar_news_unlabelled.jsonl"
    return files + ([unlabelled] if unlabelled.exists() else [])


def run_evaluate(files: list[Path], out: Path, limit: int | None) -> list[dict[str, Any]]:
    """Call the evaluate command in-process and return its JSON rows."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")
    import django

    django.setup()
    from django.core.management import call_command

    out.mkdir(parents=True, exist_ok=True)
    args = [str(f) for f in files] + ["--json", "--predictions", str(out / "predictions.jsonl")]
    args += ["--errors", str(out / "errors.csv")] + (["--limit", str(limit)] if limit else [])
    buffer = io.StringIO()
    call_command("evaluate", *args, stdout=buffer)
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if isinstance(value, float) and value >= 100 else str(value)


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| file | " + " | ".join(title for _, title in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for r in results:
        lines.append(f"| `{r['file']}` | " + " | ".join(cell(r[key]) for key, _ in COLUMNS) + " |")
    return "\n".join(lines)


def baseline_table() -> str:
    head = "| file | coverage | ≤1 km | ≤5 km | ≤25 km | median km | admin1 | target (issue 4) |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for name, cells in BASELINE.items():
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {TARGETS[name]} |")
    return "\n".join(lines)


def categories(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r["categories"].items(), key=lambda kv: -kv[1]))
        lines.append(f"- `{r['file']}`: {counts}")
    return "\n".join(lines)


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    # The figures depend on the pipeline and gazetteer code: say when it differs from the commit.
    dirty = git("status", "--porcelain", "--", "geoparse", "gazetteer")
    return f"{head} + uncommitted changes" if dirty else head


def document(results: list[dict[str, Any]], peak_mb: float) -> str:
    today = dt.date.today().isoformat()
    return f"""# Geoparsing accuracy

Measured on {today}, commit `{commit()}`, with `.venv/bin/python bench/evaluate_dev.py --write-doc`
(`manage.py evaluate` over `../shared/dev-eval/`, the gazetteer of the default database).
Metrics as defined in `../shared/dev-eval/README.md`, "Prediction format and scoring": the first
incident is the one scored; a miss counts as a failure in every column and as an infinite distance
in the median; distances are great-circle; admin1 is point-in-polygon in the gazetteer's OCHA
governorates with a 3 km coast and border tolerance. Percentages of the rows concerned.

## Current figures

{table(results)}

Peak memory of the evaluating process (gazetteer index, automaton and the scorer): {peak_mb:.0f} MB.
articles/s is pipeline time only (gazetteer index built and warmed beforehand), one process.

## Naive baseline and targets

The dev-eval README's naive first-match geocoder (first OCHA community name, no disambiguation):

{baseline_table()}

## Failure categories

From `var/eval/errors.csv` (`manage.py evaluate --errors`); a point row counts as failed beyond 5 km.
`other_incident`: a later incident was right; `mention_near`: a resolved mention was right but not
the incident; `coarse`: an area or governorate point in the right governorate.

{categories(results)}
"""


def kept_notes() -> str:
    """Return the hand-written part of the current doc (from the NOTES marker on), kept across runs."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    at = text.find(NOTES)
    return "\n" + (text[at:] if at >= 0 else NOTES + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-dir", type=Path, default=DEV_DIR)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "eval")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--write-doc", action="store_true", help=f"Rewrite {DOC.relative_to(ROOT)}.")
    args = parser.parse_args()
    files = dev_files(args.dev_dir)
    if not files:
        sys.exit(f"no dev sets in {args.dev_dir}")
    results = run_evaluate(files, args.out, args.limit)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(table(results))
    print(f"\npeak memory {peak_mb:.0f} MB; predictions and errors in {args.out}")
    print(categories(results))
    if args.write_doc:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(document(results, peak_mb) + kept_notes(), encoding="utf-8")
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
