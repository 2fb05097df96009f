"""manage.py ingest FILE...: store articles from JSONL, CSV or plain-text files and queue their geocoding."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from conflictmap.articles.forms import ArticleForm
from conflictmap.articles.queue import geocode_now
from conflictmap.articles.readers import Record, read_records


@dataclass
class Summary:
    created: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    failed_geocoding: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"created {len(self.created)}, duplicates {len(self.duplicates)}, rejected {len(self.rejected)}"
        ]
        out += [f"  rejected {where}: {reason}" for where, reason in self.rejected]
        if self.failed_geocoding:
            out.append(f"geocoding failed for article(s) {', '.join(map(str, self.failed_geocoding))}")
        return out


def form_reason(form: ArticleForm) -> str:
    return "; ".join(f"{name}: {' '.join(str(e) for e in errs)}" for name, errs in form.errors.items())


def ingest_records(
    records: Iterable[Record], summary: Summary, *, source: str = "", now: bool = False
) -> None:
    """Validate and store each record; with `now`, geocode in this process instead of queueing."""
    for record in records:
        if record.error:
            summary.rejected.append((record.where, record.error))
            continue
        data = dict(record.data)
        if source and not data.get("source"):
            data["source"] = source
        form = ArticleForm(data)
        if not form.is_valid():
            summary.rejected.append((record.where, form_reason(form)))
            continue
        outcome = form.save(queue=not now)
        if not outcome.created:
            summary.duplicates.append(outcome.article.pk)
            continue
        summary.created.append(outcome.article.pk)
        if now and geocode_now(outcome.article.pk, worker="ingest --now") != "done":
            summary.failed_geocoding.append(outcome.article.pk)


class Command(BaseCommand):
    help = (
        "Ingest articles from JSONL, CSV or plain-text files; prints a summary of what was rejected and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--source", default="", help="Source name for records that have none.")
        parser.add_argument(
            "--now",
            action="store_true",
            help="Geocode in this process instead of queueing (no worker needed).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, files: list[Path], source: str, now: bool, quiet: bool, **options) -> None:
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        summary = Summary()
        for path in files:
            records = tqdm(
                read_records(path), desc=path.name, unit=" articles", disable=quiet, file=self.stderr._out
            )
            ingest_records(records, summary, source=source, now=now)
        for line in summary.lines():
            self.stdout.write(line)
