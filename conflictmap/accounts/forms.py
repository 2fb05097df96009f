"""The token page's one form: make a new token or revoke the current one."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenAction(models.TextChoices):
    CREATE = "create", _("Create a new token")
    REVOKE = "revoke", _("Revoke the token")


class TokenForm(forms.Form):
    action = forms.ChoiceField(choices=TokenAction.choices)
