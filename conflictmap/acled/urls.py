from django.urls import path

from . import views

app_name = "acled"
urlpatterns = [
    path("api/v1/acled/points", views.api_points, name="points"),
]
