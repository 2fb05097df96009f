"""ACLED's own events, imported from its CSV as a separate, read-only source layer beside ours."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conflictmap.incidents.aggregates import X, Y
from conflictmap.incidents.geocoding import TRANSIENT
from conflictmap.incidents.models import MapQuerySet
from gazetteer.models import AdminLocator

from .parse import AcledRecord, BadFile, BadRow, read_file

logger = logging.getLogger(__name__)

# Rows written per statement (and per P-code query): a chunk's INSERT stays far below both backends' limits.
CHUNK = 500
# progress(phase, rows done, rows in all or None while unknown); phases CHECKING then WRITING.
Progress = Callable[[str, int, int | None], None]
CHECKING, WRITING = "checking", "writing"
PROGRESS_EVERY = 1000
# The most events the map's layer draws at once (the newest); a wider filter says it was cut.
MAX_FEATURES = 20_000
# What the layer's popup shows of an event, besides its point.
FEATURE_FIELDS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
    "assoc_actor_2", "fatalities", "notes", "source", "location", "geo_precision", "admin1_pcode",
    "admin2_pcode", "admin3_pcode",
)  # fmt: skip


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, dry, would do): rows created, updated, and the bad ones skipped."""

    created: int
    updated: int
    bad: tuple[BadRow, ...]
    dry_run: bool = False

    @property
    def skipped(self) -> int:
        return len(self.bad)

    def line(self) -> str:
        verb = "would create" if self.dry_run else "created"
        return f"{verb} {self.created}, updated {self.updated}, skipped {self.skipped}"


class BadRows(Exception):
    """The file has bad rows and --skip-bad was not given: nothing was written."""

    def __init__(self, bad: Sequence[BadRow], good: int) -> None:
        super().__init__(
            f"{len(bad)} bad row(s) and {good} good one(s); nothing was imported "
            "(fix the rows, or skip them with --skip-bad)"
        )
        self.bad = tuple(bad)


class AcledEventQuerySet(MapQuerySet):
    """ACLED's events; the region, dates, box, drawn area, types and precisions are the map's (MapQuerySet)."""

    date_field = "event_date"

    def feature_collection(self, limit: int = MAX_FEATURES) -> dict[str, Any]:
        """The events as GeoJSON, newest first, at most `limit` of them (read as plain values)."""
        rows = (
            self.order_by("-event_date", "event_id_cnty")
            .annotate(lon=X("point"), lat=Y("point"))
            .values("lon", "lat", *FEATURE_FIELDS)[: limit + 1]
        )
        features = [feature(row) for row in rows]
        truncated = len(features) > limit
        return {
            "type": "FeatureCollection",
            "count": self.count() if truncated else len(features),
            "truncated": truncated,
            "features": features[:limit],
        }

    def import_file(
        self, path: Path, *, skip_bad: bool = False, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportSummary:
        """Create or update (by event_id_cnty) every row of an ACLED CSV file, with our admin P-codes.

        The whole file is checked first: if any row is bad, nothing is written (BadRows) unless `skip_bad`.
        The rows are then written in chunks of CHUNK, each in its own transaction, so that a long import
        does not hold the database's write lock throughout and its progress can be read meanwhile; the
        upsert makes a re-run after a failure finish the job. Raises parse.BadFile for an unreadable file.
        """
        report = progress or (lambda phase, done, total: None)
        bad, good = [], 0
        for item in read_file(path):
            if isinstance(item, BadRow):
                bad.append(item)
            else:
                good += 1
            if (good + len(bad)) % PROGRESS_EVERY == 0:
                report(CHECKING, good + len(bad), None)
        report(CHECKING, good + len(bad), good + len(bad))
        if bad and not skip_bad:
            raise BadRows(bad, good)
        created = updated = done = 0
        locator = AdminLocator()
        records = (item for item in read_file(path) if isinstance(item, AcledRecord))
        for chunk in chunked(records, CHUNK):
            new, old = self.would_upsert(chunk) if dry_run else self.upsert(chunk, locator)
            created, updated, done = created + new, updated + old, done + len(chunk)
            report(WRITING, done, good)
        return ImportSummary(created, updated, tuple(bad), dry_run)

    def would_upsert(self, records: Sequence[AcledRecord]) -> tuple[int, int]:
        """Return how many of the records would be created and how many updated."""
        known = self.filter(event_id_cnty__in=[r.event_id_cnty for r in records]).count()
        return len(records) - known, known

    def upsert(self, records: Sequence[AcledRecord], locator: AdminLocator) -> tuple[int, int]:
        """Create or update the records by event_id_cnty in one transaction; return (created, updated)."""
        points = [Point(r.longitude, r.latitude, srid=4326) for r in records]
        now = timezone.now()
        rows = [
            AcledEvent(**r.columns(), point=point, **codes, imported_at=now)
            for r, point, codes in zip(records, points, locator.codes(points), strict=True)
        ]
        with transaction.atomic(using=self.db):
            created, updated = self.would_upsert(records)
            self.bulk_create(
                rows, update_conflicts=True, unique_fields=["event_id_cnty"], update_fields=UPDATED_FIELDS
            )
        return created, updated


def feature(row: dict[str, Any]) -> dict[str, Any]:
    """One event's values as a GeoJSON Point Feature (coordinates to 5 decimals, ~1 m)."""
    lon, lat = round(row.pop("lon"), 5), round(row.pop("lat"), 5)
    row["event_date"] = row["event_date"].isoformat()
    return {
        "type": "Feature",
        "id": row["event_id_cnty"],
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": row,
    }


def chunked(items: Iterable[AcledRecord], size: int) -> Iterator[list[AcledRecord]]:
    """Yield lists of up to `size` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class AcledEvent(models.Model):
    """One ACLED event with ACLED's columns (and its id), read-only here; our admin P-codes are assigned
    at import from the gazetteer's admin polygons."""

    event_id_cnty = models.CharField(max_length=32, unique=True)
    event_date = models.DateField(db_index=True)
    year = models.PositiveSmallIntegerField()
    time_precision = models.PositiveSmallIntegerField(null=True, blank=True)
    disorder_type = models.CharField(max_length=100, blank=True)
    event_type = models.CharField(max_length=100, blank=True)
    sub_event_type = models.CharField(max_length=100, blank=True)
    actor1 = models.CharField(max_length=300, blank=True)
    assoc_actor_1 = models.TextField(blank=True)
    inter1 = models.CharField(max_length=100, blank=True)
    actor2 = models.CharField(max_length=300, blank=True)
    assoc_actor_2 = models.TextField(blank=True)
    inter2 = models.CharField(max_length=100, blank=True)
    interaction = models.CharField(max_length=200, blank=True)
    civilian_targeting = models.CharField(max_length=100, blank=True)
    iso = models.PositiveSmallIntegerField(null=True, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    admin1 = models.CharField(max_length=200, blank=True)
    admin2 = models.CharField(max_length=200, blank=True)
    admin3 = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=300, blank=True)
    point = models.PointField(srid=4326, help_text=_("ACLED's latitude and longitude."))
    geo_precision = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.TextField(blank=True)
    source_scale = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    fatalities = models.PositiveIntegerField(default=0)
    tags = models.TextField(blank=True)
    timestamp = models.BigIntegerField(null=True, blank=True, help_text=_("ACLED's last change (Unix time)."))
    admin1_pcode = models.CharField(max_length=4, blank=True, db_index=True)
    admin2_pcode = models.CharField(max_length=6, blank=True, db_index=True)
    admin3_pcode = models.CharField(max_length=8, blank=True, db_index=True)
    imported_at = models.DateTimeField()

    objects = AcledEventQuerySet.as_manager()

    class Meta:
        ordering = ["-event_date", "event_id_cnty"]
        verbose_name = _("ACLED event")
        verbose_name_plural = _("ACLED events")

    def __str__(self) -> str:
        return f"{self.event_id_cnty}: {self.event_type} at {self.location} on {self.event_date}"


# What a re-import overwrites: every column but the id.
UPDATED_FIELDS = [f.name for f in AcledEvent._meta.concrete_fields if f.name not in {"id", "event_id_cnty"}]


# The task that runs an upload's import, queued by name (it lives in tasks.py, which imports this module).
IMPORT_TASK = "conflictmap.acled.tasks.import_acled_file"
# The bad rows a job keeps to show (a file of bad rows would otherwise fill the row).
MAX_ERRORS = 200


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")


FINAL = (JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED)


class ImportJobQuerySet(models.QuerySet):
    def start(self, upload: UploadedFile, skip_bad: bool, user: Any) -> ImportJob:
        """Save an uploaded ACLED CSV under the upload folder and queue its import once the row is committed."""
        folder = Path(settings.ACLED_UPLOAD_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.csv"
        with path.open("wb") as out:
            for piece in upload.chunks():
                out.write(piece)
        job = self.create(
            path=str(path), original_name=(upload.name or "")[:255], skip_bad=skip_bad, created_by=user
        )
        transaction.on_commit(job.enqueue)
        return job


class ImportJob(models.Model):
    """One upload of ACLED's CSV, imported by the worker: its status, its progress and what went wrong."""

    path = models.CharField(max_length=500, help_text=_("The saved upload, removed once imported."))
    original_name = models.CharField(max_length=255, blank=True)
    skip_bad = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # CHECKING counts the rows read so far (total unknown), then WRITING the rows written of the good ones.
    phase = models.CharField(max_length=12, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=_("The bad rows, with line and reason."))
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"ACLED import #{self.pk} ({self.original_name}): {self.status}"

    def enqueue(self) -> None:
        """Send the job to the worker; if the broker is down, say so on the job (the admin uploads again)."""
        try:
            # Through the registry, not send_task: eager mode and test patches apply to the task object.
            current_app.tasks[IMPORT_TASK].delay(self.pk)
        except Exception as exc:  # any broker failure: the row is committed and would wait forever
            logger.warning("could not queue ACLED import %s", self.pk, exc_info=True)
            self.finish(JobStatus.FAILED, message=f"could not reach the task queue: {exc}")

    def run(self) -> str:
        """Import the saved file (what the worker's task calls); return the status it ends in.

        A transient error (database or broker briefly away) is raised for the task to retry; anything else
        ends the job: done, refused (bad file or bad rows) or failed."""
        if self.status in FINAL:
            return self.status  # delivered twice: already imported
        self.status, self.started_at = JobStatus.RUNNING, timezone.now()
        self.save(update_fields=["status", "started_at"])
        try:
            summary = AcledEvent.objects.import_file(
                Path(self.path), skip_bad=self.skip_bad, progress=self.record_progress
            )
        except TRANSIENT:
            raise
        except BadRows as exc:
            self.finish(JobStatus.REFUSED, message=str(exc), bad=exc.bad)
        except (BadFile, OSError) as exc:
            self.finish(JobStatus.REFUSED, message=str(exc))
        except Exception as exc:  # a bug: record it on the job rather than leave it running
            logger.exception("ACLED import %s failed", self.pk)
            self.finish(JobStatus.FAILED, message=f"{type(exc).__name__}: {exc}")
        else:
            self.created, self.updated, self.skipped = summary.created, summary.updated, summary.skipped
            self.finish(JobStatus.DONE, message=summary.line(), bad=summary.bad)
        return self.status

    def record_progress(self, phase: str, done: int, total: int | None) -> None:
        """Store how far the import is (each chunk commits on its own, so the page polling sees it)."""
        self.phase, self.rows_done, self.rows_total = phase, done, total
        ImportJob.objects.filter(pk=self.pk).update(phase=phase, rows_done=done, rows_total=total)

    def finish(self, status: str, message: str = "", bad: Sequence[BadRow] = ()) -> None:
        """End the job and remove its file."""
        self.status, self.message, self.finished_at = status, message, timezone.now()
        self.errors = [str(row) for row in bad[:MAX_ERRORS]]
        self.save()
        Path(self.path).unlink(missing_ok=True)

    def to_dict(self) -> dict[str, Any]:
        """The job as its page polls it."""
        return {
            "id": self.pk,
            "status": self.status,
            "final": self.status in FINAL,
            "phase": self.phase,
            "rows_done": self.rows_done,
            "rows_total": self.rows_total,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": self.errors,
            "more_errors": max(0, self.skipped - len(self.errors)) if self.status == JobStatus.DONE else 0,
            "message": self.message,
            "events_url": reverse("admin:acled_acledevent_changelist"),
        }
