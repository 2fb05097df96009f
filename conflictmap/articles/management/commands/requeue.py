"""manage.py requeue --status failed: put articles back on the geocoding queue."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from conflictmap.articles.models import Article, Status
from conflictmap.articles.queue import requeue


class Command(BaseCommand):
    help = "Re-queue articles by status (failed ones by default), or only the stale ones with --stale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--status",
            action="append",
            choices=[Status.FAILED, Status.PENDING, Status.PROCESSING],
            help="Status to re-queue; repeatable. Default: failed.",
        )
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only articles pending or processing for too long (what the sweep does).",
        )

    def handle(self, *args, status: list[str] | None, stale: bool, **options) -> None:
        if stale:
            ids = Article.objects.stale()
        else:
            ids = list(
                Article.objects.filter(status__in=status or [Status.FAILED]).values_list("pk", flat=True)
            )
        # A fresh start: the earlier attempts and error belong to the run that failed.
        Article.objects.filter(pk__in=ids).update(attempts=0, error="")
        queued = requeue(ids)
        self.stdout.write(f"re-queued {queued} of {len(ids)} article(s)")
        if queued < len(ids):
            self.stderr.write("the broker refused some; they stay pending and the sweep will retry them")
