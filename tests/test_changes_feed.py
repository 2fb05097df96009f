"""The changes feed, /changes/ and /api/changes: each kind of change, the since, kind, region and user filters,
cursor paging both ways, 400s naming the parameter, who sees what, and the page agreeing with the API."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from incident_factory import add_mention, make_incident, user_with_role
from rerun_scenario import reviewed_then_changed
from rest_framework.authtoken.models import Token

from conflictmap.incidents.models import Incident
from gazetteer.models import NameOrigin, Place, PlaceName

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def api(client, **params):
    response = client.get("/api/changes", params)
    assert response.status_code == 200, response.content
    return response.json()


def seen(body) -> set[tuple[str, int]]:
    return {(r["object"], r["id"]) for r in body["results"]}


def pipeline_save(incident: Incident, **changes) -> Incident:
    """Save as a re-run of the pipeline does: no user, the reason "pipeline"."""
    for name, value in changes.items():
        setattr(incident, name, value)
    incident.version += 1
    incident._change_reason = "pipeline"
    incident.save()
    return incident


@pytest.fixture
def people(db):
    return {
        "coder": user_with_role("omar", "coder"),
        "reviewer": user_with_role("huda", "reviewer"),
        "viewer": user_with_role("sami", "viewer"),
    }


@pytest.fixture
def every_kind(small_gazetteer, people):
    """One change of each kind; returns kind → the (object, id) pairs the feed should list for it."""
    coder, reviewer = people["coder"], people["reviewer"]
    corrected = make_incident()
    corrected = corrected.correct(coder, corrected.version, {"fatalities": 5})
    first = corrected.history.order_by("history_date").first()
    corrected.revert(reviewer, corrected.version, first)
    confirmed = make_incident(uid="t:CUR2")
    confirmed.confirm(reviewer, confirmed.version)
    rejected = make_incident(uid="t:C5710")
    rejected.reject(reviewer, rejected.version, "a drill, not an attack")
    kept, absorbed = make_incident(), make_incident(uid="t:CUR2")
    kept.merge(reviewer, kept.version, absorbed, absorbed.version)
    parent = make_incident()
    add_mention(parent, "t:CUR1")
    moved = add_mention(parent, "t:CUR2")
    child = parent.split(coder, parent.version, [moved])
    dropped = make_incident()
    pipeline_save(dropped, archived_at=timezone.now(), archive_reason="dropped by the re-run of 2026-01-05")
    rerun = pipeline_save(make_incident(), fatalities=3)
    place = Place.objects.create_analyst("Tal Hamis farm", Point(40.8, 36.6, srid=4326), "community", coder)
    extra = PlaceName.objects.create(
        place=Place.objects.get(uid="t:C4360"), name="Hasaka town", lang="en", origin=NameOrigin.ANALYST
    )
    created = [corrected, confirmed, rejected, kept, absorbed, parent, dropped, rerun]
    return {
        "created": {("incident", i.pk) for i in created},
        "corrected": {("incident", corrected.pk)},
        "reverted": {("incident", corrected.pk)},
        "confirmed": {("incident", confirmed.pk)},
        "rejected": {("incident", rejected.pk)},
        "merged": {("incident", kept.pk), ("incident", absorbed.pk)},
        "split": {("incident", parent.pk), ("incident", child.pk)},
        "archived": {("incident", dropped.pk)},
        "pipeline": {("incident", rerun.pk)},
        "place": {("place", place.pk)},
        "name": {("name", place.names.get().pk), ("name", extra.pk)},
        "deleted": set(),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "created",
        "corrected",
        "confirmed",
        "rejected",
        "merged",
        "split",
        "reverted",
        "archived",
        "pipeline",
        "place",
        "name",
        "deleted",
    ],
)
def test_each_kind_of_change_is_listed_under_its_kind(client, every_kind, people, kind):
    client.force_login(people["coder"])
    body = api(client, kind=kind)
    assert seen(body) == every_kind[kind]
    assert {r["kind"] for r in body["results"]} <= {kind}
    assert body["count"] == len(body["results"])


def test_without_a_kind_the_feed_lists_every_change_newest_first(client, every_kind, people):
    client.force_login(people["coder"])
    body = api(client, limit=500)
    assert {(r["object"], r["id"]) for r in body["results"]} == set().union(*every_kind.values())
    times = [r["at"] for r in body["results"]]
    assert times == sorted(times, reverse=True)
    assert api(client, kind="created,confirmed")["count"] == len(every_kind["created"]) + 1


def test_a_result_says_who_when_what_and_which_fields(client, small_gazetteer, people):
    incident = make_incident()
    incident.correct(people["coder"], incident.version, {"fatalities": 5, "summary": "<b>five</b> dead"})
    results = api(client)["results"]
    assert [r["kind"] for r in results] == ["corrected", "created"]
    change, created = results
    assert set(change) == {"kind", "at", "by", "object", "id", "url", "label", "version", "reason", "fields"}
    assert change["by"] == "omar" and created["by"] is None
    assert change["url"] == f"http://testserver/incidents/{incident.pk}/"
    assert change["object"] == "incident" and change["id"] == incident.pk and change["version"] == 2
    assert change["label"] == "Ghuwayran" and change["reason"] == "corrected"
    fields = {f["field"]: (f["before"], f["after"]) for f in change["fields"]}
    assert fields["fatalities"] == (2, 5)
    assert fields["summary"] == ("Clashes between SDF and ISIS cells", "<b>five</b> dead")
    assert fields["review"] == ("machine", "corrected")
    assert datetime.datetime.fromisoformat(change["at"]) >= datetime.datetime.fromisoformat(created["at"])


def test_place_and_name_changes_link_the_place_page(client, small_gazetteer, people):
    place = Place.objects.create_analyst(
        "مزرعة تل حميس", Point(40.8, 36.6, srid=4326), "community", people["coder"]
    )
    results = api(client)["results"]
    by_object = {r["object"]: r for r in results}
    assert by_object["place"]["url"] == f"http://testserver/gazetteer/place/{place.pk}/"
    assert by_object["name"]["url"] == f"http://testserver/gazetteer/place/{place.pk}/"
    assert by_object["name"]["label"] == "مزرعة تل حميس"  # Arabic, intact
    assert by_object["place"]["version"] is None


def test_the_gazetteers_own_places_and_names_are_not_listed(client, small_gazetteer):
    PlaceName.objects.create(
        place=Place.objects.get(uid="t:C4360"), name="Hassake", lang="en", origin="alias"
    )
    assert api(client)["count"] == 0


def stamp(incident: Incident, when: str) -> None:
    """Move the incident's history rows to a fixed time."""
    Incident.history.filter(id=incident.pk).update(history_date=datetime.datetime.fromisoformat(when))


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("2026-01-01", ["march", "february", "january"]),
        ("2026-02-01", ["march", "february"]),
        ("2026-02-01T00:00:00Z", ["march", "february"]),
        ("2026-02-01T00:00:01Z", ["march"]),
        ("2026-02-01T02:00:01+03:00", ["march", "february"]),  # 23:00:01 UTC the day before
        ("2026-03-02", []),
    ],
)
def test_since_keeps_the_changes_made_at_or_after_it(client, small_gazetteer, since, expected):
    made = {}
    for name, when in (("january", "2026-01-01"), ("february", "2026-02-01"), ("march", "2026-03-01")):
        made[name] = make_incident()
        stamp(made[name], f"{when}T00:00:00+00:00")
    ids = [r["id"] for r in api(client, since=since)["results"]]
    assert ids == [made[name].pk for name in expected]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("SY08", {"hasakah", "place", "name"}),
        ("sy0800", {"hasakah", "place", "name"}),
        ("SY080000", {"hasakah", "place", "name"}),
        ("SY11", {"raqqa"}),
    ],
)
def test_region_keeps_the_changes_inside_the_admin_unit(client, small_gazetteer, people, region, expected):
    rows = {
        "hasakah": ("incident", make_incident().pk),
        "raqqa": ("incident", make_incident(uid="t:C5710").pk),
    }
    place = Place.objects.create_analyst(
        "Tal Hamis farm", Point(40.8, 36.6, srid=4326), "community", people["coder"]
    )
    rows["place"], rows["name"] = ("place", place.pk), ("name", place.names.get().pk)
    assert seen(api(client, region=region)) == {rows[key] for key in expected}


def test_user_keeps_that_users_changes(client, small_gazetteer, people):
    one, two = make_incident(), make_incident()
    one.correct(people["coder"], one.version, {"fatalities": 1})
    two.confirm(people["reviewer"], two.version)
    body = api(client, user="huda")
    assert [(r["id"], r["kind"], r["by"]) for r in body["results"]] == [(two.pk, "confirmed", "huda")]


@pytest.fixture
def twelve_changes(small_gazetteer, people):
    """Twelve changes, several at the same instant (ties across incidents, places and names)."""
    instant = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    for n in range(6):
        stamp(make_incident(), (instant + datetime.timedelta(minutes=n % 3)).isoformat())
    for n in range(3):
        place = Place.objects.create_analyst(
            f"Farm {n}", Point(40.8, 36.6 + n / 100, srid=4326), "community", people["coder"]
        )
        place.history.update(history_date=instant)
        PlaceName.history.filter(place_id=place.pk).update(history_date=instant)
    return instant


@pytest.mark.parametrize("order", ["desc", "asc"])
@pytest.mark.parametrize("limit", [1, 5, 12])
def test_paging_by_cursor_lists_each_change_once_in_order(client, twelve_changes, order, limit):
    everything = api(client, order=order, limit=500)
    assert everything["count"] == 12 and everything["next"] is None
    pages, url, params = [], "/api/changes", {"order": order, "limit": limit}
    while url:
        body = client.get(url, params).json()
        assert body["count"] == 12
        pages.append(body["results"])
        url, params = body["next"], {}
    assert [len(p) for p in pages[:-1]] == [limit] * (len(pages) - 1)
    listed = [(r["object"], r["id"], r["at"]) for page in pages for r in page]
    assert listed == [(r["object"], r["id"], r["at"]) for r in everything["results"]]
    times = [datetime.datetime.fromisoformat(at) for _o, _i, at in listed]
    assert times == sorted(times, reverse=order == "desc")


def test_oldest_first_from_a_cursor_catches_up_on_what_came_after(client, small_gazetteer, people):
    first = make_incident()
    body = api(client, order="asc", limit=1)
    assert [r["id"] for r in body["results"]] == [first.pk] and body["next"] is None
    later = make_incident()
    later.confirm(people["reviewer"], later.version)
    # The export kept the cursor of its last row; a next page from there lists only what is new.
    cursor = re.search(r"cursor=([^&]+)", api(client, order="asc", limit=1)["next"])[1]
    newer = client.get("/api/changes", {"order": "asc", "cursor": cursor}).json()
    assert [(r["id"], r["kind"]) for r in newer["results"]] == [
        (later.pk, "created"),
        (later.pk, "confirmed"),
    ]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"since": "last week"}, "since"),
        ({"since": "2026-13-01"}, "since"),
        ({"kind": "exploded"}, "kind"),
        ({"kind": "created,nope"}, "kind"),
        ({"region": "XX99"}, "region"),
        ({"region": "SY99"}, "region"),
        ({"user": "nobody"}, "user"),
        ({"order": "sideways"}, "order"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page": "2"}, "page"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, small_gazetteer, params, parameter):
    response = client.get("/api/changes", params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter and body["error"].startswith(f"{parameter}: ")
    page = client.get("/changes/", params)
    if parameter != "page":  # the page ignores what its form does not know
        assert page.status_code == 400 and f"<code>{parameter}</code>" in page.content.decode()


@pytest.fixture
def hidden_and_shown(small_gazetteer, people):
    rejected = make_incident()
    rejected.reject(people["reviewer"], rejected.version)
    machine = make_incident(uid="t:CUR2")
    confirmed = make_incident(uid="t:C5710")
    confirmed.confirm(people["reviewer"], confirmed.version)
    return {"rejected": rejected.pk, "machine": machine.pk, "confirmed": confirmed.pk}


@pytest.mark.parametrize(
    ("role", "show_machine", "expected"),
    [
        ("", True, {"machine", "confirmed"}),
        ("viewer", True, {"machine", "confirmed"}),
        ("viewer", False, {"confirmed"}),
        ("coder", False, {"rejected", "machine", "confirmed"}),
    ],
)
def test_readers_see_the_changes_of_incidents_they_may_see(
    client, hidden_and_shown, people, role, show_machine, expected
):
    if role:
        client.force_login(people[role])
    with override_settings(SHOW_MACHINE_TO_VIEWERS=show_machine):
        ids = {r["id"] for r in api(client)["results"]}
    assert ids == {hidden_and_shown[name] for name in expected}


def test_a_coders_token_shows_the_coders_feed(client, hidden_and_shown, people):
    token = Token.objects.create(user=people["coder"])
    response = client.get("/api/changes", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert hidden_and_shown["rejected"] in {r["id"] for r in response.json()["results"]}


def test_when_reading_needs_a_login_the_api_answers_401(client, small_gazetteer):
    with override_settings(READ_ACCESS="login"):
        assert client.get("/api/changes").status_code == 401


@pytest.mark.parametrize("params", [{}, {"kind": "corrected"}, {"region": "SY08", "order": "asc"}])
def test_the_page_lists_what_the_api_gives(client, every_kind, people, params):
    client.force_login(people["coder"])
    results = api(client, **params)["results"]
    html = client.get("/changes/", params).content.decode()
    rows = re.findall(
        r'<tr class="change-row[^"]*" data-kind="(\w+)" data-object="(\w+)" data-id="(\d+)"', html
    )
    assert rows == [(r["kind"], r["object"], str(r["id"])) for r in results]
    assert f'data-count="{len(results)}"' in html


def test_the_page_links_each_change_and_the_next_page(client, twelve_changes):
    html = client.get("/changes/", {"limit": 5}).content.decode()
    assert len(re.findall(r'<tr class="change-row', html)) == 5
    assert re.search(r'href="/incidents/\d+/">Incident #\d+</a>', html)
    assert re.search(r'href="/gazetteer/place/\d+/">(Place|Name)</a>', html)
    following = re.search(r'<a href="([^"]+)" rel="next">', html)[1].replace("&amp;", "&")
    assert "limit=5" in following and "cursor=" in following
    assert len(re.findall(r'<tr class="change-row', client.get(following).content.decode())) == 5


def test_the_page_shows_names_and_notes_as_text(client, small_gazetteer, people):
    incident = make_incident()
    incident.reject(people["reviewer"], incident.version, note='<script>alert("x")</script>')
    client.force_login(people["coder"])
    html = client.get("/changes/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "rejected: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_header_links_the_changes_page(client, small_gazetteer):
    html = client.get("/changes/").content.decode()
    assert '<a href="/changes/" aria-current="page">Changes</a>' in html


def test_a_page_of_changes_reads_a_fixed_number_of_queries(
    client, twelve_changes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        body = api(client, limit=12)
    assert len(body["results"]) == 12


def test_a_real_rerun_lists_its_drops_and_updates(client, small_gazetteer, people):
    scenario = reviewed_then_changed()
    since = timezone.now()
    call_command("regeocode", "--now", stdout=io.StringIO(), stderr=io.StringIO())
    client.force_login(people["coder"])
    rerun = api(client, since=since.isoformat())["results"]
    by_kind = {(r["kind"], r["id"]) for r in rerun}
    assert ("archived", scenario.dropped) in by_kind and ("pipeline", scenario.relabelled) in by_kind
    assert {r["by"] for r in rerun} == {None}
    reviewed = {scenario.confirmed, scenario.corrected, scenario.rejected}
    assert not reviewed & {r["id"] for r in rerun}  # a re-run leaves reviewed incidents alone
