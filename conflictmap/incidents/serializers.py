"""The incident resource as JSON: one key table for the GeoJSON list, the detail endpoint and article pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from .models import Incident, IncidentQuerySet


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


# Every key of the resource, in output order, with how to read it. Coordinates are rounded to 5 decimals (~1 m).
FIELDS: dict[str, Callable[[Incident], Any]] = {
    "id": attrgetter("pk"),
    "article_id": attrgetter("article_id"),
    "article_url": lambda i: i.article.get_absolute_url(),
    "title": attrgetter("article.title"),
    "source": attrgetter("article.source"),
    "url": attrgetter("article.url"),
    # The same link under the name the GeoJSON list has always used for it.
    "source_url": attrgetter("article.url"),
    "lang": attrgetter("article.lang"),
    "published": lambda i: _iso(i.article.published),
    "synthetic": attrgetter("article.synthetic"),
    "primary": lambda i: i.rank == 0,
    "date": lambda i: _iso(i.date),
    "date_precision": attrgetter("date_precision"),
    "label_en": attrgetter("label_en"),
    "label_ar": attrgetter("label_ar"),
    "admin1_pcode": attrgetter("admin1_pcode"),
    "admin2_pcode": attrgetter("admin2_pcode"),
    "admin3_pcode": attrgetter("admin3_pcode"),
    "lat": lambda i: round(i.point.y, 5),
    "lon": lambda i: round(i.point.x, 5),
    "geo_precision": attrgetter("geo_precision"),
    "event_type": attrgetter("event_type"),
    "actors": attrgetter("actors"),
    "fatalities": attrgetter("fatalities"),
    "summary": attrgetter("summary"),
    "confidence": attrgetter("confidence"),
}
# `fields=min` of /api/incidents: what a marker needs, read from the incident row alone.
KEYS = {"full": tuple(FIELDS), "min": ("id", "event_type", "date", "geo_precision")}
# The incident columns each key set reads; "full" also joins the article (its body is never serialized).
MIN_COLUMNS = ("id", "point", "event_type", "date", "geo_precision")


def incident_dict(incident: Incident, fields: str = "full") -> dict[str, Any]:
    """Serialize an incident with the keys of the named set (full or min)."""
    return {key: FIELDS[key](incident) for key in KEYS[fields]}


def incident_feature(incident: Incident, fields: str = "full") -> dict[str, Any]:
    """Serialize an incident as a GeoJSON Point Feature."""
    point = [round(incident.point.x, 5), round(incident.point.y, 5)]
    return {
        "type": "Feature",
        "id": incident.pk,
        "geometry": {"type": "Point", "coordinates": point},
        "properties": incident_dict(incident, fields),
    }


def for_serializing(qs: IncidentQuerySet, fields: str = "full") -> IncidentQuerySet:
    """Load what the key set reads, in one query."""
    if fields == "min":
        return qs.only(*MIN_COLUMNS)
    return qs.select_related("article").defer("article__body")
