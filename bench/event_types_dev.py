"""Print how the event-type, actor and date rules code real reports whose facts are known.

Usage: .venv/bin/python bench/event_types_dev.py [--predictions var/eval/predictions.jsonl] [--dev-dir DIR]
Reads the predictions `bench/evaluate_dev.py` writes. The Syrian Archive rows with ids "sa-RU…"
(Arabic) and "saen-RU…" (English) all document alleged Russian air strikes, so the share of primary
incidents coded explosions/remote violence, and with Russia among the actors, measures the rules;
rows coded with no event type are mostly fly-overs and aftermath reports. Most sa_ar headlines
end with the date of the strike ("26-2-2016", "2015.10.1", "15_2_2016"): the share of primary
incidents dated that day measures the date reader on real formats.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = (("sa-RU", "sa_ar (Arabic headlines)"), ("saen-RU", "sa_en (English descriptions)"))
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_SEP = r"\s*[-/_.=\\ ]\s*"
# Day-month-year or year-month-day, written independently of the pipeline's own date reader.
_STAMP = re.compile(
    rf"(?<!\d)(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(20\d\d)(?!\d)|(?<!\d)(20\d\d){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?!\d)"
)


def stamp(text: str) -> dt.date | None:
    """Return the first day-month-year (or year-month-day) date written in a text."""
    match = _STAMP.search(text.translate(_DIGITS))
    if match is None:
        return None
    day, month, year = (match[1], match[2], match[3]) if match[3] else (match[6], match[5], match[4])
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def dates_agree(dev_dir: Path, firsts: dict[str, dict[str, object]]) -> tuple[int, int]:
    """Return (headlines with a written date, of which the primary incident has that date)."""
    seen = agree = 0
    for line in (dev_dir / "sa_ar_dev.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        written = stamp(row["text"])
        incident = firsts.get(row["id"])
        if written is None or incident is None:
            continue
        seen += 1
        agree += incident.get("date") == written.isoformat()
    return seen, agree


def main() -> None:
    """Print the event-type shares and the Russia share for each set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--predictions", type=Path, default=ROOT / "var" / "eval" / "predictions.jsonl")
    parser.add_argument("--dev-dir", type=Path, default=ROOT.parent / "shared" / "dev-eval")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.predictions.open(encoding="utf-8")]
    firsts = {r["id"]: r["incidents"][0] for r in rows if r.get("incidents")}
    for prefix, label in SETS:
        chosen = [i for k, i in firsts.items() if k.startswith(prefix)]
        if not chosen:
            print(f"{label}: no predictions")
            continue
        types = Counter(i.get("event_type") or "(none)" for i in chosen)
        russia = sum("Russia" in (i.get("actors") or []) for i in chosen)
        shares = ", ".join(f"{t} {100 * n / len(chosen):.1f}%" for t, n in types.most_common())
        print(
            f"{label}: {len(chosen)} incidents; {shares}; Russia among actors {100 * russia / len(chosen):.1f}%"
        )
    seen, agree = dates_agree(args.dev_dir, firsts)
    if seen:
        print(
            f"sa_ar headlines with a written date: {seen}; primary incident on that day: {100 * agree / seen:.1f}%"
        )


if __name__ == "__main__":
    main()
