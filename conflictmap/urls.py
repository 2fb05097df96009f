"""Top-level URLs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("gazetteer/", include("gazetteer.urls")),
    path("", include("conflictmap.articles.urls")),
    path("", include("conflictmap.incidents.urls")),
    path(
        "",
        RedirectView.as_view(pattern_name="incidents:map", permanent=False, query_string=True),
        name="home",
    ),
]
