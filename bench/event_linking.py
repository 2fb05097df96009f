"""Score automatic event linking on the labelled set tests/fixtures/event_reports.jsonl.

    .venv/bin/python bench/event_linking.py [--errors]

Each report is geoparsed with the default database's gazetteer (migrate and load_gazetteer first);
its primary incident is linked, in publication order, by the worker's scoring (geoparse.linking).
Prints pairwise precision/recall/F1 and B-cubed F1 (targets: F1 >= 0.9, precision >= 0.95), and with
--errors the wrong merges and missed links.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")
FIXTURE = ROOT / "tests" / "fixtures" / "event_reports.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list wrong merges and missed links")
    parser.add_argument("--fixture", type=Path, default=FIXTURE)
    args = parser.parse_args()
    import django

    django.setup()
    from conflictmap.incidents.geoparser import default_geoparser
    from geoparse.clusters import score_clusters
    from geoparse.linking import MemoryLinker, draft_facts

    geoparser = default_geoparser()
    rows = [json.loads(line) for line in args.fixture.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=lambda r: (r["published"], r["id"]))
    linker = MemoryLinker()
    predicted: dict[str, str] = {}
    for row in rows:
        result = geoparser.parse(
            f"{row['title']}\n\n{row['text']}", dt.date.fromisoformat(row["published"]), row["lang"]
        )
        if not result.incidents:
            predicted[row["id"]] = f"none-{row['id']}"
            continue
        predicted[row["id"]] = f"ev{linker.link(draft_facts(result.incidents[0], geoparser.gazetteer))}"
    gold = {row["id"]: row["event"] for row in rows}
    s = score_clusters(gold, predicted)
    print(
        f"reports {len(rows)}, gold events {len(set(gold.values()))}, predicted events {len(set(predicted.values()))}"
    )
    print(f"pairwise precision {s.pair_precision:.3f}  recall {s.pair_recall:.3f}  F1 {s.pair_f1:.3f}")
    print(f"B-cubed  precision {s.bcubed_precision:.3f}  recall {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}")
    if args.errors:
        by_pred: dict[str, list[str]] = {}
        for rid, cid in predicted.items():
            by_pred.setdefault(cid, []).append(rid)
        for cid, members in by_pred.items():
            if len({gold[m] for m in members}) > 1:
                print("wrong merge", cid, [(m, gold[m]) for m in members])
        by_gold: dict[str, list[str]] = {}
        for rid, eid in gold.items():
            by_gold.setdefault(eid, []).append(rid)
        for eid, members in by_gold.items():
            if len({predicted[m] for m in members}) > 1:
                print("split", eid, [(m, predicted[m]) for m in members])


if __name__ == "__main__":
    main()
