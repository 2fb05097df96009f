"""`regeocode --dry-run` reports what a re-run would change and writes nothing, not even the articles' status."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rerun_scenario import reviewed_then_changed

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, IncidentPlace, Mention

pytestmark = pytest.mark.django_db


def database() -> dict:
    """Every row a re-run may write, as comparable values."""
    incidents = Incident.objects.select_related("article").prefetch_related("place_links").order_by("pk")
    return {
        "incidents": [(i.to_dict(), i.point.wkt, i.archived_at, i.updated_at) for i in incidents],
        "mentions": list(Mention.objects.order_by("pk").values()),
        "places": list(IncidentPlace.objects.order_by("pk").values()),
        "links": list(Incident.mentions.through.objects.order_by("pk").values()),
        "history": Incident.history.count(),
        "articles": list(Article.objects.order_by("pk").values()),
    }


def dry_run(*args: str) -> str:
    out = io.StringIO()
    call_command("regeocode", "--dry-run", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_dry_run_writes_nothing(small_gazetteer):
    reviewed_then_changed()
    before = database()
    dry_run()
    assert database() == before


def test_the_report_lists_each_change_and_a_total(small_gazetteer):
    scenario = reviewed_then_changed()
    report = dry_run()
    *_, raid, clashes = scenario.articles
    lines = report.splitlines()
    assert lines[0] == "dry run: nothing is written"
    assert f"article {raid}: created 0, updated 1, archived 0, unchanged 0, reviewed left alone 0, " in report
    assert f"  updated #{scenario.relabelled}: label_en" in lines
    assert f"  archived #{scenario.dropped}" in lines
    assert f"  dropped draft 0: the same event as #{scenario.confirmed} (confirmed)" in lines
    assert f"  dropped draft 0: the same event as #{scenario.rejected} (rejected)" in lines
    assert f"article {clashes}: created 0, updated 0, archived 0, unchanged 1, " in report
    assert lines[-1] == (
        "total (dry run, 4 article(s)): created 0, updated 1, archived 1, unchanged 1, "
        "reviewed left alone 3, drafts dropped as reviewed 2"
    )


def test_the_dry_run_reports_what_the_real_run_then_does(small_gazetteer):
    reviewed_then_changed()
    planned = [line for line in dry_run().splitlines() if line.startswith(("article", "  "))]
    out = io.StringIO()
    call_command("regeocode", "--now", stdout=out, stderr=io.StringIO())
    assert [line for line in out.getvalue().splitlines() if line.startswith(("article", "  "))] == planned


def test_the_dry_run_keeps_the_selection_options(small_gazetteer):
    scenario = reviewed_then_changed()
    report = dry_run("--name", "Raqqa")
    shelling, airstrike, *_ = scenario.articles
    assert [line.split(":")[0] for line in report.splitlines() if line.startswith("article")] == [
        f"article {shelling}",
        f"article {airstrike}",
    ]
