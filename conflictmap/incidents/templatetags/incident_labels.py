"""Human labels for event types, in the active language."""

from functools import lru_cache

from django import template
from django.utils.translation import get_language

from geoparse.events import Rules, default_rules

register = template.Library()


@lru_cache(maxsize=1)
def _rules() -> Rules:
    return default_rules()


def _arabic() -> bool:
    return (get_language() or "").startswith("ar")


def _in_language(labels: tuple[str, str]) -> str:
    """The Arabic of an (English, Arabic) pair on an Arabic page, else the English."""
    return labels[1] if _arabic() else labels[0]


@register.filter
def event_label(event_type: str) -> str:
    """Return the event type's label in Arabic or English ("—" when untyped)."""
    return _in_language(_rules().label(event_type)) if event_type else "—"


@register.filter
def sub_event_label(sub_event_type: str) -> str:
    """Return ACLED's sub-event type name, in Arabic on an Arabic page ("" when there is none)."""
    return _in_language(_rules().sub_label(sub_event_type)) if sub_event_type else ""


@register.simple_tag
def sub_event_labels() -> list[tuple[str, str]]:
    """Every sub-event type the rules label, as (ACLED's name, its label in the active language)."""
    return [(key, _in_language((key, ar))) for key, ar in _rules().sub_event_labels]
