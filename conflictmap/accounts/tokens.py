"""API tokens: one per user, made again to replace it, deleted to revoke it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token


def current_token(user: Any) -> Token | None:
    """Return the user's API token, if they have one."""
    return Token.objects.filter(user=user).first()


@transaction.atomic
def issue_token(user: Any) -> Token:
    """Give the user a new token; an old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def revoke_token(user: Any) -> bool:
    """Delete the user's token; return whether there was one."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted > 0
