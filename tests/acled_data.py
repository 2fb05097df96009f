"""The ACLED sample the ACLED tests share: six of ACLED's Syria rows (both date styles, one with Arabic notes)
in tests/fixtures/acled_syria_sample.csv, imported onto the small_gazetteer fixture."""

from __future__ import annotations

from pathlib import Path

from conflictmap.acled.models import AcledEvent, ImportSummary

SAMPLE = Path(__file__).parent / "fixtures" / "acled_syria_sample.csv"
IDS = ["SYR1001", "SYR1002", "SYR1003", "SYR1004", "SYR1005", "SYR1006"]
ARABIC_NOTES = "هاجم مسلحون مجهولون منزلاً في حي الدرعية في الرقة وقتلوا رجلاً."


def import_sample() -> ImportSummary:
    """Import the sample (the small gazetteer must be there for its P-codes)."""
    return AcledEvent.objects.import_file(SAMPLE)
