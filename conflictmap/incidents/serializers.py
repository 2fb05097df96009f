"""The incident resource as GeoJSON: `Incident.to_dict()` wrapped as a Feature, and the query it needs."""

from __future__ import annotations

from typing import Any

from .models import MIN_COLUMNS, Incident, IncidentQuerySet


def incident_feature(incident: Incident, fields: str = "full") -> dict[str, Any]:
    """Serialize an incident as a GeoJSON Point Feature."""
    point = [round(incident.point.x, 5), round(incident.point.y, 5)]
    return {
        "type": "Feature",
        "id": incident.pk,
        "geometry": {"type": "Point", "coordinates": point},
        "properties": incident.to_dict(fields),
    }


def for_serializing(qs: IncidentQuerySet, fields: str = "full") -> IncidentQuerySet:
    """Load what the key set reads, in one query."""
    if fields == "min":
        return qs.only(*MIN_COLUMNS)
    return qs.select_related("article").defer("article__body").prefetch_related("place_links")
