"""Who may write: DRF permission classes for the API and a decorator for HTML views, one per role need."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from .roles import CAN_ADD_ARTICLE, CAN_CODE, CAN_REVIEW


class _HasPerm(BasePermission):
    """Allow authenticated users holding `perm`; DRF answers 401 to anonymous ones, 403 to the rest."""

    perm = ""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.perm))


class CanAddArticle(_HasPerm):
    perm = CAN_ADD_ARTICLE


class CanCode(_HasPerm):
    perm = CAN_CODE


class CanReview(_HasPerm):
    perm = CAN_REVIEW


def role_required(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Send anonymous users to the login page and refuse (403) users without `perm`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
