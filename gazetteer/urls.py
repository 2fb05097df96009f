from django.urls import path

from . import views

app_name = "gazetteer"
urlpatterns = [
    path("", views.search, name="search"),
    path("place/<int:pk>/", views.place_detail, name="place"),
    path("api/search", views.api_search, name="api-search"),
    path("boundaries.geojson", views.boundaries, name="boundaries"),
]
