"""The incidents API (GeoJSON), the admin-region API and the map page."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from gazetteer.models import Place

from .forms import DEFAULT_LIMIT, IncidentFilterForm
from .models import Incident

# Boundaries are for display: simplify to ~500 m so a governorate outline stays a few kB.
SIMPLIFY_DEGREES = 0.005
LEVEL_KINDS = {1: "governorate", 2: "district", 3: "subdistrict"}


def bad_parameter(name: str, message: str) -> JsonResponse:
    return JsonResponse({"error": f"{name}: {message}", "parameter": name}, status=400)


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
        },
    }


@require_GET
def api_incidents(request: HttpRequest) -> JsonResponse:
    """GET /api/incidents: filtered incidents as a GeoJSON FeatureCollection, paged with the total count."""
    form = IncidentFilterForm(request.GET)
    unknown = sorted(set(request.GET) - set(form.fields))
    if unknown:
        return bad_parameter(unknown[0], "unknown parameter")
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        return bad_parameter(name, str(errors[0]))
    qs = form.filter(Incident.objects.select_related("article")).order_by("-date", "-id")
    limit = form.cleaned_data["limit"] or DEFAULT_LIMIT
    offset = form.cleaned_data["offset"] or 0
    count = qs.count()
    page = list(qs[offset : offset + limit])
    next_url = None
    if offset + len(page) < count:
        params = {k: v for k, v in request.GET.items()} | {"offset": offset + limit, "limit": limit}
        next_url = f"{reverse('incidents:api')}?{urlencode(params)}"
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "count": count,
            "offset": offset,
            "limit": limit,
            "returned": len(page),
            "next": next_url,
            "features": [feature(i) for i in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def unit_dict(place: Place) -> dict:
    if place.area:
        west, south, east, north = place.area.extent
    else:
        west, south, east, north = place.point.x, place.point.y, place.point.x, place.point.y
    return {
        "pcode": place.pcode,
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        "kind": place.kind,
        "bbox": [west, south, east, north],
        "children": [],
    }


@require_GET
def api_regions(request: HttpRequest) -> JsonResponse:
    """GET /api/regions: governorates → districts → sub-districts as a tree, with bounding boxes."""
    units = (
        Place.objects.admin_units()
        .exclude(pcode="")
        .only("pcode", "name_en", "name_ar", "kind", "point", "area")
    )
    nodes = {p.pcode: unit_dict(p) for p in units}
    roots = []
    for pcode in sorted(nodes, key=lambda c: (len(c), nodes[c]["name_en"])):
        parent = nodes.get(pcode[:-2]) if len(pcode) > 4 else None
        (parent["children"] if parent else roots).append(nodes[pcode])
    return JsonResponse({"regions": roots}, json_dumps_params={"ensure_ascii": False})


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
    return render(request, "incidents/map.html", {"event_types": sorted(set(event_types))})
