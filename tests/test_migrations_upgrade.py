"""Upgrading a database migrated before Mention moved keeps every article, mention and incident."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.migrations]

# The migration nodes of main before the move (issue 9).
BEFORE = [
    ("articles", "0002_article_synthetic"),
    ("incidents", "0001_initial"),
    ("rules", "0002_load_default_rules"),
]


def migrate(targets: list[tuple[str, str]]):
    """Migrate the test database to the targets and return the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def seed_old(apps) -> dict[str, int]:
    """Fill the old schema: a place, an article with two mentions and an incident at the place."""
    place = apps.get_model("gazetteer", "Place").objects.create(
        uid="t:G1", kind="neighbourhood", name_en="Ghuwayran", name_ar="غويران", pcode="N1",
        point=Point(40.76, 36.47, srid=4326), admin1_pcode="SY08", source="test",
    )  # fmt: skip
    article = apps.get_model("articles", "Article").objects.create(
        body="داهمت قسد حي غويران بمدينة الحسكة.", content_hash="x" * 64, status="done"
    )
    Mention = apps.get_model("articles", "Mention")
    own = Mention.objects.create(
        article=article, start=14, end=20, text="غويران", place=place, role="incident"
    )
    other = Mention.objects.create(article=article, start=27, end=33, text="الحسكة", role="context")
    incident = apps.get_model("incidents", "Incident").objects.create(
        article=article, date=datetime.date(2024, 8, 20), point=Point(40.76, 36.47, srid=4326),
        place=place, label_en="Ghuwayran", geo_precision=1, event_type="strategic_developments",
    )  # fmt: skip
    EventRule = apps.get_model("rules", "EventRule")
    EventRule.objects.filter(keyword="raid*").delete()  # other tests may have flushed or kept the defaults
    rule = EventRule.objects.create(  # as main's built-in table named it
        event_type="strategic_developments", sub_event_type="raid/arrest", keyword="raid*", priority=5
    )
    return {"place": place.pk, "own": own.pk, "other": other.pk, "incident": incident.pk, "rule": rule.pk}


def test_upgrade_keeps_mentions_and_links_them_to_incidents():
    apps = migrate(BEFORE)
    try:
        ids = seed_old(apps)
        apps = migrate(latest())
        Mention = apps.get_model("incidents", "Mention")
        assert Mention._meta.db_table == "incidents_mention"
        assert set(Mention.objects.values_list("pk", "text")) == {
            (ids["own"], "غويران"),
            (ids["other"], "الحسكة"),
        }
        incident = apps.get_model("incidents", "Incident").objects.get(pk=ids["incident"])
        assert list(incident.mentions.values_list("pk", flat=True)) == [ids["own"]]
        links = apps.get_model("incidents", "IncidentPlace").objects.filter(incident=incident)
        assert list(links.values_list("place_id", "rank")) == [(ids["place"], 0)]
        rule = apps.get_model("rules", "EventRule").objects.get(pk=ids["rule"])
        assert rule.sub_event_type == "Arrests"
    finally:
        migrate(latest())
