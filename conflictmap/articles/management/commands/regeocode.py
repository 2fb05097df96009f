"""manage.py regeocode [--since DATE]: geocode articles again, e.g. after the gazetteer changed."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from tqdm import tqdm

from conflictmap.articles.models import Article, Status
from conflictmap.articles.queue import geocode_now, requeue


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since {value!r} is not a YYYY-MM-DD date") from exc


class Command(BaseCommand):
    help = "Re-run geocoding for done and failed articles (all, or published/ingested since a date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", type=parse_date, help="Only articles published (or ingested) on or after."
        )
        parser.add_argument(
            "--name",
            action="append",
            default=[],
            help="Only articles whose text contains this name (a new alias); repeatable.",
        )
        parser.add_argument("--now", action="store_true", help="Geocode in this process instead of queueing.")

    def handle(self, *args, since: datetime.date | None, name: list[str], now: bool, **options) -> None:
        qs = Article.objects.filter(status__in=[Status.DONE, Status.FAILED])
        if since:
            qs = qs.filter(Q(published__gte=since) | Q(published__isnull=True, ingested_at__date__gte=since))
        if name:
            contains = Q()
            for text in name:
                contains |= Q(body__icontains=text)
            qs = qs.filter(contains)
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        Article.objects.filter(pk__in=ids).update(attempts=0, error="")
        if not now:
            queued = requeue(ids)
            self.stdout.write(f"re-queued {queued} of {len(ids)} article(s)")
            return
        Article.objects.filter(pk__in=ids).update(status=Status.PENDING)
        results = [geocode_now(pk, worker="regeocode --now") for pk in tqdm(ids, file=self.stderr._out)]
        self.stdout.write(f"geocoded {results.count(Status.DONE)} of {len(ids)} article(s)")
