"""Score automatic event linking on the labelled set tests/fixtures/event_reports.jsonl.

    .venv/bin/python bench/event_linking.py [--errors]

Ingests and geocodes each report in publication order, as the worker does (the default database's
gazetteer: migrate and load_gazetteer first), inside a transaction that is rolled back, so the database is
left as it was. Each report's primary incident gives its predicted event. Prints pairwise
precision/recall/F1 and B-cubed (targets: F1 >= 0.9, precision >= 0.95); with --errors, the wrong merges
and the split events. A benchmark, not a test: it prints figures (tests/test_event_labelled_set.py asserts).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")


def errors(gold: dict[str, str], predicted: dict[str, str]) -> list[str]:
    """Describe each predicted event mixing gold events, and each gold event spread over several."""
    lines = []
    for label, mine, theirs in (("wrong merge", predicted, gold), ("split", gold, predicted)):
        groups: dict[str, list[str]] = {}
        for rid, key in mine.items():
            groups.setdefault(key, []).append(rid)
        for key, members in sorted(groups.items()):
            if len({theirs[m] for m in members}) > 1:
                lines.append(f"{label} {key}: " + ", ".join(f"{m}→{theirs[m]}" for m in sorted(members)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list wrong merges and split events")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import transaction
    from event_set import reports, score

    rows = reports()
    with transaction.atomic():
        s, predicted = score(rows)
        transaction.set_rollback(True)
    gold = {r["id"]: r["event"] for r in rows}
    print(
        f"reports {len(rows)}, gold events {len(set(gold.values()))}, predicted {len(set(predicted.values()))}"
    )
    print(f"pairwise precision {s.pair_precision:.3f}  recall {s.pair_recall:.3f}  F1 {s.pair_f1:.3f}")
    print(f"B-cubed  precision {s.bcubed_precision:.3f}  recall {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}")
    if args.errors:
        print("\n".join(errors(gold, predicted)))


if __name__ == "__main__":
    main()
