"""ACLED's events in the admin: read-only (they change only by importing ACLED's CSV again)."""

from __future__ import annotations

from django.contrib.gis import admin
from django.http import HttpRequest

from gazetteer.admin import OfflineMapWidget

from .models import AcledEvent


@admin.register(AcledEvent)
class AcledEventAdmin(admin.GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = (
        "event_id_cnty", "event_date", "event_type", "sub_event_type", "location", "admin1_pcode",
        "admin2_pcode", "fatalities", "imported_at",
    )  # fmt: skip
    list_filter = ("event_type", "admin1_pcode", "geo_precision")
    search_fields = ("event_id_cnty", "location", "actor1", "actor2", "notes")
    date_hierarchy = "event_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AcledEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AcledEvent | None = None) -> bool:
        return False
