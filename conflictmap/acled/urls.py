from django.urls import path

from . import views

app_name = "acled"
urlpatterns = [
    path("api/v1/acled/points", views.api_points, name="points"),
    path("api/v1/acled/compare", views.api_compare, name="api-compare"),
    path("acled/compare", views.compare_page, name="compare"),
]
