"""The admin is for admins only; its incident page draws the point and the area with vendored OpenLayers."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident() -> Incident:
    article = Article.objects.create(
        body="Clashes in Raqqa.", lang="en", content_hash="c" * 64, status="done"
    )
    return Incident.objects.create(
        article=article,
        point=Point(39.0, 35.95, srid=4326),
        area=MultiPolygon(Polygon.from_bbox((38.9, 35.9, 39.1, 36.0)), srid=4326),
        geo_precision=2,
        label_en="Raqqa",
    )


@pytest.mark.parametrize(
    ("role", "allowed"), [("admin", True), ("reviewer", False), ("coder", False), ("viewer", False)]
)
def test_only_admins_open_the_admin(client, make_user, role, allowed):
    client.force_login(make_user(role))
    response = client.get("/admin/")
    if allowed:
        assert response.status_code == 200
        assert b"Site administration" in response.content
    else:
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/?next=/admin/"


def test_a_staff_coder_is_still_refused(client, make_user):
    """Staff status alone (set by hand, say) is not the admin role."""
    coder = make_user("coder")
    coder.is_staff = True
    coder.save()
    client.force_login(coder)
    assert client.get("/admin/").status_code == 302
    login = client.get("/admin/login/?next=/admin/")
    assert b"not authorized to access this page" in login.content


def test_anonymous_users_get_the_admin_login_page(client):
    response = client.get("/admin/incidents/incident/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_admins_make_and_revoke_api_tokens_in_the_admin(client, make_user):
    client.force_login(make_user("admin"))
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 200
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200


@pytest.mark.parametrize(
    ("role", "shown"), [("admin", True), ("coder", False), ("viewer", False), ("", False)]
)
def test_the_header_links_the_admin_for_admins_only(client, make_user, role, shown):
    if role:
        client.force_login(make_user(role))
    html = client.get("/gazetteer/").content.decode()
    assert ('href="/admin/"' in html) is shown


def test_the_incident_change_page_draws_point_and_area_with_vendored_openlayers(client, make_user, incident):
    client.force_login(make_user("admin"))
    response = client.get(f"/admin/incidents/incident/{incident.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/ol-10.11.0/ol.js" in html and "/static/vendor/ol-10.11.0/ol.css" in html
    # One offline widget per geometry field, each over our own outlines.
    assert 'id="id_point_map"' in html and "geom_name: 'Point'" in html
    assert 'id="id_area_map"' in html and "geom_name: 'MultiPolygon'" in html
    assert html.count("/gazetteer/boundaries.geojson?level=1") == 2
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links and not [u for u in links if u.startswith(("http:", "https:", "//"))]
    assert not re.search(r"jsdelivr|openstreetmap|earthdata|unpkg|cdnjs", html)
