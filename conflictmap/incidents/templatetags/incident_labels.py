"""Human labels for event types, in the active language."""

from functools import lru_cache

from django import template
from django.utils.translation import get_language

from geoparse.events import Rules, default_rules

register = template.Library()


@lru_cache(maxsize=1)
def _rules() -> Rules:
    return default_rules()


@register.filter
def event_label(event_type: str) -> str:
    """Return the event type's label in Arabic or English ("—" when untyped)."""
    if not event_type:
        return "—"
    english, arabic = _rules().label(event_type)
    return arabic if (get_language() or "").startswith("ar") else english
