"""READ_ACCESS=login: anonymous readers are sent to the login page (pages) or refused with 401 (API)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

# Paths anyone may reach whatever READ_ACCESS says: logging in, its assets, the language switch.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon.ico", "/admin/login/")


def token_user(request: HttpRequest):
    """Return the user of a valid `Authorization: Token …` header, None if there is none; raise if bad."""
    found = TokenAuthentication().authenticate(request)  # type: ignore[arg-type]
    return found[0] if found else None


class ReadAccessMiddleware:
    """Let only logged-in users (or token holders) read when READ_ACCESS is "login"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.READ_ACCESS == "login" and not self.allowed(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Authentication credentials were not provided."},
                    status=401,
                    headers={"WWW-Authenticate": "Token"},
                )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def allowed(self, request: HttpRequest) -> bool:
        if request.user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return True
        try:
            return token_user(request) is not None
        except AuthenticationFailed:
            return False
