"""The header's account details: the user's role and its label."""

from __future__ import annotations

from django.http import HttpRequest

from .roles import Role, role_of


def role(request: HttpRequest) -> dict:
    """Expose `user_role` ("" when anonymous or roleless) and its translated `user_role_label`."""
    user = getattr(request, "user", None)
    name = role_of(user) if user is not None else ""
    return {"user_role": name, "user_role_label": Role(name).label if name else ""}
