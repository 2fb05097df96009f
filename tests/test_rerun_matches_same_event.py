"""A re-run matches each new draft to the stored incident that is the same event (rerun.py's rule), and writes
each match, archive and creation once, with history, a bounded number of queries and no lost review."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conflictmap.articles.ingest import clean_body, store
from conflictmap.incidents.geocoding import plan_update, save_result
from conflictmap.incidents.models import Decision, Incident, Review
from conflictmap.incidents.rerun import PIPELINE, PlanOutdated, apply
from gazetteer.index import to_record
from gazetteer.models import Place
from geoparse.types import GeoparseResult, IncidentDraft, Mention, Span

pytestmark = pytest.mark.django_db
BODY = "Fighting in Ghuwayran, al-Nashwa and Raqqa; a protest followed in Hasakah."
PLACES = ("CUR1", "CUR2", "C5710", "C4360")
# The most queries a re-run of one article makes, however many incidents and mentions it has: each kind of
# read and write once, two savepoints and their releases.
QUERIES = 26


def draft(
    pcode: str,
    event_type: str = "battles",
    date: str = "2024-08-20",
    also: tuple[str, ...] = (),
    mentions: tuple[int, ...] = (),
) -> IncidentDraft:
    """A draft at the place (its point), naming the other places too, built from those mentions."""
    place = to_record(Place.objects.get(pcode=pcode))
    ids = tuple(Place.objects.get(pcode=code).pk for code in (pcode, *also))
    return IncidentDraft(
        place=place, lat=place.lat, lon=place.lon, geo_precision=1, date=date, date_precision="day",
        event_type=event_type, actors=(), fatalities=None, summary="", confidence=0.5,
        label_en=place.name_en, label_ar=place.name_ar, place_ids=ids, mentions=mentions,
    )  # fmt: skip


def mention(name: str, pcode: str) -> Mention:
    """The pipeline's mention of the name in BODY, resolved to the place."""
    start = BODY.index(name)
    span = Span(start=start, end=start + len(name), text=name, key=name.lower())
    return Mention(span, to_record(Place.objects.get(pcode=pcode)), 0.9, "incident")


# One mention per place of PLACES, in the same order.
NAMES = ("Ghuwayran", "al-Nashwa", "Raqqa", "Hasakah")


def result(*drafts: IncidentDraft, mentions: tuple[Mention, ...] = ()) -> GeoparseResult:
    return GeoparseResult(lang="en", mentions=mentions, incidents=drafts)


@pytest.fixture
def article(small_gazetteer):
    return store(clean_body(BODY), published=datetime.date(2024, 8, 20)).article


def counts(plan) -> tuple[int, ...]:
    c = plan.counts()
    return (c["created"], c["updated"], c["archived"], c["kept"], c["reviewed"], c["dropped"])


# first run, the review of its first incident, the re-run → (created, updated, archived, kept, reviewed,
# dropped) and the fields the first incident's update lists.
CASES = {
    "same place, a new date": (
        [("CUR1",)], None, [("CUR1", "battles", "2024-08-21")], (0, 1, 0, 0, 0, 0), ("date",)
    ),
    "the point's place among its places": (
        [("CUR1", "battles", "2024-08-20", ("CUR2",))], None, [("CUR2",)], (0, 1, 0, 0, 0, 0),
        ("point", "place", "label_en", "label_ar", "place_ids"),
    ),
    "same rank and type, the place moved": (
        [("CUR1",)], None, [("C5710",)], (0, 1, 0, 0, 0, 0),
        ("point", "place", "label_en", "label_ar", "admin2_pcode", "admin3_pcode", "admin1_pcode", "place_ids"),
    ),
    "another place and type": ([("CUR1",)], None, [("C5710", "protests")], (1, 0, 1, 0, 0, 0), None),
    "the same draft again": ([("CUR1",)], None, [("CUR1",)], (0, 0, 0, 1, 0, 0), None),
    "confirmed, found again": ([("CUR1",)], Review.CONFIRMED, [("CUR1", "battles", "2024-08-21")], (0, 0, 0, 0, 1, 1), None),
    "corrected, found again": ([("CUR1",)], Review.CORRECTED, [("CUR1",)], (0, 0, 0, 0, 1, 1), None),
    "rejected, moved with its type": ([("CUR1",)], Review.REJECTED, [("C5710",)], (0, 0, 0, 0, 1, 1), None),
    "rejected, and a new event": ([("CUR1",)], Review.REJECTED, [("C5710", "protests")], (1, 0, 0, 0, 1, 0), None),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_drafts_are_matched_to_the_same_event(article, case):
    first, state, again, expected, fields = CASES[case]
    save_result(article, result(*(draft(*d) for d in first)))
    (stored,) = article.incidents.all()
    if state:
        Incident.objects.filter(pk=stored.pk).update(review=state)
    plan = save_result(article, result(*(draft(*d) for d in again)))
    assert counts(plan) == expected
    if fields:
        (update,) = plan.updated
        assert update.incident.pk == stored.pk
        assert sorted(update.fields) == sorted(fields)
        assert Incident.objects.get(pk=stored.pk).version == 2
    live = article.incidents.live()
    assert live.count() == expected[0] + 1 - expected[2]
    assert live.filter(pk=stored.pk).exists() == (expected[2] == 0)


def test_two_drafts_at_one_place_go_to_the_incidents_of_their_own_type(article):
    save_result(article, result(draft("CUR1", "battles"), draft("CUR1", "protests")))
    battle, protest = article.incidents.order_by("rank")
    plan = save_result(article, result(draft("CUR1", "protests"), draft("CUR1", "battles")))
    assert {u.incident.pk: u.draft.row.event_type for u in (*plan.updated, *plan.kept)} == {
        battle.pk: "battles",
        protest.pk: "protests",
    }


def test_a_dropped_incident_moves_to_the_one_that_now_covers_its_place(article, client):
    save_result(article, result(draft("CUR1", "battles"), draft("CUR1", "protests")))
    battle, protest = article.incidents.order_by("rank")
    save_result(article, result(draft("CUR1", "protests")))
    battle.refresh_from_db()
    assert (battle.archived_at is not None, battle.moved_to_id) == (True, protest.pk)
    assert client.get(f"/api/incidents/{battle.pk}").json()["moved_to"] == protest.pk


def test_a_dropped_incident_moves_to_a_new_one_naming_its_place(article):
    save_result(article, result(draft("CUR2", "protests")))
    (old,) = article.incidents.all()
    plan = save_result(article, result(draft("CUR1", "battles", also=("CUR2",))))
    (new,) = article.incidents.live()
    assert counts(plan)[:3] == (1, 0, 1) and new.pk != old.pk
    assert Incident.objects.get(pk=old.pk).moved_to_id == new.pk
    assert list(new.place_links.values_list("place__pcode", flat=True)) == ["CUR1", "CUR2"]


def test_every_pipeline_write_leaves_a_history_row(article):
    save_result(article, result(draft("CUR1"), draft("CUR2", "protests")))
    first, second = article.incidents.order_by("rank")
    save_result(article, result(draft("CUR1", date="2024-08-22")))
    rows = Incident.history.filter(history_change_reason=PIPELINE)
    assert sorted(rows.values_list("id", "history_type", "version")) == sorted(
        [(first.pk, "+", 1), (second.pk, "+", 1), (first.pk, "~", 2), (second.pk, "~", 2)]
    )
    assert rows.get(id=second.pk, history_type="~").archived_at is not None
    save_result(article, result(draft("CUR1", date="2024-08-22")))
    assert rows.count() == 4, "an unchanged re-run writes no history"


@pytest.mark.parametrize("n", [2, 12])
def test_the_queries_per_article_do_not_grow_with_its_incidents(article, django_assert_max_num_queries, n):
    def drafts(date: str, shift: int) -> GeoparseResult:
        said = tuple(mention(name, pcode) for name, pcode in zip(NAMES, PLACES, strict=True))
        at = [(i + shift) % 4 for i in range(n)]
        return result(
            *(draft(PLACES[p], f"type{i}", date, mentions=(p,)) for i, p in enumerate(at)), mentions=said
        )

    save_result(article, drafts("2024-08-20", 0))
    Incident.objects.filter(pk=article.incidents.order_by("rank").first().pk).update(review=Review.CONFIRMED)
    again = drafts("2024-08-21", 1)
    with django_assert_max_num_queries(QUERIES):
        plan = save_result(article, again)
    assert sum(counts(plan)) == n + 1  # every stored incident is accounted for, plus its dropped draft


def test_an_incident_reviewed_after_the_plan_stops_its_apply(article):
    save_result(article, result(draft("CUR1")))
    (stored,) = article.incidents.all()
    plan = plan_update(article, result(draft("C5710", "protests")))
    Incident.objects.filter(pk=stored.pk).update(review=Review.CONFIRMED, version=2)
    with pytest.raises(PlanOutdated):
        apply(plan)
    assert list(article.incidents.values_list("pk", "review", "archived_at")) == [
        (stored.pk, Review.CONFIRMED, None)
    ]
    plan = save_result(article, result(draft("C5710", "protests")))  # plans again from what the reviewer left
    assert counts(plan) == (1, 0, 0, 0, 1, 0)


def test_a_result_mention_on_a_decided_mention_maps_to_its_row(article):
    said = (mention("Ghuwayran", "CUR1"),)
    linked = draft("CUR1", mentions=(0,))
    save_result(article, result(linked, mentions=said))
    decided = article.mentions.get()
    decided.decision, decided.decided_at = Decision.NOT_PLACE, timezone.now()
    decided.save()
    save_result(article, result(linked, mentions=said))
    assert list(article.mentions.values_list("pk", "decision")) == [(decided.pk, Decision.NOT_PLACE)]
    assert list(article.incidents.get().mentions.values_list("pk", flat=True)) == [decided.pk]


def test_an_incident_relocated_by_an_analyst_is_not_recreated_at_its_old_place(article):
    save_result(article, result(draft("CUR1")))
    (stored,) = article.incidents.all()
    stored.relocate(None, stored.version, Place.objects.get(pcode="CUR2"))
    plan = save_result(article, result(draft("CUR1")))
    assert counts(plan) == (0, 0, 0, 0, 1, 1)
    assert list(article.incidents.values_list("pk", "place__pcode", "review")) == [
        (stored.pk, "CUR2", Review.CORRECTED)
    ]
