"""Print, per dev set, the share of texts the pipeline turns into more than one incident.

    .venv/bin/python bench/evaluate_dev.py --out /tmp/eval            # writes /tmp/eval/predictions.jsonl
    .venv/bin/python bench/multi_incident_share.py /tmp/eval/predictions.jsonl [--dev-dir ../shared/dev-eval]

Most dev texts report one event, so a high share of multi-incident texts is the over-counting the
event issue measures (before and after a change). A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geoparse.jsonl import BadLine, read_text_line  # noqa: E402  (after the path insert)

DEV_DIR = ROOT.parent / "shared" / "dev-eval"


def set_of_ids(dev_dir: Path) -> dict[str, str]:
    """Map each dev text's id to the name of its file."""
    owner: dict[str, str] = {}
    for path in sorted(dev_dir.glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            try:
                item = read_text_line(raw)
            except BadLine:
                continue
            if "id" in item:
                owner[str(item["id"])] = path.stem
    return owner


def counts(predictions: Path, owner: dict[str, str]) -> dict[str, Counter[str]]:
    """Count, per dev set, texts with no incident, one, and more than one."""
    out: dict[str, Counter[str]] = {}
    for raw in predictions.read_text(encoding="utf-8").splitlines():
        row = json.loads(raw)
        n = len(row.get("incidents") or [])
        bucket = "0" if n == 0 else "1" if n == 1 else ">1"
        out.setdefault(owner.get(str(row.get("id")), "?"), Counter())[bucket] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--dev-dir", type=Path, default=DEV_DIR)
    args = parser.parse_args()
    table = counts(args.predictions, set_of_ids(args.dev_dir))
    print("| set | texts | no incident | one | more than one | share >1 |")
    print("|---|---|---|---|---|---|")
    for name, c in sorted(table.items()):
        total = sum(c.values())
        print(f"| {name} | {total} | {c['0']} | {c['1']} | {c['>1']} | {100 * c['>1'] / total:.1f}% |")


if __name__ == "__main__":
    main()
