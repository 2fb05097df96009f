"""`regeocode --now` after corrections leaves every reviewed incident as it was and re-runs the machine ones in place."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rerun_scenario import reviewed_then_changed

from conflictmap.incidents.models import Incident, Mention, Review
from conflictmap.incidents.rerun import PIPELINE

pytestmark = pytest.mark.django_db


def snapshot(pk: int) -> tuple:
    """Everything a re-run could change about an incident, its history included."""
    incident = Incident.objects.select_related("article").get(pk=pk)
    return (
        incident.to_dict(),
        incident.point.wkt,
        incident.archived_at,
        sorted(incident.mentions.values_list("pk", flat=True)),
        incident.history.count(),
    )


@pytest.fixture
def rerun(small_gazetteer):
    """The scenario, the reviewed incidents' snapshots before, and the command's output."""
    scenario = reviewed_then_changed()
    reviewed = (scenario.confirmed, scenario.corrected, scenario.rejected)
    before = {pk: snapshot(pk) for pk in reviewed}
    out = io.StringIO()
    call_command("regeocode", "--now", stdout=out, stderr=io.StringIO())
    return scenario, before, out.getvalue()


def test_every_reviewed_incident_is_field_for_field_as_it_was(rerun):
    _, before, _ = rerun
    assert {pk: snapshot(pk) for pk in before} == before


def test_no_reviewed_event_is_duplicated_nor_a_rejected_one_recreated(rerun):
    scenario, _, _ = rerun
    shelling_article, airstrike_article, *_ = scenario.articles
    # The shelling is still found in Ghuwayran, the airstrike in al-Nashwa: both drafts are dropped.
    assert list(Incident.objects.live().filter(article_id=shelling_article).values_list("pk", flat=True)) == [
        scenario.confirmed
    ]
    assert sorted(
        Incident.objects.live().filter(article_id=airstrike_article).values_list("pk", flat=True)
    ) == [
        scenario.rejected,
        scenario.corrected,
    ]
    assert not Incident.objects.filter(article_id=airstrike_article, review=Review.MACHINE).exists()


def test_a_machine_incident_found_again_is_updated_in_place(rerun):
    scenario, _, _ = rerun
    raid = Incident.objects.get(pk=scenario.relabelled)
    assert (raid.review, raid.archived_at, raid.version) == (Review.MACHINE, None, 2)
    assert raid.label_en.startswith("Ghweiran")
    latest = raid.history.first()
    assert (latest.history_type, latest.history_change_reason, latest.label_en) == (
        "~",
        PIPELINE,
        raid.label_en,
    )
    assert Incident.objects.filter(article_id=raid.article_id).count() == 1


def test_an_unchanged_machine_incident_is_kept_without_a_new_version(rerun):
    scenario, _, _ = rerun
    clashes = Incident.objects.get(pk=scenario.unchanged)
    assert (clashes.version, clashes.archived_at, clashes.history.count()) == (1, None, 1)


def test_a_machine_incident_not_found_again_is_archived_with_its_reason(rerun):
    scenario, _, _ = rerun
    protest = Incident.objects.get(pk=scenario.dropped)
    assert protest.archived_at is not None
    assert protest.archive_reason.startswith("dropped by the re-run of ")
    assert (protest.moved_to_id, protest.version, protest.review) == (None, 2, Review.MACHINE)
    assert protest.history.first().history_change_reason == PIPELINE


def test_decided_mentions_and_those_of_reviewed_incidents_keep_their_rows(rerun):
    scenario, _, _ = rerun
    assert Mention.objects.get(pk=scenario.decided).decision == "place"
    raid = Incident.objects.get(pk=scenario.relabelled)
    assert scenario.decided in set(raid.mentions.values_list("pk", flat=True))
    for article_id in scenario.articles:
        spans = list(Mention.objects.filter(article_id=article_id).values_list("start", "end"))
        assert len(spans) == len(set(spans)), "a result mention duplicated a kept row"


def test_the_command_reports_what_it_changed(rerun):
    scenario, _, out = rerun
    assert f"  updated #{scenario.relabelled}: label_en" in out
    assert f"  archived #{scenario.dropped}" in out
    assert "total: created 0, updated 1, archived 1, unchanged 1, reviewed left alone 3" in out
    assert "geocoded 4 of 4 article(s)" in out
