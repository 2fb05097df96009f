from django.urls import path

from conflictmap.versioning import versioned

from . import event_views, export_views, history_views, review_views, views

# The API is under /api/v1/; each of its routes but the exports keeps its old /api/ path, deprecated.
app_name = "incidents"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("review/", review_views.review_page, name="review"),
    path("incidents/<int:pk>/", history_views.incident_page, name="page"),
    path("changes/", history_views.changes_page, name="changes"),
    *versioned("changes", history_views.api_changes, "api-changes"),
    *versioned("incidents", views.api_incidents, "api", legacy={"stream_all": False}),
    *versioned("incidents/points", views.api_points, "points"),
    *versioned("incidents/clusters", views.api_clusters, "clusters"),
    *versioned("incidents/histogram", views.api_histogram, "histogram"),
    *versioned("incidents/choropleth", views.api_choropleth, "choropleth"),
    *versioned("incidents/facets", views.api_facets, "facets"),
    *versioned("incidents/<int:pk>", views.api_incident, "incident"),
    path("api/v1/exports/<str:fmt>", export_views.export, name="export"),
    *versioned("regions", views.api_regions, "regions"),
    *versioned("events/<int:pk>", event_views.event_detail, "event"),
    *versioned("events/<int:pk>/merge", event_views.merge, "event-merge"),
    *versioned("events/<int:pk>/split", event_views.split, "event-split"),
    *versioned("events/<int:pk>/unlink", event_views.unlink, "event-unlink"),
    *versioned("events/<int:pk>/lead", event_views.lead, "event-lead"),
    *versioned("events/<int:pk>/fatalities", event_views.fatalities, "event-fatalities"),
    *versioned("review/queue", review_views.queue, "review-queue"),
    *versioned("incidents/<int:pk>/review", review_views.detail, "review-detail"),
    *versioned("incidents/<int:pk>/confirm", review_views.confirm, "confirm"),
    *versioned("incidents/<int:pk>/reject", review_views.reject, "reject"),
    *versioned("incidents/<int:pk>/correct", review_views.correct, "correct"),
    *versioned("incidents/<int:pk>/place", review_views.relocate, "relocate"),
    *versioned("incidents/<int:pk>/drop-mention", review_views.drop_mention, "drop-mention"),
    *versioned("incidents/<int:pk>/split", review_views.split, "split"),
    *versioned("incidents/<int:pk>/merge", review_views.merge, "merge"),
    *versioned("incidents/<int:pk>/revert", review_views.revert, "revert"),
]
