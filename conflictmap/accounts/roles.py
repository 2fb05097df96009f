"""The four roles (viewer, coder, reviewer, admin) as auth groups with their permissions."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("viewer")
    CODER = "coder", _("coder")
    REVIEWER = "reviewer", _("reviewer")
    ADMIN = "admin", _("admin")


# The permissions each role adds to the one before it ("app_label.codename").
READ = ("incidents.view_incident", "articles.view_article", "gazetteer.view_place")
WRITE = (
    "articles.add_article",
    "incidents.change_incident",
    "gazetteer.add_place",
    "gazetteer.add_placename",
    "rules.add_notplace",
)
REVIEW = ("incidents.review_incident",)
PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.VIEWER: READ,
    Role.CODER: READ + WRITE,
    Role.REVIEWER: READ + WRITE + REVIEW,
    Role.ADMIN: READ + WRITE + REVIEW,
}
# What a write, or a review action, needs: the views and the API check these.
CAN_CODE = "incidents.change_incident"
CAN_REVIEW = "incidents.review_incident"
CAN_ADD_ARTICLE = "articles.add_article"

User = AbstractBaseUser | AnonymousUser


def permission(dotted: str) -> Permission:
    """Return the Permission row named "app_label.codename"."""
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles() -> dict[str, Group]:
    """Create or update the role groups with exactly their permissions."""
    groups = {}
    for role, names in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([permission(name) for name in names])
        groups[role] = group
    return groups


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    """Keep the role groups in step with PERMISSIONS after every migrate (and every test flush)."""
    # post_migrate is sent once per app with models, in INSTALLED_APPS order, each time after that
    # app's permissions are made; only at the last one do all the permissions the roles name exist.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if getattr(sender, "label", "") == last.label:
        ensure_roles()


def assign_role(user: Any, role: str) -> None:
    """Put the user in exactly one role group; admins are staff superusers (the admin site is theirs)."""
    groups = ensure_roles()
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])


def role_of(user: Any) -> str:
    """Return the user's highest role, or "" for anonymous users and users without one."""
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return Role.ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in (Role.ADMIN, Role.REVIEWER, Role.CODER, Role.VIEWER):
        if role in names:
            return role
    return ""
