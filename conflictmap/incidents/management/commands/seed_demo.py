"""Fill the database with N synthetic incidents over real gazetteer places, for testing the map at scale.

    python manage.py seed_demo --incidents 50000 [--seed 7] [--clear]

Every incident hangs off its own Article with source "synthetic demo" and `synthetic=True`, and the
article gets a Mention of the place so the side panel can highlight it. The same --seed on the same
gazetteer gives the same incidents.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
import sys
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm

from conflictmap.articles.models import Article, Status
from conflictmap.incidents.aggregates import X, Y
from conflictmap.incidents.models import Incident, Mention
from gazetteer.models import Place
from geoparse import events as ev

SOURCE = "synthetic demo"
BATCH = 2000
SPAN = (datetime.date(2019, 1, 1), datetime.date(2025, 12, 31))

# Share of incidents per governorate: the north-west, the north-east and the south-west dominate.
GOVERNORATE_WEIGHT = {
    "SY07": 18,  # Idlib
    "SY02": 16,  # Aleppo
    "SY09": 16,  # Deir ez-Zor
    "SY08": 10,  # Hasakah
    "SY11": 9,  # Raqqa
    "SY12": 9,  # Daraa
    "SY04": 6,  # Homs
    "SY05": 6,  # Hama
    "SY03": 4,  # Rural Damascus
    "SY13": 2,  # Sweida
    "SY06": 2,  # Lattakia
    "SY01": 1,  # Damascus
    "SY14": 1,  # Quneitra
    "SY10": 0.5,  # Tartous
}
# Who fights whom where (actor pairs as the geoparser names them).
ACTOR_PAIRS = {
    "SY07": [
        ("Regime forces", "HTS"),
        ("Russia", "HTS"),
        ("HTS", "Civilians"),
        ("Regime forces", "Civilians"),
    ],
    "SY02": [("SNA", "SDF"), ("Turkey", "SDF"), ("Regime forces", "HTS"), ("SNA", "Civilians")],
    "SY09": [("ISIS", "SDF"), ("International Coalition", "ISIS"), ("Iran-backed militias", "SDF")],
    "SY08": [("ISIS", "SDF"), ("Turkey", "SDF"), ("International Coalition", "ISIS"), ("SDF", "Civilians")],
    "SY11": [("ISIS", "SDF"), ("Turkey", "SDF"), ("SNA", "SDF")],
    "SY12": [("Regime forces", "Civilians"), ("Regime forces",), ("Iran-backed militias", "Civilians")],
    "SY04": [("ISIS", "Regime forces"), ("Russia", "ISIS"), ("Regime forces", "Civilians")],
    "SY05": [("Regime forces", "HTS"), ("Russia", "HTS"), ("ISIS", "Regime forces")],
}
DEFAULT_PAIRS = [("Regime forces", "Civilians"), ("Regime forces",), ("Civilians",)]
# Event mix per governorate: (event type, weight). Sweida and Daraa protest; Idlib is shelled.
EVENT_MIX = {
    "SY07": [(ev.EXPLOSIONS, 5), (ev.BATTLES, 3), (ev.VIOLENCE_AGAINST_CIVILIANS, 1), (ev.PROTESTS, 1)],
    "SY12": [(ev.VIOLENCE_AGAINST_CIVILIANS, 4), (ev.BATTLES, 2), (ev.PROTESTS, 2), (ev.STRATEGIC, 1)],
    "SY13": [(ev.PROTESTS, 6), (ev.VIOLENCE_AGAINST_CIVILIANS, 2), (ev.STRATEGIC, 1)],
}
DEFAULT_MIX = [(ev.BATTLES, 4), (ev.EXPLOSIONS, 3), (ev.VIOLENCE_AGAINST_CIVILIANS, 2), (ev.STRATEGIC, 2)]
# Peaks of activity (centre, spread in days) layered on a flat background.
WAVES = {
    "SY07": [(datetime.date(2019, 12, 15), 60), (datetime.date(2024, 11, 30), 20)],
    "SY02": [(datetime.date(2019, 10, 15), 30), (datetime.date(2024, 12, 5), 25)],
    "SY09": [(datetime.date(2023, 8, 30), 20), (datetime.date(2021, 6, 1), 90)],
    "SY08": [(datetime.date(2022, 1, 25), 10), (datetime.date(2024, 7, 15), 45)],
    "SY12": [(datetime.date(2021, 8, 1), 40), (datetime.date(2022, 9, 1), 60)],
    "SY13": [(datetime.date(2023, 9, 1), 45)],
}
ACTOR_AR = {actor.name: actor.name_ar for actor in ev.default_rules().actors}
WAVE_SHARE = 0.35
PRECISION_WEIGHTS = [(1, 70), (2, 20), (3, 10)]
DATE_PRECISION_WEIGHTS = [("day", 85), ("week", 10), ("month", 5)]
EVENT_WORDS = {
    ev.BATTLES: ("clashes", "اشتباكات"),
    ev.EXPLOSIONS: ("shelling", "قصف"),
    ev.VIOLENCE_AGAINST_CIVILIANS: ("an attack on civilians", "اعتداء على مدنيين"),
    ev.STRATEGIC: ("a raid and arrests", "مداهمة واعتقالات"),
    ev.PROTESTS: ("a protest", "احتجاج"),
}


@dataclass(frozen=True, slots=True)
class Site:
    """A gazetteer place an incident can happen at."""

    place_id: int | None
    name_en: str
    name_ar: str
    lon: float
    lat: float
    admin1: str
    admin2: str
    admin3: str


def weighted(rng: random.Random, pairs: list[tuple]) -> object:
    """Pick the first element of one (value, weight) pair."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class Picker:
    """Weighted choice over a fixed list, with cumulative weights computed once."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(accumulate(weights))

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def load_sites() -> tuple[dict[str, Picker], dict[str, Site]]:
    """Return settlement pickers per governorate (weighted by importance) and admin units by P-code."""
    rows = (
        Place.objects.settlements()
        .exclude(admin1_pcode="")
        .annotate(lon=X(F("point")), lat=Y(F("point")))
        .order_by("uid")
        .values_list("id", "name_en", "name_ar", "lon", "lat", "admin1_pcode", "admin2_pcode", "admin3_pcode",
                     "importance")
    )  # fmt: skip
    by_gov: dict[str, tuple[list[Site], list[float]]] = {}
    for pid, en, ar, lon, lat, a1, a2, a3, importance in rows:
        sites, weights = by_gov.setdefault(a1, ([], []))
        sites.append(Site(pid, en, ar, lon, lat, a1, a2, a3))
        weights.append(0.05 + (importance or 0) ** 2)  # big towns report far more incidents
    units = (
        Place.objects.admin_units()
        .exclude(pcode="")
        .annotate(lon=X(F("point")), lat=Y(F("point")))
        .values_list("id", "name_en", "name_ar", "lon", "lat", "admin1_pcode", "admin2_pcode", "admin3_pcode",
                     "pcode", "kind")
    )  # fmt: skip
    admin = {}
    for pid, en, ar, lon, lat, a1, _a2, _a3, pcode, kind in units:
        if kind == "governorate":
            admin[pcode] = Site(pid, en, ar, lon, lat, pcode, "", "")
        elif kind == "district":
            admin[pcode] = Site(pid, en, ar, lon, lat, a1 or pcode[:4], pcode, "")
    pickers = {gov: Picker(*by_gov[gov]) for gov in sorted(by_gov)}
    return pickers, admin


class Generator:
    """Draws synthetic incidents from one seeded random stream."""

    def __init__(self, seed: int, pickers: dict[str, Picker], admin: dict[str, Site]) -> None:
        self.rng = random.Random(seed)
        self.pickers = pickers
        self.admin = admin
        govs = [g for g in GOVERNORATE_WEIGHT if g in pickers]
        if not govs:
            raise CommandError("no settlements with governorate P-codes: load the gazetteer first")
        self.governorates = Picker(govs, [GOVERNORATE_WEIGHT[g] for g in govs])
        self.span_days = (SPAN[1] - SPAN[0]).days

    def date(self, gov: str) -> datetime.date:
        rng = self.rng
        waves = WAVES.get(gov)
        if waves and rng.random() < WAVE_SHARE:
            centre, spread = rng.choice(waves)
            day = centre + datetime.timedelta(days=round(rng.gauss(0, spread)))
            return min(max(day, SPAN[0]), SPAN[1])
        return SPAN[0] + datetime.timedelta(days=rng.randrange(self.span_days + 1))

    def site(self, gov: str, precision: int) -> tuple[Site, float, float]:
        """Return where it happened and the point to plot, by geo-precision."""
        rng = self.rng
        site = self.pickers[gov].pick(rng)
        if precision == 1:
            return site, site.lon, site.lat
        if precision == 2:  # "near" a town: a few km off
            distance, bearing = rng.uniform(2, 8) / 111.0, rng.uniform(0, 2 * math.pi)
            lon = site.lon + distance * math.cos(bearing) / math.cos(math.radians(site.lat))
            return site, lon, site.lat + distance * math.sin(bearing)
        unit = self.admin.get(site.admin2) or self.admin.get(gov) or site
        return unit, unit.lon, unit.lat

    def one(self, index: int, salt: str) -> tuple[Article, Incident, Mention | None]:
        rng = self.rng
        gov = self.governorates.pick(rng)
        precision = weighted(rng, PRECISION_WEIGHTS)
        site, lon, lat = self.site(gov, precision)
        day = self.date(gov)
        event_type = weighted(rng, EVENT_MIX.get(gov, DEFAULT_MIX))
        actors = list(rng.choice(ACTOR_PAIRS.get(gov, DEFAULT_PAIRS)))
        fatalities = rng.choice((0, 0, 0, 1, 1, 2, 3, 5)) if event_type != ev.PROTESTS else 0
        arabic = rng.random() < 0.6
        words_en, words_ar = EVENT_WORDS[event_type]
        name = site.name_ar if arabic and site.name_ar else site.name_en
        if arabic:
            title = f"{words_ar} في {name}"
            lead = f"أفادت مصادر محلية بوقوع {words_ar} في "
            names_ar = [ACTOR_AR.get(a, a) for a in actors]
            tail = f" بين {' و'.join(names_ar)}. هذا خبر اصطناعي لاختبار الخريطة."
        else:
            title = f"{words_en.capitalize()} in {name}"
            lead = f"Local sources reported {words_en} in "
            tail = f" involving {' and '.join(actors)}. This is a synthetic item for testing the map."
        body = f"{lead}{name}{tail}"
        key = f"{salt}:{index}"
        article = Article(
            source=SOURCE,
            title=title,
            body=body,
            lang="ar" if arabic else "en",
            published=day + datetime.timedelta(days=rng.choice((0, 0, 1, 2))),
            content_hash=hashlib.sha256(key.encode()).hexdigest(),
            status=Status.DONE,
            geocoded_at=timezone.now(),
            synthetic=True,
        )
        incident = Incident(
            rank=0,
            date=day,
            date_precision=weighted(rng, DATE_PRECISION_WEIGHTS),
            point=Point(round(lon, 6), round(lat, 6), srid=4326),
            place_id=site.place_id,
            label_en=site.name_en,
            label_ar=site.name_ar,
            admin1_pcode=site.admin1,
            admin2_pcode=site.admin2,
            admin3_pcode=site.admin3,
            geo_precision=precision,
            event_type=event_type,
            actors=actors,
            fatalities=fatalities,
            summary=f"Synthetic: {words_en} in {site.name_en} ({', '.join(actors)})",
            confidence=round(rng.uniform(0.5, 0.95), 2),
        )
        mention = Mention(
            start=len(lead),
            end=len(lead) + len(name),
            text=name,
            place_id=site.place_id,
            role="incident",
            score=incident.confidence,
        )
        return article, incident, mention


def clear_synthetic() -> int:
    """Delete every synthetic article with its incidents and mentions; return how many articles."""
    articles = Article.objects.filter(synthetic=True)
    with transaction.atomic():
        Mention.objects.filter(article__in=articles).delete()
        Incident.objects.filter(article__in=articles).delete()
        return articles._raw_delete(articles.db)  # children are gone: skip the collector's 50k-row walk


class Command(BaseCommand):
    help = "Fill the database with N synthetic incidents (source 'synthetic demo') for testing at scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incidents", type=int, required=True, help="how many incidents to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same incidents)")
        parser.add_argument("--clear", action="store_true", help="delete earlier synthetic data first")

    def handle(self, *args, incidents: int, seed: int, clear: bool, **options) -> None:
        if incidents < 0:
            raise CommandError("--incidents must be 0 or more")
        if clear:
            removed = clear_synthetic()
            self.stdout.write(f"removed {removed} synthetic articles")
        pickers, admin = load_sites()
        generator = Generator(seed, pickers, admin)
        # Content hashes must stay unique when seeding again without --clear.
        salt = f"synthetic-demo:{seed}:{Article.objects.filter(synthetic=True).count()}"
        show = options.get("verbosity", 1) > 0
        with tqdm(total=incidents, unit="incident", disable=not show, file=sys.stderr) as bar:
            for start in range(0, incidents, BATCH):
                size = min(BATCH, incidents - start)
                self.write_batch([generator.one(start + i, salt) for i in range(size)])
                bar.update(size)
        self.stdout.write(f"added {incidents} synthetic incidents (seed {seed})")

    @staticmethod
    def write_batch(drafts: list[tuple[Article, Incident, Mention | None]]) -> None:
        with transaction.atomic():
            Article.objects.bulk_create([a for a, _, _ in drafts], batch_size=BATCH)
            for article, incident, mention in drafts:
                incident.article_id = article.pk
                if mention:
                    mention.article_id = article.pk
            Incident.objects.bulk_create([i for _, i, _ in drafts], batch_size=BATCH)
            Mention.objects.bulk_create([m for _, _, m in drafts if m], batch_size=BATCH)
