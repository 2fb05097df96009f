"""Review actions on an incident: each needs the current version, records who and why, and fails whole."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from conflictmap.accounts.roles import Role, assign_role
from conflictmap.articles.ingest import clean_body, store
from conflictmap.incidents.geocoding import run_geocode
from conflictmap.incidents.models import Conflict, Incident, Review
from gazetteer.models import Place

RAID = (
    "The SDF raided an ISIS cell in the al-Nashwa and Ghuwayran neighbourhoods of al-Hasakah city "
    "on Tuesday, arresting three men."
)


@pytest.fixture
def reviewer(db) -> User:
    user = User.objects.create_user("rita")
    assign_role(user, Role.REVIEWER)
    return user


def geocoded(text: str, published: str = "2024-08-20") -> Incident:
    """Store and geocode an article in this process; return its primary incident."""
    article = store(clean_body(text), published=datetime.date.fromisoformat(published), queue=False).article
    assert run_geocode(article.pk) == "done"
    return article.incidents.order_by("rank").first()


@pytest.fixture
def raid(small_gazetteer) -> Incident:
    incident = geocoded(RAID)
    assert incident.place_links.count() == 2, "the fixture text should name two neighbourhoods"
    return incident


@pytest.mark.parametrize(
    ("action", "state", "reason"),
    [
        (lambda i, u: i.confirm(u, i.version), Review.CONFIRMED, "confirmed"),
        (lambda i, u: i.reject(u, i.version, "a duplicate"), Review.REJECTED, "rejected: a duplicate"),
        (lambda i, u: i.correct(u, i.version, {"fatalities": 2}), Review.CORRECTED, "corrected"),
    ],
)
def test_an_action_sets_the_state_bumps_the_version_and_records_why(raid, reviewer, action, state, reason):
    before = raid.version
    done = action(raid, reviewer)
    assert (done.review, done.version, done.reviewed_by) == (state, before + 1, reviewer)
    record = done.history.latest("history_date")
    assert (record.history_change_reason, record.history_user, record.version) == (
        reason,
        reviewer,
        before + 1,
    )


def test_a_stale_version_is_a_conflict_that_names_the_other_change(raid, reviewer):
    opened = raid.version
    raid.correct(reviewer, opened, {"fatalities": 4})
    with pytest.raises(Conflict) as caught:
        raid.correct(reviewer, opened, {"fatalities": 9})
    changes = caught.value.changes
    assert [c["reason"] for c in changes] == ["corrected"]
    assert {"field": "fatalities", "before": raid.fatalities, "after": 4} in changes[0]["fields"]
    assert Incident.objects.get(pk=raid.pk).fatalities == 4


@pytest.mark.parametrize("field", ["article_id", "point", "review", "version"])
def test_a_correction_cannot_set_bookkeeping_or_location_fields(raid, reviewer, field):
    with pytest.raises(ValidationError):
        raid.correct(reviewer, raid.version, {field: 1})
    assert Incident.objects.get(pk=raid.pk).version == raid.version


def test_relocate_moves_the_point_labels_and_codes_to_the_place(raid, reviewer):
    raqqa = Place.objects.get(uid="t:C5710")
    moved = raid.relocate(reviewer, raid.version, raqqa)
    assert (moved.place_id, moved.admin1_pcode, moved.label_en) == (raqqa.pk, "SY11", "Ar-Raqqa")
    assert (round(moved.point.x, 4), round(moved.point.y, 4)) == (39.0061, 35.9531)
    assert moved.place_links.first().place_id == raqqa.pk
    assert moved.review == Review.CORRECTED


def test_split_moves_a_mention_and_its_place_to_a_new_incident(raid, reviewer):
    ghuwayran = raid.mentions.get(place__uid="t:CUR1")
    new = raid.split(reviewer, raid.version, [ghuwayran])
    raid.refresh_from_db()
    assert list(new.mentions.all()) == [ghuwayran]
    assert new.place.uid == "t:CUR1" and new.article_id == raid.article_id
    assert "t:CUR1" not in {link.place.uid for link in raid.place_links.all()}
    assert (new.date, new.event_type) == (raid.date, raid.event_type)
    assert new.history.latest("history_date").history_change_reason == f"split from #{raid.pk}"
    assert raid.history.latest("history_date").history_change_reason == f"split into #{new.pk}"


def test_split_refuses_to_empty_the_incident(raid, reviewer):
    with pytest.raises(ValidationError):
        raid.split(reviewer, raid.version, list(raid.mentions.all()))


def test_merge_archives_the_other_and_points_it_here(raid, reviewer, small_gazetteer):
    other = geocoded(RAID.replace("SDF", "Coalition"))
    kept = raid.merge(reviewer, raid.version, other, other.version)
    other.refresh_from_db()
    assert other.archived_at is not None and other.moved_to_id == kept.pk
    assert other.archive_reason == f"merged into #{kept.pk}"
    assert set(other.mentions.all()) <= set(kept.mentions.all())
    assert Incident.objects.live().filter(pk=other.pk).count() == 0
    with pytest.raises(ValidationError):
        other.confirm(reviewer, other.version)


def test_revert_restores_the_fields_of_an_earlier_version(raid, reviewer):
    first = raid.correct(reviewer, raid.version, {"fatalities": 1, "summary": "first"})
    second = first.correct(reviewer, first.version, {"fatalities": 7, "summary": "second"})
    record = second.history.get(version=first.version)
    back = second.revert(reviewer, second.version, record)
    assert (back.fatalities, back.summary) == (1, "first")
    assert back.history.latest("history_date").history_change_reason == f"reverted to version {first.version}"


def test_dropping_the_only_place_is_refused_and_nothing_changes(small_gazetteer, reviewer):
    single = geocoded("Clashes broke out in Raqqa city on Monday between two armed groups.")
    mention = single.mentions.get()
    with pytest.raises(ValidationError):
        single.drop_mention(reviewer, single.version, mention)
    single.refresh_from_db()
    assert single.version == 1 and single.mentions.count() == 1


def test_split_and_merge_record_the_reviewer_on_both_incidents(raid, reviewer, small_gazetteer):
    new = raid.split(reviewer, raid.version, [raid.mentions.get(place__uid="t:CUR1")])
    other = geocoded(RAID.replace("SDF", "Coalition"))
    raid.refresh_from_db()
    raid.merge(reviewer, raid.version, other, other.version)
    for incident in (new, other):
        assert incident.history.latest("history_date").history_user == reviewer
