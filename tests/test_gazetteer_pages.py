"""Gazetteer web pages: search, place detail, boundary GeoJSON and the admin, via Django's test client."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.urls import reverse

from gazetteer import index
from gazetteer.admin import OfflineMapWidget
from gazetteer.models import NameOrigin, Place, PlaceName

SEARCH = reverse("gazetteer:search")


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test builds its own index and boundary cache from its own rows."""
    index.invalidate()
    cache.clear()
    yield
    index.invalidate()
    cache.clear()


def place_id(uid: str) -> int:
    return Place.objects.get(uid=uid).pk


def result_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-place-id="(\d+)"', response.content.decode())]


# Search ----------------------------------------------------------------------------------------


def test_search_page_without_query_prompts_for_a_name(client, small_gazetteer):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type a place name to start" in html
    assert 'class="notice notice--error"' not in html
    assert result_ids(response) == []


@pytest.mark.parametrize(
    ("query", "uid", "shown"),
    [
        ("غويران", "t:CUR1", "غويران"),
        ("Ghweiran", "t:CUR1", "Ghuwayran"),
        ("Raqqa", "t:C5710", "Ar-Raqqa"),
        ("الرقة", "t:C5710", "الرقة"),
        ("  Hasakah  ", "t:C4360", "Al-Hasakeh"),
    ],
)
def test_search_finds_the_place_and_shows_both_names(client, small_gazetteer, query, uid, shown):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    ids = result_ids(response)
    assert place_id(uid) in ids
    assert shown in response.content.decode()


def test_search_result_shows_arabic_name_right_to_left_with_chain_and_marker(client, small_gazetteer):
    response = client.get(SEARCH, {"q": "غويران"})
    html = response.content.decode()
    assert '<span class="name-ar" lang="ar" dir="rtl">غويران</span>' in html
    # The admin chain links to the governorate's page.
    assert f'href="{reverse("gazetteer:place", args=[place_id("t:SY08")])}"' in html
    (marker,) = [m for m in response.context["markers"] if m["id"] == place_id("t:CUR1")]
    assert marker["name_ar"] == "غويران"
    assert (round(marker["lat"], 3), round(marker["lon"], 3)) == (36.475, 40.76)
    assert marker["url"] == reverse("gazetteer:place", args=[place_id("t:CUR1")])
    assert 'id="gazetteer-markers" type="application/json"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type a place name to search"),
        ({"q": "    "}, "Type a place name to search"),
        ({"q": "!!!???"}, "has no letters"),
        ({"q": "؟؟،،"}, "has no letters"),
        ({"q": "12345"}, "has no letters"),
        ({"q": "\x01\x02\x03"}, "control characters"),
        ({"q": "Raq\x07qa"}, "control characters"),
        ({"q": "a\x00b"}, "Null characters are not allowed"),
        ({"q": "x" * 201}, "at most 200 characters (it has 201)"),
        ({"q": "غ" * 500}, "at most 200 characters (it has 500)"),
        ({"q": "Raqqa", "region": "SY99"}, "Unknown region"),
        ({"q": "Raqqa", "region": "'; DROP TABLE"}, "Unknown region"),
        ({"q": "Raqqa", "kind": "volcano"}, "Select a valid choice"),
        ({"kind": "community"}, "Type a place name to search"),
    ],
)
def test_bad_queries_get_a_clear_message_not_an_error(client, small_gazetteer, params, message):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="notice notice--error"' in html
    assert message in html
    assert result_ids(response) == []


def test_query_of_exactly_200_characters_is_accepted(client, small_gazetteer):
    response = client.get(SEARCH, {"q": "Raqqa " + "z" * 194})
    assert response.status_code == 200
    assert 'class="notice notice--error"' not in response.content.decode()


def test_lookup_refusal_is_shown_as_a_message(client, small_gazetteer, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("The lookup cannot use this query.")

    monkeypatch.setattr("gazetteer.views.lookup", refuse)
    response = client.get(SEARCH, {"q": "Raqqa"})
    assert response.status_code == 200
    assert "The lookup cannot use this query." in response.content.decode()


@pytest.mark.parametrize(
    ("qualities", "pinned", "weak"),
    [((100.0, 40.0), 1, 1), ((85.0, 70.0), 2, 0), ((45.0, 40.0), 2, 0)],
)
def test_weak_matches_are_listed_apart_and_left_off_the_map(
    client, small_gazetteer, monkeypatch, qualities, pinned, weak
):
    from gazetteer.index import to_record
    from geoparse.types import Candidate

    places = [Place.objects.get(uid="t:C5710"), Place.objects.get(uid="t:CUR1")]
    found = [Candidate(to_record(p), p.name_en, q, q / 100) for p, q in zip(places, qualities, strict=True)]
    monkeypatch.setattr("gazetteer.views.lookup", lambda *a, **k: found)
    response = client.get(SEARCH, {"q": "Raqqa"})
    assert len(response.context["markers"]) == pinned
    assert len(response.context["weak_rows"]) == weak
    assert ('class="weak-results"' in response.content.decode()) == bool(weak)
    assert len(result_ids(response)) == 2


def test_unknown_name_says_nothing_matched(client, small_gazetteer):
    response = client.get(SEARCH, {"q": "Qqqxzzv"})
    assert response.status_code == 200
    assert "No place matches" in response.content.decode()
    assert result_ids(response) == []


@pytest.mark.parametrize(
    ("params", "expected", "excluded"),
    [
        ({"q": "الحسكة", "kind": "governorate"}, {"t:SY08"}, {"t:C4360", "t:SY0800"}),
        ({"q": "الحسكة", "kind": "community"}, {"t:C4360"}, {"t:SY08"}),
        ({"q": "الرقة", "region": "SY11"}, {"t:C5710", "t:SY11"}, {"t:SY08"}),
        ({"q": "الحسكة", "region": "SY11"}, set(), {"t:SY08", "t:C4360"}),
    ],
)
def test_kind_and_region_filters_narrow_results(client, small_gazetteer, params, expected, excluded):
    response = client.get(SEARCH, params)
    ids = set(result_ids(response))
    assert {place_id(u) for u in expected} <= ids
    assert not ids & {place_id(u) for u in excluded}


def test_region_picker_lists_governorates_by_name(client, small_gazetteer):
    html = client.get(SEARCH).content.decode()
    assert '<option value="SY11">Ar-Raqqa / الرقة</option>' in html
    assert '<option value="SY0800">— Al-Hasakeh / الحسكة</option>' in html


def test_names_from_data_are_escaped_on_search_and_in_marker_json(client, small_gazetteer):
    evil = '<script>alert("x")</script>'
    place = Place.objects.create(
        uid="t:EVIL", kind="community", name_en=f"Raqqa {evil}", name_ar="</script><b>", point=Point(39, 36),
        source="test",
    )  # fmt: skip
    PlaceName.objects.create(place=place, name="Raqqa", lang="en")
    html = client.get(SEARCH, {"q": "Raqqa"}).content.decode()
    assert place.pk in [int(i) for i in re.findall(r'data-place-id="(\d+)"', html)]
    assert evil not in html
    assert "</script><b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "\\u003Cscript\\u003E" in html  # json_script escapes < > & inside the marker data


def test_language_switch_renders_arabic_right_to_left_in_arabic(client, small_gazetteer):
    client.post(reverse("set_language"), {"language": "ar", "next": SEARCH})
    html = client.get(SEARCH, {"q": "غويران"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'action="/i18n/setlang/"' in html
    assert "المعجم الجغرافي" in html  # the interface itself is translated
    assert '<span class="badge badge--neighbourhood">حي</span>' in html
    assert "Score: 0." not in html and re.search(r"<dd>\d\.\d\d</dd>", html)  # no Arabic decimal comma


def test_query_is_escaped_where_it_is_echoed(client, small_gazetteer):
    html = client.get(SEARCH, {"q": "<i>Raqqa</i>"}).content.decode()
    assert "<i>Raqqa</i>" not in html
    assert "&lt;i&gt;Raqqa&lt;/i&gt;" in html


def test_english_page_is_left_to_right_with_nav_and_vendored_leaflet(client, small_gazetteer):
    html = client.get(SEARCH, {"q": "Raqqa"}).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'href="/accounts/login/?next=' in html and 'href="/admin/"' not in html  # anonymous header
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "/static/css/app.css" in html
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links and not [u for u in links if u.startswith(("http:", "https:", "//"))]


# Place detail --------------------------------------------------------------------------------


def test_place_detail_shows_names_chain_and_map_data(client, small_gazetteer):
    pk = place_id("t:CUR1")
    response = client.get(reverse("gazetteer:place", args=[pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li lang="ar" dir="rtl">غويران</li>' in html
    assert '<li lang="en" dir="auto">Ghweiran</li>' in html
    for uid in ("t:SY08", "t:SY0800", "t:SY080000", "t:C4360"):  # chain and parent
        assert f'href="{reverse("gazetteer:place", args=[place_id(uid)])}"' in html
    data = response.context["map_data"]
    assert data["point"] == pytest.approx([36.475, 40.760])
    assert data["area"] is None
    assert 'id="gazetteer-place" type="application/json"' in html


def test_place_detail_groups_names_by_language_then_origin(client, small_gazetteer, django_user_model):
    city = Place.objects.get(uid="t:C4360")
    analyst = django_user_model.objects.create_user("rima")
    PlaceName.objects.create(
        place=city, name="Hasake", lang="en", origin=NameOrigin.ANALYST, added_by=analyst
    )
    groups = client.get(reverse("gazetteer:place", args=[city.pk])).context["name_groups"]
    assert [(g["lang"], str(g["origin"])) for g in groups] == [
        ("ar", "official"),
        ("en", "official"),
        ("en", "analyst"),
    ]
    assert [n.name for n in groups[1]["names"]] == ["Al-Hasakeh", "Hasakah", "Hassakeh"]


def test_admin_unit_detail_embeds_its_polygon_and_lists_children(client, small_gazetteer):
    pk = place_id("t:SY0800")
    response = client.get(reverse("gazetteer:place", args=[pk]))
    area = response.context["map_data"]["area"]
    assert area["type"] == "MultiPolygon"
    lons = [x for x, _ in area["coordinates"][0][0]]
    assert (min(lons), max(lons)) == (40.0, 41.5)
    html = response.content.decode()
    assert f'href="{reverse("gazetteer:place", args=[place_id("t:SY080000")])}"' in html
    assert response.context["child_count"] == 1


@pytest.mark.parametrize("pk", [999_999, 0])
def test_unknown_place_is_404(client, small_gazetteer, pk):
    assert client.get(reverse("gazetteer:place", args=[pk])).status_code == 404


def test_place_note_and_names_are_escaped(client, db):
    place = Place.objects.create(
        uid="t:X", kind="facility", name_en="<img src=x onerror=alert(1)>", name_ar="سجن",
        point=Point(40, 36), source="test", note="<b>unsure</b>",
    )  # fmt: skip
    html = client.get(reverse("gazetteer:place", args=[place.pk])).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;unsure&lt;/b&gt;" in html


# Boundaries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "uids"), [(1, ["t:SY08", "t:SY11"]), (2, ["t:SY0800"]), (3, ["t:SY080000"])]
)
def test_boundaries_serve_one_admin_level_as_geojson(client, small_gazetteer, level, uids):
    response = client.get(reverse("gazetteer:boundaries"), {"level": level})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["pcode"] for f in data["features"]] == [u.split(":")[1] for u in uids]
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("level", ["0", "4", "x", ""])
def test_boundaries_reject_a_bad_level(client, db, level):
    response = client.get(reverse("gazetteer:boundaries"), {"level": level})
    assert response.status_code == 400
    assert response.json()["parameter"] == "level"


def test_boundaries_are_cached_until_the_gazetteer_changes(
    client, small_gazetteer, django_assert_max_num_queries
):
    url = reverse("gazetteer:boundaries")
    first = client.get(url, {"level": 1}).content
    with django_assert_max_num_queries(3):  # the change token only, no polygons
        assert client.get(url, {"level": 1}).content == first
    Place.objects.filter(uid="t:SY11").update(name_ar="محافظة الرقة")
    Place.objects.get(uid="t:SY11").save()  # bumps updated_at, hence the token
    assert "محافظة الرقة" in client.get(url, {"level": 1}).content.decode()


@pytest.mark.parametrize(
    ("pcode", "kind"), [("SY08", "governorate"), ("sy0800", "district"), ("SY080000", "subdistrict")]
)
def test_boundaries_serve_one_unit_by_pcode(client, small_gazetteer, pcode, kind):
    data = client.get(reverse("gazetteer:boundaries"), {"pcode": pcode}).json()
    (feature,) = data["features"]
    assert feature["properties"]["pcode"] == pcode.upper()
    assert (feature["properties"]["kind"], feature["properties"]["name_en"]) == (kind, "Al-Hasakeh")
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize(("pcode", "status"), [("SY99", 404), ("C4360", 400), ("SY1", 400)])
def test_boundaries_refuse_unknown_or_malformed_pcodes(client, small_gazetteer, pcode, status):
    response = client.get(reverse("gazetteer:boundaries"), {"pcode": pcode})
    assert (response.status_code, response.json()["parameter"]) == (status, "pcode")


def test_boundaries_answer_304_to_their_etag(client, small_gazetteer):
    url = reverse("gazetteer:boundaries")
    first = client.get(url, {"level": 2})
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(url, {"level": 2}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


# Admin ---------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("analyst", "a@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client, user


def test_admin_map_widget_loads_vendored_openlayers_not_a_cdn(staff_client, small_gazetteer):
    client, _ = staff_client
    html = client.get(reverse("admin:gazetteer_place_change", args=[place_id("t:CUR1")])).content.decode()
    assert "/static/vendor/ol-10.11.0/ol.js" in html
    assert "/static/vendor/ol-10.11.0/ol.css" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert reverse("gazetteer:boundaries") in html
    assert "new MapWidget" in html


def test_offline_widget_media_lists_only_local_files():
    media = OfflineMapWidget().media
    files = [*media._js, *[f for group in media._css.values() for f in group]]
    assert files and all(not f.startswith(("http:", "https:", "//")) for f in files)


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("admin:gazetteer_place_changelist", {"q": "غويران"}),
        ("admin:gazetteer_place_changelist", {"q": "ghweiran"}),
        ("admin:gazetteer_place_changelist", {"kind": "neighbourhood", "admin1": "SY08"}),
        ("admin:gazetteer_placename_changelist", {"q": "Hassakeh"}),
        ("admin:gazetteer_placename_changelist", {"origin": "official", "admin1": "SY08"}),
    ],
)
def test_admin_lists_search_and_filter(staff_client, small_gazetteer, url_name, params):
    client, _ = staff_client
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_admin_search_uses_the_normalised_key(staff_client, small_gazetteer):
    client, _ = staff_client
    response = client.get(reverse("admin:gazetteer_place_changelist"), {"q": "غـويـران"})  # with tatweel
    assert [p.uid for p in response.context["cl"].result_list] == ["t:CUR1"]


def test_admin_created_name_is_marked_as_the_analysts(staff_client, small_gazetteer):
    client, user = staff_client
    place = Place.objects.get(uid="t:CUR1")
    response = client.post(
        reverse("admin:gazetteer_placename_add"),
        {"place": place.pk, "name": "Ghwairan", "lang": "en"},
    )
    assert response.status_code == 302
    name = PlaceName.objects.get(place=place, name="Ghwairan")
    assert (name.origin, name.added_by) == (NameOrigin.ANALYST, user)


def test_admin_inline_name_on_place_is_marked_as_the_analysts(staff_client, small_gazetteer):
    client, user = staff_client
    place = Place.objects.get(uid="t:CUR2")
    url = reverse("admin:gazetteer_place_change", args=[place.pk])
    form = client.get(url).context["adminform"].form
    names = list(place.names.all())
    data = {
        **{k: ("" if v is None else v) for k, v in form.initial.items() if k not in {"point", "area"}},
        "point": place.point.transform(3857, clone=True).json,  # the widget edits in web Mercator
        "area": "",
        "parent": place.parent_id,
        "names-TOTAL_FORMS": len(names) + 1,
        "names-INITIAL_FORMS": len(names),
        "names-MIN_NUM_FORMS": 0,
        "names-MAX_NUM_FORMS": 1000,
    }
    for i, n in enumerate(names):
        data.update({f"names-{i}-id": n.pk, f"names-{i}-place": place.pk, f"names-{i}-name": n.name,
                     f"names-{i}-lang": n.lang})  # fmt: skip
    data.update({f"names-{len(names)}-name": "Nishwah", f"names-{len(names)}-lang": "en"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = PlaceName.objects.get(place=place, name="Nishwah")
    assert (added.origin, added.added_by) == (NameOrigin.ANALYST, user)
    assert PlaceName.objects.get(place=place, name="النشوة").origin == NameOrigin.OFFICIAL
    place.refresh_from_db()
    assert (place.point.y, place.point.x) == pytest.approx((36.4804, 40.6899))
