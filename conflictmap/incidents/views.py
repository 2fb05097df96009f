"""The incidents API (GeoJSON list, compact points, histogram, choropleth, facets, detail), the region tree, the map."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import conditional_page, require_GET

from gazetteer.models import Place

from . import aggregates
from .forms import DEFAULT_LIMIT, IncidentFilterForm, first_error, unknown_parameters
from .models import Incident, IncidentQuerySet
from .serializers import for_serializing, incident_feature

# Filters are all in the URL, so a response may be reused briefly (back/forward, toggling a filter back).
CACHE_SECONDS = 30
GZIP_LEVEL = 4
# The admin tree changes only when the gazetteer is reloaded.
REGIONS_CACHE_SECONDS = 300
# The grid zoom map.js asks for first (CELL_ZOOM): the preload header must name the same URLs.
FIRST_CLUSTERS_ZOOM = 9


def gzipped(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Gzip the view's JSON at level 4: for 2 MB of points that is ~25 ms against ~100 ms at Django's 6."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.streaming or response.has_header("Content-Encoding") or len(response.content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if "gzip" not in request.headers.get("Accept-Encoding", "").lower():
            return response
        response.content = gzip.compress(response.content, compresslevel=GZIP_LEVEL, mtime=0)
        response["Content-Length"] = str(len(response.content))
        response["Content-Encoding"] = "gzip"
        etag = response.get("ETag", "")
        if etag.startswith('"'):
            response["ETag"] = "W/" + etag  # the compressed bytes differ from what the strong ETag named
        return response

    return wrapper


def bad_parameter(name: str, message: str) -> JsonResponse:
    return JsonResponse({"error": f"{name}: {message}", "parameter": name}, status=400)


def json_response(data: dict) -> JsonResponse:
    """Answer compact UTF-8 JSON, cacheable for a short while (filters are all in the URL)."""
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


def filter_form(
    request: HttpRequest, form_class: type[forms.Form] = IncidentFilterForm
) -> tuple[Any, JsonResponse | None]:
    """Validate the query string with the form; return it bound, or the 400 naming the first bad parameter."""
    unknown = unknown_parameters(request.GET, form_class)
    if unknown:
        return None, bad_parameter(unknown[0], "unknown parameter")
    form = form_class(request.GET)
    if not form.is_valid():
        return None, bad_parameter(*first_error(form))
    return form, None


def filtered(form: IncidentFilterForm, request: HttpRequest) -> IncidentQuerySet:
    """The live incidents this user may see, under the form's filters."""
    return form.filter(Incident.objects.visible_to(request.user))


@require_GET
@gzipped
def api_incidents(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents: filtered incidents as a GeoJSON FeatureCollection, paged with the total count."""
    form, error = filter_form(request)
    if error:
        return error
    qs = filtered(form, request).order_by("-date", "-id")
    limit = form.cleaned_data["limit"] or DEFAULT_LIMIT
    offset = form.cleaned_data["offset"] or 0
    count = qs.count()
    fields = form.cleaned_data["fields"] or "full"
    features = [incident_feature(i, fields) for i in for_serializing(qs, fields)[offset : offset + limit]]
    next_url = None
    if offset + len(features) < count:
        params = [(k, v) for k, values in request.GET.lists() if k not in {"offset", "limit"} for v in values]
        params += [("offset", offset + limit), ("limit", limit)]
        next_url = f"{reverse('incidents:api')}?{urlencode(params)}"
    return json_response(
        {
            "type": "FeatureCollection",
            "count": count,
            "offset": offset,
            "limit": limit,
            "returned": len(features),
            "next": next_url,
            "features": features,
        }
    )


@require_GET
@gzipped
@conditional_page
def api_points(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/points: every filtered incident as a compact row for the map."""
    form, error = filter_form(request)
    if error:
        return error
    response = HttpResponse(aggregates.points_json(filtered(form, request)), content_type="application/json")
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


@require_GET
@gzipped
@conditional_page
def api_histogram(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/histogram?step=day|week|month: zero-filled counts per period."""
    form, error = filter_form(request)
    return error or json_response(
        aggregates.histogram(filtered(form, request), form.cleaned_data["step"] or "day")
    )


@require_GET
@gzipped
@conditional_page
def api_choropleth(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/choropleth?level=1|2|3: counts per governorate, district or sub-district."""
    form, error = filter_form(request)
    return error or json_response(
        aggregates.choropleth(filtered(form, request), form.cleaned_data["level"] or 1)
    )


@require_GET
@gzipped
def api_facets(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/facets: event types, top actors, sources and the date span, for the pickers."""
    form, error = filter_form(request)
    return error or json_response(aggregates.facets(filtered(form, request)))


@require_GET
def api_incident(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/incidents/<id>: one incident with its article and a highlighted excerpt, for the side panel."""
    incident = (
        Incident.objects.select_related("article").prefetch_related("place_links").filter(pk=pk).first()
    )
    if incident is None:
        return JsonResponse({"error": f"no incident {pk}", "parameter": "id"}, status=404)
    if incident.archived_at is not None:
        return gone(incident)
    mentions, own = aggregates.incident_mentions(incident)
    part = aggregates.excerpt(incident.article.body, mentions, own)
    return json_response(
        {
            **incident.to_dict(),
            "places": [link.place.to_dict() for link in incident.place_links.select_related("place")],
            "excerpt": part["text"],
            "excerpt_offset": part["offset"],
            "excerpt_truncated_start": part["truncated_start"],
            "excerpt_truncated_end": part["truncated_end"],
            "mentions": part["mentions"],
            "event": incident.event.to_dict() if incident.event_id and incident.event else None,
        }
    )


def gone(incident: Incident) -> JsonResponse:
    """410 for an archived incident: when and why, and the live incident it went to (following moves), if any."""
    target = incident.successor()
    return JsonResponse(
        {
            "error": f"incident {incident.pk} was archived: {incident.archive_reason}",
            "id": incident.pk,
            "archived_at": incident.archived_at.isoformat(),
            "archive_reason": incident.archive_reason,
            "moved_to": target.pk if target else None,
            "moved_to_url": reverse("incidents:incident", args=[target.pk]) if target else None,
        },
        status=410,
    )


def unit_dict(place: Place) -> dict:
    box = place.box or place.point  # the envelope of the area, computed by the database
    west, south, east, north = box.extent
    return {
        "pcode": place.pcode,
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        "kind": place.kind,
        "bbox": [west, south, east, north],
        "children": [],
    }


@require_GET
@gzipped
def api_regions(request: HttpRequest) -> JsonResponse:
    """GET /api/regions: governorates → districts → sub-districts as a tree, with bounding boxes."""
    units = Place.objects.regions().with_envelope().only("pcode", "name_en", "name_ar", "kind", "point")
    nodes = {p.pcode: unit_dict(p) for p in units}
    roots = []
    for pcode in sorted(nodes, key=lambda c: (len(c), nodes[c]["name_en"])):
        parent = nodes.get(pcode[:-2]) if len(pcode) > 4 else None
        (parent["children"] if parent else roots).append(nodes[pcode])
    response = JsonResponse({"regions": roots}, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, max_age=REGIONS_CACHE_SECONDS)
    return response


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The incidents map: markers from the API, a region picker, a date range and counts."""
    event_types = (
        Incident.objects.live()
        .exclude(event_type="")
        .values_list("event_type", flat=True)
        .distinct()
        .order_by()
    )
    response = render(request, "incidents/map.html", {"event_types": sorted(set(event_types))})
    if not set(request.GET) & set(IncidentFilterForm.base_fields):
        # Let the browser start the unfiltered view's first request (the grid) with the HTML, not after the
        # scripts. The URL is exactly what map.js (CELL_ZOOM) and the inline prefetch in map.html ask for.
        first = [
            reverse("incidents:clusters") + f"?zoom={FIRST_CLUSTERS_ZOOM}",
            reverse("incidents:histogram") + "?step=month",  # autoStep() before the data's span is known
        ]
        response["Link"] = ", ".join(
            f'<{url}>; rel=preload; as=fetch; crossorigin="anonymous"' for url in first
        )
    return response


@require_GET
@gzipped
@conditional_page
def api_clusters(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/clusters?zoom=Z: the filtered incidents snapped to a grid fitting that zoom."""
    form, error = filter_form(request)
    if error:
        return error
    zoom = form.cleaned_data["zoom"]
    if zoom is None:
        return bad_parameter("zoom", "required: a whole number from 0 to 16")
    return json_response(aggregates.clusters(filtered(form, request), zoom))
