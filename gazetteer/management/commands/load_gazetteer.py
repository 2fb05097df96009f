"""Load the committed gazetteer artefact (idempotent; keeps analysts' additions)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gazetteer.load import LoadError, load_gazetteer


class Command(BaseCommand):
    help = "Load gazetteer/data/places.jsonl.gz into the database, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, help="artefact to load (default: the committed one)")
        parser.add_argument("--if-changed", action="store_true", help="skip when this artefact is loaded")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, path=None, if_changed=False, no_progress=False, **options):
        started = time.monotonic()
        try:
            stats = load_gazetteer(path, progress=not no_progress, if_changed=if_changed)
        except LoadError as exc:
            raise CommandError(f"{exc} (the previous gazetteer is unchanged)") from exc
        took = time.monotonic() - started
        if stats.skipped:
            self.stdout.write(f"Gazetteer {stats.sha256[:12]} already loaded ({stats.places} places).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Gazetteer {stats.sha256[:12]}: {stats.places} places ({stats.created} created, "
                f"{stats.updated} updated, {stats.deleted} removed), {stats.names} names in {took:.1f} s."
            )
        )
