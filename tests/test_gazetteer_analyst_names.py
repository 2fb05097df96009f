"""An analyst's name wins in the gazetteer index: it shadows the other names under its key."""

from __future__ import annotations

import pytest

from gazetteer import index
from gazetteer.index import GazetteerIndex, NameEntry
from gazetteer.models import NameOrigin, Place, PlaceName
from geoparse.normalize import is_arabic, normalize
from geoparse.types import PlaceRecord

NORTH = PlaceRecord(1, "community", "Al-Malikiyah", "المالكية", 37.17, 42.14, "SY08", importance=0.3)
WEST = PlaceRecord(2, "community", "Al-Malikiyah", "المالكية", 35.0, 36.0, "SY05", importance=0.7)
PRISON = PlaceRecord(3, "facility", "Malikiyah Prison", "سجن المالكية", 37.18, 42.15, "SY08", importance=0.1)
RECORDS = {p.id: p for p in (NORTH, WEST, PRISON)}


def entry(place: PlaceRecord, name: str, origin: str = NameOrigin.OFFICIAL) -> NameEntry:
    return NameEntry(place.id, normalize(name), name, "ar" if is_arabic(name) else "en", origin)


def build(*extra: NameEntry) -> GazetteerIndex:
    names = [entry(p, n) for p in RECORDS.values() for n in (p.name_en, p.name_ar)]
    return GazetteerIndex(RECORDS, [*names, *extra])


def ids(found) -> set[int]:
    return {hit[0].id if isinstance(hit[0], PlaceRecord) else hit[0].place_id for hit in found}


@pytest.mark.parametrize("name", ["المالكية", "Al-Malikiyah"])
def test_an_analyst_name_shadows_its_namesakes_in_exact_lookups(name):
    key = normalize(name)
    assert ids(build().exact(key)) == {NORTH.id, WEST.id}
    assert ids(build(entry(NORTH, name, NameOrigin.ANALYST)).exact(key)) == {NORTH.id}


def test_fuzzy_and_containing_lookups_see_the_shadow_too():
    plain = build()
    taught = build(
        entry(NORTH, "المالكية", NameOrigin.ANALYST), entry(NORTH, "Al-Malikiyah", NameOrigin.ANALYST)
    )
    assert ids(plain.fuzzy(normalize("المالكيا"), 5, 80.0)) == {NORTH.id, WEST.id}
    assert ids(taught.fuzzy(normalize("المالكيا"), 5, 80.0)) == {NORTH.id}
    # The keys holding "malikiyah": "al malikiyah" is the analyst's, "malikiyah prison" another name.
    assert ids(plain.containing_entries("malikiyah")) == {NORTH.id, WEST.id, PRISON.id}
    assert ids(taught.containing_entries("malikiyah")) == {NORTH.id, PRISON.id}


def test_other_keys_and_two_analyst_names_are_left_alone():
    taught = build(entry(NORTH, "المالكية", NameOrigin.ANALYST), entry(WEST, "المالكية", NameOrigin.ANALYST))
    assert ids(taught.exact("المالكيه")) == {NORTH.id, WEST.id}  # two analysts' readings: still ambiguous
    assert ids(build(entry(NORTH, "المالكية", NameOrigin.ANALYST)).exact("malikiyah")) == {NORTH.id, WEST.id}


@pytest.mark.django_db
def test_the_index_reads_the_origin_from_the_database(small_gazetteer):
    city, gov = Place.objects.get(pcode="C4360"), Place.objects.get(pcode="SY08")
    assert ids(index.get_index().exact("الحسكه")) >= {city.pk, gov.pk}
    PlaceName.objects.create(place=gov, name="الحسكه", lang="ar", origin=NameOrigin.ANALYST)
    assert ids(index.get_index().exact("الحسكه")) == {gov.pk}


@pytest.mark.django_db
def test_a_build_name_taken_over_by_an_analyst_changes_the_token(small_gazetteer):
    before = index.current_token()
    # A queryset update fires no signal, as an edit made by another process would not here.
    PlaceName.objects.filter(place__pcode="SY08", lang="ar").update(origin=NameOrigin.ANALYST)
    assert index.current_token() != before
    assert ids(index.get_index().exact("الحسكه")) == {Place.objects.get(pcode="SY08").pk}
