"""Incidents: what happened, where and when, as the geoparser read it from an article."""

from __future__ import annotations

import datetime

from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connections
from django.db.models import Lookup, Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from conflictmap.backend import dialect
from gazetteer.models import AdminCodesQuerySet
from geoparse import types
from geoparse.normalize import fold_arabic, is_arabic


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


class Synthetic(models.TextChoices):
    INCLUDE = "include", _("include")
    EXCLUDE = "exclude", _("exclude")
    ONLY = "only", _("only")


# Arabic letters that normalize() folds together: in a LIKE pattern each becomes "_" (any one character).
_AR_FOLDED = frozenset("اأإآٱيىهة")


def arabic_like_pattern(text: str) -> str:
    """Return a LIKE pattern matching the text with any spelling of its folded Arabic letters."""
    folded = fold_arabic(text)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + "".join("_" if ch in _AR_FOLDED else ch for ch in escaped) + "%"


class LikePattern(Lookup):
    """`field LIKE pattern` with the pattern used as given (wildcards kept), case-insensitive."""

    lookup_name = "like_pattern"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {dialect(connection).like_operator} {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


class IncidentQuerySet(AdminCodesQuerySet):
    """Incident filters; in_region (by the incident's admin codes) comes from the gazetteer."""

    def between(self, start: datetime.date | None, end: datetime.date | None) -> IncidentQuerySet:
        """Incidents dated within [start, end]; either bound may be open."""
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def in_bbox(self, west: float, south: float, east: float, north: float) -> IncidentQuerySet:
        """Incidents whose point lies in the lon/lat box, edges included."""
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = 4326
        # For points, bounding-box containment is the same test (edges included) and 2-3x cheaper.
        return self.filter(point__contained=box)

    def in_area(self, area: GEOSGeometry) -> IncidentQuerySet:
        """Incidents whose point lies in the (multi)polygon, edges included."""
        if area.srid is None:
            area.srid = 4326
        return self.filter(point__intersects=area)

    def of_type(self, *event_types: str) -> IncidentQuerySet:
        """Incidents of any of these event types."""
        return self.filter(event_type__in=event_types)

    def by_actor(self, actor: str) -> IncidentQuerySet:
        """Incidents with an actor entry containing the text (case-insensitive)."""
        actor = actor.strip()
        if not actor:
            return self
        needle = dialect(connections[self.db]).json_text(actor)
        return self.alias(actors_text=Cast("actors", TextField())).filter(actors_text__icontains=needle)

    def from_source(self, source: str) -> IncidentQuerySet:
        """Incidents from articles of exactly this source."""
        return self.filter(article__source=source)

    def with_precision(self, *levels: int) -> IncidentQuerySet:
        """Incidents of any of these geo-precision codes."""
        return self.filter(geo_precision__in=levels)

    def synthetic(self, mode: str) -> IncidentQuerySet:
        """Include, exclude or keep only incidents from seed_demo's synthetic articles."""
        if mode == Synthetic.EXCLUDE:
            return self.filter(article__synthetic=False)
        if mode == Synthetic.ONLY:
            return self.filter(article__synthetic=True)
        return self

    def matching(self, q: str) -> IncidentQuerySet:
        """Incidents whose summary, place labels, article title or body contain the text."""
        q = q.strip()
        if not q:
            return self
        fields = ("summary", "label_en", "label_ar", "article__title", "article__body")
        if is_arabic(q):
            # Match the way normalize() folds: أ/إ/آ/ا, ى/ي and ة/ه are interchangeable.
            pattern = arabic_like_pattern(q)
            condition = Q()
            for name in fields:
                condition |= Q(**{f"{name}__like_pattern": pattern})
            return self.filter(condition)
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": q})
        return self.filter(condition)


# Registered on the field classes so Q(article__title__like_pattern=...) works across the join.
models.CharField.register_lookup(LikePattern)
models.TextField.register_lookup(LikePattern)


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
