"""manage.py regeocode [--since DATE] [--now | --dry-run]: geocode articles again, e.g. after the gazetteer changed.

It lives in the incidents app, not the articles one, because --now and --dry-run report what a re-run
does to the incidents (created, updated, archived, reviewed ones left alone).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from tqdm import tqdm

from conflictmap.articles.models import Article, Status
from conflictmap.articles.queue import requeue
from conflictmap.incidents.geocoding import geocode, parse_article, plan_update
from conflictmap.incidents.geoparser import default_geoparser
from conflictmap.incidents.rerun import Plan, summarize


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since {value!r} is not a YYYY-MM-DD date") from exc


def selected(since: datetime.date | None, names: list[str]) -> list[int]:
    """Ids of the done and failed articles published (or ingested) since the date and naming any name."""
    qs = Article.objects.filter(status__in=[Status.DONE, Status.FAILED])
    if since:
        qs = qs.filter(Q(published__gte=since) | Q(published__isnull=True, ingested_at__date__gte=since))
    if names:
        contains = Q()
        for text in names:
            contains |= Q(body__icontains=text)
        qs = qs.filter(contains)
    return list(qs.order_by("pk").values_list("pk", flat=True))


class Command(BaseCommand):
    help = (
        "Re-run geocoding for done and failed articles (all, or published/ingested since a date). "
        "Reviewed incidents are never changed; machine ones are updated in place or archived."
    )

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
        parser.add_argument(
            "--now", action="store_true", help="Geocode in this process instead of queueing; report changes."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Run the pipeline here and report what would change, writing nothing.",
        )

    def handle(
        self, *args, since: datetime.date | None, name: list[str], now: bool, dry_run: bool, **options
    ) -> None:
        ids = selected(since, name)
        if dry_run:
            self.dry_run(ids)
            return
        Article.objects.filter(pk__in=ids).update(attempts=0, error="")
        if not now:
            queued = requeue(ids)
            self.stdout.write(f"re-queued {queued} of {len(ids)} article(s)")
            return
        Article.objects.filter(pk__in=ids).update(status=Status.PENDING)
        total: Counter[str] = Counter()
        done = 0
        for pk in tqdm(ids, file=self.stderr._out):
            outcome = geocode(pk, worker="regeocode --now")
            done += outcome.status == Status.DONE
            if outcome.plan is None:
                self.stdout.write(f"article {pk}: {outcome.status}")
            else:
                self.report(outcome.plan, total)
        self.stdout.write(f"total: {summarize(total)}")
        self.stdout.write(f"geocoded {done} of {len(ids)} article(s)")

    def dry_run(self, ids: list[int]) -> None:
        """Plan each article's re-run and print it; nothing is written, not even the articles' status."""
        self.stdout.write("dry run: nothing is written")
        parse = default_geoparser().parse
        total: Counter[str] = Counter()
        for article in tqdm(Article.objects.filter(pk__in=ids).order_by("pk"), file=self.stderr._out):
            try:
                plan = plan_update(article, parse_article(article, parse))
            except Exception as exc:  # one bad article should not hide the report on the others
                self.stdout.write(f"article {article.pk}: would fail: {type(exc).__name__}: {exc}")
                continue
            self.report(plan, total)
        self.stdout.write(f"total (dry run, {len(ids)} article(s)): {summarize(total)}")

    def report(self, plan: Plan, total: Counter[str]) -> None:
        for line in plan.describe():
            self.stdout.write(line)
        total.update(plan.counts())
