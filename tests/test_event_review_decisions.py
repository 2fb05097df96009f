"""A reviewer's decisions on events through the API (merge, split, unlink, lead, fatalities), who may make
them, and the guard: automatic linking never moves a report a reviewer placed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from event_data import draft, event_of, geocode_as, post, report, token_client

from conflictmap.incidents.models import Event, Incident, LinkedBy

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Two:
    """Two events: `both` holds an English report in Ghuwayran and an Arabic one of the city; `raqqa` one."""

    english: Incident
    arabic: Incident
    other: Incident
    both: int
    raqqa: int


@pytest.fixture
def two(small_gazetteer) -> Two:
    english = report(draft("t:CUR1", fatalities=3), lang="en")
    arabic = report(draft("t:C4360", geo_precision=2, fatalities=5), lang="ar")
    other = report(draft("t:C5710"))
    both, raqqa = event_of(english).pk, event_of(other).pk
    assert event_of(arabic).pk == both != raqqa
    return Two(english, arabic, other, both, raqqa)


@pytest.fixture
def reviewer(make_user):
    return token_client(make_user("reviewer"))


def url(event: int, action: str) -> str:
    return f"/api/events/{event}/{action}"


def report_ids(body: dict) -> set[int]:
    return {r["id"] for r in body["reports"]}


def linked_by(*incidents: Incident) -> set[str]:
    return set(Incident.objects.filter(pk__in=[i.pk for i in incidents]).values_list("linked_by", flat=True))


ACTIONS = ("merge", "split", "unlink", "lead", "fatalities")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("role", "status"), [(None, 401), ("viewer", 403), ("coder", 403)])
def test_only_reviewers_decide(two, make_user, action, role, status):
    client = token_client(make_user(role) if role else None)
    data = {"other": two.raqqa, "reports": [two.arabic.pk], "report": two.arabic.pk, "fatalities": 1}
    assert post(client, url(two.both, action), data).status_code == status
    assert event_of(two.english).report_count == 2
    assert Event.objects.get(pk=two.both).fatalities == 3


def test_merge_moves_the_reports_and_archives_the_other(two, reviewer, client):
    response = post(reviewer, url(two.both, "merge"), {"other": two.raqqa})
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["report_count"]) == (two.both, 3)
    assert report_ids(body) == {two.english.pk, two.arabic.pk, two.other.pk}
    assert {r["linked_by"] for r in body["reports"]} == {LinkedBy.REVIEWER}
    merged = Event.objects.get(pk=two.raqqa)
    assert (merged.archived_at is not None, merged.moved_to_id) == (True, two.both)
    assert "merged into event" in merged.archive_reason
    gone = client.get(f"/api/events/{two.raqqa}")
    assert (gone.status_code, gone.json()["moved_to"]) == (410, two.both)


@pytest.mark.parametrize(
    ("other", "field"), [("itself", "other"), ("archived", "other"), ("missing", "other")]
)
def test_merge_refuses(two, reviewer, other, field):
    if other == "archived":
        post(reviewer, url(two.both, "merge"), {"other": two.raqqa})
    target = {"itself": two.both, "archived": two.raqqa, "missing": 10_000}[other]
    response = post(reviewer, url(two.both, "merge"), {"other": target})
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_split_answers_the_new_event(two, reviewer):
    response = post(reviewer, url(two.both, "split"), {"reports": [two.arabic.pk]})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] not in {two.both, two.raqqa}
    assert (report_ids(body), body["report_count"], body["lead_id"]) == ({two.arabic.pk}, 1, two.arabic.pk)
    left = Event.objects.get(pk=two.both)
    assert (left.report_count, left.lead_id) == (1, two.english.pk)
    assert linked_by(two.english, two.arabic) == {LinkedBy.REVIEWER}


@pytest.mark.parametrize("which", ["every report", "another event's report", "none"])
def test_split_refuses(two, reviewer, which):
    chosen = {
        "every report": [two.english.pk, two.arabic.pk],
        "another event's report": [two.other.pk],
        "none": [],
    }[which]
    response = post(reviewer, url(two.both, "split"), {"reports": chosen})
    assert response.status_code == 400
    assert "reports" in response.json()["errors"]
    assert event_of(two.english).report_count == 2


def test_unlink_takes_one_report_into_an_event_of_its_own(two, reviewer):
    response = post(reviewer, url(two.both, "unlink"), {"report": two.english.pk})
    assert response.status_code == 200
    body = response.json()
    assert (report_ids(body), body["geo_precision"]) == ({two.english.pk}, 1)
    left = Event.objects.get(pk=two.both)
    assert (left.report_count, left.lead_id, left.geo_precision) == (1, two.arabic.pk, 2)


@pytest.mark.parametrize("which", ["its last report", "another event's report"])
def test_unlink_refuses_naming_the_report(two, reviewer, which):
    chosen = two.other if which == "its last report" else two.english
    response = post(reviewer, url(two.raqqa, "unlink"), {"report": chosen.pk})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["report"])
    assert event_of(two.other).report_count == 1


def test_an_archived_event_takes_no_decision(two, reviewer):
    post(reviewer, url(two.both, "merge"), {"other": two.raqqa})
    assert post(reviewer, url(two.raqqa, "fatalities"), {"fatalities": 1}).status_code == 404


def test_the_chosen_lead_gives_the_event_its_location(two, reviewer):
    event = Event.objects.get(pk=two.both)
    assert (event.lead_id, event.geo_precision) == (two.english.pk, 1)
    response = post(reviewer, url(two.both, "lead"), {"report": two.arabic.pk})
    assert response.status_code == 200
    body = response.json()
    assert (body["lead_id"], body["lead_by_reviewer"], body["geo_precision"]) == (two.arabic.pk, True, 2)
    city = two.arabic.point
    assert (body["lat"], body["lon"], body["label_en"]) == (round(city.y, 5), round(city.x, 5), "Al-Hasakeh")
    report(draft("t:CUR1"))  # a precise report joining later does not take the lead back
    event.refresh_from_db()
    assert (event.report_count, event.lead_id) == (3, two.arabic.pk)


def test_the_lead_must_be_a_report_of_the_event(two, reviewer):
    response = post(reviewer, url(two.both, "lead"), {"report": two.other.pk})
    assert response.status_code == 400
    assert Event.objects.get(pk=two.both).lead_id == two.english.pk


@pytest.mark.parametrize(("rule", "by_rule"), [("lowest", 1), ("highest", 5)])
def test_a_reviewers_fatalities_stand_until_cleared(two, reviewer, settings, rule, by_rule):
    settings.EVENT_FATALITIES = rule
    body = post(reviewer, url(two.both, "fatalities"), {"fatalities": 10}).json()
    assert (body["fatalities"], body["fatality_rule"]) == (10, "reviewer")
    report(draft("t:CUR1", fatalities=1))  # a new report's figure does not override the reviewer's
    assert Event.objects.get(pk=two.both).fatalities == 10
    body = post(reviewer, url(two.both, "fatalities"), {"fatalities": None}).json()
    assert (body["fatalities"], body["fatality_rule"]) == (by_rule, rule)  # of the 3, 5 and 1 reported


@pytest.mark.parametrize("value", [-1, "many"])
def test_fatalities_must_be_a_count(two, reviewer, value):
    response = post(reviewer, url(two.both, "fatalities"), {"fatalities": value})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["fatalities"])


def test_a_merged_report_stays_merged_when_its_article_is_geocoded_again(two, reviewer):
    post(reviewer, url(two.both, "merge"), {"other": two.raqqa})
    (again,) = geocode_as(two.other.article, draft("t:C5710", fatalities=7))
    assert (again.pk, again.fatalities, event_of(again).pk) == (two.other.pk, 7, two.both)
    assert Event.objects.link(Incident.objects.get(pk=two.other.pk)).pk == two.both
    assert Event.objects.get(pk=two.raqqa).archived_at is not None


def test_a_split_report_stays_apart_when_its_article_is_geocoded_again(two, reviewer):
    split = post(reviewer, url(two.both, "split"), {"reports": [two.arabic.pk]}).json()["id"]
    (again,) = geocode_as(two.arabic.article, draft("t:C4360", geo_precision=2, fatalities=6))
    assert (again.pk, again.fatalities, event_of(again).pk) == (two.arabic.pk, 6, split)
    for moved in (two.arabic, two.english):
        assert Event.objects.link(Incident.objects.get(pk=moved.pk)) == event_of(moved)
    assert (event_of(two.english).pk, event_of(two.arabic).pk) == (two.both, split)


def test_a_new_report_may_still_join_a_reviewers_event(two, reviewer):
    post(reviewer, url(two.both, "merge"), {"other": two.raqqa})
    new = report(draft("t:CUR1", date="2024-08-20"), published=datetime.date(2024, 8, 21))
    assert event_of(new).pk == two.both
    assert linked_by(new) == {LinkedBy.MACHINE}
    assert event_of(new).report_count == 4
