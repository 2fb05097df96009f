"""The incidents API (GeoJSON list, compact points, histogram, choropleth, facets, detail), the region tree, the map."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import conditional_page, require_GET

from conflictmap.versioning import api_json
from gazetteer.models import Place

from . import aggregates, exports
from .forms import DEFAULT_LIMIT, IncidentFilterForm, first_error, unknown_parameters
from .models import Incident, IncidentQuerySet
from .paging import ListCursor
from .serializers import for_serializing, incident_feature

# Filters are all in the URL, so a response may be reused briefly (back/forward, toggling a filter back).
CACHE_SECONDS = 30
GZIP_LEVEL = 4
GEOJSON = "application/geo+json"
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


def json_response(data: dict, request: HttpRequest) -> JsonResponse:
    """Answer the API's JSON, cacheable for a short while (filters are all in the URL)."""
    response = api_json(data, request)
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
def api_incidents(request: HttpRequest, stream_all: bool = True) -> HttpResponse:
    """GET /api/v1/incidents: the filtered incidents as GeoJSON; all of them streamed, or a page (limit, cursor).
    The old /api/incidents gave a page of DEFAULT_LIMIT when no page was asked for; `stream_all=False` keeps that."""
    form, error = filter_form(request)
    if error:
        return error
    qs = filtered(form, request).listed(form.ascending())
    paged = form.paged() or not stream_all
    return incidents_page(qs, form, request) if paged else incidents_stream(qs, request)


def incidents_stream(qs: IncidentQuerySet, request: HttpRequest) -> HttpResponse:
    """Every feature, streamed unpaged, so GDAL, geopandas and curl read them all from one URL."""
    count = qs.count()
    problem = exports.too_many(count)
    if problem:
        return bad_parameter("limit", f"{problem}, or page with limit and cursor")
    response = StreamingHttpResponse(exports.export(qs, "geojson", site_url(request)), content_type=GEOJSON)
    response["X-Total-Count"] = str(count)
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


def incidents_page(qs: IncidentQuerySet, form: IncidentFilterForm, request: HttpRequest) -> HttpResponse:
    """One page of features, the next page's URL in the body and in an RFC 8288 Link header, the total too."""
    data, ascending = form.cleaned_data, form.ascending()
    count = qs.count()
    if data["cursor"]:
        qs = qs.after(data["cursor"].day, data["cursor"].id, ascending)
    limit, offset = data["limit"] or DEFAULT_LIMIT, data["offset"] or 0
    window = qs[offset : offset + limit + 1]  # one more than the page: is there a next one?
    if data["fields"] == "min":
        found = [(i, incident_feature(i, "min")) for i in for_serializing(window, "min")]
    else:
        found = [(row.incident, row.feature()) for row in exports.rows(window, site_url(request))]
    page, more = found[:limit], len(found) > limit
    next_url = None
    if more:
        last = page[-1][0]
        cursor = ListCursor(last.sort_day, last.pk, ascending).encode()
        params = [
            (k, v)
            for k, vs in request.GET.lists()
            if k not in {"offset", "cursor", "order", "limit"}
            for v in vs
        ]
        params += [("cursor", cursor), ("limit", limit), ("order", "asc" if ascending else "desc")]
        next_url = request.build_absolute_uri(f"{reverse('incidents:api')}?{urlencode(params)}")
    body = {
        "type": "FeatureCollection",
        "count": count,
        "limit": limit,
        "returned": len(page),
        "next": next_url,
    }
    response = json_response({**body, "features": [feature for _, feature in page]}, request)
    response["X-Total-Count"] = str(count)
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def site_url(request: HttpRequest) -> str:
    """Where this site's absolute links start (scheme and host, no trailing slash)."""
    return request.build_absolute_uri("/").rstrip("/")


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
        aggregates.histogram(filtered(form, request), form.cleaned_data["step"] or "day"), request
    )


@require_GET
@gzipped
@conditional_page
def api_choropleth(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/choropleth?level=1|2|3: counts per governorate, district or sub-district."""
    form, error = filter_form(request)
    return error or json_response(
        aggregates.choropleth(filtered(form, request), form.cleaned_data["level"] or 1), request
    )


@require_GET
@gzipped
def api_facets(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/facets: event types, top actors, sources and the date span, for the pickers."""
    form, error = filter_form(request)
    return error or json_response(aggregates.facets(filtered(form, request)), request)


@require_GET
def api_incident(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/incidents/<id>: one incident with its article and a highlighted excerpt, for the side panel."""
    incident = (
        Incident.objects.select_related("article").prefetch_related("place_links").filter(pk=pk).first()
    )
    if incident is None:
        return JsonResponse({"error": f"no incident {pk}", "parameter": "id"}, status=404)
    if incident.archived_at is not None:
        return gone(incident, request)
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
        },
        request,
    )


def gone(incident: Incident, request: HttpRequest) -> JsonResponse:
    """410 for an archived incident: when and why, and the live incident it went to (following moves), if any."""
    target = incident.successor()
    return api_json(
        {
            "error": f"incident {incident.pk} was archived: {incident.archive_reason}",
            "id": incident.pk,
            "archived_at": incident.archived_at.isoformat(),
            "archive_reason": incident.archive_reason,
            "moved_to": target.pk if target else None,
            "moved_to_url": reverse("incidents:incident", args=[target.pk]) if target else None,
        },
        request,
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
    return json_response(aggregates.clusters(filtered(form, request), zoom), request)
