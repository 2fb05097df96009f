"""The GeoPackage export: the rows as points, their uncertainty areas as polygons, and counts per governorate,
district and sub-district as polygons ready for a QGIS choropleth.

geopandas and pyogrio write it in a child process (`gpkg_writer.py`, see why there); this module reads the
database and sends the child one JSON line per chunk, so memory stays flat on both sides.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from gazetteer.models import Place

from . import aggregates
from .exports import CHUNK, CSV_COLUMNS, ExportRow, chunks, rows
from .models import IncidentQuerySet

WRITER = Path(__file__).with_name("gpkg_writer.py")
LEVEL_LAYERS = {1: "counts_governorates", 2: "counts_districts", 3: "counts_subdistricts"}


class GeoPackageError(RuntimeError):
    """The writer process failed; the message holds what it said."""


def area_record(row: ExportRow) -> dict[str, Any] | None:
    """The row's area polygon, or its uncertainty circle (radius_km); None when it has neither."""
    i = row.incident
    if i.area is not None:
        shape: dict[str, Any] = {"wkb": i.area.hex.decode()}
    elif i.radius_km > 0:
        shape = {"circle": [i.point.x, i.point.y, i.radius_km]}
    else:
        return None
    return {"incident_id": i.pk, "event_id": i.event_id, **shape}


def count_records(qs: IncidentQuerySet, level: int) -> list[dict[str, Any]]:
    """Every admin unit of the level with its count under the filter (0 where none)."""
    counts = aggregates.choropleth(qs, level)["counts"]
    units = Place.objects.regions(level).outlined().values_list("pcode", "name_en", "name_ar", "area")
    return [
        {
            "pcode": pcode,
            "name_en": en,
            "name_ar": ar,
            "count": counts.get(pcode, 0),
            "wkb": area.hex.decode(),
        }
        for pcode, en, ar, area in units
    ]


def messages(
    qs: IncidentQuerySet,
    base_url: str,
    layer: str,
    watch: Callable[[Iterator[ExportRow]], Iterable[ExportRow]],
) -> Iterator[dict[str, Any]]:
    """What the writer is sent: the points and areas a chunk at a time, then the three count layers."""
    columns = list(CSV_COLUMNS)
    sent = {"points": False, "areas": False}
    for chunk in chunks(watch(rows(qs, base_url, places=False, with_area=True)), CHUNK):
        yield {"layer": layer, "kind": "points", "columns": columns, "records": [r.acled() for r in chunk]}
        areas = [record for row in chunk if (record := area_record(row))]
        if areas:
            yield {"layer": f"{layer}_areas", "kind": "shapes", "records": areas}
        sent = {"points": True, "areas": sent["areas"] or bool(areas)}
    # Every layer is there even when empty, with its fields, so a QGIS project opens it the same way.
    if not sent["points"]:
        yield {"layer": layer, "kind": "points", "columns": columns, "records": []}
    if not sent["areas"]:
        yield {
            "layer": f"{layer}_areas",
            "kind": "shapes",
            "records": [],
            "columns": ["incident_id", "event_id"],
        }
    for level, name in LEVEL_LAYERS.items():
        yield {"layer": name, "kind": "shapes", "records": count_records(qs, level)}


def write_geopackage(
    qs: IncidentQuerySet,
    path: Path,
    base_url: str,
    layer: str,
    watch: Callable[[Iterator[ExportRow]], Iterable[ExportRow]] = iter,
) -> None:
    """Write the layers to a new GeoPackage at `path`, through the writer process."""
    # The child's stderr goes to a file: a pipe nobody reads while we write could fill and stall both.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        with subprocess.Popen(
            [sys.executable, str(WRITER), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
            encoding="utf-8",
        ) as child:
            assert child.stdin is not None
            try:
                for message in messages(qs, base_url, layer, watch):
                    child.stdin.write(json.dumps(message, ensure_ascii=False, default=str) + "\n")
                child.stdin.close()
            except BrokenPipeError:
                pass  # the child died: its stderr says why, below
            except BaseException:
                child.kill()  # the export failed here (or the client left): leave no writer running
                raise
        if child.returncode != 0:
            path.unlink(missing_ok=True)
            errors.seek(0)
            said = errors.read().strip()[-2000:]
            raise GeoPackageError(f"the GeoPackage writer failed (exit {child.returncode}): {said}")
