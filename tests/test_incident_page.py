"""The incident page /incidents/<id>/: its coded fields, sources, places and history; archived pages answer
410 with a pointer; readers who may not see the incident get 404; reviewers get revert buttons."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from incident_factory import add_mention, make_article, make_incident, user_with_role
from rerun_scenario import reviewed_then_changed

from conflictmap.incidents.models import Incident, Review

pytestmark = pytest.mark.django_db


def history_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="history-row[^"]*".*?</tr>', html, re.S)


def text_of(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed (block and cell edges become spaces)."""
    spaced = re.sub(r"</?(?:td|th|tr|li|dt|dd|p|div|ul|ol|h\d)\b[^>]*>", " ", fragment)
    return " ".join(re.sub(r"<[^>]+>", "", spaced).split())


def test_the_url_is_the_incidents_absolute_url(small_gazetteer):
    incident = make_incident()
    assert incident.get_absolute_url() == f"/incidents/{incident.pk}/"


def test_the_page_shows_the_coded_fields_sources_and_places(client, small_gazetteer):
    reviewer = user_with_role("huda", "reviewer")
    incident = make_incident(fatalities=7, date_precision="week")
    add_mention(incident, "t:CUR2")
    incident.confirm(reviewer, incident.version)
    response = client.get(f"/incidents/{incident.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    facts = text_of(re.search(r'<dl class="facts incident-facts">.*?</dl>', html, re.S)[0])
    for expected in (
        "2024-08-01 (week)",
        "Battles · Armed clash",
        "SDF (side 1)",
        "ISIS (side 2)",
        "Fatalities 7",
        "1 · town, village or neighbourhood",
        "Ghuwayran غويران",
        "Al-Hasakeh SY08",
        "SY0800",
        "SY080000",
        "Clashes between SDF and ISIS cells",
        "confirmed · by huda on",
    ):
        assert expected in facts
    sources = text_of(re.search(r'<dd class="fact-sources">.*?</dd>', html, re.S)[0])
    assert "Clashes in al-Hasakah" in sources and "Example News" in sources
    assert (
        f'href="/articles/{incident.article_id}/"' in html
        or f'href="{incident.article.get_absolute_url()}"' in html
    )
    assert f'href="{incident.article.url}"' in html
    places = re.search(r'<section class="card incident-places">.*?</section>', html, re.S)[0]
    assert places.index("Ghuwayran") < places.index("Al-Nashwa")
    assert "vendor/leaflet-1.9.4/leaflet.js" in html and "incidents/incident.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_the_sources_list_the_articles_a_merge_brought_in(client, small_gazetteer):
    reviewer = user_with_role("huda", "reviewer")
    kept = make_incident()
    other = make_incident(article=make_article("Second report of the clash"))
    add_mention(other, "t:CUR1")
    kept.merge(reviewer, kept.version, other, other.version)
    html = client.get(f"/incidents/{kept.pk}/").content.decode()
    sources = text_of(re.search(r'<dd class="fact-sources">.*?</dd>', html, re.S)[0])
    assert sources.index("Clashes in al-Hasakah") < sources.index("Second report of the clash")


def test_history_is_newest_first_with_each_field_before_and_after(client, small_gazetteer):
    coder = user_with_role("omar", "coder")
    incident = make_incident()
    incident = incident.correct(coder, incident.version, {"fatalities": 5})
    incident.correct(
        coder, incident.version, {"event_type": "explosions_remote_violence", "summary": "A blast"}
    )
    rows = history_rows(client.get(f"/incidents/{incident.pk}/").content.decode())
    assert [re.search(r'data-version="(\d+)"', r)[1] for r in rows] == ["3", "2", "1"]
    newest, middle, created = (text_of(r) for r in rows)
    assert "omar" in newest and "corrected" in newest
    assert "type: Battles → Explosions/Remote violence" in newest
    assert "summary: Clashes between SDF and ISIS cells → A blast" in newest
    assert "fatalities: 2 → 5" in middle and "review: machine → corrected" in middle
    assert "pipeline" in created and "created" in created


def test_a_machine_change_is_the_pipelines(client, small_gazetteer):
    incident = make_incident()
    incident.fatalities = 4
    incident.version += 1
    incident._change_reason = "pipeline"
    incident.save()
    newest = history_rows(client.get(f"/incidents/{incident.pk}/").content.decode())[0]
    assert 'data-kind="pipeline"' in newest
    assert "pipeline" in text_of(re.search(r'<td class="history-row__who">.*?</td>', newest, re.S)[0])
    assert "fatalities: 2 → 4" in text_of(newest)


def test_html_in_a_summary_a_note_and_labels_is_shown_as_text(client, small_gazetteer):
    reviewer = user_with_role("huda", "reviewer")
    script = "<script>window.__xss=1</script>"
    incident = make_incident(summary=f"{script} seen", actors=["<b>Cell</b>"], actor_sides={})
    incident = incident.correct(reviewer, incident.version, {"summary": "<img src=x onerror=alert(1)>"})
    incident.reject(reviewer, incident.version, note="<i>not an event</i>")
    client.force_login(reviewer)  # a rejected incident is the coders' to see
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    for raw in (script, "<img src=x", "<b>Cell</b>", "<i>not an event</i>"):
        assert raw not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt; seen" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "rejected: &lt;i&gt;not an event&lt;/i&gt;" in html


def test_arabic_text_keeps_its_direction(client, small_gazetteer):
    incident = make_incident(summary="اشتباكات بين قسد وخلايا داعش")
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert '<dd class="fact-summary note"><bdi dir="auto">اشتباكات بين قسد وخلايا داعش</bdi></dd>' in html
    assert '<bdi lang="ar" dir="rtl" class="name-ar">غويران</bdi>' in html


def test_the_arabic_page_is_right_to_left(client, small_gazetteer):
    incident = make_incident()
    client.cookies["django_language"] = "ar"
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "السجل" in html and "المعالجة الآلية" in html  # "History", and "pipeline" for the machine's row
    assert "التغييرات" in html  # the header's "Changes"


def test_an_incident_merged_away_answers_410_with_where_it_went(client, small_gazetteer):
    reviewer = user_with_role("huda", "reviewer")
    kept, absorbed = make_incident(), make_incident(uid="t:CUR2")
    kept.merge(reviewer, kept.version, absorbed, absorbed.version)
    response = client.get(f"/incidents/{absorbed.pk}/")
    assert response.status_code == 410
    html = response.content.decode()
    notice = text_of(
        re.search(r'<div class="notice notice--error incident-archived".*?</div>', html, re.S)[0]
    )
    assert f"Merged into #{kept.pk}" in notice
    assert f'href="/incidents/{kept.pk}/"' in html
    rows = history_rows(html)
    assert len(rows) == 2 and f"merged into #{kept.pk}" in text_of(rows[0])
    assert "revert-form" not in html  # an archived incident is not reverted


def test_an_incident_a_rerun_dropped_answers_410_saying_so(client, small_gazetteer):
    incident = make_incident()
    incident.archived_at = timezone.now()
    incident.archive_reason = "dropped by the re-run of 2026-01-05"
    incident._change_reason = "pipeline"
    incident.save()
    response = client.get(f"/incidents/{incident.pk}/")
    assert response.status_code == 410
    assert "Dropped by the re-run of 2026-01-05" in text_of(response.content.decode())
    assert 'data-kind="archived"' in history_rows(response.content.decode())[0]


@pytest.mark.parametrize(
    ("review", "show_machine", "role", "status"),
    [
        (Review.REJECTED, True, "", 404),
        (Review.REJECTED, True, "viewer", 404),
        (Review.REJECTED, True, "coder", 200),
        (Review.MACHINE, False, "viewer", 404),
        (Review.MACHINE, False, "coder", 200),
        (Review.MACHINE, True, "", 200),
        (Review.CONFIRMED, False, "viewer", 200),
    ],
)
def test_readers_see_the_page_only_when_they_may_see_the_incident(
    client, small_gazetteer, review, show_machine, role, status
):
    incident = make_incident(review=review)
    if role:
        client.force_login(user_with_role("reader", role))
    with override_settings(SHOW_MACHINE_TO_VIEWERS=show_machine):
        assert client.get(f"/incidents/{incident.pk}/").status_code == status


def test_an_unknown_incident_is_404(client, small_gazetteer):
    assert client.get("/incidents/999999/").status_code == 404


@pytest.mark.parametrize(("role", "buttons"), [("", 0), ("viewer", 0), ("coder", 0), ("reviewer", 2)])
def test_only_reviewers_get_a_revert_button_on_each_older_row(client, small_gazetteer, role, buttons):
    coder = user_with_role("omar", "coder")
    incident = make_incident()
    incident = incident.correct(coder, incident.version, {"fatalities": 5})
    incident.correct(coder, incident.version, {"fatalities": 9})
    if role:
        client.force_login(user_with_role("reader", role))
    rows = history_rows(client.get(f"/incidents/{incident.pk}/").content.decode())
    assert [r.count("Revert to this version") for r in rows] == ([0, 1, 1] if buttons else [0, 0, 0])


def test_the_revert_form_posts_what_the_review_api_takes(client, small_gazetteer):
    coder, reviewer = user_with_role("omar", "coder"), user_with_role("huda", "reviewer")
    incident = make_incident()
    incident = incident.correct(coder, incident.version, {"fatalities": 5})
    incident.correct(coder, incident.version, {"fatalities": 9})
    client.force_login(reviewer)
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    form = re.findall(r'<form class="revert-form".*?</form>', html, re.S)[-1]  # the row of version 1
    action = re.search(r'action="([^"]+)"', form)[1]
    fields = dict(re.findall(r'name="(version|history_id)" value="(\d+)"', form))
    response = client.post(action, {k: int(v) for k, v in fields.items()}, content_type="application/json")
    assert response.status_code == 200, response.content
    reverted = Incident.objects.get(pk=incident.pk)
    assert reverted.fatalities == 2
    newest = history_rows(client.get(f"/incidents/{incident.pk}/").content.decode())[0]
    assert "reverted to version 1" in text_of(newest) and "fatalities: 9 → 2" in text_of(newest)


def test_the_history_reads_a_fixed_number_of_queries(client, small_gazetteer, django_assert_max_num_queries):
    coder = user_with_role("omar", "coder")
    incident = make_incident()
    for n in range(12):
        incident = incident.correct(
            coder, incident.version, {"fatalities": n, "date": datetime.date(2024, 8, 2)}
        )
    with django_assert_max_num_queries(20):
        response = client.get(f"/incidents/{incident.pk}/")
    assert len(history_rows(response.content.decode())) == 13


def test_the_pointer_follows_moves_to_the_live_incident(client, small_gazetteer):
    reviewer = user_with_role("huda", "reviewer")
    first, second, last = make_incident(), make_incident(), make_incident()
    second.merge(reviewer, second.version, first, first.version)
    last.merge(reviewer, last.version, Incident.objects.get(pk=second.pk), second.version + 1)
    html = client.get(f"/incidents/{first.pk}/").content.decode()
    assert f"Merged into #{second.pk}" in text_of(html)
    assert f'<a class="incident-archived__link" href="/incidents/{last.pk}/">' in html


def test_a_real_rerun_shows_as_the_pipelines_rows(client, small_gazetteer):
    scenario = reviewed_then_changed()
    call_command("regeocode", "--now", stdout=io.StringIO(), stderr=io.StringIO())
    dropped = client.get(f"/incidents/{scenario.dropped}/")
    assert dropped.status_code == 410
    assert "Dropped by the re-run of" in text_of(dropped.content.decode())
    newest = history_rows(dropped.content.decode())[0]
    assert 'data-kind="archived"' in newest and "pipeline" in text_of(newest)
    relabelled = history_rows(client.get(f"/incidents/{scenario.relabelled}/").content.decode())
    assert 'data-kind="pipeline"' in relabelled[0] and 'data-kind="created"' in relabelled[-1]
    assert "English label: Ghuwayran / Al-Nashwa, Al-Hasakeh → Ghweiran / Al-Nashwa, Al-Hasakeh" in text_of(
        relabelled[0]
    )
