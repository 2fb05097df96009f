"""manage.py createuser NAME --role coder: make or update an account with exactly one role."""

from __future__ import annotations

import secrets
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db import transaction

from conflictmap.accounts.roles import Role, assign_role


class Command(BaseCommand):
    help = (
        "Create a user (or update an existing one) with a role. The password is read from stdin with "
        "--password-stdin; otherwise a new user gets a generated one, printed once."
    )
    stealth_options = ("stdin",)  # tests hand the password in through call_command(stdin=...)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the username")
        parser.add_argument("--role", required=True, choices=Role.values, help="the user's one role")
        parser.add_argument("--email", default=None, help="the e-mail address")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    @no_translations  # the validators' messages in English, whatever language a previous request left active
    def handle(self, *args: Any, name: str, role: str, email: str | None, **options: Any) -> None:
        model = get_user_model()
        try:
            model.username_validator(name)
        except ValidationError as exc:
            raise CommandError(f"bad username {name!r}: {' '.join(exc.messages)}") from exc
        user = model.objects.filter(username=name).first() or model(username=name)
        password = read_password(options.get("stdin") or sys.stdin) if options["password_stdin"] else ""
        generated = not password and user.pk is None
        if generated:
            password = secrets.token_urlsafe(15)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(f"password refused: {' '.join(exc.messages)}") from exc
            user.set_password(password)
        created = user.pk is None
        if email is not None:
            user.email = email
        with transaction.atomic():
            user.save()
            assign_role(user, role)
        self.stdout.write(f"{'created' if created else 'updated'} {name} ({role})")
        if generated:
            self.stdout.write(f"password: {password}")


def read_password(stream: Any) -> str:
    """Read the password from the stream's first line; refuse an empty one."""
    password = stream.readline().rstrip("\r\n")
    if not password:
        raise CommandError("empty password on stdin")
    return password
