"""READ_ACCESS: "public" lets anyone read the map and the API; "login" asks for an account or a token."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PAGES = ["/map/", "/gazetteer/", "/gazetteer/?q=Raqqa"]
APIS = ["/api/incidents", "/api/incidents/points", "/api/regions", "/api/incidents/facets"]
# Reachable by anyone whatever READ_ACCESS says: logging in, its assets, the admin's own login.
OPEN = ["/accounts/login/", "/static/css/app.css", "/admin/login/"]


@pytest.fixture
def login_only(settings):
    settings.READ_ACCESS = "login"


@pytest.fixture
def viewer_token(make_user) -> str:
    return Token.objects.create(user=make_user("viewer")).key


@pytest.mark.parametrize("path", PAGES + APIS + OPEN)
def test_public_lets_anonymous_readers_in(client, small_gazetteer, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_login_sends_anonymous_readers_of_pages_to_the_login_page(client, login_only, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_login_redirect_keeps_the_query_so_the_reader_lands_where_they_asked(client, login_only):
    response = client.get("/map/?region=SY08")
    assert response["Location"] == "/accounts/login/?next=/map/%3Fregion%3DSY08"


@pytest.mark.parametrize("path", [*APIS, "/api/articles/1", "/api/incidents/1"])
def test_login_answers_anonymous_api_reads_with_401(client, login_only, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("path", OPEN)
def test_login_still_opens_the_login_pages_and_assets(client, login_only, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES + APIS)
def test_login_lets_a_logged_in_viewer_read(client, login_only, small_gazetteer, make_user, path):
    client.force_login(make_user("viewer"))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", APIS)
def test_login_lets_a_token_read_the_api(login_only, small_gazetteer, viewer_token, path):
    client = Client(headers={"Authorization": f"Token {viewer_token}"})
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("header", ["Token " + "0" * 40, "Token", "Token a b", "Bearer abc"])
def test_login_refuses_a_wrong_or_malformed_token(client, login_only, header):
    response = client.get("/api/incidents", headers={"Authorization": header})
    assert response.status_code == 401


def test_login_refuses_an_inactive_users_token(client, login_only, viewer_token, django_user_model):
    django_user_model.objects.filter(auth_token__key=viewer_token).update(is_active=False)
    response = client.get("/api/incidents", headers={"Authorization": f"Token {viewer_token}"})
    assert response.status_code == 401


def test_login_sends_anonymous_visitors_of_the_home_page_to_the_login_page(client, login_only):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
