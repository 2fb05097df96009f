"""The ACLED layer's API: ACLED's events under the map's where and when, as GeoJSON."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from conflictmap.incidents.views import filter_form, gzipped, json_response

from .forms import AcledFilterForm
from .models import AcledEvent


@require_GET
@gzipped
def api_points(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/acled/points?region=&start=&end=&bbox=&polygon=: ACLED's events, newest first."""
    form, error = filter_form(request, AcledFilterForm)
    return error or json_response(form.where_when(AcledEvent.objects.all()).feature_collection())
