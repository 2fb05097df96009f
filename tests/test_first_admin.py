"""`manage.py first_admin` makes one admin account on a fresh install and never a second."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from conflictmap.accounts.roles import Role, role_of


def run() -> str:
    out = StringIO()
    call_command("first_admin", stdout=out)
    return out.getvalue()


def test_first_run_creates_an_admin_whose_password_is_kept(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    said = run()
    password = (tmp_path / "admin-password").read_text().strip()
    assert password in said and oct((tmp_path / "admin-password").stat().st_mode)[-3:] == "600"
    user = authenticate(RequestFactory().post("/"), username="admin", password=password)
    assert user is not None and role_of(user) == Role.ADMIN


def test_a_second_run_changes_nothing(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    run()
    first = (tmp_path / "admin-password").read_text()
    said = run()
    assert (tmp_path / "admin-password").read_text() == first
    assert get_user_model().objects.count() == 1
    assert "log in as 'admin'" in said
