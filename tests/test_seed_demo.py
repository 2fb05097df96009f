"""manage.py seed_demo: N synthetic incidents over gazetteer places, deterministic per seed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, Mention


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, verbosity=0)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """What a seed produced, independent of primary keys."""
    rows = Incident.objects.order_by("article__content_hash").values_list(
        "date",
        "label_en",
        "event_type",
        "geo_precision",
        "admin1_pcode",
        "actors",
        "summary",
        "article__title",
    )
    points = Incident.objects.order_by("article__content_hash").values_list("point", flat=True)
    return [(*row, round(p.x, 6), round(p.y, 6)) for row, p in zip(rows, points, strict=True)]


@pytest.mark.django_db
def test_seed_adds_n_synthetic_incidents_with_articles_and_mentions(small_gazetteer):
    assert "added 120 synthetic incidents" in seed("--incidents", "120", "--seed", "3")
    assert Incident.objects.count() == 120
    assert Article.objects.filter(synthetic=True, source="synthetic demo", status="done").count() == 120
    assert set(Incident.objects.values_list("admin1_pcode", flat=True)) == {"SY08", "SY11"}
    assert set(Incident.objects.values_list("geo_precision", flat=True)) == {1, 2, 3}
    assert Incident.objects.exclude(date__range=("2019-01-01", "2025-12-31")).count() == 0
    assert all(Incident.objects.values_list("actors", flat=True))
    for mention in Mention.objects.select_related("article")[:30]:
        assert mention.article.body[mention.start : mention.end] == mention.text


@pytest.mark.django_db
def test_seed_points_stay_near_their_governorate(small_gazetteer):
    seed("--incidents", "60", "--seed", "5")
    boxes = {"SY08": (39.5, 35.5, 42.4, 37.4), "SY11": (38.0, 35.0, 40.0, 36.7)}
    for a1, point in Incident.objects.values_list("admin1_pcode", "point"):
        west, south, east, north = boxes[a1]
        assert west - 0.1 < point.x < east + 0.1 and south - 0.1 < point.y < north + 0.1


@pytest.mark.django_db
def test_same_seed_same_incidents_other_seed_others(small_gazetteer):
    seed("--incidents", "40", "--seed", "11")
    first = snapshot()
    seed("--incidents", "40", "--seed", "11", "--clear")
    assert snapshot() == first
    seed("--incidents", "40", "--seed", "12", "--clear")
    assert snapshot() != first
    assert Incident.objects.count() == 40


@pytest.mark.django_db
def test_clear_removes_only_synthetic_data_and_reseeding_appends(small_gazetteer):
    real = Article.objects.create(body="A real report.", content_hash="r" * 64)
    seed("--incidents", "25", "--seed", "1")
    seed("--incidents", "25", "--seed", "1")  # again, no --clear: appends without hash clashes
    assert Article.objects.filter(synthetic=True).count() == 50
    out = seed("--incidents", "0", "--clear")
    assert "removed 50 synthetic articles" in out
    assert list(Article.objects.all()) == [real]
    assert not Incident.objects.exists() and not Mention.objects.exists()


@pytest.mark.django_db
def test_seed_without_gazetteer_or_with_negative_count_fails(db):
    with pytest.raises(CommandError, match="load the gazetteer"):
        seed("--incidents", "5")
    with pytest.raises(CommandError, match="0 or more"):
        seed("--incidents", "-1")
