"""The incident page (coded fields, sources, places, a small map and the history a reviewer can revert),
and the changes feed as a page and in the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from conflictmap.accounts.roles import CAN_REVIEW
from conflictmap.versioning import api_json
from gazetteer.models import Place, PlaceKind

from .changes import Kind, Page, feed, incident_history
from .forms import ChangesForm
from .models import Incident
from .serializers import admin_codes, admin_names
from .views import filter_form


def actor_rows(incident: Incident) -> list[dict[str, Any]]:
    """The actors with their ACLED side (1, 2 or None)."""
    return [{"name": name, "side": incident.actor_sides.get(name)} for name in incident.actors]


def admin_chain(incident: Incident) -> list[dict[str, str]]:
    """The governorate, district and sub-district of the incident, as far as it is coded."""
    codes = admin_codes(incident)
    names = admin_names(set(codes))
    return [names.get(code, {"pcode": code, "name_en": "", "name_ar": ""}) for code in codes]


def map_data(incident: Incident, places: list[Place]) -> dict[str, Any]:
    """What the page's map draws: the incident's point and the places it names."""
    return {
        "lat": round(incident.point.y, 5),
        "lon": round(incident.point.x, 5),
        "geo_precision": incident.geo_precision,
        "radius_km": incident.radius_km,
        "event_type": incident.event_type,
        "places": [{**p.to_dict(), "url": reverse("gazetteer:place", args=[p.pk])} for p in places],
    }


@require_GET
def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident with its history; 410 (still the page) when archived, 404 when the reader may not see it."""
    incident = get_object_or_404(
        Incident.objects.readable_by(request.user).select_related("article", "reviewed_by", "moved_to"), pk=pk
    )
    places = [link.place for link in incident.place_links.select_related("place").defer("place__area")]
    archived = incident.archived_at is not None
    context = {
        "incident": incident,
        "actors": actor_rows(incident),
        "chain": admin_chain(incident),
        "places": places,
        "sources": incident.source_articles(),
        "event": incident.event.to_dict() if incident.event_id and incident.event else None,
        "history": incident_history(incident),
        "can_revert": request.user.has_perm(CAN_REVIEW) and not archived,
        "merged": archived and incident.archive_reason.startswith("merged"),
        "successor": incident.successor() if archived else None,
        "map_data": map_data(incident, places),
        "map_i18n": {"attribution": _("Boundaries: OCHA; countries: Made with Natural Earth")},
        "countries_url": static("basemap/ne-50m-countries-levant.geojson"),
    }
    return render(request, "incidents/incident.html", context, status=410 if archived else 200)


def page_url(request: HttpRequest, name: str, page: Page) -> str | None:
    """The URL of the next page: the same parameters with the page's cursor."""
    if not page.next_cursor:
        return None
    params = [(k, v) for k, values in request.GET.lists() if k != "cursor" for v in values]
    return f"{reverse(name)}?{urlencode([*params, ('cursor', page.next_cursor)])}"


@require_GET
def changes_page(request: HttpRequest) -> HttpResponse:
    """What changed since a date, filtered by kind, region and user."""
    form = ChangesForm(request.GET)
    page = feed(form.query(), request.user) if form.is_valid() else None
    context = {
        "form": form,
        "page": page,
        "kinds": Kind.choices,
        "chosen_kinds": form.cleaned_data.get("kind", []) if page else request.GET.getlist("kind"),
        "regions": Place.objects.regions()
        .filter(kind__in=[PlaceKind.GOVERNORATE, PlaceKind.DISTRICT])
        .only("pcode", "name_en", "name_ar")
        .order_by("pcode"),
        "next_url": page and page_url(request, "incidents:changes", page),
        "api_url": f"{reverse('incidents:api-changes')}?{request.GET.urlencode()}",
    }
    return render(request, "incidents/changes.html", context, status=200 if page else 400)


@api_view(["GET"])
@permission_classes([AllowAny])  # readers as READ_ACCESS allows (the middleware); a token names the coder
def api_changes(request: Any) -> JsonResponse:
    """GET /api/changes?since=&kind=&region=&user=&order=asc|desc&limit=&cursor=: the changes feed."""
    form, error = filter_form(request, ChangesForm)
    if error:
        return error
    page = feed(form.query(), request.user)
    next_url = page_url(request, "incidents:api-changes", page)
    body = {
        "count": page.count,
        "next": request.build_absolute_uri(next_url) if next_url else None,
        "results": [change.to_dict(request.build_absolute_uri) for change in page.changes],
    }
    return api_json(body, request)
