"""Login and logout pages in English and Arabic, the header's account area per role, the 403 page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(
    ("lang", "direction", "texts"),
    [
        ("en", "ltr", ["Log in", "Username", "Password"]),
        ("ar", "rtl", ["تسجيل الدخول", "اسم المستخدم", "كلمة المرور"]),
    ],
)
def test_the_login_page_speaks_both_languages(client, lang, direction, texts):
    client.cookies["django_language"] = lang
    html = client.get("/accounts/login/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert all(text in html for text in texts)
    assert 'name="csrfmiddlewaretoken"' in html and 'autocomplete="current-password"' in html


def test_logging_in_through_the_form_goes_where_the_user_was_going(client, make_user):
    make_user("coder", "huda", PASSWORD)
    response = client.post(
        "/accounts/login/", {"username": "huda", "password": PASSWORD, "next": "/gazetteer/"}
    )
    assert response.status_code == 302 and response["Location"] == "/gazetteer/"
    assert client.get("/accounts/login/")["Location"] == "/map/"  # already logged in


def test_a_wrong_password_shows_the_error_in_arabic(client, make_user):
    make_user("coder", "huda", PASSWORD)
    client.cookies["django_language"] = "ar"
    response = client.post("/accounts/login/", {"username": "huda", "password": "nope"})
    assert response.status_code == 200
    assert "الرجاء إدخال اسم المستخدم" in response.content.decode()


def test_the_login_page_does_not_send_users_off_site(client, make_user):
    make_user("coder", "huda", PASSWORD)
    response = client.post(
        "/accounts/login/", {"username": "huda", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/map/"


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    client.force_login(make_user("coder"))
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/map/"
    assert "_auth_user_id" not in client.session


# (role, shows "Add article", shows the token link, role label)
HEADERS = [
    ("viewer", False, False, "viewer"),
    ("coder", True, True, "coder"),
    ("reviewer", True, True, "reviewer"),
    ("admin", True, True, "admin"),
]


@pytest.mark.parametrize(("role", "add", "token", "label"), HEADERS)
def test_the_header_shows_the_user_their_role_and_their_links(client, make_user, role, add, token, label):
    client.force_login(make_user(role, f"user-{role}"))
    html = client.get("/gazetteer/").content.decode()
    assert f'<bdi class="account__name">user-{role}</bdi>' in html
    assert f'<span class="account__role">{label}</span>' in html
    assert ('href="/articles/new"' in html) is add
    assert ('href="/accounts/token/"' in html) is token
    assert 'action="/accounts/logout/" method="post"' in html
    assert 'href="/accounts/login/' not in html


def test_the_header_of_an_anonymous_reader_offers_to_log_in(client):
    html = client.get("/gazetteer/?q=Raqqa").content.decode()
    assert 'href="/accounts/login/?next=/gazetteer/%3Fq%3DRaqqa"' in html
    assert 'href="/articles/new"' not in html and "/accounts/logout/" not in html


def test_the_header_in_arabic_names_the_role_in_arabic(client, make_user):
    client.force_login(make_user("coder"))
    client.cookies["django_language"] = "ar"
    html = client.get("/gazetteer/").content.decode()
    assert '<span class="account__role">مرمِّز</span>' in html
    assert "تسجيل الخروج" in html and "رمز الواجهة البرمجية" in html


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("en", ["Not allowed", "role: viewer"]),
        ("ar", ["غير مسموح", "الدور: مشاهد"]),
    ],
)
def test_the_403_page_explains_in_both_languages(client, make_user, lang, texts):
    client.force_login(make_user("viewer"))
    client.cookies["django_language"] = lang
    response = client.get("/articles/new")
    assert response.status_code == 403
    html = response.content.decode()
    assert all(text in html for text in texts)
