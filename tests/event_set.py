"""Run the labelled event-report set (tests/fixtures/event_reports.jsonl) through ingest, geocode and event
linking, and score the events against the gold labels (the test and bench/event_linking.py share it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conflictmap.articles.ingest import clean_body, store
from conflictmap.incidents.geocoding import geocode
from conflictmap.incidents.models import Incident
from geoparse.clusters import ClusterScores, score_clusters

FIXTURE = Path(__file__).with_name("fixtures") / "event_reports.jsonl"


def reports(path: Path = FIXTURE) -> list[dict[str, Any]]:
    """Return the labelled reports in publication order."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(rows, key=lambda r: (r["published"], r["id"]))


def link_all(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Ingest and geocode each report in turn; return each report's predicted event (its primary incident's)."""
    predicted: dict[str, str] = {}
    for row in rows:
        text = clean_body(f"{row['title']}\n\n{row['text']}", row["lang"])
        article = store(
            text, title=row["title"], published=dt.date.fromisoformat(row["published"]),
            source=row["source"], url=f"https://example.invalid/{row['id']}", queue=False,
        ).article  # fmt: skip
        geocode(article.pk)
        primary = Incident.objects.live().filter(article=article).order_by("rank").first()
        predicted[row["id"]] = (
            f"event-{primary.event_id}" if primary and primary.event_id else f"alone-{row['id']}"
        )
    return predicted


def score(rows: list[dict[str, Any]]) -> tuple[ClusterScores, dict[str, str]]:
    """Link the reports and score the predicted events against the gold ones."""
    predicted = link_all(rows)
    return score_clusters({r["id"]: r["event"] for r in rows}, predicted), predicted
