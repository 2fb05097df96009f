"""Incidents: what happened, where and when, as the geoparser read it from an article."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, Self

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Lookup, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conflictmap.articles.models import Article
from conflictmap.backend import dialect
from conflictmap.rules.models import NotPlace, guess_language
from gazetteer.index import get_index
from gazetteer.models import AdminCodesQuerySet, NameOrigin, Place, PlaceName
from geoparse import linking, types
from geoparse.normalize import fold_arabic, is_arabic, normalize

from .paging import NO_DATE


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


class LinkedBy(models.TextChoices):
    """Who put a report in its event: automatic linking may move only the machine's."""

    MACHINE = "machine", _("machine")
    REVIEWER = "reviewer", _("reviewer")


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


class MapQuerySet(AdminCodesQuerySet):
    """The map's filters of rows with a `point`, a date, an event type and a geo-precision (incidents,
    ACLED's events); in_region (by the rows' admin codes) comes from the gazetteer."""

    date_field = "date"

    def between(self, start: datetime.date | None, end: datetime.date | None) -> Self:
        """Rows dated within [start, end]; either bound may be open."""
        qs = self
        if start:
            qs = qs.filter(**{f"{self.date_field}__gte": start})
        if end:
            qs = qs.filter(**{f"{self.date_field}__lte": end})
        return qs

    def in_bbox(self, west: float, south: float, east: float, north: float) -> Self:
        """Rows whose point lies in the lon/lat box, edges included."""
        box = Polygon.from_bbox((west, south, east, north))
        box.srid = 4326
        # For points, bounding-box containment is the same test (edges included) and 2-3x cheaper.
        return self.filter(point__contained=box)

    def in_area(self, area: GEOSGeometry) -> Self:
        """Rows whose point lies in the (multi)polygon, edges included."""
        if area.srid is None:
            area.srid = 4326
        return self.filter(point__intersects=area)

    def of_type(self, *event_types: str) -> Self:
        """Rows of any of these event types."""
        return self.filter(event_type__in=event_types)

    def with_precision(self, *levels: int) -> Self:
        """Rows of any of these geo-precision codes."""
        return self.filter(geo_precision__in=levels)


class IncidentQuerySet(MapQuerySet):
    """Incident filters; the region, dates, box, drawn area, types and precisions are MapQuerySet's."""

    def live(self) -> IncidentQuerySet:
        """Incidents not archived (a re-run dropped them, or they were merged into another)."""
        return self.filter(archived_at__isnull=True)

    def in_review(self, *states: str) -> IncidentQuerySet:
        """Incidents in any of these review states."""
        return self.filter(review__in=states)

    def listed(self, ascending: bool = False) -> IncidentQuerySet:
        """In list order: newest first (or oldest), undated ones as NO_DATE, ties by id; `sort_day` annotated."""
        qs = self.annotate(sort_day=Coalesce("date", Value(NO_DATE), output_field=models.DateField()))
        return qs.order_by("sort_day", "id") if ascending else qs.order_by("-sort_day", "-id")

    def after(self, day: datetime.date, pk: int, ascending: bool = False) -> IncidentQuerySet:
        """The listed incidents that come after the one at (day, pk) in that order (keyset paging)."""
        if ascending:
            return self.filter(Q(sort_day__gt=day) | Q(sort_day=day, id__gt=pk))
        return self.filter(Q(sort_day__lt=day) | Q(sort_day=day, id__lt=pk))

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

    def leads_of(self, matched: IncidentQuerySet) -> IncidentQuerySet:
        """One row per event with a report among `matched`: its lead report, if this queryset holds it
        (a report not linked yet stands for itself)."""
        events = Event.objects.live().filter(pk__in=matched.order_by().values("event_id"))
        alone = matched.order_by().filter(event__isnull=True).values("pk")
        return self.filter(Q(pk__in=events.values("lead_id")) | Q(pk__in=alone))

    def review_order(self) -> IncidentQuerySet:
        """The review queue's order: lowest confidence first, then newest, then by id (stable paging)."""
        return self.order_by("confidence", "-date", "id")

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
    # The real-world event this incident is a report of (Event.objects.link sets it when it is saved).
    event = models.ForeignKey(
        "Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    linked_by = models.CharField(max_length=12, choices=LinkedBy.choices, default=LinkedBy.MACHINE)
    # Whether the article states the date (else it is the publication's, and the event may be a day older).
    date_stated = models.BooleanField(default=True)
    # The uncertainty circle drawn around a precision-2 point with no area ("near X", "10 km west of X").
    radius_km = models.FloatField(default=0.0)
    link_score = models.FloatField(null=True, blank=True, help_text=_("The automatic link's score, 0–1."))

    objects = IncidentQuerySet.as_manager()
    # The audit trail; the area is left out because it is derived from the places and can be large, and the
    # event link because it is not the coded event: an event's rows say who placed its reports (linked_by,
    # lead_by_reviewer, archive_reason), but events keep no history of their own yet.
    history = HistoricalRecords(excluded_fields=["area", "event", "linked_by", "link_score"])

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

    def link_facts(self) -> linking.Facts:
        """Return what event linking compares of this incident (prefetch place_links for many)."""
        places = frozenset(link.place_id for link in self.place_links.all()) | (
            {self.place_id} if self.place_id else set()
        )
        first, last = linking.report_dates(self.date, self.date_precision, self.date_stated)
        kind = self.place.kind if self.place_id and self.place else ""
        return linking.Facts(
            lat=self.point.y,
            lon=self.point.x,
            geo_precision=self.geo_precision,
            first=first,
            last=last,
            event_type=self.event_type,
            actors=frozenset(self.actors),
            place_ids=places,
            scope_ids=linking.scope(places, get_index()),
            admin1=self.admin1_pcode,
            reach_km=max(linking.reach_km(kind, self.geo_precision, self.radius_km), self._area_reach_km()),
        )

    def _area_reach_km(self) -> float:
        """Return how far the incident's area polygon reaches from its point (0 without one)."""
        if self.geo_precision < 2 or self.area is None:
            return 0.0
        west, south, east, north = self.area.extent
        return linking.extent_km(self.point.y, self.point.x, (west, south, east, north))

    def successor(self) -> Incident | None:
        """The live incident this archived one ended up in, following moved_to; None if it went nowhere."""
        return successor_of(self)

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
            Event.objects.link(new)
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
            Event.objects.link(absorbed)
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
        Event.objects.link(self)
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


def successor_of(row: Any) -> Any:
    """Follow an archived row's moved_to chain to the live row it ended up in (None: it went nowhere)."""
    seen = {row.pk}
    current = row.moved_to
    while current is not None and current.archived_at is not None and current.pk not in seen:
        seen.add(current.pk)
        current = current.moved_to
    return current if current is not None and current.archived_at is None else None


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
COPIED = (*REVERTIBLE, "area", "confidence", "date_stated", "radius_km")
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
    "event_id": attrgetter("event_id"),
    "radius_km": attrgetter("radius_km"),
}
# `fields=min` of /api/incidents: what a marker needs, read from the incident row alone.
KEYS = {
    "full": tuple(FIELDS),
    "min": ("id", "event_type", "date", "geo_precision"),
    # What an event lists of each of its reports (Event.to_dict).
    "report": (
        "id", "article_id", "title", "source", "lang", "url", "published", "date", "date_precision",
        "geo_precision", "label_en", "label_ar", "fatalities", "review",
    ),
}  # fmt: skip
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


class FatalityRule(models.TextChoices):
    """How an event's fatality figure was chosen from its reports'."""

    LOWEST = "lowest", _("the lowest reported figure (ACLED's conservative rule)")
    HIGHEST = "highest", _("the highest reported figure")
    REVIEWER = "reviewer", _("set by a reviewer")


def link_thresholds() -> linking.Thresholds:
    """Return the linking thresholds of the settings."""
    return linking.Thresholds(
        near_km=settings.EVENT_LINK_NEAR_KM,
        day_slack=settings.EVENT_LINK_DAY_SLACK,
        min_score=settings.EVENT_LINK_MIN_SCORE,
        margin=settings.EVENT_LINK_MARGIN,
    )


# How far (km) from a report's point the spatial index looks for events at (about) the same place: a city's
# point and its neighbourhood's may be this far apart. Events that may hold the report (or that it may
# hold) are found by its governorate instead.
NEAR_BOX_KM = 13.0
# The fields linking reads of a candidate event.
LINK_FIELDS = (
    "point", "geo_precision", "date_first", "date_last", "event_type", "actors", "place_ids", "scope_ids",
    "admin1_pcode", "reach_km",
)  # fmt: skip
# Events spanning more days than this (a month- or year-precise report) are of span LONG, so that the date
# index scans only SHORT_SPAN_DAYS back for the others.
SHORT_SPAN_DAYS = 31
SHORT, LONG = 0, 1
MAX_SPAN_DAYS = 366  # a year-precise report's; the long ones are looked up this far back


class EventQuerySet(models.QuerySet):
    """Event filters, and the candidates automatic linking weighs."""

    def live(self) -> EventQuerySet:
        """Events not archived (their last report went away, or a reviewer merged them into another)."""
        return self.filter(archived_at__isnull=True)

    def dated_near(self, first: datetime.date, last: datetime.date, slack: int) -> EventQuerySet:
        """Events whose date range comes within `slack` days of [first, last] (a range scan of the index)."""
        low = first - datetime.timedelta(days=slack)
        high = last + datetime.timedelta(days=slack)
        recent = Q(
            span=SHORT, date_first__gte=low - datetime.timedelta(days=SHORT_SPAN_DAYS), date_first__lte=high
        )
        lasting = Q(
            span=LONG, date_first__gte=low - datetime.timedelta(days=MAX_SPAN_DAYS), date_first__lte=high
        )
        return self.filter(recent | lasting, date_last__gte=low)

    def around(self, lat: float, lon: float, km: float) -> EventQuerySet:
        """Events whose point lies in the box of `km` around a point (the spatial index answers it)."""
        dlat = km / 111.2
        dlon = km / (111.2 * max(0.1, math.cos(math.radians(lat))))
        table = self.model._meta.db_table
        sql, params = dialect(connections[self.db]).bbox_sql(
            table, "point", lon - dlon, lat - dlat, lon + dlon, lat + dlat
        )
        return self.extra(where=[sql], params=params)

    def candidates(self, facts: linking.Facts, th: linking.Thresholds) -> list[Event]:
        """Live events a report may belong to: near it in time, and near it or holding its governorate."""
        if facts.first is None or facts.last is None:
            return []
        timely = (
            self.live()
            .filter(held=False)
            .dated_near(facts.first, facts.last, th.day_slack)
            .order_by()
            .only(*LINK_FIELDS)
        )
        nearby = timely.around(facts.lat, facts.lon, max(NEAR_BOX_KM, th.near_km))
        if facts.admin1:
            wide = timely.filter(admin1_pcode=facts.admin1)
            wide = wide.filter(geo_precision__gte=2) if facts.geo_precision == 1 else wide
        else:
            wide = timely.around(
                facts.lat, facts.lon, max(facts.reach_km, linking.REACH_KM[types.GOVERNORATE])
            )
        return list({e.pk: e for e in [*nearby[:MAX_CANDIDATES], *wide[:MAX_CANDIDATES]]}.values())

    def link(self, incident: Incident) -> Event | None:
        """Put a saved incident in its event: keep a reviewer's choice, else link it to the best-matching
        live event or start one; a rejected or archived incident leaves its event. Return its event."""
        with transaction.atomic():
            old = self.select_for_update().filter(pk=incident.event_id).first() if incident.event_id else None
            if incident.archived_at is not None or incident.review == Review.REJECTED:
                target, score = None, None
            elif old is not None and old.archived_at is None and incident.linked_by == LinkedBy.REVIEWER:
                target, score = old, incident.link_score
            else:
                target, score = self._best_for(incident)
            Incident.objects.filter(pk=incident.pk).update(event=target, link_score=score)
            incident.event, incident.link_score = target, score
            for event in {e.pk: e for e in (old, target) if e is not None}.values():
                event.refresh(moved_to=target)
            return target

    def link_each(self, incidents: Iterable[Incident]) -> None:
        """Link each of these incidents in turn (see `link`)."""
        for incident in incidents:
            self.link(incident)

    def _best_for(self, incident: Incident) -> tuple[Event, float | None]:
        """Return the event a machine-linked incident belongs to (a new one if none fits) and the score."""
        th = link_thresholds()
        facts = incident.link_facts()
        events = {e.pk: e.link_facts() for e in self.candidates(facts, th)}
        links = linking.ranked(facts, events.items(), th)
        if links and not linking.ambiguous(facts, links, events, th):
            return self.get(pk=links[0].key), links[0].score
        # A report that fits several events joins none, and its event takes no others: it would draw
        # in the reports of each of the events it fits.
        held = bool(links)
        return self.create(
            point=incident.point, geo_precision=incident.geo_precision, lead=incident, held=held
        ), None


MAX_CANDIDATES = 200  # per query: a day's events in one area, far more than real data holds


class Event(models.Model):
    """A real-world event: its reports (incidents of one or more articles) combined.

    Its location and precision are its lead report's: the most precise report (a reviewed one before a
    machine one), unless a reviewer chose the lead. The date range spans its reports', the type, sub-type
    and actors are the lead's (actors: every report's), and the fatalities follow `fatality_rule`."""

    point = models.PointField(srid=4326)
    geo_precision = models.PositiveSmallIntegerField(choices=GeoPrecision.choices)
    label_en = models.CharField(max_length=300, blank=True)
    label_ar = models.CharField(max_length=300, blank=True)
    admin1_pcode = models.CharField(max_length=4, blank=True)
    admin2_pcode = models.CharField(max_length=6, blank=True)
    admin3_pcode = models.CharField(max_length=8, blank=True)
    date_first = models.DateField(null=True, blank=True)
    date_last = models.DateField(null=True, blank=True)
    # 1 if it spans more than SHORT_SPAN_DAYS (a number, not a boolean: SQLite reads `span = 0` from the
    # index, where Django would write a boolean test as `NOT long`, a scan).
    span = models.PositiveSmallIntegerField(default=0)
    event_type = models.CharField(max_length=60, blank=True)
    sub_event_type = models.CharField(max_length=60, blank=True)
    actors = models.JSONField(default=list, blank=True)
    fatalities = models.PositiveIntegerField(null=True, blank=True)
    fatality_rule = models.CharField(max_length=12, choices=FatalityRule.choices, default=FatalityRule.LOWEST)
    lead = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lead_by_reviewer = models.BooleanField(default=False)
    # Its first report fitted several events about equally: automatic linking adds no report to it.
    held = models.BooleanField(default=False)
    report_count = models.PositiveIntegerField(default=0)
    # What linking compares (geoparse.linking.Facts): every place its reports name, the places holding
    # them, and how far its location reaches.
    place_ids = models.JSONField(default=list, blank=True)
    scope_ids = models.JSONField(default=list, blank=True)
    reach_km = models.FloatField(default=0.0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Not indexed: nearly every event is live, and an index on it would lure SQLite from the date index.
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_reason = models.CharField(max_length=200, blank=True)
    moved_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date_first", "id"]
        indexes = [
            models.Index(fields=["span", "date_first"], name="event_dates"),
            models.Index(fields=["admin1_pcode", "date_first"], name="event_admin1_date"),
        ]

    def __str__(self) -> str:
        return f"event #{self.pk}: {self.event_type or 'event'} at {self.label_en or self.label_ar}"

    def to_dict(self) -> dict[str, Any]:
        """Serialize the event with its live reports (source, language, dates, links): its one JSON form."""
        reports = list(self.live_reports().select_related("article").order_by("date", "id"))
        return {
            "id": self.pk,
            "url": reverse("incidents:event", args=[self.pk]),
            "lat": round(self.point.y, 5),
            "lon": round(self.point.x, 5),
            "geo_precision": self.geo_precision,
            "label_en": self.label_en,
            "label_ar": self.label_ar,
            "admin1_pcode": self.admin1_pcode,
            "admin2_pcode": self.admin2_pcode,
            "admin3_pcode": self.admin3_pcode,
            "date_first": _iso(self.date_first),
            "date_last": _iso(self.date_last),
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actors": self.actors,
            "fatalities": self.fatalities,
            "fatality_rule": self.fatality_rule,
            "lead_id": self.lead_id,
            "lead_by_reviewer": self.lead_by_reviewer,
            "held": self.held,
            "report_count": self.report_count,
            "archived_at": self.archived_at.isoformat() if self.archived_at else None,
            "archive_reason": self.archive_reason,
            "moved_to": self.moved_to_id,
            "reports": [report_dict(r) for r in reports],
        }

    def successor(self) -> Event | None:
        """The live event this archived one ended up in, following moved_to; None if it went nowhere."""
        return successor_of(self)

    def live_reports(self) -> IncidentQuerySet:
        """Return the live reports of this event (a rejected report is in no event)."""
        return Incident.objects.live().filter(event=self).exclude(review=Review.REJECTED)

    def link_facts(self) -> linking.Facts:
        """Return what linking compares of this event."""
        return linking.Facts(
            lat=self.point.y,
            lon=self.point.x,
            geo_precision=self.geo_precision,
            first=self.date_first,
            last=self.date_last,
            event_type=self.event_type,
            actors=frozenset(self.actors),
            place_ids=frozenset(self.place_ids),
            scope_ids=frozenset(self.scope_ids),
            admin1=self.admin1_pcode,
            reach_km=self.reach_km,
        )

    def refresh(self, moved_to: Event | None = None) -> None:
        """Recompute the event from its live reports; archive it (pointing at `moved_to`) if none is left."""
        reports = list(
            self.live_reports()
            .select_related("article", "place")
            .defer("place__area")
            .prefetch_related("place_links")
        )
        if not reports:
            if self.archived_at is None:
                self.archived_at, self.archive_reason = timezone.now(), "its last report went away"
                self.moved_to = moved_to if moved_to is not None and moved_to.pk != self.pk else None
            self.report_count, self.lead = 0, None
            self.save()
            return
        self.archived_at, self.archive_reason, self.moved_to = None, "", None
        lead = self._choose_lead(reports)
        each = {r.pk: r.link_facts() for r in reports}
        facts = linking.combine(list(each.values()))
        # Two incidents of one article in one event are one report of it.
        self.lead, self.report_count = lead, len({r.article_id for r in reports})
        self.point, self.geo_precision = lead.point, lead.geo_precision
        self.label_en, self.label_ar = lead.label_en, lead.label_ar
        self.admin1_pcode, self.admin2_pcode, self.admin3_pcode = (
            lead.admin1_pcode, lead.admin2_pcode, lead.admin3_pcode
        )  # fmt: skip
        self.date_first, self.date_last = facts.first, facts.last
        lasting = facts.first and facts.last and (facts.last - facts.first).days > SHORT_SPAN_DAYS
        self.span = LONG if lasting else SHORT
        self.event_type = lead.event_type or facts.event_type
        self.sub_event_type = lead.sub_event_type
        self.actors = list(dict.fromkeys(a for r in reports for a in r.actors))
        self.place_ids, self.scope_ids = sorted(facts.place_ids), sorted(facts.scope_ids)
        self.reach_km = each[lead.pk].reach_km
        if self.fatality_rule != FatalityRule.REVIEWER:
            self.fatality_rule = settings.EVENT_FATALITIES
            figures = [r.fatalities for r in reports if r.fatalities is not None]
            self.fatalities = (
                (min if self.fatality_rule == FatalityRule.LOWEST else max)(figures) if figures else None
            )
        self.save()

    def _choose_lead(self, reports: list[Incident]) -> Incident:
        """Return the reviewer's lead if it is still a report, else the most precise, reviewed first."""
        if self.lead_by_reviewer:
            chosen = next((r for r in reports if r.pk == self.lead_id), None)
            if chosen is not None:
                return chosen
            self.lead_by_reviewer = False
        return min(
            reports,
            key=lambda r: (
                r.geo_precision,
                r.review == Review.MACHINE,
                -r.confidence,
                r.date or datetime.date.max,
                r.pk,
            ),
        )

    # Reviewer decisions: automatic linking never moves the reports they place.
    def merge(self, user: Any, other: Event) -> Event:
        """Move every report of another event into this one; the other is archived and points here."""
        if other.pk == self.pk:
            raise ValidationError({"other": _("An event cannot be merged into itself.")})
        with transaction.atomic():
            moved = list(other.live_reports().values_list("pk", flat=True))
            Incident.objects.filter(
                pk__in=[*moved, *self.live_reports().values_list("pk", flat=True)]
            ).update(event=self, linked_by=LinkedBy.REVIEWER, link_score=None)
            other.refresh(moved_to=self)
            other.archive_reason = f"merged into event #{self.pk} by {user.get_username()}"
            other.save(update_fields=["archive_reason"])
            self.held = False  # a reviewer decided what it holds
            self.refresh()
            return self

    def split(self, user: Any, report_ids: list[int]) -> Event:
        """Move these reports to a new event; every report of both stays where the reviewer left it."""
        with transaction.atomic():
            own = set(self.live_reports().values_list("pk", flat=True))
            chosen = set(report_ids)
            if not chosen or not chosen <= own:
                raise ValidationError({"reports": _("Choose reports of this event.")})
            if own <= chosen:
                raise ValidationError({"reports": _("Leave at least one report in this event.")})
            lead = Incident.objects.get(pk=min(chosen))
            new = Event.objects.create(point=lead.point, geo_precision=lead.geo_precision, lead=lead)
            Incident.objects.filter(pk__in=chosen).update(
                event=new, linked_by=LinkedBy.REVIEWER, link_score=None
            )
            Incident.objects.filter(pk__in=own - chosen).update(linked_by=LinkedBy.REVIEWER)
            self.refresh()
            new.refresh()
            return new

    def unlink(self, user: Any, report: Incident) -> Event:
        """Take one report out of this event into an event of its own; return the new event."""
        try:
            return self.split(user, [report.pk])
        except ValidationError as exc:  # name the parameter the caller sent
            raise ValidationError({"report": exc.message_dict["reports"]}) from exc

    def choose_lead(self, user: Any, report: Incident) -> Event:
        """Take the event's location from this report (a reviewer's choice, kept until they change it)."""
        if report.event_id != self.pk or report.archived_at is not None:
            raise ValidationError({"report": _("Choose a report of this event.")})
        self.lead, self.lead_by_reviewer = report, True
        self.refresh()
        return self

    def set_fatalities(self, user: Any, fatalities: int | None) -> Event:
        """Set the event's fatality figure as a reviewer's (None: back to the rule of the settings)."""
        if fatalities is None:
            self.fatality_rule = settings.EVENT_FATALITIES
        else:
            self.fatalities, self.fatality_rule = fatalities, FatalityRule.REVIEWER
        self.refresh()
        return self


def report_dict(report: Incident) -> dict[str, Any]:
    """What an event lists of one report: its incident, article, source, language and dates."""
    return {
        **report.to_dict("report"),
        "incident_url": report.get_absolute_url(),
        "linked_by": report.linked_by,
        "link_score": report.link_score,
    }
