"""Our counts beside ACLED's, per admin unit and month, for the map's filters."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from conflictmap.incidents.serializers import admin_names

# The compare endpoints' names of the admin levels.
LEVEL_NAMES = {"governorate": 1, "district": 2, "subdistrict": 3}
CSV_COLUMNS = ("pcode", "name_en", "name_ar", "month", "ours", "acled", "difference")


@dataclass(frozen=True)
class Comparison:
    """Rows of (unit, month) with both counts, and what either side holds outside any unit of the level."""

    level: str
    rows: tuple[dict[str, Any], ...]
    unplaced: dict[str, int]

    def totals(self) -> dict[str, int]:
        ours, acled = sum(r["ours"] for r in self.rows), sum(r["acled"] for r in self.rows)
        return {"ours": ours, "acled": acled, "difference": ours - acled}

    def as_json(self, unit: str, acled_filters: list[str]) -> dict[str, Any]:
        return {
            "level": self.level,
            "unit": unit,
            "acled_filters": acled_filters,
            "rows": list(self.rows),
            "totals": self.totals(),
            "unplaced": self.unplaced,
        }

    def as_csv(self) -> str:
        """The rows as CSV, UTF-8 with a BOM so that Excel reads the Arabic names."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return "\ufeff" + buffer.getvalue()


def per_unit_month(qs: QuerySet, date_field: str, level: int) -> Counter[tuple[str, str]]:
    """Count the rows per (P-code of the level, "YYYY-MM"), in one GROUP BY; undated or unplaced rows not."""
    column = f"admin{level}_pcode"
    grouped = (
        qs.order_by()
        .exclude(**{column: ""})
        .filter(**{f"{date_field}__isnull": False})
        .annotate(month=TruncMonth(date_field))
        .values_list(column, "month")
        .annotate(n=Count("id"))
    )
    return Counter({(pcode, month.strftime("%Y-%m")): n for pcode, month, n in grouped})


def compare(ours: QuerySet, acled: QuerySet, level: str) -> Comparison:
    """Our rows (dated by `date`) beside ACLED's (by `event_date`), per unit of the level and month."""
    number = LEVEL_NAMES[level]
    mine, theirs = per_unit_month(ours, "date", number), per_unit_month(acled, "event_date", number)
    keys = sorted(set(mine) | set(theirs))
    names = admin_names({pcode for pcode, _ in keys})
    rows = tuple(
        {
            "pcode": pcode,
            "name_en": names.get(pcode, {}).get("name_en", ""),
            "name_ar": names.get(pcode, {}).get("name_ar", ""),
            "month": month,
            "ours": mine[pcode, month],
            "acled": theirs[pcode, month],
            "difference": mine[pcode, month] - theirs[pcode, month],
        }
        for pcode, month in keys
    )
    unplaced = {"ours": ours.count() - mine.total(), "acled": acled.count() - theirs.total()}
    return Comparison(level, rows, unplaced)
