"""Roles as groups with their permissions, assign_role, role_of, and `manage.py createuser`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command

from conflictmap.accounts.roles import (
    CAN_ADD_ARTICLE,
    CAN_CODE,
    CAN_REVIEW,
    PERMISSIONS,
    Role,
    assign_role,
    role_of,
)

pytestmark = pytest.mark.django_db

# role → (may read, may add articles, may code, may review, is staff)
ABILITIES = [
    (Role.VIEWER, True, False, False, False, False),
    (Role.CODER, True, True, True, False, False),
    (Role.REVIEWER, True, True, True, True, False),
    (Role.ADMIN, True, True, True, True, True),
]


def test_every_role_is_a_group_with_exactly_its_permissions():
    for role, names in PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(names), role


@pytest.mark.parametrize(("role", "read", "add", "code", "review", "staff"), ABILITIES)
def test_assign_role_gives_the_role_its_rights(make_user, role, read, add, code, review, staff):
    user = make_user(role)
    assert role_of(user) == role
    assert user.has_perm("incidents.view_incident") is read
    assert (user.has_perm(CAN_ADD_ARTICLE), user.has_perm(CAN_CODE), user.has_perm(CAN_REVIEW)) == (
        add,
        code,
        review,
    )
    assert user.is_staff is staff and user.is_superuser is staff


def test_assign_role_replaces_the_previous_role(make_user, django_user_model):
    user = make_user(Role.ADMIN, "moved")
    assign_role(user, Role.VIEWER)
    user = django_user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance
    assert list(user.groups.values_list("name", flat=True)) == [Role.VIEWER]
    assert role_of(user) == Role.VIEWER
    assert not user.is_staff and not user.is_superuser
    assert not user.has_perm(CAN_CODE)


def test_role_of_anonymous_and_roleless_users_is_empty(django_user_model):
    assert role_of(AnonymousUser()) == ""
    assert role_of(django_user_model.objects.create_user("nobody")) == ""


def test_role_of_a_superuser_made_elsewhere_is_admin(django_user_model):
    assert role_of(django_user_model.objects.create_superuser("root", "r@example.org", "pw")) == Role.ADMIN


# createuser ----------------------------------------------------------------------------------


def createuser(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("createuser", *args, stdout=out, **extra)
    return out.getvalue()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_createuser_makes_an_account_with_the_role_and_prints_its_password_once(django_user_model, role):
    output = createuser("amal", "--role", role, "--email", "amal@example.org")
    user = django_user_model.objects.get(username="amal")
    assert role_of(user) == role and user.email == "amal@example.org"
    lines = output.splitlines()
    assert lines[0] == f"created amal ({role})"
    password = lines[1].removeprefix("password: ")
    assert len(password) >= 16 and user.check_password(password)
    assert output.count(password) == 1


def test_createuser_reads_the_password_from_stdin_and_prints_none(django_user_model):
    output = createuser("omar", "--role", "coder", "--password-stdin", stdin="a long pass phrase 42\n")
    user = django_user_model.objects.get(username="omar")
    assert user.check_password("a long pass phrase 42")
    assert "password" not in output and "phrase" not in output


def test_createuser_updates_an_existing_user_keeping_the_password(django_user_model):
    createuser("sara", "--role", "coder", "--password-stdin", stdin="first pass phrase 1\n")
    output = createuser("sara", "--role", "reviewer", "--email", "sara@example.org")
    user = django_user_model.objects.get(username="sara")
    assert output.strip() == "updated sara (reviewer)"
    assert role_of(user) == Role.REVIEWER and user.email == "sara@example.org"
    assert user.check_password("first pass phrase 1")
    assert django_user_model.objects.filter(username="sara").count() == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("x", "--role", "boss"), None, "invalid choice: 'boss'"),
        (("x",), None, "--role"),
        (("x", "--role", "coder", "--password-stdin"), "\n", "empty password"),
        (("x", "--role", "coder", "--password-stdin"), "", "empty password"),
        (("x", "--role", "coder", "--password-stdin"), "password\n", "too common"),
        (("x", "--role", "coder", "--password-stdin"), "short\n", "too short"),
        (("no spaces please", "--role", "coder"), None, "bad username"),
    ],
    ids=["bad role", "no role", "empty line", "no input", "common password", "short password", "bad name"],
)
def test_createuser_refuses_bad_input_with_a_clear_error(django_user_model, args, stdin, message):
    with pytest.raises(CommandError, match=message):
        createuser(*args, stdin=stdin)
    assert not django_user_model.objects.exists()
