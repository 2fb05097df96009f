"""The changes feed: each recorded save of an incident, and of the places and names analysts made, with who,
when, why and the fields before and after; filtered by date, kind, user and region, paged by a cursor
(newest first, or oldest first to catch up after an export). The incident page's history is the same rows.

Who sees what: coders see every incident change; other readers see the changes of the incidents whose review
state they may read now (`Incident.objects.readable_by`: not rejected, not machine unless
SHOW_MACHINE_TO_VIEWERS), archived ones included, so a merge or a re-run's drop reaches them. Place and name
changes are public, as the gazetteer is: those of analysts' places and names, and any a person made."""

from __future__ import annotations

import base64
import binascii
import datetime
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conflictmap.accounts.roles import CAN_CODE
from gazetteer.models import ANALYST_SOURCE, NameOrigin, Place, PlaceName, region_condition

from .models import UNLISTED, Incident, change_reason, describe_change, field_changes

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Kind(models.TextChoices):
    """What a change did: an incident's kind comes from its history row (incident_kind())."""

    CREATED = "created", _("created")
    CORRECTED = "corrected", _("corrected")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    MERGED = "merged", _("merged")
    SPLIT = "split", _("split")
    REVERTED = "reverted", _("reverted")
    ARCHIVED = "archived", _("archived")
    PIPELINE = "pipeline", _("pipeline")
    DELETED = "deleted", _("deleted")
    PLACE = "place", _("place")
    NAME = "name", _("name")


def incident_kind() -> Case:
    """The kind of an incident's history row, from its type and change reason: the one place that decides.

    The review actions name their reasons ("merged #N", "split into #N", "reverted to version N", …);
    the pipeline's saves carry "pipeline" or no reason and no user."""
    reason = "history_change_reason"
    return Case(
        When(history_type="-", then=Value(Kind.DELETED.value)),
        When(**{f"{reason}__startswith": "merged"}, then=Value(Kind.MERGED.value)),
        When(**{f"{reason}__startswith": "split"}, then=Value(Kind.SPLIT.value)),
        When(**{f"{reason}__startswith": "reverted"}, then=Value(Kind.REVERTED.value)),
        When(**{f"{reason}__startswith": "rejected"}, then=Value(Kind.REJECTED.value)),
        When(**{reason: "confirmed"}, then=Value(Kind.CONFIRMED.value)),
        When(**{reason: "corrected"}, then=Value(Kind.CORRECTED.value)),
        # Any other save that leaves the incident archived is a re-run dropping it.
        When(archived_at__isnull=False, then=Value(Kind.ARCHIVED.value)),
        When(history_type="+", then=Value(Kind.CREATED.value)),
        When(
            Q(**{f"{reason}__startswith": "pipeline"}) | Q(history_user__isnull=True),
            then=Value(Kind.PIPELINE.value),
        ),
        # What else a person saves (in the admin site) corrects the incident.
        default=Value(Kind.CORRECTED.value),
        output_field=models.CharField(),
    )


@dataclass(frozen=True)
class Cursor:
    """A position in the feed: the (time, stream, history id) of the last change a page gave."""

    at: datetime.datetime
    rank: int
    history_id: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.rank}|{self.history_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor `encode` wrote; raise ValueError for anything else."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at, rank, history_id = raw.split("|")
            cursor = cls(datetime.datetime.fromisoformat(at), int(rank), int(history_id))
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(text) from exc
        if cursor.at.tzinfo is None or cursor.rank not in range(len(STREAMS)):
            raise ValueError(text)
        return cursor


@dataclass(frozen=True)
class Change:
    """One change as the feed and the incident page show it."""

    kind: str
    at: datetime.datetime
    by: str  # the username; empty for the pipeline
    object: str  # "incident", "place" or "name"
    id: int
    path: str
    label_en: str
    label_ar: str
    version: int | None
    reason: str
    fields: list[dict[str, Any]]
    history_id: int
    rank: int

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def cursor(self) -> str:
        return Cursor(self.at, self.rank, self.history_id).encode()

    def to_dict(self, absolute: Callable[[str], str]) -> dict[str, Any]:
        """The change as the API gives it, its URL made absolute by `absolute`."""
        return {
            "kind": self.kind,
            "at": self.at.isoformat(),
            "by": self.by or None,
            "object": self.object,
            "id": self.id,
            "url": absolute(self.path),
            "label": self.label_en or self.label_ar,
            "version": self.version,
            "reason": self.reason,
            "fields": self.fields,
        }


@dataclass(frozen=True)
class ChangeQuery:
    """What the feed was asked for (validated by forms.ChangesForm)."""

    since: datetime.datetime | None = None
    kinds: tuple[str, ...] = ()
    region: str = ""
    user: str = ""
    ascending: bool = False
    cursor: Cursor | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class Page:
    count: int
    changes: list[Change]
    next_cursor: str | None


def _incident_rows(viewer: Any) -> QuerySet:
    rows = Incident.history.annotate(change_kind=incident_kind())
    if viewer.has_perm(CAN_CODE):
        return rows  # coders see every change, those of deleted incidents too
    return rows.filter(id__in=Incident.objects.readable_by(viewer).values("pk"))


def _place_rows(viewer: Any) -> QuerySet:
    rows = Place.history.filter(Q(source=ANALYST_SOURCE) | Q(history_user__isnull=False))
    return rows.annotate(change_kind=Value(Kind.PLACE.value))


def _name_rows(viewer: Any) -> QuerySet:
    rows = PlaceName.history.filter(Q(origin=NameOrigin.ANALYST) | Q(history_user__isnull=False))
    return rows.annotate(change_kind=Value(Kind.NAME.value))


def _incident_change(record: Any, previous: Any, rank: int) -> Change:
    told = describe_change(record, previous)
    return Change(
        record.change_kind, record.history_date, told["by"], "incident", record.id,
        reverse("incidents:page", args=[record.id]), record.label_en, record.label_ar, record.version,
        told["reason"], told["fields"], record.history_id, rank,
    )  # fmt: skip


def _place_change(record: Any, previous: Any, rank: int) -> Change:
    return Change(
        record.change_kind, record.history_date, _username(record), "place", record.id,
        reverse("gazetteer:place", args=[record.id]), record.name_en, record.name_ar, None,
        change_reason(record), field_changes(record, previous, UNLISTED), record.history_id, rank,
    )  # fmt: skip


def _name_change(record: Any, previous: Any, rank: int) -> Change:
    arabic = record.lang == "ar"
    return Change(
        record.change_kind, record.history_date, _username(record), "name", record.id,
        reverse("gazetteer:place", args=[record.place_id]), "" if arabic else record.name,
        record.name if arabic else "", None, change_reason(record), field_changes(record, previous, UNLISTED),
        record.history_id, rank,
    )  # fmt: skip


def _username(record: Any) -> str:
    return record.history_user.get_username() if record.history_user else ""


@dataclass(frozen=True)
class Stream:
    """One model's history in the feed: its rows for a viewer and how a row reads as a Change."""

    rows: Callable[[Any], QuerySet]
    describe: Callable[[Any, Any, int], Change]
    region_through: str = ""  # the relation whose admin codes place a row in a region


STREAMS = (
    Stream(_incident_rows, _incident_change),
    Stream(_place_rows, _place_change),
    Stream(_name_rows, _name_change, region_through="place__"),
)
INCIDENTS = 0  # the incidents' stream, first: at one instant its changes come before places' and names'


def _filtered(stream: Stream, query: ChangeQuery, viewer: Any) -> QuerySet:
    rows = stream.rows(viewer)
    if query.since:
        rows = rows.filter(history_date__gte=query.since)
    if query.kinds:
        rows = rows.filter(change_kind__in=query.kinds)
    if query.user:
        rows = rows.filter(history_user__username=query.user)
    if query.region:
        rows = rows.filter(region_condition(query.region, stream.region_through))
    return rows


def _past(cursor: Cursor, rank: int, ascending: bool) -> Q:
    """Rows after the cursor in the feed's order: by time, then stream, then history id."""
    op = "gt" if ascending else "lt"
    if rank == cursor.rank:
        tie = Q(**{f"history_id__{op}": cursor.history_id})
    elif (rank > cursor.rank) == ascending:
        tie = Q()
    else:
        tie = Q(pk__in=[])
    return Q(**{f"history_date__{op}": cursor.at}) | (Q(history_date=cursor.at) & tie)


def _ordered(rows: QuerySet, ascending: bool) -> QuerySet:
    """Rows in the feed's order, each with the id of the record before it (for the fields changed)."""
    earlier = rows.model._default_manager.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
    previous = earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
    order = ("history_date", "history_id") if ascending else ("-history_date", "-history_id")
    return rows.annotate(previous_id=Subquery(previous)).select_related("history_user").order_by(*order)


def _describe(rank: int, records: list[Any]) -> list[Change]:
    """Describe one stream's records, reading the records before them in one query."""
    if not records:
        return []
    model = records[0]._meta.model
    before = model._default_manager.in_bulk([r.previous_id for r in records if r.previous_id])
    return [STREAMS[rank].describe(r, before.get(r.previous_id), rank) for r in records]


def feed(query: ChangeQuery, viewer: Any) -> Page:
    """The page of changes the query asks for, the count of all that match, and the cursor of the next page."""
    count = 0
    streams: list[Iterable[tuple[tuple[Any, int, int], int, Any]]] = []
    for rank, stream in enumerate(STREAMS):
        rows = _filtered(stream, query, viewer)
        count += rows.count()
        if query.cursor:
            rows = rows.filter(_past(query.cursor, rank, query.ascending))
        taken = _ordered(rows, query.ascending)[: query.limit + 1]
        streams.append([((r.history_date, rank, r.history_id), rank, r) for r in taken])
    merged = list(heapq.merge(*streams, key=lambda t: t[0], reverse=not query.ascending))[: query.limit + 1]
    shown = merged[: query.limit]
    described = {
        (rank, c.history_id): c
        for rank in range(len(STREAMS))
        for c in _describe(rank, [r for _key, k, r in shown if k == rank])
    }
    changes = [described[(rank, record.history_id)] for _key, rank, record in shown]
    more = len(merged) > query.limit
    return Page(count, changes, changes[-1].cursor if more and changes else None)


def incident_history(incident: Incident) -> list[Change]:
    """Every recorded save of the incident, newest first."""
    rows = _ordered(incident.history.annotate(change_kind=incident_kind()), ascending=False)
    return _describe(INCIDENTS, list(rows))
