"""The GeoPackage export, through geopandas and pyogrio: the rows as points (written CHUNK at a time, so memory
stays flat), their uncertainty areas as polygons, and counts per governorate, district and sub-district as
polygons ready for a QGIS choropleth."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely import affinity

from gazetteer.models import Place

from . import aggregates
from .exports import CHUNK, CSV_COLUMNS, ExportRow, _chunks, rows
from .models import IncidentQuerySet

WHOLE = ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp", "report_count",
         "incident_id", "event_id")  # fmt: skip
REAL = ("latitude", "longitude", "confidence")
KM_PER_DEGREE = 111.32
LEVEL_LAYERS = {1: "counts_governorates", 2: "counts_districts", 3: "counts_subdistricts"}


def points_frame(chunk: list[ExportRow]) -> gpd.GeoDataFrame:
    """The rows' ACLED columns, typed, as points."""
    frame = pd.DataFrame.from_records([row.acled() for row in chunk], columns=list(CSV_COLUMNS))
    for column in WHOLE:
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce").astype("Int64")
    for column in REAL:
        frame[column] = frame[column].astype(float)
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry)


def uncertainty(row: ExportRow) -> shapely.Geometry | None:
    """The row's area polygon, or its uncertainty circle (radius_km) as a polygon; None for neither."""
    incident = row.incident
    if incident.area is not None:
        return shapely.from_wkb(bytes(incident.area.wkb))
    if incident.radius_km <= 0:
        return None
    lon, lat = incident.point.x, incident.point.y
    circle = shapely.Point(lon, lat).buffer(incident.radius_km / KM_PER_DEGREE, quad_segs=16)
    return affinity.scale(circle, xfact=1 / max(math.cos(math.radians(lat)), 0.01), yfact=1.0)


def areas_frame(chunk: list[ExportRow]) -> gpd.GeoDataFrame | None:
    """The chunk's uncertainty areas, keyed by incident id; None if none has one."""
    found = [(row.incident.pk, row.incident.event_id, shape) for row in chunk if (shape := uncertainty(row))]
    if not found:
        return None
    ids, events, shapes = zip(*found, strict=True)
    frame = pd.DataFrame({"incident_id": ids, "event_id": pd.array(events, dtype="Int64")})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs="EPSG:4326"))


def counts_frame(qs: IncidentQuerySet, level: int) -> gpd.GeoDataFrame:
    """Every admin unit of the level with its count under the filter (0 where none), as polygons."""
    counts = aggregates.choropleth(qs, level)["counts"]
    units = (
        Place.objects.regions(level)
        .exclude(area__isnull=True)
        .values_list("pcode", "name_en", "name_ar", "area")
    )
    records = [
        (pcode, en, ar, counts.get(pcode, 0), shapely.from_wkb(bytes(area.wkb)))
        for pcode, en, ar, area in units
    ]
    frame = pd.DataFrame(records, columns=["pcode", "name_en", "name_ar", "count", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def write_geopackage(
    qs: IncidentQuerySet,
    path: Path,
    base_url: str,
    layer: str,
    watch: Callable[[Iterator[ExportRow]], Iterable[ExportRow]] = iter,
) -> int:
    """Write the layers to a new GeoPackage at `path`; return how many rows the points layer holds."""
    written, areas_started = 0, False
    for chunk in _chunks(watch(rows(qs, base_url, places=False, with_area=True)), CHUNK):
        pyogrio.write_dataframe(points_frame(chunk), path, layer=layer, driver="GPKG", append=written > 0)
        written += len(chunk)
        shapes = areas_frame(chunk)
        if shapes is not None:
            pyogrio.write_dataframe(shapes, path, layer=f"{layer}_areas", driver="GPKG", append=areas_started)
            areas_started = True
    if not written:  # an empty filter still gives a file QGIS opens, with the layer and its fields
        empty = gpd.GeoDataFrame(pd.DataFrame(columns=list(CSV_COLUMNS)), geometry=[], crs="EPSG:4326")
        pyogrio.write_dataframe(empty, path, layer=layer, driver="GPKG", geometry_type="Point")
    for level, name in LEVEL_LAYERS.items():
        pyogrio.write_dataframe(counts_frame(qs, level), path, layer=name, driver="GPKG", append=True)
    return written
