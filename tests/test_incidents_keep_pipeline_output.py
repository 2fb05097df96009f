"""A stored incident keeps what the pipeline found: all its places, its labels, sub-event type and mentions."""

from __future__ import annotations

import datetime

import pytest

from conflictmap.articles.ingest import clean_body, store
from conflictmap.articles.models import Status
from conflictmap.incidents.geocoding import run_geocode, save_result
from gazetteer.index import to_record
from gazetteer.models import Place
from geoparse.types import GeoparseResult, IncidentDraft, Mention, Span

pytestmark = pytest.mark.django_db
RAID = "داهمت قسد والتحالف خلية لداعش في حيي غويران والنشوة بمدينة الحسكة."


def article(body: str = RAID):
    return store(clean_body(body), published=datetime.date(2024, 8, 20)).article


def span(body: str, text: str) -> Span:
    start = body.index(text)
    return Span(start=start, end=start + len(text), text=text, key=text)


def result_naming(body: str, names: list[str], place_ids: tuple[int, ...]) -> GeoparseResult:
    """A result with one mention per name and one incident over the given places."""
    records = {p.pk: to_record(p) for p in Place.objects.all()}
    first = records[place_ids[0]]
    mentions = tuple(
        Mention(span(body, n), records[pid], 0.9, "incident") for n, pid in zip(names, place_ids, strict=True)
    )
    draft = IncidentDraft(
        place=first, lat=first.lat, lon=first.lon, geo_precision=1, date="2024-08-20",
        date_precision="day", event_type="strategic_developments", actors=("SDF",), fatalities=None,
        summary="raid", confidence=0.9, mentions=tuple(range(len(mentions))),
        label_en="Ghuwayran / al-Nashwa, Al-Hasakeh", label_ar="غويران / النشوة، الحسكة",
        sub_event_type="Arrests", place_ids=place_ids,
    )  # fmt: skip
    return GeoparseResult(lang="ar", mentions=mentions, incidents=(draft,))


@pytest.mark.parametrize("order", [("CUR1", "CUR2"), ("CUR2", "CUR1")])
def test_every_place_is_kept_in_the_pipelines_order(small_gazetteer, order):
    ids = tuple(Place.objects.get(pcode=code).pk for code in order)
    names = [Place.objects.get(pk=pk).name_ar for pk in ids]
    stored = article(RAID)
    save_result(stored, result_naming(RAID, names, ids))
    incident = stored.incidents.get()
    assert [link.place_id for link in incident.place_links.order_by("rank")] == list(ids)
    assert incident.place_id == ids[0]
    assert (incident.label_en, incident.label_ar, incident.sub_event_type) == (
        "Ghuwayran / al-Nashwa, Al-Hasakeh",
        "غويران / النشوة، الحسكة",
        "Arrests",
    )
    assert sorted(m.text for m in incident.mentions.all()) == sorted(names)


def test_geocoding_again_replaces_places_and_mentions_in_place(small_gazetteer):
    ids = tuple(
        Place.objects.filter(pcode__in=["CUR1", "CUR2"]).order_by("pcode").values_list("pk", flat=True)
    )
    names = [Place.objects.get(pk=pk).name_ar for pk in ids]
    stored = article(RAID)
    save_result(stored, result_naming(RAID, names, ids))
    first = stored.incidents.get()
    save_result(stored, result_naming(RAID, names[:1], ids[:1]))
    incident = stored.incidents.get()
    assert (incident.pk, incident.version) == (first.pk, 2), "the same event is updated in place"
    assert list(incident.places.values_list("pk", flat=True)) == [ids[0]]
    assert [m.text for m in incident.mentions.all()] == names[:1]
    assert stored.mentions.count() == 1


def test_the_raid_is_one_incident_over_both_neighbourhoods(small_gazetteer):
    stored = article(RAID)
    assert run_geocode(stored.pk) == Status.DONE
    incidents = list(stored.incidents.order_by("rank"))
    raid = incidents[0]
    assert {p.name_en for p in raid.places.all()} == {"Ghuwayran", "Al-Nashwa"}
    assert raid.geo_precision == 1
    assert "Ghuwayran" in raid.label_en and "Al-Nashwa" in raid.label_en
    assert raid.sub_event_type == "Arrests"
    assert {m.text for m in raid.mentions.all()} >= {"غويران", "النشوة"}
    assert not any({"Ghuwayran", "Al-Nashwa"} & {p.name_en for p in i.places.all()} for i in incidents[1:])


def test_the_api_carries_places_sub_event_type_and_own_mentions(client, small_gazetteer):
    stored = article(RAID)
    run_geocode(stored.pk)
    raid = stored.incidents.order_by("rank").first()
    detail = client.get(f"/api/incidents/{raid.pk}").json()
    assert detail["sub_event_type"] == "Arrests"
    assert {p["name_en"] for p in detail["places"]} == {"Ghuwayran", "Al-Nashwa"}
    assert detail["place_ids"] == [p["id"] for p in detail["places"]]
    excerpt = detail["excerpt"]
    own = {excerpt[m["start"] : m["end"]] for m in detail["mentions"] if m["incident"]}
    assert own >= {"غويران", "النشوة"}
    listed = client.get("/api/incidents").json()["features"]
    assert {f["properties"]["sub_event_type"] for f in listed if f["id"] == raid.pk} == {"Arrests"}


def test_a_mention_keeps_the_candidates_weighed_that_the_database_holds(small_gazetteer):
    city, gov = Place.objects.get(pcode="C4360"), Place.objects.get(pcode="SY08")
    records = {p.pk: to_record(p) for p in (city, gov)}
    weighed = ((city.pk, 1.96), (gov.pk, 1.6), (city.pk + gov.pk + 1000, 1.2))  # the last one is gone
    mention = Mention(span(RAID, "الحسكة"), records[city.pk], 0.78, "incident", weighed)
    stored = article(RAID)
    save_result(stored, GeoparseResult(lang="ar", mentions=(mention,), incidents=()))
    assert stored.mentions.get().candidates == [{"id": city.pk, "score": 1.96}, {"id": gov.pk, "score": 1.6}]
