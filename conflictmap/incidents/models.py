"""Incidents: what happened, where and when, as the geoparser read it from an article."""

from __future__ import annotations

import datetime

from django.contrib.gis.db import models
from django.contrib.gis.geos import Polygon
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conflictmap.geoparse import types


class DatePrecision(models.TextChoices):
    DAY = types.DAY, _("day")
    WEEK = types.WEEK, _("week")
    MONTH = types.MONTH, _("month")
    YEAR = types.YEAR, _("year")


class GeoPrecision(models.IntegerChoices):
    """ACLED's geo-precision codes."""

    PLACE = 1, _("town, village or neighbourhood")
    PART_OF_REGION = 2, _("part of a region, near or around a town")
    REGION = 3, _("governorate or larger")


PCODE_LEVEL = {4: 1, 6: 2, 8: 3}


class IncidentQuerySet(models.QuerySet):
    def in_region(self, pcode: str) -> IncidentQuerySet:
        """Incidents inside the governorate, district or sub-district with this P-code."""
        level = PCODE_LEVEL.get(len(pcode))
        if level is None:
            return self.none()
        return self.filter(**{f"admin{level}_pcode": pcode})

    def between(self, start: datetime.date | None, end: datetime.date | None) -> IncidentQuerySet:
        """Incidents dated within [start, end]; either bound may be open."""
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def in_bbox(self, west: float, south: float, east: float, north: float) -> IncidentQuerySet:
        """Incidents whose point lies in the lon/lat box."""
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = 4326
        return self.filter(point__intersects=box)

    def of_type(self, *event_types: str) -> IncidentQuerySet:
        """Incidents of any of these event types."""
        return self.filter(event_type__in=event_types)

    def matching(self, q: str) -> IncidentQuerySet:
        """Incidents whose summary, location or article title contains the text."""
        q = q.strip()
        if not q:
            return self
        return self.filter(
            Q(summary__icontains=q)
            | Q(label_en__icontains=q)
            | Q(label_ar__icontains=q)
            | Q(article__title__icontains=q)
        )


class Incident(models.Model):
    """One event reported by an article, with a point, a date and their precisions."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="incidents")
    rank = models.PositiveSmallIntegerField(default=0, help_text=_("0 is the article's primary incident."))
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY)
    point = models.PointField(srid=4326)
    area = models.MultiPolygonField(srid=4326, null=True, blank=True)
    place = models.ForeignKey(
        "gazetteer.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    label_en = models.CharField(max_length=300, blank=True)
    label_ar = models.CharField(max_length=300, blank=True)
    admin1_pcode = models.CharField(max_length=4, blank=True)
    admin2_pcode = models.CharField(max_length=6, blank=True)
    admin3_pcode = models.CharField(max_length=8, blank=True)
    geo_precision = models.PositiveSmallIntegerField(choices=GeoPrecision.choices)
    event_type = models.CharField(max_length=60, blank=True)
    actors = models.JSONField(default=list, blank=True)
    fatalities = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    confidence = models.FloatField(default=0.0)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "article_id", "rank"]
        indexes = [
            models.Index(fields=["date"], name="incident_date"),
            models.Index(fields=["admin1_pcode", "date"], name="incident_admin1_date"),
            models.Index(fields=["admin2_pcode", "date"], name="incident_admin2_date"),
            models.Index(fields=["admin3_pcode", "date"], name="incident_admin3_date"),
            models.Index(fields=["event_type", "date"], name="incident_type_date"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type or 'incident'} at {self.label_en or self.label_ar} on {self.date}"
