"""Write a GeoPackage from JSON lines on stdin, in a process of its own: `python gpkg_writer.py OUT.gpkg`.

pyogrio's wheel bundles its own GDAL; loaded beside the system GDAL that GeoDjango uses, the two abort the
process at exit ("double free or corruption"). So the Django process never imports pyogrio: it sends this
script one JSON object per line, and this script imports neither Django nor the project.

Each line is one of:
- `{"layer": NAME, "kind": "points", "columns": [...], "records": [...]}`: rows with `latitude`/`longitude`;
- `{"layer": NAME, "kind": "shapes", "records": [...], "columns": [...]?}`: rows with `wkb` (hex) or `circle`
  ([lon, lat, km]); `columns` names the fields of an empty layer.
Lines for the same layer append to it, so memory holds one chunk at a time.
"""

from __future__ import annotations

import json
import logging
import math
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely import affinity

WHOLE = ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp", "report_count",
         "incident_id", "event_id", "count")  # fmt: skip
REAL = ("latitude", "longitude", "confidence")
KM_PER_DEGREE = 111.32


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the numeric columns numeric types, empty cells as nulls, so QGIS can style and sum them."""
    for column in frame.columns.intersection(WHOLE):
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce").astype("Int64")
    for column in frame.columns.intersection(REAL):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def points(message: dict[str, Any]) -> gpd.GeoDataFrame:
    """The message's rows as points at their latitude and longitude."""
    frame = typed(pd.DataFrame.from_records(message["records"], columns=message["columns"]))
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry)


def circle(lon: float, lat: float, km: float) -> shapely.Geometry:
    """A circle of `km` around the point, as a polygon in degrees (wider in longitude away from the equator)."""
    shape = shapely.Point(lon, lat).buffer(km / KM_PER_DEGREE, quad_segs=16)
    return affinity.scale(shape, xfact=1 / max(math.cos(math.radians(lat)), 0.01), yfact=1.0)


def geometry_of(record: dict[str, Any]) -> shapely.Geometry:
    """Take the record's polygon (WKB) or circle out of it, as a shape."""
    wkb, around = record.pop("wkb", None), record.pop("circle", None)
    shape = shapely.from_wkb(bytes.fromhex(wkb)) if wkb else circle(*around)
    # One geometry type per layer: a circle or a one-part area becomes a one-part MultiPolygon.
    return shapely.MultiPolygon([shape]) if isinstance(shape, shapely.Polygon) else shape


def shapes(message: dict[str, Any]) -> gpd.GeoDataFrame:
    """The message's rows with their polygons or circles."""
    geometry = [geometry_of(r) for r in message["records"]]
    frame = typed(pd.DataFrame.from_records(message["records"], columns=message.get("columns")))
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))


def write(out: Path, lines: Any) -> int:
    """Write each line's rows to its layer of `out`; return how many rows were written."""
    started: set[str] = set()
    written = 0
    for line in lines:
        message = json.loads(line)
        frame = points(message) if message["kind"] == "points" else shapes(message)
        layer = message["layer"]
        kind = "Point" if message["kind"] == "points" else "MultiPolygon"
        pyogrio.write_dataframe(
            frame,
            out,
            layer=layer,
            driver="GPKG",
            append=layer in started,
            geometry_type=kind,
            promote_to_multi=False,
        )
        started.add(layer)
        written += len(frame)
    return written


def main() -> None:
    """Read the lines from stdin and write the GeoPackage named on the command line."""
    logging.getLogger("pyogrio").setLevel(logging.WARNING)  # it logs "Created N records" per chunk
    out = Path(sys.argv[1])
    count = write(out, sys.stdin)
    print(count)


if __name__ == "__main__":
    main()
