"""GET /api/v1/exports/<format>: the map's filtered incidents or events as a download, streamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import exports
from .forms import ExportForm
from .geopackage import write_geopackage
from .models import IncidentQuerySet
from .views import bad_parameter, filter_form, filtered


def export_name(fmt: str, unit: str) -> str:
    """The download's file name: what it holds, and when it was made."""
    return f"conflictmap-{unit}s-{timezone.now():%Y%m%d-%H%M}.{exports.FORMATS[fmt].extension}"


def geopackage_response(qs: IncidentQuerySet, base_url: str, unit: str) -> FileResponse:
    """Write the GeoPackage to a temporary file and send it; the file is gone once the response closes."""
    folder = tempfile.mkdtemp(prefix="conflictmap-export-")
    path = Path(folder) / "export.gpkg"
    try:
        write_geopackage(qs, path, base_url, layer=f"{unit}s")
        handle = path.open("rb")
    finally:
        for leftover in Path(folder).iterdir():  # unlinked now: the open handle keeps the bytes until closed
            leftover.unlink()
        os.rmdir(folder)
    return FileResponse(handle, content_type=exports.FORMATS["gpkg"].media_type)


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Stream the filtered incidents (unit=report) or events (the default) in the named format."""
    if fmt not in exports.FORMATS:
        return bad_parameter("format", f"unknown format {fmt!r}; one of {', '.join(exports.FORMATS)}")
    form, error = filter_form(request, ExportForm)
    if error:
        return error
    qs = filtered(form, request)
    problem = exports.too_many(qs.count())
    if problem:
        return bad_parameter("limit", problem)
    base_url = request.build_absolute_uri("/").rstrip("/")
    unit = form.cleaned_data["unit"] or "event"
    response: HttpResponse
    if exports.FORMATS[fmt].write is None:
        response = geopackage_response(qs, base_url, unit)
    else:
        response = StreamingHttpResponse(
            exports.export(qs, fmt, base_url, hxl=form.cleaned_data["hxl"]),
            content_type=exports.FORMATS[fmt].media_type,
        )
    response["Content-Disposition"] = f'attachment; filename="{export_name(fmt, unit)}"'
    response["Cache-Control"] = "private, no-store"
    return response
