"""The ACLED layer's parameters: the map's where and when (its other filters code our incidents only)."""

from __future__ import annotations

from conflictmap.incidents.forms import WhereWhenForm


class AcledFilterForm(WhereWhenForm):
    """region, start, end, bbox and polygon, validated as the incidents endpoints validate them."""
