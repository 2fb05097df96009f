"""The incidents API (GeoJSON list, compact points, histogram, choropleth, facets, detail), regions and the map page."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from functools import wraps

from django.contrib.gis.db.models.functions import Envelope
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import conditional_page, require_GET

from gazetteer.models import Place

from . import aggregates
from .aggregates import X, Y
from .forms import DEFAULT_LIMIT, IncidentFilterForm, first_error, unknown_parameters
from .models import Incident, IncidentQuerySet

# Boundaries are for display: simplify to ~500 m so a governorate outline stays a few kB.
SIMPLIFY_DEGREES = 0.005
LEVEL_KINDS = {1: "governorate", 2: "district", 3: "subdistrict"}
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


def filter_form(request: HttpRequest) -> tuple[IncidentFilterForm | None, JsonResponse | None]:
    """Validate the query string; return the bound form, or the 400 naming the first bad parameter."""
    unknown = unknown_parameters(request.GET)
    if unknown:
        return None, bad_parameter(unknown[0], "unknown parameter")
    form = IncidentFilterForm(request.GET)
    if not form.is_valid():
        return None, bad_parameter(*first_error(form))
    return form, None


def filtered(form: IncidentFilterForm) -> IncidentQuerySet:
    return form.filter(Incident.objects.all())


def feature(incident: Incident) -> dict:
    article = incident.article
    return {
        "type": "Feature",
        "id": incident.pk,
        "geometry": {"type": "Point", "coordinates": [incident.point.x, incident.point.y]},
        "properties": {
            "id": incident.pk,
            "article_id": article.pk,
            "article_url": article.get_absolute_url(),
            "title": article.title,
            "source": article.source,
            "source_url": article.url,
            "lang": article.lang,
            "primary": incident.rank == 0,
            "date": incident.date.isoformat() if incident.date else None,
            "date_precision": incident.date_precision,
            "label_en": incident.label_en,
            "label_ar": incident.label_ar,
            "admin1_pcode": incident.admin1_pcode,
            "admin2_pcode": incident.admin2_pcode,
            "admin3_pcode": incident.admin3_pcode,
            "geo_precision": incident.geo_precision,
            "event_type": incident.event_type,
            "actors": incident.actors,
            "fatalities": incident.fatalities,
            "summary": incident.summary,
            "confidence": incident.confidence,
            "synthetic": article.synthetic,
        },
    }


def min_features(qs: IncidentQuerySet) -> list[dict]:
    """Return marker-only features (id, point, event type, date, precision) without model instances."""
    rows = qs.annotate(lon=X(F("point")), lat=Y(F("point"))).values_list(
        "id", "lon", "lat", "event_type", "date", "geo_precision"
    )
    return [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {
                "id": pk,
                "event_type": event_type,
                "date": date.isoformat() if date else None,
                "geo_precision": precision,
            },
        }
        for pk, lon, lat, event_type, date, precision in rows
    ]


@require_GET
@gzipped
def api_incidents(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents: filtered incidents as a GeoJSON FeatureCollection, paged with the total count."""
    form, error = filter_form(request)
    if error:
        return error
    qs = filtered(form).order_by("-date", "-id")
    limit = form.cleaned_data["limit"] or DEFAULT_LIMIT
    offset = form.cleaned_data["offset"] or 0
    count = qs.count()
    if form.cleaned_data["fields"] == "min":
        features = min_features(qs[offset : offset + limit])
    else:
        features = [
            feature(i) for i in qs.select_related("article").defer("article__body")[offset : offset + limit]
        ]
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
    response = HttpResponse(aggregates.points_json(filtered(form)), content_type="application/json")
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


@require_GET
@gzipped
@conditional_page
def api_histogram(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/histogram?step=day|week|month: zero-filled counts per period."""
    form, error = filter_form(request)
    return error or json_response(aggregates.histogram(filtered(form), form.cleaned_data["step"] or "day"))


@require_GET
@gzipped
@conditional_page
def api_choropleth(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/choropleth?level=1|2|3: counts per governorate, district or sub-district."""
    form, error = filter_form(request)
    return error or json_response(aggregates.choropleth(filtered(form), form.cleaned_data["level"] or 1))


@require_GET
@gzipped
def api_facets(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents/facets: event types, top actors, sources and the date span, for the pickers."""
    form, error = filter_form(request)
    return error or json_response(aggregates.facets(filtered(form)))


@require_GET
def api_incident(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/incidents/<id>: one incident with its article and a highlighted excerpt, for the side panel."""
    incident = Incident.objects.select_related("article").filter(pk=pk).first()
    if incident is None:
        return JsonResponse({"error": f"no incident {pk}", "parameter": "id"}, status=404)
    article = incident.article
    mentions, own = aggregates.incident_mentions(incident)
    part = aggregates.excerpt(article.body, mentions, own)
    return json_response(
        {
            "id": incident.pk,
            "article_id": article.pk,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "lang": article.lang,
            "published": article.published.isoformat() if article.published else None,
            "article_url": article.get_absolute_url(),
            "synthetic": article.synthetic,
            "date": incident.date.isoformat() if incident.date else None,
            "date_precision": incident.date_precision,
            "label_en": incident.label_en,
            "label_ar": incident.label_ar,
            "admin1_pcode": incident.admin1_pcode,
            "admin2_pcode": incident.admin2_pcode,
            "admin3_pcode": incident.admin3_pcode,
            "lat": round(incident.point.y, 5),
            "lon": round(incident.point.x, 5),
            "geo_precision": incident.geo_precision,
            "confidence": incident.confidence,
            "event_type": incident.event_type,
            "actors": incident.actors,
            "fatalities": incident.fatalities,
            "summary": incident.summary,
            "excerpt": part["text"],
            "excerpt_offset": part["offset"],
            "excerpt_truncated_start": part["truncated_start"],
            "excerpt_truncated_end": part["truncated_end"],
            "mentions": part["mentions"],
        }
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
    # Envelopes from the database: loading the full outlines only to take their extent costs ~100 ms.
    units = (
        Place.objects.admin_units()
        .exclude(pcode="")
        .annotate(box=Envelope("area"))
        .only("pcode", "name_en", "name_ar", "kind", "point")
    )
    nodes = {p.pcode: unit_dict(p) for p in units}
    roots = []
    for pcode in sorted(nodes, key=lambda c: (len(c), nodes[c]["name_en"])):
        parent = nodes.get(pcode[:-2]) if len(pcode) > 4 else None
        (parent["children"] if parent else roots).append(nodes[pcode])
    response = JsonResponse({"regions": roots}, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, max_age=REGIONS_CACHE_SECONDS)
    return response


def area_feature(place: Place) -> dict:
    geometry = place.area.simplify(SIMPLIFY_DEGREES, preserve_topology=True) if place.area else place.point
    return {
        "type": "Feature",
        "id": place.pcode,
        "geometry": json.loads(geometry.geojson),
        "properties": {
            "pcode": place.pcode,
            "name_en": place.name_en,
            "name_ar": place.name_ar,
            "kind": place.kind,
        },
    }


@require_GET
def api_region_areas(request: HttpRequest) -> JsonResponse:
    """GET /api/regions/areas?level=1|2|3[&within=PCODE]: simplified admin polygons as GeoJSON."""
    level_raw = request.GET.get("level", "1")
    if level_raw not in {"1", "2", "3"}:
        return bad_parameter("level", "must be 1, 2 or 3")
    qs = Place.objects.filter(kind=LEVEL_KINDS[int(level_raw)], area__isnull=False).exclude(pcode="")
    within = request.GET.get("within", "").strip().upper()
    if within:
        qs = qs.filter(pcode__startswith=within)
    features = [area_feature(p) for p in qs]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def api_region(request: HttpRequest, pcode: str) -> JsonResponse:
    """GET /api/regions/<pcode>: one admin unit's outline."""
    place = Place.objects.admin_units().filter(pcode=pcode.upper()).first()
    if place is None:
        return JsonResponse({"error": f"no admin unit with P-code {pcode}", "parameter": "pcode"}, status=404)
    return JsonResponse(area_feature(place), json_dumps_params={"ensure_ascii": False})


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The incidents map: markers from the API, a region picker, a date range and counts."""
    event_types = (
        Incident.objects.exclude(event_type="").values_list("event_type", flat=True).distinct().order_by()
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
    return json_response(aggregates.clusters(filtered(form), zoom))
