from django.urls import path

from conflictmap.versioning import versioned

from . import views

app_name = "articles"
urlpatterns = [
    path("articles/new", views.new, name="new"),
    path("articles/<int:pk>/", views.detail, name="detail"),
    *versioned("articles", views.api_create, "api-create"),
    *versioned("articles/<int:pk>", views.api_detail, "api-detail"),
]
