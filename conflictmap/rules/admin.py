"""Admin for the rule tables: search, filters, aliases inline, Arabic typed and shown right-to-left."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from .models import Actor, ActorAlias, EventRule, NotPlace

# dir="auto" lets the browser lay each value out by its own script, so Arabic reads right-to-left.
AUTO_DIR = {
    models.CharField: {"widget": forms.TextInput(attrs={"dir": "auto"})},
    models.TextField: {"widget": forms.Textarea(attrs={"dir": "auto", "rows": 3})},
}


@admin.register(EventRule)
class EventRuleAdmin(admin.ModelAdmin):
    list_display = ("keyword", "event_type", "sub_event_type", "language", "priority", "active", "updated_at")
    list_display_links = ("keyword",)
    list_editable = ("active",)
    list_filter = ("event_type", "language", "active", "sub_event_type")
    search_fields = ("keyword", "sub_event_type", "note")
    fields = (
        "event_type",
        "sub_event_type",
        "keyword",
        "language",
        "priority",
        "active",
        "note",
        "updated_at",
    )
    readonly_fields = ("updated_at",)
    formfield_overrides = AUTO_DIR
    list_per_page = 100


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1
    fields = ("alias", "language")
    formfield_overrides = AUTO_DIR


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "name_ar", "kind", "alias_count", "active", "updated_at")
    list_editable = ("active",)
    list_filter = ("kind", "active")
    search_fields = ("name", "name_ar", "aliases__alias", "note")
    fields = ("name", "name_ar", "kind", "active", "note")
    inlines = (ActorAliasInline,)
    formfield_overrides = AUTO_DIR

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actor]:
        return super().get_queryset(request).annotate(alias_total=Count("aliases"))

    @admin.display(description="aliases", ordering="alias_total")
    def alias_count(self, obj: Actor) -> int:
        return obj.alias_total  # type: ignore[attr-defined]


@admin.register(NotPlace)
class NotPlaceAdmin(admin.ModelAdmin):
    list_display = ("form", "normalized", "added_by", "added_at")
    search_fields = ("form", "normalized", "note")
    readonly_fields = ("normalized", "added_by", "added_at")
    formfield_overrides = AUTO_DIR

    def save_model(self, request: HttpRequest, obj: NotPlace, form: forms.ModelForm, change: bool) -> None:
        """Stamp words added here with their author."""
        if not change and request.user.is_authenticated:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
