from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("api/incidents", views.api_incidents, name="api"),
    path("api/incidents/points", views.api_points, name="points"),
    path("api/incidents/clusters", views.api_clusters, name="clusters"),
    path("api/incidents/histogram", views.api_histogram, name="histogram"),
    path("api/incidents/choropleth", views.api_choropleth, name="choropleth"),
    path("api/incidents/facets", views.api_facets, name="facets"),
    path("api/incidents/<int:pk>", views.api_incident, name="incident"),
    path("api/regions", views.api_regions, name="regions"),
]
