"""Validation of the incidents API's query parameters."""

from __future__ import annotations

import re

from django import forms

from gazetteer.models import Place

from .models import IncidentQuerySet

PCODE = re.compile(r"^[A-Z]{2}\d{2}(?:\d{2}){0,2}$")
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000


class IncidentFilterForm(forms.Form):
    region = forms.CharField(required=False, max_length=8)
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    bbox = forms.CharField(required=False, max_length=200)
    event_type = forms.CharField(required=False, max_length=500)
    q = forms.CharField(required=False, max_length=200)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    offset = forms.IntegerField(required=False, min_value=0)

    def clean_region(self) -> str:
        pcode = self.cleaned_data["region"].strip().upper()
        if not pcode:
            return ""
        if not PCODE.match(pcode):
            raise forms.ValidationError("must be a governorate, district or sub-district P-code like SY08")
        if not Place.objects.admin_units().filter(pcode=pcode).exists():
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

    def clean_event_type(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["event_type"].split(",") if t.strip()]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "must not be before start")
        return data

    def filter(self, qs: IncidentQuerySet) -> IncidentQuerySet:
        """Apply the validated filters to a queryset."""
        data = self.cleaned_data
        if data["region"]:
            qs = qs.in_region(data["region"])
        qs = qs.between(data.get("start"), data.get("end"))
        if data["bbox"]:
            qs = qs.in_bbox(*data["bbox"])
        if data["event_type"]:
            qs = qs.of_type(*data["event_type"])
        return qs.matching(data["q"])
