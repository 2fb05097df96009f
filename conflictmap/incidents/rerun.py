"""A re-run of the pipeline over an article: a plan matching the new result to what is stored, then its apply.

The plan never touches a reviewed incident (confirmed, corrected or rejected): a draft that is the same
event as one is dropped, so a re-run makes no duplicate of it and never brings a rejected one back. Machine
incidents found again are updated in place and keep their ids; machine incidents not found again are
archived (their URL keeps answering, with where they went); drafts matching nothing are created.

"The same event", for a draft and a live incident of the same article, from the strongest:
  3. the draft's point place is the incident's place;
  2. the draft's point place is among the incident's places (its IncidentPlace links);
  1. neither, but the same rank and the same event type (the place moved, e.g. after a gazetteer fix).
Pairs are matched greedily, strongest first; ties go to the same event type, then the same date, then a
reviewed incident before a machine one, then the nearest rank. Each draft and each incident is matched once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from conflictmap.articles.models import Article

from .models import REVIEWED, Incident, IncidentPlace, Mention, Review

# The history_change_reason of every incident row the pipeline writes.
PIPELINE = "pipeline"
# What a re-run sets on a machine incident: the fields build_incident fills in from a draft.
PIPELINE_FIELDS = (
    "rank", "date", "date_precision", "point", "area", "place", "label_en", "label_ar", "admin1_pcode",
    "admin2_pcode", "admin3_pcode", "geo_precision", "event_type", "sub_event_type", "actors",
    "fatalities", "summary", "confidence", "date_stated", "radius_km",
)  # fmt: skip
ATTNAME = {name: Incident._meta.get_field(name).attname for name in PIPELINE_FIELDS}
# A change of the incident's place links shows under this name (it is not a column of the incident).
PLACES = "place_ids"
# Coordinates closer than this (degrees) are the same: a database round trip may shift the last bits.
TOLERANCE = 1e-9
# The columns an archive sets, besides the version and updated_at every write bumps.
ARCHIVE_FIELDS = ("archived_at", "archive_reason", "moved_to")


class PlanOutdated(Exception):
    """An incident or mention the plan writes was reviewed, edited or archived after the plan was made."""


@dataclass(frozen=True)
class Draft:
    """One incident of the new result, built but not saved, with its places and its mentions' indexes."""

    row: Incident
    place_ids: tuple[int, ...]  # its point's place first
    mentions: tuple[int, ...]  # indexes into Plan.mentions


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Update:
    """A machine incident found again: the draft it matched and what differs (nothing: kept as it is)."""

    incident: Incident
    draft: Draft
    changes: tuple[Change, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)


@dataclass(frozen=True)
class Archive:
    """A machine incident the re-run did not find again, and the incident that covers its place, if any."""

    incident: Incident
    reason: str
    moved_to: Incident | None  # a created draft's row (saved by apply) or a matched incident


@dataclass(frozen=True)
class Plan:
    """What storing a new result over an article's earlier run does; plan() makes it, apply() writes it once."""

    article: Article
    created: tuple[Draft, ...]
    updated: tuple[Update, ...]
    kept: tuple[Update, ...]
    archived: tuple[Archive, ...]
    reviewed: tuple[Incident, ...]  # left alone, every one
    dropped: tuple[tuple[Draft, Incident], ...]  # drafts that are a reviewed incident's event
    mentions: tuple[Mention, ...]  # one per result mention: a kept row, or a new one apply() saves
    stale_mentions: tuple[int, ...]  # the rows the result's mentions replace

    def to_link(self) -> list[Incident]:
        """The incidents whose event may have changed: those written, archived, or never linked yet."""
        kept = [u.incident for u in self.kept if u.incident.event_id is None]
        written = [d.row for d in self.created] + [u.incident for u in self.updated]
        return [*written, *kept, *(a.incident for a in self.archived)]

    def counts(self) -> Counter[str]:
        """How many incidents it creates, updates, archives, keeps and leaves alone, and drafts it drops."""
        return Counter(
            created=len(self.created),
            updated=len(self.updated),
            archived=len(self.archived),
            kept=len(self.kept),
            reviewed=len(self.reviewed),
            dropped=len(self.dropped),
        )

    def describe(self) -> list[str]:
        """Report lines: the article's counts, then one line per created, updated, archived or dropped one."""
        lines = [f"article {self.article.pk}: {summarize(self.counts())}"]
        lines += [f"  created {name_of(d.row)}: {d.row.label_en or d.row.label_ar}" for d in self.created]
        lines += [f"  updated #{u.incident.pk}: {', '.join(u.fields)}" for u in self.updated]
        for archive in self.archived:
            target = f", moved to {name_of(archive.moved_to)}" if archive.moved_to else ""
            lines.append(f"  archived #{archive.incident.pk}{target}")
        lines += [
            f"  dropped draft {d.row.rank}: the same event as #{i.pk} ({i.review})" for d, i in self.dropped
        ]
        return lines


def name_of(incident: Incident) -> str:
    return f"#{incident.pk}" if incident.pk else f"new incident {incident.rank}"


def summarize(counts: Counter[str]) -> str:
    """One line of counts, for an article or a whole run."""
    return (
        f"created {counts['created']}, updated {counts['updated']}, archived {counts['archived']}, "
        f"unchanged {counts['kept']}, reviewed left alone {counts['reviewed']}, "
        f"drafts dropped as reviewed {counts['dropped']}"
    )


def plan(article: Article, drafts: list[Draft], mentions: list[Mention]) -> Plan:
    """Match the new drafts and mention rows to the article's stored ones; write nothing."""
    live = list(article.incidents.live().prefetch_related("place_links").order_by("rank", "pk"))
    links = {i.pk: [link.place_id for link in i.place_links.all()] for i in live}
    places = {i.pk: {*links[i.pk], *([i.place_id] if i.place_id else [])} for i in live}
    pairs = match(drafts, live, places)
    reviewed = tuple(i for i in live if i.review in REVIEWED)
    matched = [
        Update(pairs[d], draft, differences(pairs[d], draft, links[pairs[d].pk]))
        for d, draft in enumerate(drafts)
        if d in pairs and pairs[d].review == Review.MACHINE
    ]
    created = tuple(draft for d, draft in enumerate(drafts) if d not in pairs)
    found = {pairs[d].pk for d in pairs}
    reason = f"dropped by the re-run of {timezone.localdate().isoformat()}"
    targets = [(d.row, set(d.place_ids)) for d in created] + [
        (u.incident, set(u.draft.place_ids)) for u in matched
    ]
    targets.sort(key=lambda target: target[0].rank)
    archived = tuple(
        Archive(i, reason, successor(i, places[i.pk], targets))
        for i in live
        if i.review == Review.MACHINE and i.pk not in found
    )
    kept_mentions, stale = plan_mentions(article, reviewed, mentions)
    return Plan(
        article=article,
        created=created,
        updated=tuple(u for u in matched if u.changes),
        kept=tuple(u for u in matched if not u.changes),
        archived=archived,
        reviewed=reviewed,
        dropped=tuple(
            (draft, pairs[d]) for d, draft in enumerate(drafts) if d in pairs and pairs[d].review in REVIEWED
        ),
        mentions=kept_mentions,
        stale_mentions=stale,
    )


def affinity(draft: Draft, incident: Incident, places: set[int]) -> int:
    """How surely the draft is the incident's event: 3, 2 or 1 as the module says; 0 for not the same."""
    point_place = draft.row.place_id
    if point_place is not None and point_place == incident.place_id:
        return 3
    if point_place in places:
        return 2
    return int(draft.row.rank == incident.rank and draft.row.event_type == incident.event_type)


def match(drafts: list[Draft], incidents: list[Incident], places: dict[int, set[int]]) -> dict[int, Incident]:
    """Pair draft indexes with the incidents that are the same event, greedily, strongest pairs first."""
    scored = []
    for d, draft in enumerate(drafts):
        row = draft.row
        for incident in incidents:
            strength = affinity(draft, incident, places[incident.pk])
            if strength:
                key = (
                    -strength,
                    incident.event_type != row.event_type,
                    incident.date != row.date,
                    incident.review == Review.MACHINE,
                    abs(incident.rank - row.rank),
                    d,
                    incident.pk,
                )
                scored.append((key, d, incident))
    pairs: dict[int, Incident] = {}
    taken: set[int] = set()
    for _, d, incident in sorted(scored, key=lambda s: s[0]):
        if d not in pairs and incident.pk not in taken:
            pairs[d] = incident
            taken.add(incident.pk)
    return pairs


def same(before: Any, after: Any) -> bool:
    """Equal values; geometries equal to within TOLERANCE, or the same shape with its vertices reordered."""
    if isinstance(before, GEOSGeometry) and isinstance(after, GEOSGeometry):
        return before.equals_exact(after, TOLERANCE) or before.equals(after)
    return before == after


def differences(incident: Incident, draft: Draft, links: list[int]) -> tuple[Change, ...]:
    """The pipeline fields, and the place links, where the draft differs from the stored incident."""
    changes = [
        Change(name, getattr(incident, attname), getattr(draft.row, attname))
        for name, attname in ATTNAME.items()
        if not same(getattr(incident, attname), getattr(draft.row, attname))
    ]
    if tuple(links) != draft.place_ids:
        changes.append(Change(PLACES, tuple(links), draft.place_ids))
    return tuple(changes)


def successor(
    incident: Incident, places: set[int], targets: list[tuple[Incident, set[int]]]
) -> Incident | None:
    """The first new or matched incident (by rank) naming the archived one's place, else sharing a place."""
    own = [row for row, covered in targets if incident.place_id in covered]
    shared = [row for row, covered in targets if places & covered]
    return (own or shared or [None])[0]


def plan_mentions(
    article: Article, reviewed: Iterable[Incident], built: list[Mention]
) -> tuple[tuple[Mention, ...], tuple[int, ...]]:
    """Keep the mentions an analyst decided or a reviewed incident cites; the result's others replace the rest."""
    through = Incident.mentions.through
    cited = set(through.objects.filter(incident__in=list(reviewed)).values_list("mention_id", flat=True))
    existing = list(article.mentions.all())
    kept = [m for m in existing if m.decision or m.pk in cited]
    by_span = {(m.start, m.end): m for m in kept}
    rows = tuple(by_span.get((m.start, m.end), m) for m in built)
    kept_ids = {m.pk for m in kept}
    return rows, tuple(m.pk for m in existing if m.pk not in kept_ids)


def apply(plan: Plan) -> None:
    """Write the plan in one transaction, with a "pipeline" history row for each incident it writes."""
    with transaction.atomic():
        check_current(plan)
        Mention.objects.filter(pk__in=plan.stale_mentions).delete()
        Mention.objects.bulk_create([m for m in plan.mentions if m.pk is None])
        bulk_create_with_history([d.row for d in plan.created], Incident, default_change_reason=PIPELINE)
        write_changes(plan)
        relink(plan)


def check_current(plan: Plan) -> None:
    """Raise PlanOutdated if what the plan writes changed since it was made: the reviewer's edit wins."""
    expected = {u.incident.pk: u.incident.version for u in (*plan.updated, *plan.kept)}
    expected |= {a.incident.pk: a.incident.version for a in plan.archived}
    current = Incident.objects.select_for_update().filter(
        pk__in=expected, review=Review.MACHINE, archived_at__isnull=True
    )
    decided = Mention.objects.select_for_update().filter(pk__in=plan.stale_mentions).exclude(decision="")
    if (expected and dict(current.values_list("pk", "version")) != expected) or (
        plan.stale_mentions and decided.exists()
    ):
        raise PlanOutdated(f"article {plan.article.pk} changed while it was being geocoded")


def write_changes(plan: Plan) -> None:
    """Update the changed machine incidents and archive the dropped ones, bumping each one's version."""
    now = timezone.now()
    fields = {"version", "updated_at"}
    for update in plan.updated:
        for change in update.changes:
            if change.field != PLACES:
                setattr(update.incident, ATTNAME[change.field], change.after)
                fields.add(change.field)
    for archive in plan.archived:
        archive.incident.archived_at = now
        archive.incident.archive_reason = archive.reason
        archive.incident.moved_to_id = archive.moved_to.pk if archive.moved_to else None
        fields.update(ARCHIVE_FIELDS)
    rows = [u.incident for u in plan.updated] + [a.incident for a in plan.archived]
    for row in rows:
        row.version += 1
        row.updated_at = now
    if rows:
        bulk_update_with_history(rows, Incident, sorted(fields), default_change_reason=PIPELINE)


def relink(plan: Plan) -> None:
    """Link the created and matched incidents to their places and mentions, in the pipeline's order."""
    moved = [u for u in plan.updated if PLACES in u.fields]
    IncidentPlace.objects.filter(incident__in=[u.incident for u in moved]).delete()
    IncidentPlace.objects.bulk_create(
        IncidentPlace(incident_id=row.pk, place_id=pid, rank=rank)
        for row, draft in [*((d.row, d) for d in plan.created), *((u.incident, u.draft) for u in moved)]
        for rank, pid in enumerate(draft.place_ids)
    )
    for update in moved:  # forget the links plan() prefetched: linking reads the new ones
        update.incident.refresh_from_db(fields=["place_links"])
    matched = [*plan.updated, *plan.kept]
    through = Incident.mentions.through
    through.objects.filter(incident__in=[u.incident for u in matched]).delete()
    through.objects.bulk_create(
        through(incident_id=row.pk, mention_id=plan.mentions[i].pk)
        for row, draft in [*((d.row, d) for d in plan.created), *((u.incident, u.draft) for u in matched)]
        for i in dict.fromkeys(draft.mentions)
        if 0 <= i < len(plan.mentions)
    )
