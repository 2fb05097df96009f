"""Human labels for event types and for the fields a change lists, in the active language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conflictmap.incidents.models import Review
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


# The names of the fields a change lists, as the history tables show them.
FIELD_LABELS = {
    "date": _("date"),
    "date_precision": _("date precision"),
    "geo_precision": _("geo-precision"),
    "event_type": _("type"),
    "sub_event_type": _("sub-event type"),
    "actors": _("actors"),
    "actor_sides": _("sides"),
    "fatalities": _("fatalities"),
    "summary": _("summary"),
    "point": _("point"),
    "place": _("place"),
    "label_en": _("English label"),
    "label_ar": _("Arabic label"),
    "admin1_pcode": _("governorate"),
    "admin2_pcode": _("district"),
    "admin3_pcode": _("sub-district"),
    "review": _("review"),
    "confidence": _("confidence"),
    "archived_at": _("archived"),
    "archive_reason": _("archive reason"),
    "moved_to": _("moved to"),
    "name": _("name"),
    "name_en": _("English name"),
    "name_ar": _("Arabic name"),
    "kind": _("kind"),
    "note": _("note"),
    "parent": _("parent"),
}


@register.filter
def field_label(name: str) -> str:
    """Return a changed field's name in the active language."""
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


@register.filter
def field_value(value: Any, name: str) -> str:
    """Return a changed field's value as text: labels for types and review states, lists joined, "—" if empty."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if name == "event_type":
        return event_label(value)
    if name == "sub_event_type":
        return sub_event_label(value)
    if name == "review" and value in Review.values:
        return str(Review(value).label)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
