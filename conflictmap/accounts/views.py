"""Account pages: the API token page (login and logout are Django's own views, see urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import TokenAction, TokenForm
from .permissions import role_required
from .roles import CAN_CODE
from .tokens import current_token, issue_token, revoke_token


@never_cache  # a new key is shown once; no cache may keep it
@require_http_methods(["GET", "POST"])
@role_required(CAN_CODE)  # tokens are for writes: coders, reviewers and admins
def token(request: HttpRequest) -> HttpResponse:
    """Show whether the user has an API token; make a new one (shown once) or revoke it."""
    form = TokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["action"] == TokenAction.REVOKE:
            revoke_token(request.user)
            return redirect("accounts:token")
        new_key = issue_token(request.user).key
    context = {"token": current_token(request.user), "new_key": new_key, "actions": TokenAction}
    return render(request, "accounts/token.html", context, status=400 if form.errors else 200)
