"""Build gazetteer/data/places.jsonl.gz from the public source files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gazetteer.build import DEFAULT_CURATED, BuildError, build

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Merge OCHA, WOF, GeoNames, OpenSyria and curated rows into the gazetteer artefact."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--src", required=True, type=Path, help="source folder (../shared/gazetteer-src)")
        parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (gazetteer/data)")
        parser.add_argument("--curated", type=Path, default=DEFAULT_CURATED, help="curated places CSV")

    def handle(self, *args: object, **options: object) -> None:
        """Run the build and print a summary."""
        try:
            summary = build(options["src"], options["out"], options["curated"])
        except BuildError as exc:
            raise CommandError(f"malformed source: {exc}") from exc
        out = self.stdout
        out.write(
            f"wrote {summary.path} ({summary.size_bytes / 1e6:.2f} MB, {summary.places} places) "
            f"in {summary.seconds:.1f} s"
        )
        out.write("per kind: " + ", ".join(f"{k} {n}" for k, n in summary.per_kind.items()))
        out.write(f"with an Arabic name: {summary.with_arabic}")
        out.write("neighbourhoods: " + ", ".join(f"{c} {n}" for c, n in summary.city_neighbourhoods.items()))
        for line in summary.checks:
            out.write(line)
        if summary.sources_missing:
            out.write(self.style.WARNING("missing sources (skipped): " + ", ".join(summary.sources_missing)))
