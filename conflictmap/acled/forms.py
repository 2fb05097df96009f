"""The ACLED endpoints' parameters: the map's where and when for the layer, all the map's filters to compare."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from conflictmap.incidents.exports import acled_type
from conflictmap.incidents.forms import IncidentFilterForm, WhereWhenForm

from .compare import LEVEL_NAMES
from .models import AcledEventQuerySet


class AcledFilterForm(WhereWhenForm):
    """region, start, end, bbox and polygon, validated as the incidents endpoints validate them."""


class CompareForm(IncidentFilterForm):
    """Every filter of the map (ours take them all, ACLED's the ones ACLED codes too), a level and a format."""

    level = forms.ChoiceField(required=False, choices=[(name, name) for name in LEVEL_NAMES])  # type: ignore[assignment]
    format = forms.ChoiceField(required=False, choices=[("json", "json"), ("csv", "csv")])

    # What ACLED's rows take of the map's filters: the where and when, ACLED's names of our event types, and
    # the geo-precision (ACLED's own codes). Actors, sources, text and review states are ours alone.
    ACLED_FILTERS = ["region", "start", "end", "bbox", "polygon", "event_type", "precision"]

    def clean_level(self) -> str:
        return self.cleaned_data["level"] or "governorate"

    def acled(self, qs: AcledEventQuerySet) -> AcledEventQuerySet:
        """ACLED's events under the filters ACLED codes too."""
        data = self.cleaned_data
        qs = self.where_when(qs)
        if data["event_type"]:
            qs = qs.of_type(*(acled_type(t) for t in data["event_type"]))
        if data["precision"]:
            qs = qs.with_precision(*data["precision"])
        return qs

    def acled_filters(self) -> list[str]:
        """The filters of this query that ACLED's counts took."""
        return [name for name in self.ACLED_FILTERS if self.cleaned_data.get(name)]


class AcledUploadForm(forms.Form):
    """An ACLED CSV export for the worker to import."""

    file = forms.FileField(label=_("ACLED CSV file"), help_text=_("ACLED's own CSV export (UTF-8)."))
    skip_bad = forms.BooleanField(
        label=_("Skip bad rows"),
        required=False,
        help_text=_("Import the good rows and list the bad ones; otherwise one bad row refuses the file."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file (ACLED's CSV export)."))
        return upload
