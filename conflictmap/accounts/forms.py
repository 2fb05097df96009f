"""The login form, and the token page's one form: make a new token or revoke the current one."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenAction(models.TextChoices):
    CREATE = "create", _("Create a new token")
    REVOKE = "revoke", _("Revoke the token")


class TokenForm(forms.Form):
    action = forms.ChoiceField(choices=TokenAction.choices)


class LoginForm(AuthenticationForm):
    """Django's login form; a name or password in either script reads in its own direction."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["dir"] = "auto"
