"""The review queue's API and page: order and filters, who may do what, each action's 200, 400 and 409,
nothing saved half-way, HTML kept as text, errors and the page in Arabic."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from review_data import QUEUE_ORDER, make_queue

from conflictmap.incidents.models import Incident, Mention, Review
from conflictmap.rules.models import NotPlace
from gazetteer.models import Place, PlaceName


@pytest.fixture
def q(small_gazetteer):
    return make_queue()


def as_user(q, role: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(q.users[role])
    return client


def post(client: Client, q, key: str, action: str, body: dict):
    return client.post(f"/api/incidents/{q.incidents[key]}/{action}", body, content_type="application/json")


def queue_keys(q, response) -> list[str]:
    names = {pk: key for key, pk in q.incidents.items()}
    return [names[pk] for pk in response.json()["ids"]]


def test_the_queue_lists_machine_incidents_lowest_confidence_first(q):
    answer = as_user(q, "coder").get("/api/review/queue")
    assert answer.status_code == 200
    assert queue_keys(q, answer) == QUEUE_ORDER
    body = answer.json()
    assert body["count"] == 4 and body["offset"] == 0
    first = body["items"][0]
    assert (first["id"], first["label_en"], first["confidence"], first["review"]) == (
        q.incidents["raid"],
        "Ghuwayran",
        0.2,
        "machine",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=SY11", ["raqqa", "html"]),
        ("region=SY080000", ["raid", "city"]),
        ("source=Source%20B", ["raqqa", "html"]),
        ("event_type=explosions_remote_violence", ["raqqa", "city"]),
        ("start=2024-03-01&end=2024-03-31", ["raid", "raqqa", "city"]),
        ("end=2024-02-15", ["html"]),
        ("review=confirmed", ["confirmed"]),
        ("review=machine,confirmed&region=SY08", ["confirmed", "raid", "city"]),
        ("offset=3", ["city"]),
    ],
)
def test_the_queue_filters_like_the_map(q, query, expected):
    assert queue_keys(q, as_user(q, "coder").get(f"/api/review/queue?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("region=SY99", "region"),
        ("start=2024-13-01", "start"),
        ("review=done", "review"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it_on_the_api_and_the_page(q, query, parameter):
    coder = as_user(q, "coder")
    answer = coder.get(f"/api/review/queue?{query}")
    assert answer.status_code == 400 and answer.json()["parameter"] == parameter
    page = coder.get(f"/review/?{query}")
    assert page.status_code == 400
    assert f"<code>{parameter}</code>" in page.content.decode()
    assert 'data-valid="0"' in page.content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/review/queue"),
        ("get", "/api/incidents/{raid}/review"),
        ("post", "/api/incidents/{raid}/correct"),
        ("post", "/api/incidents/{raid}/confirm"),
    ],
)
def test_viewers_are_refused_and_anonymous_callers_asked_to_log_in(q, method, path):
    url = path.format(raid=q.incidents["raid"])
    viewer = as_user(q, "viewer")
    assert getattr(viewer, method)(url).status_code == 403
    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Token"
    assert Incident.objects.get(pk=q.incidents["raid"]).version == 1


def test_the_page_needs_a_coder_and_shows_reviewer_actions_to_reviewers_only(q):
    anonymous = Client().get("/review/?region=SY08")
    assert anonymous.status_code == 302 and anonymous.url == "/accounts/login/?next=/review/%3Fregion%3DSY08"
    assert as_user(q, "viewer").get("/review/").status_code == 403
    coder_page = as_user(q, "coder").get("/review/").content.decode()
    reviewer_page = as_user(q, "reviewer").get("/review/").content.decode()
    for html in (coder_page, reviewer_page):
        assert 'href="/review/" aria-current="page"' in html
        assert 'data-action="next"' in html and 'data-action="split"' in html
        words = json.loads(
            re.search(r'<script type="application/json" id="map-i18n">(.*?)</script>', html, re.S)[1]
        )
        assert words["position"] == "%(n)s / %(count)s" and words["kinds"]["neighbourhood"] == "neighbourhood"
    assert 'data-can-review="0"' in coder_page and 'data-action="confirm"' not in coder_page
    assert 'data-action="merge"' not in coder_page
    assert 'data-can-review="1"' in reviewer_page and 'data-action="confirm"' in reviewer_page
    assert 'data-action="merge"' in reviewer_page
    assert 'href="/review/"' not in as_user(q, "viewer").get("/map/").content.decode()


@pytest.mark.parametrize(
    ("role", "action", "body", "status"),
    [
        ("coder", "confirm", {}, 403),
        ("coder", "reject", {}, 403),
        ("coder", "merge", {"other": "city", "other_version": 1}, 403),
        ("coder", "correct", {"fatalities": 3}, 200),
        ("reviewer", "confirm", {}, 200),
    ],
)
def test_confirm_reject_and_merge_need_a_reviewer(q, role, action, body, status):
    if "other" in body:
        body = {**body, "other": q.incidents[body["other"]]}
    answer = post(as_user(q, role), q, "raid", action, {"version": 1, **body})
    assert answer.status_code == status
    assert Incident.objects.get(pk=q.incidents["raid"]).version == (2 if status == 200 else 1)


def test_a_session_post_without_the_csrf_token_is_refused(q):
    client = as_user(q, "reviewer", enforce_csrf_checks=True)
    assert post(client, q, "raid", "confirm", {"version": 1}).status_code == 403
    client.get("/review/")  # sets the csrftoken cookie, as the page does for review.js
    token = client.cookies["csrftoken"].value
    answer = client.post(
        f"/api/incidents/{q.incidents['raid']}/confirm",
        {"version": 1},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 200


def test_the_review_detail_has_mentions_candidates_and_the_articles_other_incidents(q):
    d = as_user(q, "coder").get(f"/api/incidents/{q.incidents['raid']}/review").json()
    assert d["id"] == q.incidents["raid"] and d["version"] == 1 and d["review"] == "machine"
    mentions = {m["text"]: m for m in d["mentions"]}
    assert [m["in_incident"] for m in d["mentions"]] == [True, True, False]
    ghweiran = mentions["Ghweiran"]
    assert [c["pcode"] for c in ghweiran["candidates"]] == ["CUR1", "CUR2", "C4360"]
    assert ghweiran["candidates"][0]["chosen"] and ghweiran["candidates"][1]["distance_km"] == pytest.approx(
        6.3, abs=0.2
    )
    assert [u["pcode"] for u in ghweiran["candidates"][0]["admin_chain"]] == ["SY08", "SY0800", "SY080000"]
    assert (
        d["excerpt"][ghweiran["start"] - d["excerpt_offset"] : ghweiran["end"] - d["excerpt_offset"]]
        == "Ghweiran"
    )
    assert [(s["id"], s["version"]) for s in d["siblings"]] == [(q.incidents["city"], 1)]
    assert d["page_url"] == f"http://testserver/incidents/{q.incidents['raid']}/"


def check_confirmed(q, d):
    assert d["review"] == Review.CONFIRMED and d["reviewed_by"] == "reviewer"


def check_rejected(q, d):
    incident = Incident.objects.get(pk=d["id"])
    assert incident.review == Review.REJECTED
    assert incident.history.latest("history_date").history_change_reason == "rejected: <b>dup</b> of #3"


def check_corrected(q, d):
    assert (d["fatalities"], d["actors"], d["actor_sides"], d["date_precision"]) == (
        3, ["SDF", "ISIS"], {"SDF": 1}, "week",
    )  # fmt: skip
    assert d["review"] == Review.CORRECTED


def check_picked(q, d):
    nashwa = q.places["CUR2"]
    assert (d["place_ids"][0], d["label_en"]) == (nashwa, "Al-Nashwa")
    mention = Mention.objects.get(pk=q.mentions["Ghweiran"])
    assert (mention.place_id, mention.decision) == (nashwa, "place")
    assert PlaceName.objects.filter(place_id=nashwa, name="Ghweiran", origin="analyst").exists()


def check_new_place(q, d):
    place = Place.objects.get(source="analyst")
    assert (place.name_en, place.note, place.admin1_pcode) == (
        "<b>Check</b>point",
        "<script>x()</script>",
        "SY08",
    )
    assert d["place_ids"][0] == place.pk and d["label_en"] == "<b>Check</b>point"


def check_not_place(q, d):
    assert [m["in_incident"] for m in d["mentions"] if m["text"] == "al-Nashwa"] == [False]
    assert NotPlace.objects.filter(form="al-Nashwa").exists()
    assert Mention.objects.get(pk=q.mentions["al-Nashwa"]).decision == "not_place"


def check_split(q, d):
    assert d["id"] not in q.incidents.values() and d["review"] == Review.CORRECTED
    assert [m["text"] for m in d["mentions"] if m["in_incident"]] == ["al-Nashwa"]
    raid = Incident.objects.get(pk=q.incidents["raid"])
    assert list(raid.mentions.values_list("text", flat=True)) == ["Ghweiran"] and raid.version == 2


def check_merged(q, d):
    assert d["id"] == q.incidents["raid"] and d["siblings"] == []
    city = Incident.objects.get(pk=q.incidents["city"])
    assert city.archived_at is not None and city.moved_to_id == q.incidents["raid"]


def check_reverted(q, d):
    assert d["fatalities"] is None


ACTIONS = {
    "confirm": ({}, check_confirmed),
    "reject": ({"note": "<b>dup</b> of #3"}, check_rejected),
    "correct": (
        {"fatalities": 3, "date_precision": "week", "actors": [{"name": "SDF", "side": 1}, {"name": "ISIS"}]},
        check_corrected,
    ),
    "place": ({"place": "CUR2", "mention": "Ghweiran"}, check_picked),
    "place-new": (
        {
            "lat": 36.45,
            "lon": 40.7,
            "name": "<b>Check</b>point",
            "kind": "facility",
            "note": "<script>x()</script>",
        },
        check_new_place,
    ),
    "drop-mention": ({"mention": "al-Nashwa", "not_place": True}, check_not_place),
    "split": ({"mentions": ["al-Nashwa"]}, check_split),
    "merge": ({"other": "city", "other_version": 1}, check_merged),
}


def resolve(q, body: dict) -> dict:
    """Replace the keys the table names (place P-codes, mention texts, incident keys) by database ids."""
    out = {}
    for name, value in body.items():
        if name == "place":
            value = q.places.get(value, value)
        elif name == "mention":
            value = q.mentions[value]
        elif name == "mentions":
            value = [q.mentions[v] for v in value]
        elif name == "other":
            value = q.incidents[value]
        out[name] = value
    return out


def endpoint(action: str) -> str:
    return "place" if action == "place-new" else action


@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_answers_the_review_detail(q, action):
    body, check = ACTIONS[action]
    answer = post(as_user(q, "reviewer"), q, "raid", endpoint(action), {"version": 1, **resolve(q, body)})
    assert answer.status_code == 200, answer.content
    check(q, answer.json())


def test_revert_restores_an_earlier_version(q):
    reviewer = as_user(q, "reviewer")
    post(reviewer, q, "raid", "correct", {"version": 1, "fatalities": 7})
    first = Incident.objects.get(pk=q.incidents["raid"]).history.get(version=1)
    answer = post(reviewer, q, "raid", "revert", {"version": 2, "history_id": first.history_id})
    assert answer.status_code == 200
    check_reverted(q, answer.json())
    other = Incident.objects.get(pk=q.incidents["city"]).history.first()
    refused = post(reviewer, q, "raid", "revert", {"version": 3, "history_id": other.history_id})
    assert refused.status_code == 400 and "history_id" in refused.json()["errors"]


@pytest.mark.parametrize("action", [*ACTIONS, "revert"])
def test_a_stale_version_is_a_409_naming_the_other_change_and_nothing_is_saved(q, action):
    body, _check = ACTIONS.get(action, ({"history_id": 0}, None))
    if action == "revert":
        body = {"history_id": Incident.objects.get(pk=q.incidents["raid"]).history.first().history_id}
    post(as_user(q, "reviewer2"), q, "raid", "correct", {"version": 1, "fatalities": 5, "summary": "first"})
    places, names = Place.objects.count(), PlaceName.objects.count()
    answer = post(as_user(q, "reviewer"), q, "raid", endpoint(action), {"version": 1, **resolve(q, body)})
    assert answer.status_code == 409
    conflict = answer.json()
    assert conflict["version"] == 2 and conflict["incident"]["fatalities"] == 5
    [change] = conflict["changes"]
    assert (change["by"], change["reason"], change["version"]) == ("reviewer2", "corrected", 2)
    assert {"field": "fatalities", "before": None, "after": 5} in change["fields"]
    assert {"field": "summary", "before": "", "after": "first"} in change["fields"]
    raid = Incident.objects.get(pk=q.incidents["raid"])
    assert (raid.version, raid.fatalities, raid.review) == (2, 5, Review.CORRECTED)
    assert (Place.objects.count(), PlaceName.objects.count()) == (places, names)
    assert (
        Incident.objects.live().count() == 5 and Mention.objects.get(pk=q.mentions["Ghweiran"]).decision == ""
    )


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("correct", {"date": "2024-02-30"}, "date"),
        ("correct", {"date": "0224-03-01"}, "date"),
        ("correct", {"date": "2999-01-01"}, "date"),
        ("correct", {"date_precision": "decade"}, "date_precision"),
        ("correct", {"geo_precision": 4}, "geo_precision"),
        ("correct", {"event_type": "picnic"}, "event_type"),
        ("correct", {"fatalities": -1}, "fatalities"),
        ("correct", {"actors": [{"name": "SDF", "side": 3}]}, "actors"),
        ("correct", {"actors": "SDF"}, "actors"),
        ("correct", {"point": [1, 2]}, "__all__"),
        ("correct", {}, "__all__"),
        ("place", {"place": 999999}, "place"),
        ("place", {"lat": 33.3, "lon": 44.4, "name": "Baghdad"}, "point"),
        ("place", {"lat": 36.45, "lon": 40.7}, "name"),
        ("place", {"lat": 36.45, "lon": 40.7, "name": "X", "place": "CUR2"}, "__all__"),
        ("place", {"lat": 95, "lon": 40.7, "name": "X"}, "lat"),
        ("place", {"place": "CUR2", "mention": "الرقة"}, "mention"),
        ("drop-mention", {"mention": "Hasakah"}, "mention"),
        ("split", {"mentions": ["Ghweiran", "al-Nashwa"]}, "mentions"),
        ("split", {"mentions": ["Hasakah"]}, "mentions"),
        ("merge", {"other": "raid", "other_version": 1}, "other"),
        ("merge", {"other": "archived", "other_version": 1}, "other"),
        ("confirm", {"version": 0}, "version"),
    ],
)
def test_a_bad_request_is_a_400_naming_the_field_and_nothing_is_saved(q, action, body, field):
    places, names, history = Place.objects.count(), PlaceName.objects.count(), Incident.history.count()
    answer = post(as_user(q, "reviewer"), q, "raid", action, {"version": 1, **resolve(q, body)})
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["errors"]
    raid = Incident.objects.get(pk=q.incidents["raid"])
    assert (raid.version, raid.review, raid.place_id) == (1, Review.MACHINE, q.places["CUR1"])
    assert (Place.objects.count(), PlaceName.objects.count(), Incident.history.count()) == (
        places,
        names,
        history,
    )
    assert list(raid.mentions.order_by("start").values_list("text", flat=True)) == ["Ghweiran", "al-Nashwa"]


def test_dropping_the_only_place_is_refused_whole(q):
    reviewer = as_user(q, "reviewer")
    answer = post(
        reviewer,
        q,
        "raqqa",
        "drop-mention",
        {"version": 1, "mention": q.mentions["الرقة"], "not_place": True},
    )
    assert answer.status_code == 400 and "mention" in answer.json()["errors"]
    assert not NotPlace.objects.exists()
    assert Mention.objects.get(pk=q.mentions["الرقة"]).decision == ""
    assert Incident.objects.get(pk=q.incidents["raqqa"]).version == 1


def test_an_archived_incident_cannot_be_acted_on(q):
    answer = post(as_user(q, "reviewer"), q, "archived", "confirm", {"version": 1})
    assert answer.status_code == 400 and "id" in answer.json()["errors"]


def test_html_in_a_note_and_a_name_is_stored_as_text_and_escaped_on_the_place_page(q):
    body = resolve(q, ACTIONS["place-new"][0])
    assert post(as_user(q, "coder"), q, "raid", "place", {"version": 1, **body}).status_code == 200
    place = Place.objects.get(source="analyst")
    html = as_user(q, "coder").get(f"/gazetteer/place/{place.pk}/").content.decode()
    assert "<script>x()</script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<b>Check</b>" not in html and "&lt;b&gt;Check&lt;/b&gt;point" in html


def test_a_summary_with_html_comes_back_as_the_same_text(q):
    summary = '<img src=x onerror="alert(1)"> <b>bold</b>'
    answer = post(as_user(q, "coder"), q, "raid", "correct", {"version": 1, "summary": summary})
    assert (
        answer.json()["summary"] == summary
        and Incident.objects.get(pk=q.incidents["raid"]).summary == summary
    )


def test_errors_and_the_page_are_in_arabic_on_an_arabic_page(q):
    coder = as_user(q, "coder")
    coder.cookies["django_language"] = "ar"
    answer = post(coder, q, "raid", "correct", {"version": 1, "date": "0224-03-01"})
    assert answer.json()["errors"]["date"] == ["يجب أن يقع التاريخ بين عام 1900 واليوم."]
    outside = post(coder, q, "raid", "place", {"version": 1, "lat": 33.3, "lon": 44.4, "name": "بغداد"})
    assert outside.json()["errors"]["point"] == ["النقطة خارج كل محافظات المعجم الجغرافي."]
    html = coder.get("/review/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "قائمة المراجعة" in html and "اختصارات لوحة المفاتيح" in html
    words = json.loads(
        re.search(r'<script type="application/json" id="map-i18n">(.*?)</script>', html, re.S)[1]
    )
    assert words["not_place"] == "ليس مكانًا" and words["states"]["machine"] == "آلية"


def catalogue(client: Client, path: str) -> dict[str, str]:
    """The page's JSON catalogue (#map-i18n), flattened to "key.subkey": text."""
    html = client.get(path).content.decode()
    words = json.loads(
        re.search(r'<script type="application/json" id="map-i18n">(.*?)</script>', html, re.S)[1]
    )
    flat = {}
    for key, value in words.items():
        for sub, text in value.items() if isinstance(value, dict) else [("", value)]:
            flat[f"{key}.{sub}" if sub else key] = text
    return flat


# The same in both languages: a position, and ACLED's sub-event types the rules give no Arabic label.
SAME_IN_ARABIC = {"position"}


@pytest.mark.parametrize("path", ["/review/", "/map/"])
def test_every_word_of_the_pages_catalogue_is_in_arabic_placeholders_included(q, path):
    coder = as_user(q, "coder")
    english = catalogue(coder, path)
    coder.cookies["django_language"] = "ar"
    arabic = catalogue(coder, path)
    untranslated = {k for k, v in english.items() if arabic[k] == v and v and k not in SAME_IN_ARABIC}
    assert not {k for k in untranslated if not k.startswith("sub_types.")}
    assert arabic.get("km", "على بعد %(km)s كم") == "على بعد %(km)s كم"
    for key, text in arabic.items():
        assert re.findall(r"%\((\w+)\)s", text) == re.findall(r"%\((\w+)\)s", english[key]), key


def test_a_conflict_on_an_incident_made_without_history_still_names_the_fields(q):
    """Rows made by bulk_create (seed_demo, imports) have no history: the first change records where it began."""
    raid = Incident.objects.get(pk=q.incidents["raid"])
    [bulk] = Incident.objects.bulk_create(
        [
            Incident(
                article_id=raid.article_id, rank=5, point=raid.point, geo_precision=1, event_type="battles"
            )
        ]
    )
    assert not bulk.history.exists()
    url = f"/api/incidents/{bulk.pk}/correct"
    as_user(q, "reviewer2").post(url, {"version": 1, "fatalities": 8}, content_type="application/json")
    answer = as_user(q, "reviewer").post(
        url, {"version": 1, "fatalities": 2}, content_type="application/json"
    )
    assert answer.status_code == 409
    [change] = answer.json()["changes"]
    assert change["by"] == "reviewer2"
    assert {"field": "fatalities", "before": None, "after": 8} in change["fields"]
    assert bulk.history.earliest("history_date").history_user is None  # where it began, not the change
