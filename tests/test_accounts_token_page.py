"""The API token page: coders see whether they have a token, make one (shown once) and revoke it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PAGE = "/accounts/token/"


def new_key(html: str) -> str:
    found = re.search(r'<code class="token-key" id="new-token" dir="ltr">(\w+)</code>', html)
    return found.group(1) if found else ""


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={PAGE}"


def test_viewers_get_403_because_tokens_are_for_writes(client, make_user):
    client.force_login(make_user("viewer"))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"action": "create"}).status_code == 403
    assert not Token.objects.exists()


@pytest.mark.parametrize("role", ["coder", "reviewer", "admin"])
def test_create_shows_the_key_once_and_it_works(client, make_user, role):
    client.force_login(make_user(role))
    assert "You have no API token." in client.get(PAGE).content.decode()
    created = client.post(PAGE, {"action": "create"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    key = new_key(created.content.decode())
    assert key and Token.objects.get().key == key
    shown_again = client.get(PAGE).content.decode()
    assert key not in shown_again and "You have a token, made on" in shown_again
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.post("/api/articles", data="{}", content_type="application/json").status_code == 400


def test_replacing_the_token_stops_the_old_one(client, make_user):
    client.force_login(make_user("coder"))
    first = new_key(client.post(PAGE, {"action": "create"}).content.decode())
    second = new_key(client.post(PAGE, {"action": "create"}).content.decode())
    assert first != second and list(Token.objects.values_list("key", flat=True)) == [second]
    old = Client(headers={"Authorization": f"Token {first}"})
    assert old.post("/api/articles", data="{}", content_type="application/json").status_code == 401


def test_revoke_deletes_the_token(client, make_user):
    user = make_user("coder")
    Token.objects.create(user=user)
    client.force_login(user)
    response = client.post(PAGE, {"action": "revoke"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not Token.objects.exists()
    assert "You have no API token." in client.get(PAGE).content.decode()


def test_revoking_touches_only_your_own_token(client, make_user):
    other = Token.objects.create(user=make_user("coder", "other"))
    client.force_login(make_user("coder"))
    client.post(PAGE, {"action": "revoke"})
    assert list(Token.objects.all()) == [other]


def test_an_unknown_action_is_400_and_changes_nothing(client, make_user):
    client.force_login(make_user("coder"))
    assert client.post(PAGE, {"action": "steal"}).status_code == 400
    assert not Token.objects.exists()


def test_the_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("coder"))
    html = client.get(PAGE).content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= 2  # the token form, the logout and language forms
    assert client.post(PAGE, {"action": "create"}).status_code == 403
    assert not Token.objects.exists()


def test_the_page_speaks_arabic(client, make_user):
    client.force_login(make_user("coder"))
    client.cookies["django_language"] = "ar"
    html = client.get(PAGE).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ليس لديك رمز للواجهة البرمجية." in html and "إنشاء رمز" in html
