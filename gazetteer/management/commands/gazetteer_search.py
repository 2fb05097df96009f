"""Print ranked gazetteer candidates for a query."""

import json

from django.core.management.base import BaseCommand, CommandError

from gazetteer.lookup import QueryError, lookup


class Command(BaseCommand):
    help = "Look a place name up in the gazetteer (Arabic or English, typo-tolerant)."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true", help="print one JSON array")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--lang", choices=["ar", "en"])
        parser.add_argument("--within", help="admin P-code to search inside, e.g. SY08")

    def handle(self, *args, query, json=False, limit=10, lang=None, within=None, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        try:
            found = lookup(query, lang=lang, within=within, limit=limit)
        except QueryError as exc:
            raise CommandError(str(exc)) from exc
        rows = [self.row(c) for c in found]
        if json:
            self.stdout.write(_dumps(rows))
            return
        if not rows:
            self.stdout.write("No match.")
        for r in rows:
            self.stdout.write(
                f"{r['score']:.3f}  {r['kind']:<13} {r['name_en']} / {r['name_ar']}  "
                f"({r['lat']:.5f}, {r['lon']:.5f})  {r['admin1_pcode']} {r['admin2_pcode']} "
                f"{r['admin3_pcode']}  #{r['id']}"
            )

    @staticmethod
    def row(candidate):
        p = candidate.place
        return {
            "id": p.id,
            "name_en": p.name_en,
            "name_ar": p.name_ar,
            "kind": p.kind,
            "lat": p.lat,
            "lon": p.lon,
            "admin1_pcode": p.admin1,
            "admin2_pcode": p.admin2,
            "admin3_pcode": p.admin3,
            "score": candidate.score,
        }


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False)
