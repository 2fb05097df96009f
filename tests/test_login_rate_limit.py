"""The login form is rate limited (django-axes): N failures lock the username here; a success resets."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture(autouse=True)
def quarter_hour_and_fast_hashing(settings):
    """A 15-minute cool-off whatever the environment says; a fast hasher, as every attempt hashes."""
    settings.AXES_COOLOFF_TIME = 0.25
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def fail(client, username: str, times: int) -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong password")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content


def test_the_limit_is_configured():
    assert LIMIT >= 3
    assert "axes.backends.AxesStandaloneBackend" in settings.AUTHENTICATION_BACKENDS


def test_failures_up_to_the_limit_lock_the_account_even_with_the_right_password(client, make_user):
    make_user("coder", "nadia", PASSWORD)
    fail(client, "nadia", LIMIT - 1)
    locked = log_in(client, "nadia", "wrong password")
    assert locked.status_code == 429
    again = log_in(client, "nadia", PASSWORD)
    assert again.status_code == 429
    html = again.content.decode()
    assert f"after {LIMIT} failed logins" in html
    assert "You can try again in 15 minutes." in html
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_arabic_right_to_left(client, make_user):
    make_user("coder", "nadia", PASSWORD)
    client.cookies["django_language"] = "ar"
    fail_ar = [log_in(client, "nadia", "wrong password") for _ in range(LIMIT)]
    html = fail_ar[-1].content.decode()
    assert fail_ar[-1].status_code == 429
    assert '<html lang="ar" dir="rtl">' in html
    assert "محاولات دخول فاشلة كثيرة" in html
    assert "يمكنك المحاولة مرة أخرى بعد 15 دقيقة." in html


def test_a_success_before_the_limit_resets_the_count(client, make_user):
    make_user("coder", "nadia", PASSWORD)
    fail(client, "nadia", LIMIT - 1)
    assert log_in(client, "nadia", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    fail(client, "nadia", LIMIT - 1)  # would have locked without the reset
    assert log_in(client, "nadia", PASSWORD).status_code == 302


def test_the_lock_is_for_that_username_only(client, make_user):
    make_user("coder", "nadia", PASSWORD)
    make_user("coder", "karim", PASSWORD)
    fail(client, "nadia", LIMIT - 1)
    assert log_in(client, "nadia", "wrong password").status_code == 429
    assert log_in(client, "karim", PASSWORD).status_code == 302
