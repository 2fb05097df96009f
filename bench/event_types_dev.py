"""Print how the event-type and actor rules code real reports whose event is known.

Usage: .venv/bin/python bench/event_types_dev.py [--predictions var/eval/predictions.jsonl]
Reads the predictions `bench/evaluate_dev.py` writes. The Syrian Archive rows with ids "sa-RU…"
(Arabic) and "saen-RU…" (English) all document alleged Russian air strikes, so the share of primary
incidents coded explosions/remote violence, and with Russia among the actors, measures the rules;
rows coded with no event type are mostly fly-overs and aftermath reports.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = (("sa-RU", "sa_ar (Arabic headlines)"), ("saen-RU", "sa_en (English descriptions)"))


def main() -> None:
    """Print the event-type shares and the Russia share for each set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--predictions", type=Path, default=ROOT / "var" / "eval" / "predictions.jsonl")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.predictions.open(encoding="utf-8")]
    for prefix, label in SETS:
        firsts = [r["incidents"][0] for r in rows if r["id"].startswith(prefix) and r.get("incidents")]
        if not firsts:
            print(f"{label}: no predictions")
            continue
        types = Counter(i.get("event_type") or "(none)" for i in firsts)
        russia = sum("Russia" in (i.get("actors") or []) for i in firsts)
        shares = ", ".join(f"{t} {100 * n / len(firsts):.1f}%" for t, n in types.most_common())
        print(
            f"{label}: {len(firsts)} incidents; {shares}; Russia among actors {100 * russia / len(firsts):.1f}%"
        )


if __name__ == "__main__":
    main()
