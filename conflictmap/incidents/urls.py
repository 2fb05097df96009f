from django.urls import path

from . import event_views, export_views, history_views, review_views, views

app_name = "incidents"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("review/", review_views.review_page, name="review"),
    path("incidents/<int:pk>/", history_views.incident_page, name="page"),
    path("changes/", history_views.changes_page, name="changes"),
    path("api/changes", history_views.api_changes, name="api-changes"),
    path("api/incidents", views.api_incidents, name="api"),
    path("api/incidents/points", views.api_points, name="points"),
    path("api/incidents/clusters", views.api_clusters, name="clusters"),
    path("api/incidents/histogram", views.api_histogram, name="histogram"),
    path("api/incidents/choropleth", views.api_choropleth, name="choropleth"),
    path("api/incidents/facets", views.api_facets, name="facets"),
    path("api/incidents/<int:pk>", views.api_incident, name="incident"),
    path("api/v1/exports/<str:fmt>", export_views.export, name="export"),
    path("api/regions", views.api_regions, name="regions"),
    path("api/events/<int:pk>", event_views.event_detail, name="event"),
    path("api/events/<int:pk>/merge", event_views.merge, name="event-merge"),
    path("api/events/<int:pk>/split", event_views.split, name="event-split"),
    path("api/events/<int:pk>/unlink", event_views.unlink, name="event-unlink"),
    path("api/events/<int:pk>/lead", event_views.lead, name="event-lead"),
    path("api/events/<int:pk>/fatalities", event_views.fatalities, name="event-fatalities"),
    path("api/review/queue", review_views.queue, name="review-queue"),
    path("api/incidents/<int:pk>/review", review_views.detail, name="review-detail"),
    path("api/incidents/<int:pk>/confirm", review_views.confirm, name="confirm"),
    path("api/incidents/<int:pk>/reject", review_views.reject, name="reject"),
    path("api/incidents/<int:pk>/correct", review_views.correct, name="correct"),
    path("api/incidents/<int:pk>/place", review_views.relocate, name="relocate"),
    path("api/incidents/<int:pk>/drop-mention", review_views.drop_mention, name="drop-mention"),
    path("api/incidents/<int:pk>/split", review_views.split, name="split"),
    path("api/incidents/<int:pk>/merge", review_views.merge, name="merge"),
    path("api/incidents/<int:pk>/revert", review_views.revert, name="revert"),
]
