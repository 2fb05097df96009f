"""Who may write: permission classes for the DRF API and a decorator for plain Django HTML views.

API views (Token or session authentication, as REST_FRAMEWORK sets):

    @api_view(["POST"])
    @permission_classes([CanCode])
    def api_correct(request: Request) -> Response: ...

  no credentials or a wrong token get 401 with `WWW-Authenticate: Token`; a user without the
  permission (a viewer) gets 403; a session without its CSRF token gets 403.

HTML views:

    @role_required(CAN_REVIEW)
    def review_queue(request: HttpRequest) -> HttpResponse: ...

  anonymous users are sent to the login page; logged-in users without the permission get 403.

CanAddArticle, CanCode and CanReview need roles.CAN_ADD_ARTICLE, CAN_CODE and CAN_REVIEW: coders
have the first two, reviewers and admins all three.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required, permission_required
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .roles import CAN_ADD_ARTICLE, CAN_CODE, CAN_REVIEW

View = TypeVar("View", bound=Callable[..., Any])


class HasPerm(BasePermission):
    """Allow logged-in users who hold `perm` ("app_label.codename")."""

    perm = ""

    def has_permission(self, request: Request, view: Any) -> bool:
        # DRF turns False into 401 when no authenticator succeeded, and into 403 otherwise.
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.perm))


class CanAddArticle(HasPerm):
    perm = CAN_ADD_ARTICLE


class CanCode(HasPerm):
    perm = CAN_CODE


class CanReview(HasPerm):
    perm = CAN_REVIEW


def role_required(perm: str) -> Callable[[View], View]:
    """Send anonymous users to the login page and answer 403 to users without `perm`."""

    def decorator(view: View) -> View:
        return login_required(permission_required(perm, raise_exception=True)(view))  # type: ignore[return-value]

    return decorator
