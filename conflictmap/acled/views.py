"""The ACLED layer's API (ACLED's events under the map's where and when, as GeoJSON) and the comparison of our
counts with ACLED's per admin unit and month (JSON, CSV and a page linked from the map)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from conflictmap.incidents.forms import first_error, unknown_parameters
from conflictmap.incidents.views import filter_form, filtered, gzipped, json_response

from .compare import Comparison, compare
from .forms import AcledFilterForm, CompareForm
from .models import AcledEvent

# The compare page's level picker, as the API names the levels.
LEVEL_LABELS = [
    ("governorate", _("Governorate")),
    ("district", _("District")),
    ("subdistrict", _("Sub-district")),
]


@require_GET
@gzipped
def api_points(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/acled/points?region=&start=&end=&bbox=&polygon=: ACLED's events, newest first."""
    form, error = filter_form(request, AcledFilterForm)
    return error or json_response(form.where_when(AcledEvent.objects.all()).feature_collection(), request)


def comparison(form: CompareForm, request: HttpRequest) -> Comparison:
    """Our events (or reports) this user may see beside ACLED's, under the form's filters."""
    ours = filtered(form, request)
    return compare(ours, form.acled(AcledEvent.objects.all()), form.cleaned_data["level"])


@require_GET
@gzipped
def api_compare(request: HttpRequest) -> HttpResponse:
    """GET /api/v1/acled/compare?<the map's filters>&level=governorate|district|subdistrict&format=json|csv."""
    form, error = filter_form(request, CompareForm)
    if error:
        return error
    result = comparison(form, request)
    if form.cleaned_data["format"] == "csv":
        response = HttpResponse(result.as_csv(), content_type="text/csv; charset=utf-8")
        name = f"conflictmap-acled-compare-{result.level}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    unit = form.cleaned_data["unit"] or "event"
    return json_response(result.as_json(unit, form.acled_filters()), request)


@require_GET
def compare_page(request: HttpRequest) -> HttpResponse:
    """/acled/compare?<the map's filters>&level=…: the comparison as a table, with links to its JSON and CSV."""
    unknown = unknown_parameters(request.GET, CompareForm)
    form = CompareForm(request.GET)
    if unknown or not form.is_valid():
        name, message = (unknown[0], "unknown parameter") if unknown else first_error(form)
        context = {"error": f"{name}: {message}", "levels": LEVEL_LABELS}
        return render(request, "acled/compare.html", context, status=400)
    query = request.GET.copy()
    query.pop("format", None)
    csv_query = query.copy()
    csv_query["format"] = "csv"
    map_query = query.copy()
    map_query.pop("level", None)
    context = {
        "result": comparison(form, request),
        "unit": form.cleaned_data["unit"] or "event",
        "level": form.cleaned_data["level"],
        "levels": LEVEL_LABELS,
        "acled_filters": form.acled_filters(),
        "hidden": [(k, v) for k, values in query.lists() if k != "level" for v in values],
        "json_url": f"{reverse('acled:api-compare')}?{query.urlencode()}",
        "csv_url": f"{reverse('acled:api-compare')}?{csv_query.urlencode()}",
        "back_url": f"{reverse('incidents:map')}?{map_query.urlencode()}",
    }
    return render(request, "acled/compare.html", context)
