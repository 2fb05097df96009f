"""Top-level URLs."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("conflictmap.accounts.urls")),
    path("gazetteer/", include("gazetteer.urls")),
    path("", include("conflictmap.articles.urls")),
    path("", include("conflictmap.incidents.urls")),
    path("", include("conflictmap.acled.urls")),
    path(
        "",
        RedirectView.as_view(pattern_name="incidents:map", permanent=False, query_string=True),
        name="home",
    ),
]
