"""manage.py export FORMAT --out FILE [filters]: what /api/v1/exports/FORMAT serves, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from tqdm import tqdm

from conflictmap.incidents import exports
from conflictmap.incidents.forms import ExportForm, first_error
from conflictmap.incidents.geopackage import write_geopackage
from conflictmap.incidents.models import Incident

# The form's endpoint-specific fields that mean nothing to a file.
NOT_FILTERS = {"limit", "cursor", "order", "offset", "fields", "step", "level", "zoom", "hxl"}
FILTERS = [name for name in ExportForm.base_fields if name not in NOT_FILTERS]


class Command(BaseCommand):
    help = "Export the incidents or events matching the map's filters (CSV, GeoJSON, GeoPackage or KML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(exports.FORMATS))
        parser.add_argument("--out", required=True, help="the file to write; - for standard output")
        parser.add_argument("--hxl", action="store_true", help="CSV: add the HXL hashtag row")
        parser.add_argument("--base-url", default=settings.PUBLIC_URL, help="what links start with")
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=f"filter_{name}", action="append")

    def handle(self, *args, **options) -> None:
        query = QueryDict(mutable=True)
        for name in FILTERS:
            for value in options[f"filter_{name}"] or ():
                query.appendlist(name, value)
        form = ExportForm(query)
        if not form.is_valid():
            name, message = first_error(form)
            raise CommandError(f"--{name.replace('_', '-')}: {message}")
        qs = form.filter(Incident.objects.visible_to(AnonymousUser()))
        total = qs.count()
        problem = exports.too_many(total)
        if problem:
            raise CommandError(problem)
        base_url = options["base_url"].rstrip("/")

        def watch(items):
            return tqdm(items, total=total, unit="rows", file=sys.stderr, disable=None)

        out = options["out"]
        if exports.FORMATS[options["format"]].write is None:
            self.write_geopackage(qs, out, base_url, form.cleaned_data["unit"] or "event", watch)
            self.stderr.write(f"wrote {total} rows to {out}")
            return
        stream = exports.export(qs, options["format"], base_url, hxl=options["hxl"], watch=watch)
        if out == "-":
            for chunk in stream:
                sys.stdout.buffer.write(chunk)
            return
        path = Path(out)
        partial = path.with_name(path.name + ".part")
        with partial.open("wb") as handle:  # written aside, then renamed: a failed export leaves no half file
            for chunk in stream:
                handle.write(chunk)
        partial.replace(path)
        self.stderr.write(f"wrote {total} rows to {path}")

    def write_geopackage(self, qs, out: str, base_url: str, unit: str, watch) -> None:
        """Write the GeoPackage aside, then rename it into place."""
        if out == "-":
            raise CommandError("a GeoPackage is a file: give --out FILE.gpkg")
        path = Path(out)
        partial = path.with_name(path.name + ".part.gpkg")  # GDAL wants the extension
        partial.unlink(missing_ok=True)
        write_geopackage(qs, partial, base_url, layer=f"{unit}s", watch=watch)
        partial.replace(path)
