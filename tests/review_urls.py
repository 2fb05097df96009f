"""The project's URLs with a stand-in for incidents:page, for as long as the incident page (branch `history`)
is not merged: Incident.get_absolute_url() reverses it and the review API answers it as page_url."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from conflictmap import urls as project
from conflictmap.incidents import urls as incidents


def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"incident {pk}", content_type="text/plain")


urlpatterns = [
    *(p for p in project.urlpatterns if getattr(p, "app_name", None) != "incidents"),
    path(
        "",
        include(
            ([*incidents.urlpatterns, path("incidents/<int:pk>/", incident_page, name="page")], "incidents")
        ),
    ),
]
