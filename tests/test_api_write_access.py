"""Writes need a coder: who may POST /api/articles, and no write endpoint lets a viewer or anonymous through."""

from __future__ import annotations

import json
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from conflictmap.articles.models import Article

pytestmark = pytest.mark.django_db

BODY = "Clashes were reported on Tuesday in the countryside east of Raqqa, local sources said."


@pytest.fixture(autouse=True)
def delay():
    with mock.patch("conflictmap.incidents.tasks.geocode_article.delay") as patched:
        yield patched


def session_client(user, csrf: bool) -> tuple[Client, dict[str, str]]:
    """A logged-in client that checks CSRF like a browser, with the CSRF header when `csrf`."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/gazetteer/")  # any page with a form sets the CSRF cookie
    return client, {"X-CSRFToken": client.cookies["csrftoken"].value} if csrf else {}


def credentials(make_user, role: str, how: str) -> tuple[Client, dict[str, str]]:
    """The client and headers one row of the table sends."""
    if how == "none":
        return Client(), {}
    if how == "wrong token":
        return Client(), {"Authorization": "Token " + "0" * 40}
    user = make_user(role.removesuffix(" inactive"))
    if role.endswith("inactive"):
        user.is_active = False
        user.save()
    if how == "token":
        return Client(), {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    return session_client(user, csrf=how == "session with CSRF")


# (who, how they authenticate, expected status, whether an article is stored)
TABLE = [
    ("anonymous", "none", 401, False),
    ("anonymous", "wrong token", 401, False),
    ("viewer", "token", 403, False),
    ("coder inactive", "token", 401, False),
    ("coder", "token", 201, True),
    ("reviewer", "token", 201, True),
    ("admin", "token", 201, True),
    ("coder", "session without CSRF", 403, False),
    ("viewer", "session with CSRF", 403, False),
    ("coder", "session with CSRF", 201, True),
]


@pytest.mark.parametrize(("who", "how", "status", "created"), TABLE, ids=[f"{w}, {h}" for w, h, *_ in TABLE])
def test_who_may_post_an_article(make_user, who, how, status, created):
    client, headers = credentials(make_user, who, how)
    response = client.post(
        "/api/articles", data=json.dumps({"body": BODY}), content_type="application/json", headers=headers
    )
    assert response.status_code == status, response.content
    assert Article.objects.exists() is created
    if status == 401:
        assert response["WWW-Authenticate"] == "Token"
    if created:
        assert response.json()["status"] == "pending"
    else:
        assert "detail" in response.json()
    if how == "session without CSRF":
        assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize(("who", "how", "status"), [("anonymous", "none", 401), ("viewer", "token", 403)])
def test_other_methods_are_refused_before_anything_else(make_user, method, who, how, status):
    client, headers = credentials(make_user, who, how)
    response = getattr(client, method)(
        "/api/articles", data=json.dumps({"body": BODY}), content_type="application/json", headers=headers
    )
    assert response.status_code == status
    assert not Article.objects.exists()


def test_a_coder_gets_405_for_other_methods(coder_api):
    assert coder_api.put("/api/articles", data="{}", content_type="application/json").status_code == 405


def test_json_only(coder_api):
    response = coder_api.post("/api/articles", data={"body": BODY})  # a form post
    assert response.status_code == 415
    assert not Article.objects.exists()


# The paste form ---------------------------------------------------------------------------------


def test_the_paste_form_sends_anonymous_users_to_the_login_page(client):
    for response in (client.get("/articles/new"), client.post("/articles/new", {"body": BODY})):
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/articles/new"
    assert not Article.objects.exists()


def test_the_paste_form_is_403_for_a_viewer(client, make_user):
    client.force_login(make_user("viewer"))
    assert client.get("/articles/new").status_code == 403
    response = client.post("/articles/new", {"body": BODY})
    assert response.status_code == 403
    assert b"Not allowed" in response.content  # our 403 page, inside the site's layout
    assert not Article.objects.exists()


# Every route, every write method ----------------------------------------------------------------

# Routes whose POST is not a write: logging in and out, the language switch (a cookie) and redirects.
NOT_WRITES = {"accounts:login", "accounts:logout", "set_language", "home", "favicon.ico"}


def routes() -> list[tuple[str, str]]:
    """(name, path) of every non-admin route, with 1 for each path parameter."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    walk(entry.url_patterns, route, entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
                found.append((name, "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$")))

    walk(get_resolver().url_patterns, "", "")
    return [(name, path) for name, path in found if name not in NOT_WRITES]


ROUTES = routes()


def test_the_route_list_covers_the_write_endpoints():
    names = {name for name, _path in ROUTES}
    assert {"articles:new", "articles:api-create", "accounts:token", "incidents:map"} <= names


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[name for name, _path in ROUTES])
@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_no_route_lets_a_viewer_or_anonymous_write(client, make_user, name, path, who):
    if who == "viewer":
        client.force_login(make_user("viewer"))
    before = Article.objects.count(), Token.objects.count()
    for method in ("post", "put", "delete"):
        response = getattr(client, method)(
            path, data=json.dumps({"body": BODY}), content_type="application/json"
        )
        refused = response.status_code in {401, 403, 405} or (
            who == "anonymous" and response.status_code == 302 and "/accounts/login/" in response["Location"]
        )
        assert refused, f"{method.upper()} {path} as {who}: {response.status_code}"
    assert (Article.objects.count(), Token.objects.count()) == before
