"""{% acled_layer_toggle %}: the map's "ACLED events" toggle, or a note that no ACLED data is imported."""

from __future__ import annotations

from django import template

from conflictmap.acled.models import AcledEvent

register = template.Library()


@register.inclusion_tag("acled/_layer_toggle.html")
def acled_layer_toggle() -> dict[str, bool]:
    """Offer the layer only when there is something to draw."""
    return {"imported": AcledEvent.objects.exists()}
