"""Articles as ingested, and the place mentions the geoparser found in them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoparse import types


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Lang(models.TextChoices):
    AR = "ar", _("Arabic")
    EN = "en", _("English")


class Role(models.TextChoices):
    INCIDENT = types.INCIDENT, _("incident location")
    CONTEXT = types.CONTEXT, _("context")
    REPORTING = types.REPORTING, _("reporting location")


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


class Mention(models.Model):
    """A stretch of an article's body that names a place, resolved or not."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    normalized = models.CharField(max_length=500, blank=True)
    place = models.ForeignKey(
        "gazetteer.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CONTEXT)
    score = models.FloatField(default=0.0)

    class Meta:
        ordering = ["article", "start", "end"]

    def __str__(self) -> str:
        return f"{self.text} [{self.start}:{self.end}] {self.role}"
