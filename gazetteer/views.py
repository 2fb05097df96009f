"""Gazetteer pages: search, place detail, and the admin-boundary basemap as GeoJSON."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page, require_safe

from geoparse.types import Candidate

from .forms import BoundariesForm, GazetteerSearchForm
from .index import current_token
from .lookup import lookup
from .models import NameOrigin, Place, PlaceKind

RESULTS = 30
# Below this match quality (0–100) a result is listed apart as a weak match and left off the map,
# unless nothing matched better.
WEAK_QUALITY = 60.0
# Ask the lookup for more when filtering by kind afterwards, so a filter still fills the page.
KIND_FILTER_POOL = 300
CHILDREN_SHOWN = 200
# Degrees; about 1 km, 500 m and 200 m at Syria's latitude: enough for outlines at each zoom.
SIMPLIFY = {1: 0.01, 2: 0.005, 3: 0.002}
BOUNDARY_CACHE_SECONDS = 3600
# The detail map draws a polygon as is below this many vertices, simplified above it.
DETAIL_MAX_COORDS = 4000
# A point-only place is drawn among its neighbours, within this radius, at this zoom.
NEARBY_KM = {PlaceKind.NEIGHBOURHOOD: 5, PlaceKind.FACILITY: 5, PlaceKind.CAMP: 8, PlaceKind.COMMUNITY: 12}
DETAIL_ZOOM = {
    PlaceKind.NEIGHBOURHOOD: 13,
    PlaceKind.FACILITY: 14,
    PlaceKind.CAMP: 13,
    PlaceKind.COMMUNITY: 12,
}
NEARBY_SHOWN = 150
LANG_LABELS = {"ar": "العربية", "en": "English", "": "—"}


@dataclass(frozen=True)
class AdminLink:
    """One unit of an admin chain, as a page shows it."""

    id: int
    pcode: str
    kind: str
    name_en: str
    name_ar: str


@dataclass(frozen=True)
class ResultRow:
    """One search result with everything the page and its map need."""

    id: int
    kind: str
    kind_label: str
    name_en: str
    name_ar: str
    pcode: str
    lat: float
    lon: float
    matched_name: str
    match_quality: float
    score: float
    chain: list[AdminLink] = field(default_factory=list)


def _kind_label(kind: str) -> str:
    try:
        return str(PlaceKind(kind).label)
    except ValueError:
        return kind


def _admin_links(pcodes: set[str]) -> dict[str, AdminLink]:
    """Return the admin units with these P-codes, by P-code, in one query."""
    units = Place.objects.admin_units().filter(pcode__in=pcodes)
    fields = ("id", "pcode", "kind", "name_en", "name_ar")
    return {u["pcode"]: AdminLink(**u) for u in units.values(*fields)}


def _rows(candidates: list[Candidate]) -> list[ResultRow]:
    """Turn lookup candidates into result rows with their admin chains."""
    codes = {c for cand in candidates for c in (cand.place.admin1, cand.place.admin2, cand.place.admin3) if c}
    links = _admin_links(codes)
    rows = []
    for cand in candidates:
        p = cand.place
        # An admin unit's chain stops above itself: the row already names it.
        chain = [links[c] for c in (p.admin1, p.admin2, p.admin3) if c in links and c != p.pcode]
        rows.append(
            ResultRow(
                id=p.id,
                kind=p.kind,
                kind_label=_kind_label(p.kind),
                name_en=p.name_en,
                name_ar=p.name_ar,
                pcode=p.pcode,
                lat=p.lat,
                lon=p.lon,
                matched_name=cand.matched_name,
                match_quality=cand.match_quality,
                score=cand.score,
                chain=chain,
            )
        )
    return rows


def _markers(rows: list[ResultRow]) -> list[dict[str, Any]]:
    """Return the map markers for result rows (escaped later by json_script and the DOM)."""
    return [
        {
            "id": r.id,
            "lat": r.lat,
            "lon": r.lon,
            "name_en": r.name_en,
            "name_ar": r.name_ar,
            "kind": r.kind_label,
            "chain": " › ".join(link.name_en for link in r.chain),
            "url": reverse("gazetteer:place", args=[r.id]),
        }
        for r in rows
    ]


def _search(form: GazetteerSearchForm) -> list[ResultRow]:
    """Run the lookup for a valid form; add a form error if the lookup refuses the query."""
    data = form.cleaned_data
    kind = data.get("kind") or ""
    try:
        limit = KIND_FILTER_POOL if kind else RESULTS
        candidates = lookup(data["q"], within=data.get("region") or None, limit=limit)
    except ValueError as exc:  # the lookup's contract for queries it cannot use
        form.add_error("q", str(exc))
        return []
    if kind:
        candidates = [c for c in candidates if c.place.kind == kind]
    return _rows(candidates[:RESULTS])


def _split_weak(rows: list[ResultRow]) -> tuple[list[ResultRow], list[ResultRow]]:
    """Split rows into good matches and weak ones; all are good when none is better than weak."""
    strong = [r for r in rows if r.match_quality >= WEAK_QUALITY]
    if not strong:
        return rows, []
    return strong, [r for r in rows if r.match_quality < WEAK_QUALITY]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search the gazetteer by name, in Arabic or English, with results on a map."""
    submitted = any(key in request.GET for key in ("q", "kind", "region"))
    form = GazetteerSearchForm(request.GET if submitted else None)
    rows: list[ResultRow] = []
    if submitted and form.is_valid():
        rows = _search(form)
    strong, weak = _split_weak(rows)
    context = {
        "form": form,
        "submitted": submitted,
        "query": form.cleaned_data.get("q", "") if submitted and not form.errors else "",
        "rows": strong,
        "weak_rows": weak,
        "result_count": len(rows),
        "markers": _markers(strong),
    }
    return render(request, "gazetteer/search.html", context)


def _name_groups(place: Place) -> list[dict[str, Any]]:
    """Group a place's names by language, then origin, official first."""
    order = {origin: i for i, origin in enumerate(NameOrigin.values)}
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for name in place.names.select_related("added_by"):
        grouped[(name.lang, name.origin)].append(name)
    lang_order = {"ar": 0, "en": 1}
    keys = sorted(grouped, key=lambda k: (lang_order.get(k[0], 2), k[0], order.get(k[1], 9)))
    return [
        {
            "lang": lang,
            "lang_label": LANG_LABELS.get(lang, lang),
            "origin": NameOrigin(origin).label if origin in order else origin,
            "names": grouped[(lang, origin)],
        }
        for lang, origin in keys
    ]


def _geometry(place: Place) -> dict[str, Any] | None:
    """Return the place's polygon as a GeoJSON dict, simplified when very detailed."""
    if place.area is None:
        return None
    area: GEOSGeometry = place.area
    if area.num_coords > DETAIL_MAX_COORDS:
        area = area.simplify(0.001, preserve_topology=True)
    return _rounded(json.loads(area.json))


def _map_point(place: Place) -> dict[str, Any]:
    """Return a place as a small map point with its page link."""
    return {
        "lat": place.point.y,
        "lon": place.point.x,
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        "kind": _kind_label(place.kind),
        "url": reverse("gazetteer:place", args=[place.pk]),
    }


def _nearby(place: Place) -> list[Place]:
    """Return settlements around a point-only place, for context on its map."""
    km = NEARBY_KM.get(place.kind)
    if km is None or place.area is not None:
        return []
    around = Place.objects.settlements().exclude(pk=place.pk).exclude(parent=place).defer("area")
    return list(around.near(place.point, km)[:NEARBY_SHOWN])


@require_safe
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one place: its names, admin chain, parent, children, point and polygon."""
    place = get_object_or_404(Place.objects.select_related("parent"), pk=pk)
    children = place.children.defer("area").order_by("kind", "name_en")
    child_count = children.count()
    shown = list(children[:CHILDREN_SHOWN])
    map_data = {
        "point": [place.point.y, place.point.x],
        "name_en": place.name_en,
        "name_ar": place.name_ar,
        "area": _geometry(place),
        "zoom": DETAIL_ZOOM.get(place.kind, 12),
        "children": [_map_point(c) for c in shown],
        "nearby": [_map_point(p) for p in _nearby(place)],
    }
    context = {
        "place": place,
        "chain": [u for u in place.admin_chain() if u.pk != place.pk],
        "name_groups": _name_groups(place),
        "children": shown,
        "child_count": child_count,
        "map_data": map_data,
    }
    return render(request, "gazetteer/place_detail.html", context)


def _rounded(value: Any, digits: int = 5) -> Any:
    """Round every coordinate in a GeoJSON geometry (5 digits is about 1 m)."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    return value


def _boundary_feature(unit: Place, level: int) -> dict[str, Any] | None:
    """Return one admin unit as a GeoJSON Feature simplified for its level, or None if nothing is left."""
    geom = unit.area.simplify(SIMPLIFY[level], preserve_topology=True)
    if geom.empty:
        return None
    return {
        "type": "Feature",
        "id": unit.pk,
        "geometry": _rounded(json.loads(geom.json), 4),
        "properties": {
            "pcode": unit.pcode,
            "name_en": unit.name_en,
            "name_ar": unit.name_ar,
            "kind": unit.kind,
            "url": reverse("gazetteer:place", args=[unit.pk]),
        },
    }


def _boundary_features(level: int, pcode: str) -> dict[str, Any] | None:
    """Build the simplified polygons of one level, or of the one unit with the P-code (None if unknown)."""
    units = Place.objects.region(pcode) if pcode else Place.objects.regions(level)
    units = units.outlined().order_by("pcode").only("id", "pcode", "kind", "name_en", "name_ar", "area")
    features = [f for f in (_boundary_feature(u, level) for u in units) if f]
    if pcode and not features:
        return None
    return {"type": "FeatureCollection", "features": features}


def _boundaries_body(level: int, pcode: str) -> tuple[str | None, str]:
    """Return the GeoJSON text (None for an unknown P-code) and its ETag, from the cache when fresh."""
    # The token changes whenever places or names change, so a load or an admin edit shows at once.
    token = hashlib.sha256(repr(current_token()).encode()).hexdigest()[:16]
    key = f"gazetteer:boundaries:{level}:{pcode}:{token}"
    body = cache.get(key)
    if body is None:
        features = _boundary_features(level, pcode)
        body = "" if features is None else json.dumps(features, ensure_ascii=False, separators=(",", ":"))
        cache.set(key, body, BOUNDARY_CACHE_SECONDS)
    return body or None, f'"{level}{pcode}-{token}"'


@require_safe
@conditional_page
@gzip_page
def boundaries(request: HttpRequest) -> HttpResponse:
    """Serve simplified outlines: ?level=1|2|3 for a whole admin level, ?pcode=SY08 for one unit; cached."""
    form = BoundariesForm(request.GET)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        return JsonResponse({"error": f"{name}: {errors[0]}", "parameter": name}, status=400)
    level, pcode = form.cleaned_data["level"], form.cleaned_data["pcode"]
    body, etag = _boundaries_body(level, pcode)
    if body is None:
        return JsonResponse({"error": f"no admin unit with P-code {pcode}", "parameter": "pcode"}, status=404)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def api_search(request: HttpRequest) -> JsonResponse:
    """GET /gazetteer/api/search?q=…[&kind=&region=]: the search page's results as JSON (for corrections)."""
    form = GazetteerSearchForm(request.GET)
    rows = _search(form) if form.is_valid() else []
    if form.errors:
        name, errors = next(iter(form.errors.items()))
        return JsonResponse({"error": f"{name}: {errors[0]}", "parameter": name}, status=400)
    return JsonResponse({"results": [asdict(row) for row in rows]}, json_dumps_params={"ensure_ascii": False})
