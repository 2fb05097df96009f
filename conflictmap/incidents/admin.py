from django.contrib.gis import admin

from conflictmap.articles.admin import ArticleAdmin
from conflictmap.articles.models import Article
from gazetteer.admin import OfflineMapWidget

from .models import Incident, IncidentPlace, Mention


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ("text", "start", "end", "role", "place", "score")
    readonly_fields = fields
    can_delete = False


class IncidentPlaceInline(admin.TabularInline):
    model = IncidentPlace
    extra = 0
    raw_id_fields = ("place",)


# The article admin shows the mentions found in it; they belong to this app, so it extends that admin.
admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithMentionsAdmin(ArticleAdmin):
    inlines = [*ArticleAdmin.inlines, MentionInline]


@admin.register(Incident)
class IncidentAdmin(admin.GISModelAdmin):
    gis_widget = OfflineMapWidget  # vendored OpenLayers and our outlines, as in the place admin
    list_display = (
        "id",
        "date",
        "date_precision",
        "label_en",
        "admin1_pcode",
        "geo_precision",
        "event_type",
        "sub_event_type",
        "confidence",
        "article",
    )
    list_filter = ("event_type", "geo_precision", "date_precision", "admin1_pcode")
    search_fields = ("summary", "label_en", "label_ar", "article__title")
    raw_id_fields = ("article", "place", "mentions")
    inlines = [IncidentPlaceInline]
    date_hierarchy = "date"
