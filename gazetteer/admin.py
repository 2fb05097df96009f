"""Django admin for places and their names, with a map widget that works offline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.forms.widgets import OpenLayersWidget
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from geoparse.normalize import normalize

from .models import NameOrigin, Place, PlaceKind, PlaceName

OL = "vendor/ol-10.11.0"


class OfflineMapWidget(OpenLayersWidget):
    """Django's OpenLayers widget with vendored OpenLayers and our admin outlines as base layer."""

    template_name = "gazetteer/widgets/offline_openlayers.html"
    default_lon = 38.8
    default_lat = 35.0
    default_zoom = 6
    max_fit_zoom = 11

    class Media:
        # extend=False drops the parent's CDN files instead of adding ours to them.
        extend = False
        css = {"all": (f"{OL}/ol.css", "gis/css/ol3.css", "css/admin-map.css")}
        js = (f"{OL}/ol.js", "gis/js/OLMapWidget.js")

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        """Add the basemap sources and the default view over Syria."""
        context = super().get_context(name, value, attrs)
        context.update(
            boundaries_url=reverse("gazetteer:boundaries"),
            tile_url=settings.BASEMAP_TILE_URL,
            tile_attribution=settings.BASEMAP_TILE_ATTRIBUTION,
            default_lon=self.default_lon,
            default_lat=self.default_lat,
            default_zoom=self.default_zoom,
            max_fit_zoom=self.max_fit_zoom,
        )
        return context


class Admin1Filter(admin.SimpleListFilter):
    """Filter by governorate, listed by name rather than bare P-code."""

    title = _("governorate")
    parameter_name = "admin1"
    field = "admin1_pcode"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        govs = Place.objects.filter(kind=PlaceKind.GOVERNORATE).exclude(pcode="").order_by("pcode")
        return [
            (p, f"{p} {en} / {ar}".strip(" /"))
            for p, en, ar in govs.values_list("pcode", "name_en", "name_ar")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset.filter(**{self.field: value}) if value else queryset


class PlaceAdmin1Filter(Admin1Filter):
    field = "place__admin1_pcode"


def _stamp_analyst(name: PlaceName, request: HttpRequest) -> None:
    """Mark a name created in the admin as the analyst's own."""
    name.origin = NameOrigin.ANALYST
    if request.user.is_authenticated:
        name.added_by = request.user


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 1
    fields = ("name", "lang", "origin", "normalized", "added_by", "added_at")
    readonly_fields = ("origin", "normalized", "added_by", "added_at")


class NameSearchMixin:
    """Also match the normalised key, so غويران finds غويـران and Hasakeh finds al-Hasakeh."""

    name_key_field = "normalized"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        key = normalize(search_term) if search_term else ""
        if key:
            extra = queryset.filter(Q(**{f"{self.name_key_field}__contains": key}))
            results = results | extra
            may_have_duplicates = True
        return results, may_have_duplicates


@admin.register(Place)
class PlaceAdmin(NameSearchMixin, SimpleHistoryAdmin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    name_key_field = "names__normalized"
    list_display = ("name_en", "name_ar", "kind", "pcode", "admin1_pcode", "source", "importance")
    list_filter = ("kind", "source", Admin1Filter)
    search_fields = ("name_en", "name_ar", "pcode", "uid", "names__name")
    raw_id_fields = ("parent",)
    inlines = (PlaceNameInline,)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("uid", "kind", "name_en", "name_ar", "parent")}),
        (_("Codes"), {"fields": ("pcode", "geonames_id", "admin1_pcode", "admin2_pcode", "admin3_pcode")}),
        (_("Geometry"), {"fields": ("point", "area")}),
        (
            _("Ranking and provenance"),
            {"fields": ("population", "importance", "source", "source_ref", "note")},
        ),
    )

    def view_on_site(self, obj: Place) -> str:
        """Link the admin's "View on site" button to the public place page."""
        return reverse("gazetteer:place", args=[obj.pk])

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Stamp names added through the inline as the analyst's."""
        for name in formset.save(commit=False):
            if name.pk is None:
                _stamp_analyst(name, request)
            name.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(PlaceName)
class PlaceNameAdmin(NameSearchMixin, SimpleHistoryAdmin):
    list_display = ("name", "lang", "origin", "place", "added_by", "added_at")
    list_filter = ("lang", "origin", "place__kind", "place__source", PlaceAdmin1Filter)
    search_fields = ("name", "place__name_en", "place__name_ar", "place__pcode")
    raw_id_fields = ("place",)
    readonly_fields = ("origin", "normalized", "added_by", "added_at")
    list_select_related = ("place", "added_by")
    list_per_page = 50

    def save_model(self, request: HttpRequest, obj: PlaceName, form: Any, change: bool) -> None:
        """Stamp names created here as the analyst's."""
        if not change:
            _stamp_analyst(obj, request)
        super().save_model(request, obj, form, change)
