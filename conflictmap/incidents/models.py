"""Incidents: what happened, where and when, as the geoparser read it from an article."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connections, transaction
from django.db.models import Lookup, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conflictmap.backend import dialect
from conflictmap.rules.models import NotPlace, guess_language
from gazetteer.models import AdminCodesQuerySet, NameOrigin, Place, PlaceName
from geoparse import types
from geoparse.normalize import fold_arabic, is_arabic, normalize


class DatePrecision(models.TextChoices):
    DAY = types.DAY, _("day")
    WEEK = types.WEEK, _("week")
    MONTH = types.MONTH, _("month")
    YEAR = types.YEAR, _("year")


class Role(models.TextChoices):
    INCIDENT = types.INCIDENT, _("incident location")
    CONTEXT = types.CONTEXT, _("context")
    REPORTING = types.REPORTING, _("reporting location")


class GeoPrecision(models.IntegerChoices):
    """ACLED's geo-precision codes."""

    PLACE = 1, _("town, village or neighbourhood")
    PART_OF_REGION = 2, _("part of a region, near or around a town")
    REGION = 3, _("governorate or larger")


class Review(models.TextChoices):
    """Where an incident stands in review: as the pipeline left it, or as a person judged it."""

    MACHINE = "machine", _("machine")
    CONFIRMED = "confirmed", _("confirmed")
    CORRECTED = "corrected", _("corrected")
    REJECTED = "rejected", _("rejected")


# The states a re-run of the pipeline must leave alone.
REVIEWED = (Review.CONFIRMED, Review.CORRECTED, Review.REJECTED)


class Decision(models.TextChoices):
    """What an analyst said of a mention."""

    NONE = "", _("none")
    PLACE = "place", _("this place")
    NOT_PLACE = "not_place", _("not a place")


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

    def live(self) -> IncidentQuerySet:
        """Incidents not archived (a re-run dropped them, or they were merged into another)."""
        return self.filter(archived_at__isnull=True)

    def in_review(self, *states: str) -> IncidentQuerySet:
        """Incidents in any of these review states."""
        return self.filter(review__in=states)

    def visible_to(self, user: Any) -> IncidentQuerySet:
        """Live incidents this user may read: rejected ones only for coders, machine ones per the setting."""
        qs = self.live()
        if user.is_authenticated and user.has_perm("incidents.change_incident"):
            return qs
        qs = qs.exclude(review=Review.REJECTED)
        if not settings.SHOW_MACHINE_TO_VIEWERS:
            qs = qs.exclude(review=Review.MACHINE)
        return qs

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
    places = models.ManyToManyField(
        "gazetteer.Place",
        through="IncidentPlace",
        related_name="incidents_named",
        blank=True,
        help_text=_("Every place the location names, in order; the first is the point."),
    )
    label_en = models.CharField(max_length=300, blank=True)
    label_ar = models.CharField(max_length=300, blank=True)
    admin1_pcode = models.CharField(max_length=4, blank=True)
    admin2_pcode = models.CharField(max_length=6, blank=True)
    admin3_pcode = models.CharField(max_length=8, blank=True)
    geo_precision = models.PositiveSmallIntegerField(choices=GeoPrecision.choices)
    event_type = models.CharField(max_length=60, blank=True)
    sub_event_type = models.CharField(max_length=60, blank=True)
    actors = models.JSONField(default=list, blank=True)
    # ACLED's sides: {"actor name": 1 or 2} for actor1 (the side that acts) and actor2; empty if uncoded.
    actor_sides = models.JSONField(default=dict, blank=True)
    fatalities = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    confidence = models.FloatField(default=0.0)
    mentions = models.ManyToManyField(
        "Mention", related_name="incidents", blank=True, help_text=_("The mentions that locate it.")
    )
    review = models.CharField(max_length=12, choices=Review.choices, default=Review.MACHINE, db_index=True)
    # Optimistic locking: a save names the version it started from, and fails if another save came first.
    version = models.PositiveIntegerField(default=1)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Archived, not deleted, so its URL keeps answering: dropped by a re-run, merged or split away.
    archived_at = models.DateTimeField(null=True, blank=True, db_index=True)
    archive_reason = models.CharField(max_length=200, blank=True)
    moved_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_from",
        help_text=_("The incident this one was merged into or replaced by."),
    )  # fmt: skip

    objects = IncidentQuerySet.as_manager()
    # The audit trail; the area is left out because it is derived from the places and can be large.
    history = HistoricalRecords(excluded_fields=["area"])

    class Meta:
        ordering = ["-date", "article_id", "rank"]
        permissions = [("review_incident", "Can confirm, reject, merge and revert incidents")]
        indexes = [
            models.Index(fields=["date"], name="incident_date"),
            models.Index(fields=["admin1_pcode", "date"], name="incident_admin1_date"),
            models.Index(fields=["admin2_pcode", "date"], name="incident_admin2_date"),
            models.Index(fields=["admin3_pcode", "date"], name="incident_admin3_date"),
            models.Index(fields=["event_type", "date"], name="incident_type_date"),
        ]

    def to_dict(self, fields: str = "full") -> dict[str, Any]:
        """Serialize the incident with the keys of the named set (full or min): its one JSON form."""
        return {key: FIELDS[key](self) for key in KEYS[fields]}

    def __str__(self) -> str:
        return f"{self.event_type or 'incident'} at {self.label_en or self.label_ar} on {self.date}"


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
    "sub_event_type": attrgetter("sub_event_type"),
    # Every place the location names, its point's first (prefetch place_links for many incidents).
    "place_ids": lambda i: [link.place_id for link in i.place_links.all()],
    "actors": attrgetter("actors"),
    "actor_sides": attrgetter("actor_sides"),
    "fatalities": attrgetter("fatalities"),
    "summary": attrgetter("summary"),
    "confidence": attrgetter("confidence"),
    "review": attrgetter("review"),
    "version": attrgetter("version"),
}
# `fields=min` of /api/incidents: what a marker needs, read from the incident row alone.
KEYS = {"full": tuple(FIELDS), "min": ("id", "event_type", "date", "geo_precision")}
# The incident columns each key set reads; "full" also joins the article (its body is never serialized).
MIN_COLUMNS = ("id", "point", "event_type", "date", "geo_precision")


class IncidentPlace(models.Model):
    """One place an incident names, with its order (0 is the incident's point)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey("gazetteer.Place", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["incident", "rank"]
        constraints = [models.UniqueConstraint(fields=["incident", "place"], name="incident_place_once")]

    def __str__(self) -> str:
        return f"{self.place} (#{self.rank})"


class Mention(models.Model):
    """A stretch of an article's body that names a place, resolved or not."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    normalized = models.CharField(max_length=500, blank=True)
    place = models.ForeignKey(
        "gazetteer.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CONTEXT)
    score = models.FloatField(default=0.0)
    # The gazetteer places the pipeline weighed, best first: [{"id": place id, "score": s}, …] (top 5).
    candidates = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.NONE, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start", "end"]

    def __str__(self) -> str:
        return f"{self.text} [{self.start}:{self.end}] {self.role}"

    def surface_form(self) -> str:
        """Return the name as the pipeline matched it: the text, or the key when the text carries
        clitics the key dropped («وبالحسكة» → «الحسكه»)."""
        return self.text if normalize(self.text) == self.normalized else self.normalized

    def choose_place(self, place: Place, user: Any) -> None:
        """Resolve this mention to a place as an analyst, and teach the gazetteer its spelling.

        The surface form becomes an analyst name of the place (the gazetteer index then reads this
        spelling as that place only, in every process, on its next check); a build name of the same
        spelling becomes the analyst's. Does not touch the incidents built from the mention.
        """
        form = self.surface_form()[:200]
        with transaction.atomic():
            taught = PlaceName.objects.filter(
                place=place, normalized=normalize(form), origin=NameOrigin.ANALYST
            )
            if not taught.exists():
                name, created = PlaceName.objects.get_or_create(
                    place=place,
                    name=form,
                    lang=guess_language(form),
                    defaults={"origin": NameOrigin.ANALYST, "added_by": user},
                )
                if not created:
                    # Shipped as a build name: only an analyst's name shadows its namesakes.
                    name.origin, name.added_by = NameOrigin.ANALYST, user
                    name.save(update_fields=["origin", "added_by"])
            self._decide(place, Decision.PLACE, user)

    def mark_not_place(self, user: Any, note: str = "") -> None:
        """Say as an analyst that this mention names no place: its surface form joins the stop list
        the pipeline reads (conflictmap.rules), so no later article reads it as a place."""
        form = self.surface_form()[:200]
        with transaction.atomic():
            NotPlace.objects.get_or_create(
                normalized=normalize(form), defaults={"form": form, "note": note, "added_by": user}
            )
            self._decide(None, Decision.NOT_PLACE, user)

    def _decide(self, place: Place | None, decision: str, user: Any) -> None:
        self.place, self.decision, self.decided_by, self.decided_at = place, decision, user, timezone.now()
        self.save(update_fields=["place", "decision", "decided_by", "decided_at"])
