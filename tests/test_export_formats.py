"""GET /api/v1/exports/<format> and `manage.py export`: ACLED CSV (BOM, HXL), GeoJSON, GeoPackage and KML, read
back by real readers (csv, GDAL's ogr2ogr and ogrinfo, pyogrio), under the map's filters, events or reports, with a
400 for bad input."""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from incident_factory import make_article, make_incident

from conflictmap.incidents import exports, geopackage
from conflictmap.incidents.models import Event, Incident

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 8, 20)
URL = "/api/v1/exports/"
ACLED_ORDER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip


@pytest.fixture
def reports(small_gazetteer) -> dict[str, Incident]:
    """One event of two reports in Ghuwayran (Hawar's, SANA's in Arabic), one in Raqqa."""
    made = {
        "lead": make_incident("t:CUR1", make_article(source="Hawar"), date=DAY, fatalities=3),
        "other": make_incident("t:CUR1", make_article(source="سانا", lang="ar"), date=DAY, fatalities=5),
        "raqqa": make_incident("t:C5710", make_article(source="Hawar"), date=DAY, event_type="protests",
                               actor_sides={}, actors=[]),
    }  # fmt: skip
    Event.objects.link_each(made.values())
    return {k: Incident.objects.get(pk=i.pk) for k, i in made.items()}


def gdal_read(path: Path, *layer: str) -> list[dict]:
    """The file's features as GDAL reads them, in its own process (ogr2ogr to GeoJSON on stdout)."""
    done = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), *layer],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["features"]


def download(client, fmt: str, query: str = "") -> bytes:
    response = client.get(f"{URL}{fmt}?{query}")
    assert response.status_code == 200, response.content[:300]
    assert response.streaming
    assert f".{fmt}" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_acled_columns_in_order_then_ours(client, reports):
    header, *rows = csv_rows(download(client, "csv"))
    assert header[: len(ACLED_ORDER)] == ACLED_ORDER
    assert header[len(ACLED_ORDER) :][:4] == ["location_ar", "admin1_pcode", "admin2_pcode", "admin3_pcode"]
    assert len(rows) == 2


def test_csv_codes_what_the_app_codes_and_leaves_the_rest_empty(client, reports, small_gazetteer):
    header, *rows = csv_rows(download(client, "csv"))
    by_type = {r["event_type"]: r for r in (dict(zip(header, row, strict=True)) for row in rows)}
    clash, protest = by_type["Battles"], by_type["Protests"]
    place = reports["lead"].place
    assert (clash["actor1"], clash["actor2"]) == ("SDF", "ISIS")
    assert clash["disorder_type"] == "Political violence" and protest["disorder_type"] == "Demonstrations"
    assert clash["location_ar"] == place.name_ar and clash["location"] == place.name_en
    assert (clash["latitude"], clash["longitude"]) == (
        str(round(place.point.y, 5)),
        str(round(place.point.x, 5)),
    )
    assert clash["source"] == "Hawar; سانا" and clash["report_count"] == "2"
    assert clash["fatalities"] == "3"  # the event's toll: the lowest report's, by default
    assert clash["country"] == "Syria" and clash["admin1_pcode"] == place.admin1_pcode
    assert all(clash[c] == "" for c in ("inter1", "inter2", "interaction", "source_scale", "tags"))
    assert protest["actor1"] == protest["actor2"] == ""
    urls = clash["article_urls"].split()
    assert len(urls) == 2 and all(u.startswith("http://testserver/articles/") for u in urls)


def test_csv_hxl_row_follows_the_header(client, reports):
    header, tags, *rows = csv_rows(download(client, "csv", "hxl=1"))
    named = dict(zip(header, tags, strict=True))
    assert named["event_date"] == "#date+occurred" and named["latitude"] == "#geo+lat"
    assert named["admin1"] == "#adm1+name" and all(t.startswith("#") for t in tags)
    assert len(rows) == 2


@pytest.mark.parametrize(
    "query, count",
    [("", 2), ("unit=event", 2), ("unit=report", 3), ("unit=report&source=Hawar", 2), ("region=SY11", 1)],
)
def test_exports_follow_the_map_filters_and_unit(client, reports, query, count):
    _header, *rows = csv_rows(download(client, "csv", query))
    assert len(rows) == count
    api = client.get(f"/api/incidents?{query}").json()
    assert api["count"] == count
    geojson = json.loads(download(client, "geojson", query))
    assert len(geojson["features"]) == count


def test_geojson_read_by_gdal_has_the_api_count_and_coordinates(client, reports, tmp_path):
    path = tmp_path / "export.geojson"
    path.write_bytes(download(client, "geojson", "unit=report"))
    features = gdal_read(path)
    api = client.get("/api/incidents?unit=report").json()["features"]
    assert len(features) == len(api) == 3
    assert sorted(tuple(f["geometry"]["coordinates"]) for f in features) == sorted(
        tuple(f["geometry"]["coordinates"]) for f in api
    )
    assert {f["properties"]["label_ar"] for f in features} == {i.label_ar for i in reports.values()}
    assert all(f["properties"]["incident_url"].startswith("http://testserver/") for f in features)


def test_kml_parses_with_gdal_and_keeps_arabic_names(client, reports, tmp_path):
    path = tmp_path / "export.kml"
    path.write_bytes(download(client, "kml", "unit=report"))
    features = gdal_read(path)
    assert len(features) == 3
    assert any(reports["lead"].label_ar in f["properties"]["Name"] for f in features)
    if shutil.which("ogrinfo"):
        info = subprocess.run(
            ["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True
        )
        assert "Feature Count: 3" in info.stdout


@pytest.mark.parametrize(
    "path, parameter",
    [
        (f"{URL}xlsx", "format"),
        (f"{URL}csv?region=XX", "region"),
        (f"{URL}csv?start=2024-13-01", "start"),
        (f"{URL}csv?colour=red", "colour"),
        (f"{URL}geojson?unit=article", "unit"),
    ],
)
def test_bad_input_gets_a_400_naming_it(client, reports, path, parameter):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_an_export_over_the_row_limit_is_refused(client, reports, settings):
    settings.EXPORT_MAX_ROWS = 2
    response = client.get(f"{URL}csv?unit=report")
    assert response.status_code == 400
    assert (
        "3 rows match" in response.json()["error"]
        and "CONFLICTMAP_EXPORT_MAX_ROWS" in response.json()["error"]
    )
    assert client.get(f"{URL}csv?unit=event").status_code == 200


def queries_for(client, n: int, small_gazetteer) -> int:
    """The queries an export of n reports takes."""
    Incident.objects.all().delete()
    made = [make_incident("t:CUR1", make_article(), date=DAY - datetime.timedelta(days=k)) for k in range(n)]
    Event.objects.link_each(made)
    with CaptureQueriesContext(connection) as seen:
        assert len(json.loads(download(client, "geojson", "unit=report"))["features"]) == n
    return len(seen.captured_queries)


def test_export_queries_do_not_grow_with_rows(client, small_gazetteer):
    assert queries_for(client, 3, small_gazetteer) == queries_for(client, 30, small_gazetteer)


def test_rows_are_read_in_chunks(reports, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 1)
    seen = list(exports.rows(Incident.objects.all(), "http://x"))
    assert len(seen) == 3 and {r.admin_names[0] for r in seen} != {""}


@pytest.mark.parametrize("fmt", sorted(exports.FORMATS))
def test_command_writes_the_same_file(client, reports, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    call_command("export", fmt, "--out", str(out), "--unit", "report", "--base-url", "http://testserver")
    layer = ("reports",) if fmt == "gpkg" else ()
    assert len(gdal_read(out, *layer) if fmt != "csv" else csv_rows(out.read_bytes())[1:]) == 3
    assert not list(tmp_path.glob("*.part*"))


def test_command_names_a_bad_filter(tmp_path, reports):
    with pytest.raises(CommandError, match="--region"):
        call_command("export", "csv", "--out", str(tmp_path / "x.csv"), "--region", "nowhere")
    assert not (tmp_path / "x.csv").exists()


# pyogrio reads the GeoPackage in a process of its own, as the export writes it (see gpkg_writer.py).
PYOGRIO_READ = """
import json, sys, pyogrio
path = sys.argv[1]
points = pyogrio.read_dataframe(path, layer="reports")
counts = pyogrio.read_dataframe(path, layer="counts_governorates").set_index("pcode")["count"]
print(json.dumps({
    "layers": [name for name, _ in pyogrio.list_layers(path)],
    "coordinates": sorted([round(p.x, 5), round(p.y, 5)] for p in points.geometry),
    "location_ar": sorted(points["location_ar"]),
    "fatalities": str(points["fatalities"].dtype),
    "governorates": {k: int(v) for k, v in counts.items()},
    "areas": len(pyogrio.read_dataframe(path, layer="reports_areas")),
}))
"""


def pyogrio_read(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PYOGRIO_READ, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_geopackage_read_by_pyogrio_and_ogrinfo_matches_the_api(client, reports, tmp_path):
    Incident.objects.filter(pk=reports["raqqa"].pk).update(radius_km=2.5)
    path = tmp_path / "export.gpkg"
    path.write_bytes(download(client, "gpkg", "unit=report"))
    read = pyogrio_read(path)
    api = client.get("/api/incidents?unit=report").json()["features"]
    assert len(read["coordinates"]) == len(api) == 3
    assert read["coordinates"] == sorted(f["geometry"]["coordinates"] for f in api)
    assert read["location_ar"] == sorted(i.label_ar for i in reports.values())
    assert {
        "reports",
        "reports_areas",
        "counts_governorates",
        "counts_districts",
        "counts_subdistricts",
    } <= set(read["layers"])
    assert read["fatalities"] in {"int32", "int64", "float64"}  # a number QGIS can sum, not text
    assert read["areas"] == 1  # the Raqqa report's 2.5 km circle
    assert read["governorates"]["SY08"] == 2 and read["governorates"]["SY11"] == 1
    assert sum(read["governorates"].values()) == 3
    info = subprocess.run(
        ["ogrinfo", "-so", str(path), "reports"], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 3" in info.stdout


def test_geopackage_of_an_empty_filter_still_opens(client, reports, tmp_path):
    path = tmp_path / "empty.gpkg"
    path.write_bytes(download(client, "gpkg", "start=1990-01-01&end=1990-01-02"))
    assert gdal_read(path, "events") == []
    assert {f["properties"]["count"] for f in gdal_read(path, "counts_governorates")} == {0}


def test_the_app_process_never_loads_a_second_gdal(client, reports):
    """pyogrio's bundled GDAL beside GeoDjango's aborts the process at exit: it must stay in the writer's."""
    download(client, "gpkg")
    maps = Path("/proc/self/maps").read_text()
    assert "pyogrio" not in sys.modules and "pyogrio.libs" not in maps


def test_a_failed_writer_is_an_error_and_leaves_no_file(reports, tmp_path, monkeypatch):
    broken = tmp_path / "broken.py"
    broken.write_text("import sys; sys.stdin.read(); sys.exit('disk full')")
    monkeypatch.setattr(geopackage, "WRITER", broken)
    with pytest.raises(geopackage.GeoPackageError, match="disk full"):
        geopackage.write_geopackage(Incident.objects.all(), tmp_path / "x.gpkg", "http://x", "events")
    assert not (tmp_path / "x.gpkg").exists()
