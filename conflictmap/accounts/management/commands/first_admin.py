"""manage.py first_admin: on a fresh install, make an `admin` account and say how to log in."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from conflictmap.accounts.roles import Role, assign_role


class Command(BaseCommand):
    help = "Create the first admin account (once), with a random password kept in var/admin-password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        users = get_user_model().objects
        path = settings.VAR_DIR / "admin-password"
        if users.filter(is_superuser=True).exists():
            if path.exists() and users.filter(username=username).exists():
                self.stdout.write(f"log in as {username!r}; the first password is in {path}")
            return
        password = secrets.token_urlsafe(12)
        user = users.create_user(username, password=password)
        assign_role(user, Role.ADMIN)
        path.write_text(password + "\n")
        path.chmod(0o600)
        self.stdout.write(
            f"created the admin account {username!r} with password {password} (also in {path});\n"
            "add accounts with: .venv/bin/python manage.py createuser NAME --role coder"
        )
