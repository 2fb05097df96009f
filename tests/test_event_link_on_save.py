"""Saving an article's incidents links each to its event: the real geocode() path with hand-made drafts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from event_data import DAY, draft, event_of, geocode_as, report
from incident_factory import make_article, make_incident, user_with_role

from conflictmap.incidents.models import Event, Incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rule", "fatalities"), [("lowest", 3), ("highest", 5)])
@pytest.mark.parametrize("arabic_first", [False, True])
def test_an_arabic_and_an_english_report_of_one_event_link(
    small_gazetteer, settings, client, rule, fatalities, arabic_first
):
    settings.EVENT_FATALITIES = rule

    def english() -> Incident:
        return report(draft("t:CUR1", fatalities=3), lang="en", source="Hawar")

    def arabic() -> Incident:  # "in the city of al-Hasakah", published the next day with no date of its own
        later = draft("t:C4360", "2024-08-21", date_stated=False, geo_precision=2, fatalities=5)
        return report(later, lang="ar", source="SOHR", published=datetime.date(2024, 8, 21))

    if arabic_first:
        ar, en = arabic(), english()
    else:
        en, ar = english(), arabic()
    event = event_of(en)
    assert event_of(ar).pk == event.pk
    assert (event.report_count, event.lead_id, event.geo_precision) == (2, en.pk, 1)
    assert (event.date_first, event.date_last) == (datetime.date(2024, 8, 20), datetime.date(2024, 8, 21))
    assert (event.fatalities, event.fatality_rule) == (fatalities, rule)
    assert (event.label_en, event.point.coords) == (en.label_en, en.point.coords)
    body = client.get(f"/api/events/{event.pk}").json()
    assert sorted((r["lang"], r["source"]) for r in body["reports"]) == [("ar", "SOHR"), ("en", "Hawar")]


@pytest.mark.parametrize(("near_km", "linked"), [(5.0, False), (10.0, True)])
def test_neighbouring_places_the_same_day_stay_apart_beyond_near_km(
    small_gazetteer, settings, near_km, linked
):
    settings.EVENT_LINK_NEAR_KM = near_km  # Ghuwayran and al-Nashwa are 6.3 km apart
    ghuwayran, nashwa = report(draft("t:CUR1")), report(draft("t:CUR2"))
    assert (event_of(ghuwayran).pk == event_of(nashwa).pk) is linked
    assert Event.objects.live().count() == (1 if linked else 2)


@pytest.mark.parametrize(
    ("day", "slack", "linked"),
    [(DAY, 0, True), ("2024-08-21", 0, False), ("2024-08-21", 1, True), ("2024-08-22", 1, False)],
)
def test_the_same_place_another_day_stays_apart(small_gazetteer, settings, day, slack, linked):
    settings.EVENT_LINK_DAY_SLACK = slack
    first, other = report(draft()), report(draft(date=day))
    assert (event_of(first).pk == event_of(other).pk) is linked


def test_a_report_with_no_date_is_never_merged(small_gazetteer):
    dated = report(draft())
    undated = [report(draft(date=None)) for _ in range(2)]
    events = {event_of(r).pk for r in (dated, *undated)}
    assert len(events) == 3
    assert [event_of(r).report_count for r in undated] == [1, 1]


def test_a_report_with_no_place_makes_no_incident_and_no_event(small_gazetteer):
    assert geocode_as(make_article()) == []
    assert (Incident.objects.count(), Event.objects.count()) == (0, 0)


def test_regeocoding_moves_a_machine_linked_report_and_archives_the_event_left_empty(small_gazetteer, client):
    first, second = report(draft()), report(draft())
    raqqa = report(draft("t:C5710"))
    joined, left = event_of(first), event_of(raqqa)
    assert event_of(second).pk == joined.pk != left.pk
    (moved,) = geocode_as(raqqa.article, draft())
    assert moved.pk == raqqa.pk
    assert event_of(moved).pk == joined.pk
    assert event_of(first).report_count == 3
    left.refresh_from_db()
    assert (left.archived_at is not None, left.moved_to_id, left.report_count) == (True, joined.pk, 0)
    gone = client.get(f"/api/events/{left.pk}")
    assert (gone.status_code, gone.json()["moved_to"]) == (410, joined.pk)
    (away,) = geocode_as(second.article, draft("t:C5710"))
    assert event_of(away).pk not in {joined.pk, left.pk}
    assert event_of(first).report_count == 2


def test_regeocoding_links_by_the_new_places_not_the_old_ones(small_gazetteer):
    ghuwayran, nashwa = report(draft("t:CUR1")), report(draft("t:CUR2"))
    later = report(draft("t:CUR2", "2024-08-25"))
    (moved,) = geocode_as(later.article, draft("t:CUR1"))
    assert event_of(moved).pk == event_of(ghuwayran).pk != event_of(nashwa).pk


def test_deleting_an_article_archives_its_events(small_gazetteer, django_capture_on_commit_callbacks):
    alone = report(draft("t:C5710"))
    first, second = report(draft()), report(draft())
    with django_capture_on_commit_callbacks(execute=True):
        alone.article.delete()
        second.article.delete()
    archived = Event.objects.get(pk=alone.event_id)
    assert (archived.archived_at is not None, archived.report_count) == (True, 0)
    kept = event_of(first)
    assert (kept.archived_at, kept.report_count, kept.lead_id) == (None, 1, first.pk)


def test_link_events_links_the_unlinked_incidents(small_gazetteer, capsys):
    day = datetime.date(2024, 8, 20)
    made = [
        make_incident("t:CUR1", date=day),
        make_incident("t:CUR1", date=day),
        make_incident("t:C5710", date=day),
    ]
    assert not Event.objects.exists()
    call_command("link_events")
    assert "Linked 3 incident(s); 2 live event(s)." in capsys.readouterr().out
    events = [Incident.objects.get(pk=i.pk).event_id for i in made]
    assert events[0] == events[1] != events[2] is not None
    call_command("link_events")
    assert "Linked 0 incident(s); 2 live event(s)." in capsys.readouterr().out


def test_a_rejected_incident_leaves_its_event(small_gazetteer):
    kept, rejected = report(draft(fatalities=1)), report(draft(fatalities=9))
    event = event_of(kept)
    assert (event.report_count, event.fatalities) == (2, 1)
    rejected.reject(user_with_role("rev", "reviewer"), rejected.version, "a rumour")
    assert Incident.objects.get(pk=rejected.pk).event_id is None
    event.refresh_from_db()
    assert (event.report_count, event.lead_id, event.archived_at) == (1, kept.pk, None)


RAQQA = Point(39.006062, 35.953075, srid=4326)
CUR1 = Point(40.760, 36.475, srid=4326)
# name: (where, date, event type) of the events already stored; none is the new report's event.
BACKGROUND = {
    "far away, the same day": (RAQQA, 0, "battles"),
    "the same place, other dates": (CUR1, -400, "battles"),
    "the same place and day, another type": (CUR1, 0, "protests"),
}


def background(where: Point, offset: int, event_type: str, n: int, day: datetime.date) -> None:
    """Store n events at `where`, `offset` days (and a day more each) from `day`."""
    Event.objects.bulk_create(
        Event(
            point=where,
            geo_precision=1,
            date_first=d,
            date_last=d,
            event_type=event_type,
            admin1_pcode="SY08",
        )
        for d in (day + datetime.timedelta(days=offset - i * (offset != 0)) for i in range(n))
    )


def queries_to_link(day: datetime.date) -> int:
    """The queries of linking one new incident at Ghuwayran on `day`."""
    incident = make_incident("t:CUR1", date=day)
    with CaptureQueriesContext(connection) as captured:
        Event.objects.link(incident)
    assert Incident.objects.get(pk=incident.pk).event_id is not None
    return len(captured)


@pytest.mark.parametrize("kind", BACKGROUND.values(), ids=BACKGROUND)
def test_linking_queries_do_not_grow_with_the_events_stored(small_gazetteer, kind):
    early, late = datetime.date(2024, 8, 20), datetime.date(2024, 9, 20)
    queries_to_link(datetime.date(2024, 1, 1))  # the gazetteer index and other caches load once
    background(*kind, 5, early)
    few = queries_to_link(early)
    background(*kind, 200, late)
    assert Event.objects.count() == 1 + 5 + 1 + 200
    assert queries_to_link(late) == few
