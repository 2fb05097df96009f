"""Loading the artefact: idempotent, keeps analysts' additions, all-or-nothing."""

import gzip
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from gazetteer.load import LoadError, load_gazetteer
from gazetteer.models import GazetteerVersion, NameOrigin, Place, PlaceName

SQUARE = {"type": "MultiPolygon", "coordinates": [[[[40, 36], [41, 36], [41, 37], [40, 37], [40, 36]]]]}


def record(uid, kind="community", name="Tal Tamr", ar="تل تمر", parent=None, lat=36.65, lon=40.37, **extra):
    return {
        "uid": uid,
        "kind": kind,
        "name_en": name,
        "name_ar": ar,
        "pcode": uid.split(":")[1],
        "geonames_id": None,
        "parent": parent,
        "admin1": "SY08",
        "admin2": "",
        "admin3": "",
        "lat": lat,
        "lon": lon,
        "area": None,
        "population": None,
        "importance": 0.5,
        "source": "ocha",
        "source_ref": "test",
        "note": "",
        "names": [
            {"name": name, "lang": "en", "origin": "official"},
            {"name": ar, "lang": "ar", "origin": "official"},
        ],
        **extra,
    }


def write(path, records):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(autouse=True)
def empty_gazetteer(db):
    """Start from no places, whatever an earlier test session loaded (rolled back after)."""
    PlaceName.objects.all().delete()
    Place.objects.all().delete()
    GazetteerVersion.objects.all().delete()


@pytest.fixture
def artefact(tmp_path):
    return write(
        tmp_path / "places.jsonl.gz",
        [
            record("ocha:SY08", kind="governorate", name="Al-Hasakeh", ar="الحسكة", area=SQUARE),
            record("ocha:C4420", parent="ocha:SY08"),
        ],
    )


@pytest.mark.django_db
def test_load_creates_places_names_and_parents(artefact):
    stats = load_gazetteer(artefact)
    assert (stats.created, stats.updated, stats.places) == (2, 0, 2)
    town = Place.objects.get(uid="ocha:C4420")
    assert town.parent.uid == "ocha:SY08"
    assert Place.objects.get(uid="ocha:SY08").area.contains(Point(40.5, 36.5))
    assert set(town.names.values_list("normalized", flat=True)) == {"tal tamr", "تل تمر"}


@pytest.mark.django_db
def test_second_load_changes_nothing(artefact):
    load_gazetteer(artefact)
    before = list(Place.objects.order_by("uid").values_list("uid", "pk"))
    names_before = PlaceName.objects.count()
    stats = load_gazetteer(artefact)
    assert (stats.created, stats.updated, stats.deleted) == (0, 0, 0)
    assert list(Place.objects.order_by("uid").values_list("uid", "pk")) == before
    assert PlaceName.objects.count() == names_before
    assert load_gazetteer(artefact, if_changed=True).skipped


@pytest.mark.django_db
def test_reload_keeps_ids_and_analyst_additions(artefact, tmp_path):
    load_gazetteer(artefact)
    town = Place.objects.get(uid="ocha:C4420")
    PlaceName.objects.create(place=town, name="Tell Tamer", lang="en", origin=NameOrigin.ANALYST)
    own = Place.objects.create(
        uid="analyst:1", kind="facility", name_en="Checkpoint", point=Point(40, 36), source="analyst"
    )
    changed = write(
        tmp_path / "v2.jsonl.gz",
        [
            record("ocha:SY08", kind="governorate", name="Al-Hasakeh", ar="الحسكة", area=SQUARE),
            record("ocha:C4420", parent="ocha:SY08", name="Tal Tamer"),
        ],
    )
    stats = load_gazetteer(changed)
    assert (stats.created, stats.updated) == (0, 1)
    town.refresh_from_db()
    assert town.name_en == "Tal Tamer"
    assert set(town.names.values_list("name", flat=True)) == {"Tal Tamer", "تل تمر", "Tell Tamer"}
    assert Place.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_places_dropped_from_the_build_are_removed(artefact, tmp_path):
    load_gazetteer(artefact)
    smaller = write(
        tmp_path / "v2.jsonl.gz", [record("ocha:SY08", kind="governorate", name="Al-Hasakeh", ar="الحسكة")]
    )
    assert load_gazetteer(smaller).deleted == 1
    assert not Place.objects.filter(uid="ocha:C4420").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad_line", ["{not json", json.dumps({"uid": "ocha:X"})])
def test_failed_load_leaves_previous_gazetteer_intact(artefact, tmp_path, bad_line):
    load_gazetteer(artefact)
    version = GazetteerVersion.objects.get().sha256
    broken = tmp_path / "broken.jsonl.gz"
    write(broken, [record("ocha:C9999", name="New Town")])
    with gzip.open(broken, "at", encoding="utf-8") as fh:
        fh.write(bad_line + "\n")
    with pytest.raises(LoadError, match=r"broken.jsonl.gz:2"):
        load_gazetteer(broken)
    assert not Place.objects.filter(uid="ocha:C9999").exists()
    assert Place.objects.count() == 2
    assert GazetteerVersion.objects.get().sha256 == version


@pytest.mark.django_db
def test_command_reports_and_skips_when_loaded(artefact, capsys):
    call_command("load_gazetteer", path=artefact, no_progress=True)
    call_command("load_gazetteer", path=artefact, if_changed=True)
    out = capsys.readouterr().out
    assert "2 places (2 created" in out
    assert "already loaded" in out
