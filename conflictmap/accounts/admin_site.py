"""The admin site for the admin role only (settings installs it as the default `admin.site`)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .roles import Role, role_of


class AdminSite(admin.AdminSite):
    """Django's admin, refusing every account but admins, even staff ones with another role."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and role_of(request.user) == Role.ADMIN
