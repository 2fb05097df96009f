from django.contrib.gis import admin

from .models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.GISModelAdmin):
    list_display = (
        "id",
        "date",
        "date_precision",
        "label_en",
        "admin1_pcode",
        "geo_precision",
        "event_type",
        "confidence",
        "article",
    )
    list_filter = ("event_type", "geo_precision", "date_precision", "admin1_pcode")
    search_fields = ("summary", "label_en", "label_ar", "article__title")
    raw_id_fields = ("article", "place")
    date_hierarchy = "date"
