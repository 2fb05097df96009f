"""GET /api/v1/exports/<format>: the map's filtered incidents or events as a download, streamed."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import exports
from .forms import ExportForm
from .models import IncidentQuerySet
from .views import bad_parameter, filter_form, filtered


def too_many(count: int) -> str:
    """Say why an export of `count` rows is refused."""
    return (
        f"{count} rows match; an export holds at most {settings.EXPORT_MAX_ROWS} "
        "(CONFLICTMAP_EXPORT_MAX_ROWS): narrow the region or the dates"
    )


def export_name(fmt: str, unit: str) -> str:
    """The download's file name: what it holds, and when it was made."""
    return f"conflictmap-{unit}s-{timezone.now():%Y%m%d-%H%M}.{exports.FORMATS[fmt].extension}"


def checked(qs: IncidentQuerySet) -> str | None:
    """Return why the queryset is too large to export, or None."""
    count = qs.count()
    return too_many(count) if count > settings.EXPORT_MAX_ROWS else None


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Stream the filtered incidents (unit=report) or events (the default) in the named format."""
    if fmt not in exports.FORMATS:
        return bad_parameter("format", f"unknown format {fmt!r}; one of {', '.join(exports.FORMATS)}")
    form, error = filter_form(request, ExportForm)
    if error:
        return error
    qs = filtered(form, request)
    problem = checked(qs)
    if problem:
        return bad_parameter("limit", problem)
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        exports.export(qs, fmt, base_url, hxl=form.cleaned_data["hxl"]),
        content_type=exports.FORMATS[fmt].media_type,
    )
    unit = form.cleaned_data["unit"] or "event"
    response["Content-Disposition"] = f'attachment; filename="{export_name(fmt, unit)}"'
    response["Cache-Control"] = "private, no-store"
    return response
