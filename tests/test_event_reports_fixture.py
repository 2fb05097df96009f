"""The hand-written event-linking fixture (tests/fixtures/event_reports.jsonl) is well formed.

No database, no network: this only reads the JSON Lines file and checks its shape and balance.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "event_reports.jsonl"
REQUIRED = ("id", "event", "lang", "source", "published", "title", "text")
ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")
FIRST_DAY = datetime.date(2023, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)


def _lines() -> list[str]:
    return [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _reports() -> list[dict]:
    return [json.loads(line) for line in _lines()]


REPORTS = _reports()


@pytest.mark.parametrize("number, line", list(enumerate(_lines(), 1)))
def test_line_is_an_object_with_string_fields(number, line):
    report = json.loads(line)
    assert isinstance(report, dict), f"line {number}"
    for key in REQUIRED:
        assert key in report, f"line {number} lacks {key}"
        assert isinstance(report[key], str) and report[key].strip(), f"line {number}: {key}"
    if "note" in report:
        assert isinstance(report["note"], str), f"line {number}: note"
    assert set(report) <= {*REQUIRED, "note"}, f"line {number} has unknown keys"


def test_arabic_is_written_as_is_not_escaped():
    assert "\\u06" not in FIXTURE.read_text(encoding="utf-8")


def test_ids_are_unique():
    ids = Counter(report["id"] for report in REPORTS)
    assert [rid for rid, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r["id"])
def test_lang_matches_script(report):
    assert report["lang"] in {"ar", "en"}
    for field in ("title", "text"):
        value = report[field]
        arabic, latin = len(ARABIC.findall(value)), len(LATIN.findall(value))
        if report["lang"] == "ar":
            assert arabic > 0 and arabic > 4 * latin, f"{field} is not Arabic"
        else:
            assert arabic == 0 and latin > 0, f"{field} is not English"


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r["id"])
def test_published_is_an_iso_date_in_range(report):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", report["published"])
    day = datetime.date.fromisoformat(report["published"])
    assert FIRST_DAY <= day <= LAST_DAY


def _by_event() -> dict[str, Counter]:
    langs: dict[str, Counter] = defaultdict(Counter)
    for report in REPORTS:
        langs[report["event"]][report["lang"]] += 1
    return langs


@pytest.mark.parametrize(
    "what, value, minimum",
    [
        ("reports", len(REPORTS), 90),
        ("events", len(_by_event()), 32),
        (
            "events with 2+ reports in each language",
            sum(1 for c in _by_event().values() if c["ar"] >= 2 and c["en"] >= 2),
            8,
        ),
        ("singleton events", sum(1 for c in _by_event().values() if c.total() == 1), 3),
        (
            "reports noted as distractors",
            sum(1 for r in REPORTS if "distractor" in r.get("note", "").lower()),
            10,
        ),
        (
            "distractor events",
            len({r["event"] for r in REPORTS if "distractor" in r.get("note", "").lower()}),
            10,
        ),
    ],
)
def test_minimum_counts(what, value, minimum):
    assert value >= minimum, f"{what}: {value} < {minimum}"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_language_is_at_least_35_percent(lang):
    share = sum(1 for r in REPORTS if r["lang"] == lang) / len(REPORTS)
    assert share >= 0.35, f"{lang}: {share:.0%}"


def test_each_event_has_one_to_five_reports():
    sizes = {event: c.total() for event, c in _by_event().items()}
    assert all(1 <= n <= 5 for n in sizes.values()), sizes
