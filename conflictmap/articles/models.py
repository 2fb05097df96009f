"""Articles as ingested, with their geocoding status."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Lang(models.TextChoices):
    AR = "ar", _("Arabic")
    EN = "en", _("English")


class ArticleQuerySet(models.QuerySet):
    def claim(self, article_id: int, worker: str) -> Article | None:
        """Mark a pending or processing article as this worker's; None if there is nothing to do."""
        claimable = self.filter(pk=article_id, status__in=[Status.PENDING, Status.PROCESSING])
        updated = claimable.update(
            status=Status.PROCESSING,
            status_at=timezone.now(),
            claimed_by=worker,
            attempts=F("attempts") + 1,
        )
        return self.get(pk=article_id) if updated else None

    def mark_failed(self, article_id: int, message: str) -> None:
        """Record why the article could not be geocoded."""
        self.filter(pk=article_id).update(
            status=Status.FAILED, status_at=timezone.now(), error=message[:2000]
        )

    def stale(self, worker: str = "") -> list[int]:
        """Ids of articles waiting too long, or claimed by a worker that just restarted."""
        cutoff = timezone.now() - datetime.timedelta(seconds=settings.ARTICLE_STALE_SECONDS)
        waiting = Q(status__in=[Status.PENDING, Status.PROCESSING], status_at__lt=cutoff)
        if worker:
            waiting |= Q(status=Status.PROCESSING, claimed_by=worker)
        return list(self.filter(waiting).values_list("pk", flat=True))


class Article(models.Model):
    """One news text, as ingested, with its geocoding status."""

    source = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    lang = models.CharField(max_length=2, choices=Lang.choices, blank=True)
    published = models.DateField(null=True, blank=True, db_index=True)
    ingested_at = models.DateTimeField(default=timezone.now, db_index=True)
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text=_("sha256 of the normalised body.")
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    status_at = models.DateTimeField(default=timezone.now, help_text=_("When the status last changed."))
    claimed_by = models.CharField(max_length=200, blank=True, help_text=_("Worker that last claimed it."))
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    geocoded_at = models.DateTimeField(null=True, blank=True)
    synthetic = models.BooleanField(
        default=False, db_index=True, help_text=_("Made up by seed_demo for scale testing, not news.")
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-ingested_at", "-id"]
        indexes = [models.Index(fields=["status", "status_at"], name="article_status_at")]

    def __str__(self) -> str:
        return self.title or self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    @property
    def is_settled(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)

    @property
    def direction(self) -> str:
        return "rtl" if self.lang == Lang.AR else "ltr"

    def mark_done(self, pipeline_warnings: tuple[str, ...] | list[str]) -> None:
        """Record a finished geocoding, replacing the warnings of any earlier run."""
        kept = [w for w in self.warnings if not w.startswith("geoparse: ")]
        self.warnings = kept + [f"geoparse: {w}" for w in pipeline_warnings]
        self.status, self.error = Status.DONE, ""
        self.status_at = self.geocoded_at = timezone.now()
        Article.objects.filter(pk=self.pk).update(
            status=self.status,
            status_at=self.status_at,
            error="",
            warnings=self.warnings,
            geocoded_at=self.geocoded_at,
        )
