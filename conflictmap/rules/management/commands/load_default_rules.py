"""manage.py load_default_rules: add the built-in event rules and actors that are missing."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from conflictmap.rules.defaults import load_defaults
from conflictmap.rules.models import Actor, ActorAlias, EventRule


class Command(BaseCommand):
    help = "Add the built-in event rules, actors and aliases that are not in the database yet (idempotent)."

    def handle(self, *args, **options) -> None:
        rules, actors, aliases = load_defaults(EventRule, Actor, ActorAlias)
        self.stdout.write(f"Added {rules} event rules, {actors} actors, {aliases} aliases.")
