"""Admin for articles: saving one through the admin queues it like every other ingestion path."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from . import ingest
from .models import Article, Status
from .queue import enqueue, requeue


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ("title", "body", "lang", "published", "source", "url")

    def clean_body(self) -> str:
        """Apply the same checks as every other path, and refuse a text that is already stored."""
        try:
            self.cleaned = ingest.clean_body(self.cleaned_data["body"])
        except ingest.Rejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        twin = Article.objects.filter(content_hash=ingest.content_hash(self.cleaned.body))
        if self.instance.pk:
            twin = twin.exclude(pk=self.instance.pk)
        if twin.exists():
            raise forms.ValidationError(f"the same text is already stored as article {twin.first().pk}")
        return self.cleaned.body


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("id", "title", "lang", "published", "source", "status", "attempts", "ingested_at")
    list_filter = ("status", "lang", "source")
    search_fields = ("title", "body", "url")
    date_hierarchy = "ingested_at"
    readonly_fields = (
        "content_hash",
        "status",
        "status_at",
        "claimed_by",
        "attempts",
        "error",
        "warnings",
        "geocoded_at",
        "ingested_at",
    )
    actions = ["regeocode"]

    def save_model(self, request, obj: Article, form, change) -> None:
        """Hash the cleaned body and queue geocoding whenever the text changes."""
        clean = form.cleaned
        obj.lang, obj.warnings = clean.lang, clean.warnings
        obj.content_hash = ingest.content_hash(obj.body)
        text_changed = not change or "body" in form.changed_data
        if text_changed:
            obj.status = Status.PENDING
        super().save_model(request, obj, form, change)
        if text_changed:
            transaction.on_commit(lambda: enqueue(obj.pk))

    @admin.action(description="Geocode again")
    def regeocode(self, request, queryset) -> None:
        queued = requeue(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{queued} article(s) queued.")
