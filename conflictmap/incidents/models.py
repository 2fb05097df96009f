"""Incidents: what happened, where and when, as the geoparser read it from an article."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Lookup, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conflictmap.articles.models import Article
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
        return self.live().readable_by(user)

    def readable_by(self, user: Any) -> IncidentQuerySet:
        """Incidents, archived ones too, whose review state this user may read (their pages and history)."""
        if user.is_authenticated and user.has_perm("incidents.change_incident"):
            return self
        qs = self.exclude(review=Review.REJECTED)
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

    def sources(self) -> list[str]:
        """The distinct non-empty sources of these incidents' articles, sorted."""
        named = self.order_by().exclude(article__source="")
        return sorted(set(named.values_list("article__source", flat=True).distinct()))

    def review_order(self) -> IncidentQuerySet:
        """The review queue's order: lowest confidence first, then newest, then by id (stable paging)."""
        return self.order_by("confidence", "-date", "id")

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

    def successor(self) -> Incident | None:
        """The live incident this archived one ended up in, following moved_to; None if it went nowhere."""
        seen = {self.pk}
        current = self.moved_to
        while current is not None and current.archived_at is not None and current.pk not in seen:
            seen.add(current.pk)
            current = current.moved_to
        return current if current is not None and current.archived_at is None else None

    def __str__(self) -> str:
        return f"{self.event_type or 'incident'} at {self.label_en or self.label_ar} on {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:page", args=[self.pk])

    # Review. Each action names the version it started from and fails with Conflict if another came first.
    def confirm(self, user: Any, version: int) -> Incident:
        """Mark the incident right as the pipeline coded it."""
        return self._reviewed(user, version, Review.CONFIRMED, "confirmed")

    def reject(self, user: Any, version: int, note: str = "") -> Incident:
        """Mark the incident as not a real event (kept, hidden from viewers)."""
        return self._reviewed(user, version, Review.REJECTED, f"rejected: {note}" if note else "rejected")

    def correct(self, user: Any, version: int, changes: dict[str, Any]) -> Incident:
        """Change coded fields (date, precisions, types, actors, fatalities, summary) and mark it corrected."""
        unknown = set(changes) - set(CORRECTABLE)
        if unknown:
            raise ValidationError({name: _("This field cannot be corrected.") for name in sorted(unknown)})
        with transaction.atomic():
            current = self._claim(version)
            for name, value in changes.items():
                setattr(current, name, value)
            return current._save_reviewed(user, Review.CORRECTED, "corrected")

    def relocate(self, user: Any, version: int, place: Any) -> Incident:
        """Put the incident at another gazetteer place (its point, labels and admin codes follow)."""
        with transaction.atomic():
            current = self._claim(version)
            old = current.place_id
            current._locate(place)
            links = [
                link.place_id for link in current.place_links.all() if link.place_id not in (old, place.pk)
            ]
            current.place_links.all().delete()
            IncidentPlace.objects.bulk_create(
                IncidentPlace(incident=current, place_id=pid, rank=rank)
                for rank, pid in enumerate([place.pk, *links])
            )
            return current._save_reviewed(user, Review.CORRECTED, "corrected")

    def drop_mention(self, user: Any, version: int, mention: Mention) -> Incident:
        """Take a mention out of the incident ("not this event"); move the point if it stood there."""
        with transaction.atomic():
            current = self._claim(version)
            if not current.mentions.filter(pk=mention.pk).exists():
                raise ValidationError({"mention": _("The mention is not part of this incident.")})
            current.mentions.remove(mention)
            if mention.place_id is not None and mention.place_id == current.place_id:
                current._relocate_to_next(mention.place_id)
            return current._save_reviewed(user, Review.CORRECTED, "corrected")

    def split(self, user: Any, version: int, mentions: list[Mention]) -> Incident:
        """Move these mentions (and their places) to a new incident; return the new one."""
        with transaction.atomic():
            current = self._claim(version)
            own = set(current.mentions.values_list("pk", flat=True))
            placed = [m for m in mentions if m.place_id is not None]
            if not mentions or not placed or any(m.pk not in own for m in mentions):
                raise ValidationError(
                    {"mentions": _("Choose mentions of this incident, at least one of them a place.")}
                )
            if own <= {m.pk for m in mentions}:
                raise ValidationError({"mentions": _("Leave at least one mention in this incident.")})
            new = current._copy(rank=current.article.incidents.count())
            new._locate(placed[0].place)
            new._change_reason, new._history_user = f"split from #{current.pk}", user
            new.review, new.reviewed_by, new.reviewed_at = Review.CORRECTED, user, timezone.now()
            new.save()
            moved_places = list(dict.fromkeys(m.place_id for m in placed))
            IncidentPlace.objects.bulk_create(
                IncidentPlace(incident=new, place_id=pid, rank=rank) for rank, pid in enumerate(moved_places)
            )
            new.mentions.set(mentions)
            current.mentions.remove(*mentions)
            kept = {m.place_id for m in current.mentions.all() if m.place_id is not None}
            current.place_links.filter(place_id__in=set(moved_places) - kept).delete()
            if current.place_id in set(moved_places) - kept:
                current._relocate_to_next(current.place_id)
            current._save_reviewed(user, Review.CORRECTED, f"split into #{new.pk}")
            return new

    def merge(self, user: Any, version: int, other: Incident, other_version: int) -> Incident:
        """Absorb another incident reporting the same event; the other is archived and points here."""
        if other.pk == self.pk:
            raise ValidationError({"other": _("An incident cannot be merged into itself.")})
        with transaction.atomic():
            current = self._claim(version)
            absorbed = other._claim(other_version)
            ranks = len(current.place_links.all())
            have = {link.place_id for link in current.place_links.all()}
            extra = [link.place_id for link in absorbed.place_links.all() if link.place_id not in have]
            IncidentPlace.objects.bulk_create(
                IncidentPlace(incident=current, place_id=pid, rank=ranks + n) for n, pid in enumerate(extra)
            )
            current.mentions.add(*absorbed.mentions.all())
            absorbed.archived_at, absorbed.archive_reason, absorbed.moved_to = (
                timezone.now(), f"merged into #{current.pk}", current
            )  # fmt: skip
            absorbed._change_reason, absorbed._history_user = f"merged into #{current.pk}", user
            absorbed.save()
            return current._save_reviewed(user, Review.CORRECTED, f"merged #{absorbed.pk}")

    def revert(self, user: Any, version: int, record: Any) -> Incident:
        """Restore the coded fields as a history record had them; the revert is itself a change."""
        if record.id != self.pk:
            raise ValidationError({"history_id": _("That change belongs to another incident.")})
        with transaction.atomic():
            current = self._claim(version)
            for name in REVERTIBLE:
                setattr(current, name, getattr(record, name))
            return current._save_reviewed(user, Review.CORRECTED, f"reverted to version {record.version}")

    def changes_since(self, version: int) -> list[dict[str, Any]]:
        """Return the saves after `version`, oldest first: who, when, why and the fields before and after."""
        records = list(self.history.filter(version__gt=version).order_by("history_date", "history_id"))
        return [describe_change(record) for record in records]

    def source_articles(self) -> list[Any]:
        """Return the incident's article, then the other articles its mentions come from (after a merge)."""
        ids = {self.article_id, *self.mentions.values_list("article_id", flat=True)}
        found = Article.objects.defer("body").in_bulk(ids)
        return [found[pk] for pk in sorted(ids, key=lambda pk: (pk != self.article_id, pk)) if pk in found]

    # Helpers of the review actions.
    def _claim(self, version: int) -> Incident:
        """Take the next version if `version` is still current (compare-and-set), else raise Conflict."""
        if self.archived_at is not None:
            raise ValidationError(
                {"id": _("The incident is archived: %(reason)s") % {"reason": self.archive_reason}}
            )
        self._record_baseline()
        taken = Incident.objects.filter(pk=self.pk, version=version, archived_at__isnull=True).update(
            version=models.F("version") + 1
        )
        current = Incident.objects.select_related("article").get(pk=self.pk)
        if not taken:
            raise Conflict(current, version)
        return current

    def _record_baseline(self) -> None:
        """Record the incident as it stands if it has no history yet (bulk_create writes none), so that its
        first change lists each field before and after."""
        if self.history.exists():
            return
        before = Incident.objects.get(pk=self.pk)
        before._history_user = None  # not the reviewer about to change it: the state they started from
        Incident.history.bulk_history_create([before], default_date=before.created_at)

    def _reviewed(self, user: Any, version: int, state: str, reason: str) -> Incident:
        with transaction.atomic():
            return self._claim(version)._save_reviewed(user, state, reason)

    def _save_reviewed(self, user: Any, state: str, reason: str) -> Incident:
        self.review, self.reviewed_by, self.reviewed_at = state, user, timezone.now()
        self._change_reason = reason
        self._history_user = user
        self.save()
        return self

    def _locate(self, place: Any) -> None:
        """Set the point, place, labels and admin codes from a gazetteer place."""
        self.place = place
        self.point = Point(place.point.x, place.point.y, srid=4326)
        self.label_en, self.label_ar = place.name_en[:300], place.name_ar[:300]
        self.admin1_pcode, self.admin2_pcode, self.admin3_pcode = (
            place.admin1_pcode, place.admin2_pcode, place.admin3_pcode
        )  # fmt: skip
        self.area = place.area if place.area is None or place.area.geom_type == "MultiPolygon" else None

    def _relocate_to_next(self, leaving: int) -> None:
        """Move the point to the next place the incident names, or refuse if it names no other."""
        nxt = self.place_links.exclude(place_id=leaving).select_related("place").first()
        if nxt is None:
            raise ValidationError(
                {
                    "mention": _(
                        "This is the incident's only place: choose another place or reject the incident."
                    )
                }
            )
        self.place_links.filter(place_id=leaving).delete()
        self._locate(nxt.place)

    def _copy(self, rank: int) -> Incident:
        """Return an unsaved incident with this one's coded fields."""
        fields = {name: getattr(self, name) for name in COPIED}
        return Incident(article_id=self.article_id, rank=rank, **fields)


class Conflict(Exception):
    """Another save came first: carries the incident as it is now and what changed since."""

    def __init__(self, current: Incident, version: int) -> None:
        super().__init__(f"incident {current.pk} is at version {current.version}, not {version}")
        self.current = current
        self.changes = current.changes_since(version)


# The fields a correction may set, and those a revert restores (the coded event, not bookkeeping).
CORRECTABLE = (
    "date", "date_precision", "geo_precision", "event_type", "sub_event_type",
    "actors", "actor_sides", "fatalities", "summary",
)  # fmt: skip
REVERTIBLE = (
    *CORRECTABLE, "point", "place_id", "label_en", "label_ar", "admin1_pcode", "admin2_pcode", "admin3_pcode",
)  # fmt: skip
COPIED = (*REVERTIBLE, "area", "confidence")
# Bookkeeping left out of a change's list of fields.
UNLISTED = {"version", "updated_at", "reviewed_at", "reviewed_by"}


# describe_change's default: read the previous record from the history (callers with many records pass it).
READ_PREVIOUS: Any = object()


def describe_change(record: Any, previous: Any = READ_PREVIOUS) -> dict[str, Any]:
    """Describe one history record: who, when, why, and each field before and after (against `previous`,
    the record before it, None for the first)."""
    fields = field_changes(record, record.prev_record if previous is READ_PREVIOUS else previous, UNLISTED)
    user = record.history_user
    return {
        "history_id": record.history_id,
        "incident_id": record.id,
        "version": record.version,
        "at": record.history_date.isoformat(),
        "by": user.get_username() if user else "",
        "reason": change_reason(record),
        "review": record.review,
        "fields": fields,
    }


def change_reason(record: Any) -> str:
    """Why a history record was saved: its change reason, else what its type says (created, deleted)."""
    return record.history_change_reason or {"+": "created", "-": "deleted"}.get(record.history_type, "")


def field_changes(record: Any, previous: Any, unlisted: set[str]) -> list[dict[str, Any]]:
    """Each field a history record changed from the previous one, before and after (none for the first)."""
    if previous is None:
        return []
    return [
        {"field": c.field, "before": _plain(c.old), "after": _plain(c.new)}
        for c in record.diff_against(previous).changes
        if c.field not in unlisted
    ]


def _plain(value: Any) -> Any:
    """Return a JSON-ready value (points as [lon, lat], dates as ISO text)."""
    if isinstance(value, GEOSGeometry):
        return [round(value.x, 5), round(value.y, 5)] if value.geom_type == "Point" else value.geom_type
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


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
