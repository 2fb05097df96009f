"""Template helpers for the account pages."""

from __future__ import annotations

import datetime
import math

from django import template

register = template.Library()


@register.filter
def minutes(delta: datetime.timedelta | None) -> int:
    """Return a duration in whole minutes, rounded up (0 for none)."""
    return math.ceil(delta.total_seconds() / 60) if delta else 0
