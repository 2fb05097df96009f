"""manage.py ingest_feed URL_OR_PATH...: ingest the items of RSS or Atom feeds (a local file works offline)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from conflictmap.articles.management.commands.ingest import Summary, ingest_records
from conflictmap.articles.readers import MAX_FEED_BYTES, read_feed


def fetch(location: str) -> bytes:
    """Read a feed from an http(s) URL or a local path."""
    if location.startswith(("http://", "https://")):
        request = urllib.request.Request(location, headers={"User-Agent": "conflictmap-ingest/1"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read(MAX_FEED_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot fetch {location}: {exc}") from exc
    path = Path(location.removeprefix("file://"))
    if not path.is_file():
        raise CommandError(f"no such file: {location}")
    return path.read_bytes()


class Command(BaseCommand):
    help = "Ingest the items of RSS/Atom feeds given as URLs or local files; prints a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("feeds", nargs="+")
        parser.add_argument("--source", default="", help="Source name when the feed has no title.")
        parser.add_argument("--now", action="store_true", help="Geocode in this process instead of queueing.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, feeds: list[str], source: str, now: bool, quiet: bool, **options) -> None:
        summary = Summary()
        for location in feeds:
            name = Path(location).name or location
            records = tqdm(
                read_feed(fetch(location), name),
                desc=name,
                unit=" items",
                disable=quiet,
                file=self.stderr._out,
            )
            ingest_records(records, summary, source=source, now=now)
        for line in summary.lines():
            self.stdout.write(line)
