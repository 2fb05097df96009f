"""Validation of the incidents API's query parameters: one form for every endpoint."""

from __future__ import annotations

import json
import re
from typing import TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.http import QueryDict

from gazetteer.models import Place

from .changes import DEFAULT_LIMIT as DEFAULT_CHANGES
from .changes import MAX_LIMIT as MAX_CHANGES
from .changes import ChangeQuery, Cursor, Kind
from .models import IncidentQuerySet, MapQuerySet, Review, Synthetic
from .paging import ListCursor

QS = TypeVar("QS", bound=MapQuerySet)
PCODE = re.compile(r"^[A-Z]{2}\d{2}(?:\d{2}){0,2}$")
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
MAX_POLYGON_VERTICES = 500
STEPS = ("day", "week", "month")
EVENT, REPORT = "event", "report"
UNITS = (EVENT, REPORT)
LEVELS = (1, 2, 3)
PRECISIONS = (1, 2, 3)
MIN_ZOOM, MAX_ZOOM = 0, 16  # the grid zooms of /api/incidents/clusters


class ListField(forms.Field):
    """A parameter given several times or comma-separated; cleans to a list of stripped strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: list[str] | str | None) -> list[str]:
        values = [value] if isinstance(value, str) else list(value or [])
        return [part.strip() for raw in values for part in raw.split(",") if part.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError("required")
        if any(len(v) > 100 for v in value):
            raise forms.ValidationError("values must be at most 100 characters")


def one_or_more(values: list[str], allowed: list[str]) -> list[str]:
    """Return the values of a ListField if each is allowed; else refuse, naming the allowed ones."""
    if any(v not in allowed for v in values):
        raise forms.ValidationError(f"must be one or more of {', '.join(allowed)}")
    return values


def parse_area(raw: str) -> GEOSGeometry:
    """Parse a drawn area given as a GeoJSON Polygon/MultiPolygon geometry or as WKT."""
    text = raw.strip()
    try:
        if text.startswith("{"):
            data = json.loads(text)
            if data.get("type") == "Feature":  # a whole Feature is a common slip; take its geometry
                data = data.get("geometry") or {}
            geom = GEOSGeometry(json.dumps(data))
        else:
            geom = GEOSGeometry(text)
    except (ValueError, TypeError, AttributeError, GEOSException) as exc:
        raise forms.ValidationError("must be a GeoJSON Polygon geometry or WKT POLYGON") from exc
    if geom.geom_type not in {"Polygon", "MultiPolygon"}:
        raise forms.ValidationError(f"must be a Polygon, not {geom.geom_type}")
    if geom.num_coords > MAX_POLYGON_VERTICES:
        raise forms.ValidationError(f"has {geom.num_coords} vertices; at most {MAX_POLYGON_VERTICES}")
    west, south, east, north = geom.extent
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise forms.ValidationError("coordinates must be lon,lat in degrees")
    if geom.empty or not geom.valid or geom.area == 0:
        raise forms.ValidationError("is not a valid polygon (self-intersecting, empty or flat)")
    geom.srid = 4326
    return geom


class WhereWhenForm(forms.Form):
    """The map's where and when: region, dates, box and drawn area, which every layer of the map takes."""

    region = forms.CharField(required=False, max_length=8)
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    bbox = forms.CharField(required=False, max_length=200)
    polygon = forms.CharField(required=False, max_length=40_000)

    def clean_region(self) -> str:
        pcode = self.cleaned_data["region"].strip().upper()
        if not pcode:
            return ""
        if not PCODE.match(pcode):
            raise forms.ValidationError("must be a governorate, district or sub-district P-code like SY08")
        if not Place.objects.region(pcode).exists():
            raise forms.ValidationError(f"no admin unit with P-code {pcode}")
        return pcode

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        raw = self.cleaned_data["bbox"].strip()
        if not raw:
            return None
        try:
            west, south, east, north = (float(v) for v in raw.split(","))
        except ValueError as exc:
            raise forms.ValidationError("must be four numbers: west,south,east,north") from exc
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError(
                "must satisfy -180 <= west < east <= 180 and -90 <= south < north <= 90"
            )
        return west, south, east, north

    def clean_polygon(self) -> GEOSGeometry | None:
        raw = self.cleaned_data["polygon"]
        return parse_area(raw) if raw.strip() else None

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "must not be before start")
        return data

    def where_when(self, qs: QS) -> QS:
        """Apply the validated region, dates, box and drawn area to a queryset of rows with a point."""
        data = self.cleaned_data
        if data["region"]:
            qs = qs.in_region(data["region"])
        qs = qs.between(data.get("start"), data.get("end"))
        if data["bbox"]:
            qs = qs.in_bbox(*data["bbox"])
        if data["polygon"]:
            qs = qs.in_area(data["polygon"])
        return qs


class IncidentFilterForm(WhereWhenForm):
    """Every parameter the incidents endpoints accept; each endpoint reads the ones it needs."""

    event_type = ListField(required=False)
    actor = forms.CharField(required=False, max_length=100)
    source = forms.CharField(required=False, max_length=200)
    precision = ListField(required=False)
    q = forms.CharField(required=False, max_length=200)
    synthetic = forms.ChoiceField(required=False, choices=Synthetic.choices)
    review = ListField(required=False)
    # Endpoint-specific: paging and field set of /api/incidents, histogram step, choropleth level.
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    cursor = forms.CharField(required=False, max_length=200)
    order = forms.ChoiceField(required=False, choices=[("desc", "desc"), ("asc", "asc")])
    offset = forms.IntegerField(required=False, min_value=0)  # deprecated by cursor; kept for old clients
    fields = forms.ChoiceField(required=False, choices=[("full", "full"), ("min", "min")])
    step = forms.ChoiceField(required=False, choices=[(s, s) for s in STEPS])
    level = forms.TypedChoiceField(required=False, choices=[(str(n), n) for n in LEVELS], coerce=int)
    zoom = forms.IntegerField(required=False, min_value=MIN_ZOOM, max_value=MAX_ZOOM)
    # Count real-world events (each once, at its lead report) or every report of them.
    unit = forms.ChoiceField(required=False, choices=[(u, u) for u in UNITS])

    def clean_cursor(self) -> ListCursor | None:
        raw = self.cleaned_data["cursor"].strip()
        if not raw:
            return None
        try:
            return ListCursor.decode(raw)
        except ValueError as exc:
            raise forms.ValidationError("is not a cursor this API gave (follow the next link)") from exc

    def paged(self) -> bool:
        """Whether the list was asked for a page (limit, cursor or offset), not for everything."""
        return any(self.cleaned_data.get(name) is not None for name in ("limit", "cursor", "offset"))

    def ascending(self) -> bool:
        """Whether the list goes oldest first: the cursor's order, else the `order` asked for."""
        cursor = self.cleaned_data.get("cursor")
        return cursor.ascending if cursor else self.cleaned_data.get("order") == "asc"

    def clean_precision(self) -> list[int]:
        values = self.cleaned_data["precision"]
        if any(v not in {str(p) for p in PRECISIONS} for v in values):
            raise forms.ValidationError("must be 1, 2 or 3 (repeat or comma-separate for several)")
        return sorted({int(v) for v in values})

    def clean_review(self) -> list[str]:
        return one_or_more(self.cleaned_data["review"], Review.values)

    def clean_synthetic(self) -> str:
        return self.cleaned_data["synthetic"] or Synthetic.INCLUDE

    def filter(self, qs: IncidentQuerySet, unit: str = EVENT) -> IncidentQuerySet:
        """Apply the validated filters to a queryset; `unit` counts events or reports unless the query says."""
        data = self.cleaned_data
        base = qs
        qs = self.where_when(qs)
        if data["event_type"]:
            qs = qs.of_type(*data["event_type"])
        if data["actor"].strip():
            qs = qs.by_actor(data["actor"])
        if data["source"].strip():
            qs = qs.from_source(data["source"].strip())
        if data["precision"]:
            qs = qs.with_precision(*data["precision"])
        if data["review"]:
            qs = qs.in_review(*data["review"])
        matched = qs.synthetic(data["synthetic"]).matching(data["q"])
        return base.leads_of(matched) if (data["unit"] or unit) == EVENT else matched


class ExportForm(IncidentFilterForm):
    """The map's filters, and whether a CSV carries the HXL hashtag row."""

    hxl = forms.BooleanField(required=False)


class ChangesForm(forms.Form):
    """The changes feed's parameters (its page and its API)."""

    since = forms.DateTimeField(
        required=False,
        error_messages={"invalid": "must be an ISO 8601 date or date-time, like 2026-01-01T00:00:00Z"},
    )
    kind = ListField(required=False)
    region = forms.CharField(required=False, max_length=8)
    user = forms.CharField(required=False, max_length=150)
    order = forms.ChoiceField(required=False, choices=[("desc", "desc"), ("asc", "asc")])
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_CHANGES)
    cursor = forms.CharField(required=False, max_length=200)

    clean_region = WhereWhenForm.clean_region

    def clean_kind(self) -> list[str]:
        return one_or_more(self.cleaned_data["kind"], Kind.values)

    def clean_user(self) -> str:
        name = self.cleaned_data["user"].strip()
        if name and not get_user_model().objects.filter(username=name).exists():
            raise forms.ValidationError(f"no user named {name}")
        return name

    def clean_cursor(self) -> Cursor | None:
        raw = self.cleaned_data["cursor"].strip()
        if not raw:
            return None
        try:
            return Cursor.decode(raw)
        except ValueError as exc:
            raise forms.ValidationError("not a cursor of this feed: pass the one `next` gave") from exc

    def query(self) -> ChangeQuery:
        """The validated parameters as the feed's query."""
        data = self.cleaned_data
        return ChangeQuery(
            since=data["since"],
            kinds=tuple(data["kind"]),
            region=data["region"],
            user=data["user"],
            ascending=data["order"] == "asc",
            cursor=data["cursor"],
            limit=data["limit"] or DEFAULT_CHANGES,
        )


def first_error(form: forms.Form) -> tuple[str, str]:
    """Return (parameter, message) of the form's first error, naming a field even for form-wide ones."""
    name, errors = next(iter(form.errors.items()))
    return name, str(errors[0])


def unknown_parameters(query: QueryDict, form: type[forms.Form] = IncidentFilterForm) -> list[str]:
    """Return parameter names the form does not know, sorted."""
    return sorted(set(query) - set(form.base_fields))
