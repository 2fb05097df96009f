"""manage.py import_acled FILE.csv: load ACLED's own CSV as the read-only ACLED layer (upserted by its ids)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from conflictmap.acled.models import CHECKING, AcledEvent, BadRows
from conflictmap.acled.parse import BadFile


class Bars:
    """tqdm bars on stderr, one per phase of the import (checking the file, writing its rows)."""

    def __init__(self, stream, quiet: bool) -> None:
        self.stream, self.quiet = stream, quiet
        self.bars: dict[str, tqdm] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        bar = self.bars.get(phase)
        if bar is None:
            total = None if phase == CHECKING else total
            bar = self.bars[phase] = tqdm(
                desc=phase, total=total, unit=" rows", disable=self.quiet, file=self.stream
            )
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = (
        "Import ACLED's CSV export as the ACLED layer: rows keep ACLED's ids, and importing again updates "
        "them. A file with a bad row imports nothing unless --skip-bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument("--skip-bad", action="store_true", help="Import the good rows, list the bad.")
        parser.add_argument("--quiet", action="store_true", help="No progress bars.")

    def handle(self, *args, file: Path, dry_run: bool, skip_bad: bool, quiet: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        bars = Bars(self.stderr._out, quiet)
        try:
            summary = AcledEvent.objects.import_file(file, skip_bad=skip_bad, dry_run=dry_run, progress=bars)
        except BadFile as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except BadRows as exc:
            raise CommandError("\n".join([str(exc), *(f"  {row}" for row in exc.bad)])) from exc
        finally:
            bars.close()
        self.stdout.write(summary.line())
        for row in summary.bad:
            self.stdout.write(f"  skipped {row}")
