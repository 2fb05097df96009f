"""The geocode_article task body, run in-process: storing results, failures, retries and the sweep."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from conflictmap.articles import tasks as article_tasks
from conflictmap.articles.ingest import clean_body, store
from conflictmap.articles.models import Article, Status
from conflictmap.incidents import geocoding, tasks
from conflictmap.incidents.models import Incident, Mention
from gazetteer.index import to_record
from gazetteer.models import Place
from geoparse.types import GeoparseResult, IncidentDraft, Span
from geoparse.types import Mention as MentionDraft

BODY = "داهمت قوات الأمن خلية في حي غويران بمدينة الحسكة، وتحدث التقرير عن هجمات في ريف الرقة الشرقي."


def make_article(body: str = BODY) -> Article:
    return store(clean_body(body), published=datetime.date(2024, 8, 20)).article


def span(body: str, text: str) -> Span:
    start = body.index(text)
    return Span(start=start, end=start + len(text), text=text, key=text)


def fake_result(body: str) -> GeoparseResult:
    """A result as the pipeline would give for BODY, built from the small gazetteer's rows."""
    rec = {p.pcode: to_record(p) for p in Place.objects.all()}
    mentions = (
        MentionDraft(span(body, "غويران"), rec["CUR1"], 0.9, "incident"),
        MentionDraft(span(body, "الحسكة"), rec["C4360"], 0.8, "incident"),
        MentionDraft(span(body, "الرقة"), rec["SY11"], 0.6, "incident"),
        MentionDraft(span(body, "التقرير"), None, 0.1, "context"),
    )
    main = IncidentDraft(
        place=rec["CUR1"],
        lat=36.475,
        lon=40.76,
        geo_precision=1,
        date="2024-08-20",
        date_precision="day",
        event_type="security operation",
        actors=("security forces",),
        fatalities=None,
        summary="Security forces raided a cell in Ghuwayran.",
        confidence=0.8,
        mentions=(0, 1),
    )
    raqqa = IncidentDraft(
        place=rec["SY11"],
        lat=35.9,
        lon=38.9,
        geo_precision=2,
        date="2024-08-01",
        date_precision="month",
        event_type="attack",
        actors=(),
        fatalities=2,
        summary="Attacks in the eastern Raqqa countryside.",
        confidence=0.5,
        mentions=(2,),
        area_place_ids=(rec["SY11"].id,),
    )
    return GeoparseResult(lang="ar", mentions=mentions, incidents=(main, raqqa), warnings=("date guessed",))


def parse_with(result_for):
    return lambda text, **kwargs: result_for(text)


@pytest.mark.django_db
def test_task_stores_mentions_and_incidents_and_marks_done(small_gazetteer):
    article = make_article()
    assert geocoding.run_geocode(article.pk, "w1", parse=parse_with(fake_result)) == Status.DONE
    article.refresh_from_db()
    assert (article.status, article.attempts, article.error) == (Status.DONE, 1, "")
    assert "geoparse: date guessed" in article.warnings
    mentions = list(article.mentions.order_by("start"))
    assert [m.text for m in mentions] == ["غويران", "الحسكة", "التقرير", "الرقة"]
    assert [m.place.pcode if m.place else None for m in mentions] == ["CUR1", "C4360", None, "SY11"]
    first, second = article.incidents.order_by("rank")
    assert (first.label_en, first.admin1_pcode, first.geo_precision, first.date) == (
        "Ghuwayran",
        "SY08",
        1,
        datetime.date(2024, 8, 20),
    )
    assert first.place.pcode == "CUR1" and first.actors == ["security forces"] and first.area is None
    assert (second.geo_precision, second.date_precision, second.date) == (
        2,
        "month",
        datetime.date(2024, 8, 1),
    )
    assert second.area is not None and second.area.contains(second.point)


@pytest.mark.django_db
def test_rerun_replaces_rather_than_adds(small_gazetteer):
    article = make_article()
    geocoding.run_geocode(article.pk, parse=parse_with(fake_result))
    Article.objects.filter(pk=article.pk).update(status=Status.PENDING)
    geocoding.run_geocode(article.pk, parse=parse_with(fake_result))
    assert Mention.objects.filter(article=article).count() == 4
    assert Incident.objects.filter(article=article).count() == 2


@pytest.mark.django_db
def test_done_article_is_not_geocoded_again_by_a_stale_message(small_gazetteer):
    article = make_article()
    geocoding.run_geocode(article.pk, parse=parse_with(fake_result))
    parse = mock.Mock()
    assert geocoding.run_geocode(article.pk, parse=parse) == "skipped"
    parse.assert_not_called()
    assert geocoding.run_geocode(987654, parse=parse) == "skipped"


@pytest.mark.django_db
def test_permanent_error_marks_failed_with_the_message(small_gazetteer):
    article = make_article()

    def broken(text, **kwargs):
        raise ValueError("span out of range")

    assert geocoding.run_geocode(article.pk, parse=broken) == Status.FAILED
    article.refresh_from_db()
    assert article.status == Status.FAILED
    assert article.error == "ValueError: span out of range"


@pytest.mark.django_db
def test_transient_error_propagates_for_retry_and_leaves_article_processing(small_gazetteer):
    article = make_article()

    def db_gone(text, **kwargs):
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        geocoding.run_geocode(article.pk, parse=db_gone)
    article.refresh_from_db()
    assert article.status == Status.PROCESSING


def test_task_retries_only_transient_errors():
    options = tasks.geocode_article
    assert OperationalError in options.autoretry_for
    assert ValueError not in options.autoretry_for
    assert options.max_retries == 5 and options.retry_backoff


@pytest.mark.django_db
def test_poison_article_is_given_up_after_max_attempts(small_gazetteer):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(attempts=geocoding.MAX_ATTEMPTS)
    parse = mock.Mock()
    assert geocoding.run_geocode(article.pk, parse=parse) == Status.FAILED
    parse.assert_not_called()
    assert "gave up" in Article.objects.get(pk=article.pk).error


@pytest.mark.django_db
def test_celery_task_wraps_the_same_function(small_gazetteer):
    article = make_article()
    parser = mock.Mock(parse=lambda text, **kw: fake_result(text))
    with mock.patch.object(geocoding, "default_geoparser", return_value=parser):
        tasks.geocode_article.apply(args=[article.pk]).get()
    assert Article.objects.get(pk=article.pk).status == Status.DONE


SWEEP_CASES = [
    # status, age in seconds, claimed_by, worker starting, swept?
    ("pending", 5, "", "", False),
    ("pending", 3600, "", "", True),
    ("processing", 3600, "celery@a", "", True),
    ("processing", 5, "celery@a", "", False),
    ("processing", 5, "celery@a", "celery@a", True),
    ("processing", 5, "celery@b", "celery@a", False),
    ("done", 3600, "celery@a", "celery@a", False),
    ("failed", 3600, "", "", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "age", "claimed_by", "worker", "swept"), SWEEP_CASES)
def test_sweep_requeues_only_stale_or_orphaned_articles(status, age, claimed_by, worker, swept):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(
        status=status, claimed_by=claimed_by, status_at=timezone.now() - datetime.timedelta(seconds=age)
    )
    with mock.patch.object(tasks.geocode_article, "delay") as delay:
        queued = article_tasks.sweep_stale(worker)
    assert queued == int(swept)
    assert delay.called == swept
    if swept:
        assert Article.objects.get(pk=article.pk).status == Status.PENDING


@pytest.mark.django_db
def test_real_pipeline_on_the_small_gazetteer_makes_a_hasakah_incident(small_gazetteer):
    article = make_article("داهمت قوات الأمن خلية لتنظيم داعش في حي غويران بمدينة الحسكة.")
    assert geocoding.run_geocode(article.pk) == Status.DONE
    article.refresh_from_db()
    primary = article.incidents.order_by("rank").first()
    assert primary is not None and primary.admin1_pcode == "SY08"
    assert primary.date == datetime.date(2024, 8, 20)
    assert article.mentions.filter(place__pcode="CUR1").exists()
