"""Gazetteer models: places (admin units down to neighbourhoods) and their names."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance, Envelope
from django.contrib.gis.geos import MultiPoint, Point
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geoparse import types
from geoparse.normalize import is_arabic, normalize


class PlaceKind(models.TextChoices):
    GOVERNORATE = types.GOVERNORATE, _("governorate")
    DISTRICT = types.DISTRICT, _("district")
    SUBDISTRICT = types.SUBDISTRICT, _("sub-district")
    COMMUNITY = types.COMMUNITY, _("community")
    NEIGHBOURHOOD = types.NEIGHBOURHOOD, _("neighbourhood")
    CAMP = types.CAMP, _("camp")
    FACILITY = types.FACILITY, _("facility")
    AREA = types.AREA, _("area")


# The source of places analysts put on the map themselves.
ANALYST_SOURCE = "analyst"
ADMIN_LEVEL = {PlaceKind.GOVERNORATE: 1, PlaceKind.DISTRICT: 2, PlaceKind.SUBDISTRICT: 3}
SETTLEMENT_KINDS = (PlaceKind.COMMUNITY, PlaceKind.NEIGHBOURHOOD, PlaceKind.CAMP, PlaceKind.FACILITY)


# The level of an admin unit and the length of its P-code: SY08, SY0800, SY080000.
LEVEL_KIND = {level: kind for kind, level in ADMIN_LEVEL.items()}
PCODE_LEVEL = {4: 1, 6: 2, 8: 3}


def region_condition(pcode: str, through: str = "") -> Q:
    """The condition "inside the admin unit with this P-code" on admin codes (of a relation, if `through`)."""
    level = PCODE_LEVEL.get(len(pcode))
    if level is None:
        return Q(pk__in=[])
    return Q(**{f"{through}admin{level}_pcode": pcode})


class AdminCodesQuerySet(models.QuerySet):
    """Filters for any model carrying admin1/2/3 P-code columns (places and incidents)."""

    def in_region(self, pcode: str) -> AdminCodesQuerySet:
        """Rows inside the governorate, district or sub-district with this P-code, by their admin codes."""
        return self.filter(region_condition(pcode))


class PlaceQuerySet(AdminCodesQuerySet):
    def admin_units(self) -> PlaceQuerySet:
        """Governorates, districts and sub-districts."""
        return self.filter(kind__in=list(ADMIN_LEVEL))

    def settlements(self) -> PlaceQuerySet:
        """Communities, neighbourhoods, camps and facilities: things with a point."""
        return self.filter(kind__in=SETTLEMENT_KINDS)

    def regions(self, level: int | None = None) -> PlaceQuerySet:
        """Admin units with a P-code: of one level (1 governorate, 2 district, 3 sub-district) or all."""
        units = self.exclude(pcode="")
        return units.filter(kind=LEVEL_KIND[level]) if level else units.admin_units()

    def region(self, pcode: str) -> PlaceQuerySet:
        """The admin unit with this P-code (empty when no unit has it), its level read from the code."""
        level = PCODE_LEVEL.get(len(pcode))
        return self.regions(level).filter(pcode=pcode) if level else self.none()

    def outlined(self) -> PlaceQuerySet:
        """Places with a polygon."""
        return self.filter(area__isnull=False)

    def with_envelope(self) -> PlaceQuerySet:
        """Annotate `box`, the envelope of the area computed by the database."""
        # Loading full outlines only to take their extent costs ~100 ms for the admin tree.
        return self.annotate(box=Envelope("area"))

    def containing(self, point: Point) -> PlaceQuerySet:
        """Places whose area contains the point."""
        return self.filter(area__isnull=False, area__intersects=point)

    def create_analyst(self, name: str, point: Point, kind: str, user: object, note: str = "") -> Place:
        """Create a place an analyst put on the map, with the admin codes of the units around it."""
        units = {
            p.kind: p for p in self.model.objects.admin_units().containing(point).only("pk", "kind", "pcode")
        }
        if not units:
            raise ValidationError({"point": _("The point is outside every governorate of the gazetteer.")})
        parent = (
            units.get(PlaceKind.SUBDISTRICT)
            or units.get(PlaceKind.DISTRICT)
            or units.get(PlaceKind.GOVERNORATE)
        )
        codes = {f"admin{ADMIN_LEVEL[k]}_pcode": u.pcode for k, u in units.items()}
        arabic = is_arabic(name)
        place = self.create(
            uid=f"analyst:{uuid.uuid4().hex[:12]}", kind=kind, point=point, parent=parent,
            name_en="" if arabic else name, name_ar=name if arabic else "",
            source=ANALYST_SOURCE, note=note, **codes,
        )  # fmt: skip
        PlaceName.objects.create(
            place=place, name=name, lang="ar" if arabic else "en", origin=NameOrigin.ANALYST, added_by=user
        )
        return place

    def near(self, point: Point, km: float) -> PlaceQuerySet:
        """Places within `km` of the point, nearest first, with a `distance` annotation."""
        return (
            self.filter(point__distance_lte=(point, D(km=km)))
            .annotate(distance=Distance("point", point))
            .order_by("distance")
        )


class AdminLocator:
    """The admin P-codes of many points at once: one spatial query per batch of points, and each unit's
    outline read from the database once however many batches follow (an import's chunks)."""

    def __init__(self) -> None:
        self._outlines: dict[int, PreparedGeometry] = {}

    def codes(self, points: Sequence[Point]) -> list[dict[str, str]]:
        """Return admin1/2/3_pcode of the governorate, district and sub-district covering each point
        ("" where no unit of that level does)."""
        if not points:
            return []
        cloud = MultiPoint(list(points), srid=4326)
        units = list(Place.objects.regions().filter(area__intersects=cloud).values_list("pk", "pcode"))
        unread = [pk for pk, _ in units if pk not in self._outlines]
        for pk, area in Place.objects.filter(pk__in=unread).values_list("pk", "area"):
            self._outlines[pk] = area.prepared
        # Each unit under its parent's P-code (SY0800 under SY08), so a point is tested against the
        # governorates, then only the districts of its governorate, then only their sub-districts.
        children: dict[str, list[tuple[str, PreparedGeometry]]] = defaultdict(list)
        for pk, pcode in sorted(units, key=lambda unit: unit[1]):
            children[pcode[:-2] if PCODE_LEVEL.get(len(pcode), 1) > 1 else ""].append(
                (pcode, self._outlines[pk])
            )
        return [self._chain(point, children) for point in points]

    @staticmethod
    def _chain(point: Point, children: dict[str, list[tuple[str, PreparedGeometry]]]) -> dict[str, str]:
        """The P-codes of the units covering the point, level by level down the P-code tree."""
        codes = {f"admin{level}_pcode": "" for level in LEVEL_KIND}
        parent = ""
        for level in sorted(LEVEL_KIND):
            parent = next((pcode for pcode, outline in children.get(parent, ()) if outline.covers(point)), "")
            if not parent:
                break
            codes[f"admin{level}_pcode"] = parent
        return codes


class Place(models.Model):
    """A named place: an admin unit, settlement, neighbourhood, camp, facility or area."""

    uid = models.CharField(
        max_length=64, unique=True, help_text=_("Stable key from the build, e.g. ocha:C4360.")
    )
    kind = models.CharField(max_length=16, choices=PlaceKind.choices, db_index=True)
    name_en = models.CharField(max_length=200)
    name_ar = models.CharField(max_length=200, blank=True)
    pcode = models.CharField(max_length=16, blank=True, db_index=True)
    geonames_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    admin1_pcode = models.CharField(max_length=4, blank=True, db_index=True)
    admin2_pcode = models.CharField(max_length=6, blank=True, db_index=True)
    admin3_pcode = models.CharField(max_length=8, blank=True, db_index=True)
    point = models.PointField(srid=4326)
    area = models.MultiPolygonField(srid=4326, null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    importance = models.FloatField(default=0.0, help_text=_("0–1; breaks ties between names."))
    source = models.CharField(max_length=16, db_index=True)
    source_ref = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    checksum = models.CharField(
        max_length=32, blank=True, editable=False, help_text=_("Hash of the build record.")
    )

    objects = PlaceQuerySet.as_manager()
    # The audit trail of edits (the loader's bulk writes are recorded as a GazetteerVersion instead).
    history = HistoricalRecords(excluded_fields=["area"])

    class Meta:
        ordering = ["kind", "name_en"]
        indexes = [models.Index(fields=["kind", "admin1_pcode"])]

    def __str__(self) -> str:
        return (
            f"{self.name_en} / {self.name_ar} ({self.get_kind_display()})" if self.name_ar else self.name_en
        )

    def to_dict(self) -> dict[str, object]:
        """Serialize the place as the incident API names it."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "pcode": self.pcode,
            "lat": round(self.point.y, 5),
            "lon": round(self.point.x, 5),
        }

    @property
    def admin_level(self) -> int | None:
        return ADMIN_LEVEL.get(self.kind)

    def admin_chain(self) -> list[Place]:
        """Return the governorate, district and sub-district above (or equal to) this place."""
        codes = [self.admin1_pcode, self.admin2_pcode, self.admin3_pcode]
        units = {p.pcode: p for p in Place.objects.admin_units().filter(pcode__in=[c for c in codes if c])}
        return [units[c] for c in codes if c in units]


class NameOrigin(models.TextChoices):
    OFFICIAL = "official", _("official")
    ALIAS = "alias", _("alias")
    CURATED = "curated", _("curated")
    ANALYST = "analyst", _("analyst")


class PlaceName(models.Model):
    """One name of a place, in one language, with its matching key."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    lang = models.CharField(max_length=8, blank=True, help_text=_("ar, en, or empty if unknown."))
    normalized = models.CharField(max_length=200, db_index=True, editable=False)
    origin = models.CharField(max_length=16, choices=NameOrigin.choices, default=NameOrigin.ANALYST)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["place", "lang", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name", "lang"], name="unique_place_name_lang")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize(self.name)
        super().save(*args, **kwargs)


class GazetteerVersion(models.Model):
    """Which build artefact is loaded, so `make run` can skip an unchanged load."""

    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
    places = models.PositiveIntegerField(default=0)
    names = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.places} places)"
