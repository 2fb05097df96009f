from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("articles/new", views.new, name="new"),
    path("articles/<int:pk>/", views.detail, name="detail"),
    path("api/articles", views.api_create, name="api-create"),
    path("api/articles/<int:pk>", views.api_detail, name="api-detail"),
]
