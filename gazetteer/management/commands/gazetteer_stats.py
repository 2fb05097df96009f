"""Print gazetteer counts per kind, per governorate and per name language."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from gazetteer.models import Place, PlaceKind, PlaceName

CITIES = {"SY08": "Al-Hasakeh", "SY11": "Ar-Raqqa", "SY09": "Deir-ez-Zor"}


class Command(BaseCommand):
    help = "Summarise what the gazetteer holds."

    def handle(self, *args, **options):
        self.table(
            "Places per kind", Place.objects.values_list("kind").annotate(n=Count("id")).order_by("kind")
        )
        with_ar = Place.objects.exclude(name_ar="").count()
        self.stdout.write(f"\nPlaces with an Arabic name: {with_ar} of {Place.objects.count()}")
        names = PlaceName.objects.values_list("lang").annotate(n=Count("id")).order_by("lang")
        self.table("Names per language", [(lang or "unknown", n) for lang, n in names])
        self.table(
            "Names per origin",
            PlaceName.objects.values_list("origin").annotate(n=Count("id")).order_by("origin"),
        )
        self.table("Places per governorate", self.per_governorate())
        self.table("Neighbourhoods per city", self.neighbourhoods())

    def per_governorate(self):
        govs = dict(Place.objects.filter(kind=PlaceKind.GOVERNORATE).values_list("pcode", "name_en"))
        rows = Place.objects.exclude(admin1_pcode="").values_list("admin1_pcode").annotate(n=Count("id"))
        return [(f"{code} {govs.get(code, '?')}", n) for code, n in rows.order_by("admin1_pcode")]

    def neighbourhoods(self):
        rows = []
        for city in (
            Place.objects.filter(kind=PlaceKind.COMMUNITY)
            .annotate(n=Count("children", filter=Q(children__kind=PlaceKind.NEIGHBOURHOOD)))
            .filter(n__gt=0)
            .order_by("-n")
        ):
            rows.append((f"{city.name_en} / {city.name_ar} ({city.admin1_pcode})", city.n))
        return rows

    def table(self, title, rows):
        self.stdout.write(f"\n{title}")
        for label, n in rows:
            self.stdout.write(f"  {label:<48} {n:>7}")
