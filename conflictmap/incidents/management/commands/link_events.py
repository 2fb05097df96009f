"""manage.py link_events [--all]: link live incidents to events (those with none, or every one)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from conflictmap.incidents.models import Event, Incident

BATCH = 500


class Command(BaseCommand):
    help = "Link live incidents with no event (or, with --all, every machine-linked one) to their events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="relink every machine-linked incident too")

    def handle(self, *args: object, **options: object) -> None:
        todo = Incident.objects.live().order_by("date", "id")
        if not options["all"]:
            todo = todo.filter(event__isnull=True)
        ids = list(todo.values_list("pk", flat=True))
        for start in tqdm(range(0, len(ids), BATCH), desc="events", unit="batch", disable=not ids):
            batch = Incident.objects.filter(pk__in=ids[start : start + BATCH]).select_related("place")
            Event.objects.link_each(batch.prefetch_related("place_links").order_by("date", "id"))
        events = Event.objects.live().count()
        self.stdout.write(f"Linked {len(ids)} incident(s); {events} live event(s).")
