"""Validation of review actions: each form checks a whole request before anything is saved."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conflictmap.rules.models import EventType
from gazetteer.models import Place, PlaceKind

from .models import DatePrecision, Event, GeoPrecision, Incident, Mention

# Events before this are not what the app codes; a typo like 0224 is caught here.
EARLIEST_DATE = datetime.date(1900, 1, 1)
MAX_FATALITIES = 100_000
SIDES = (1, 2)
TEXT_FIELDS = ("event_type", "sub_event_type", "summary")


class VersionForm(forms.Form):
    """Every action names the version it was made on (the optimistic lock)."""

    version = forms.IntegerField(min_value=1)


class RejectForm(VersionForm):
    note = forms.CharField(required=False, max_length=1000)


def clean_actors(value: Any) -> tuple[list[str], dict[str, int]]:
    """Read actors given as names or as {"name", "side"} objects; return the names and their sides."""
    if not isinstance(value, list) or len(value) > 20:
        raise forms.ValidationError(_("Give a list of at most 20 actors."))
    names: list[str] = []
    sides: dict[str, int] = {}
    for item in value:
        entry = {"name": item} if isinstance(item, str) else item
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > 120:
            raise forms.ValidationError(_("Each actor needs a name of 1 to 120 characters."))
        side = entry.get("side")
        if side not in (None, *SIDES):
            raise forms.ValidationError(_("An actor's side is 1, 2 or empty."))
        names.append(name.strip())
        if side:
            sides[name.strip()] = side
    return names, sides


class CorrectionForm(VersionForm):
    """The coded fields a correction may change; only those present in the request are changed."""

    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_precision = forms.ChoiceField(required=False, choices=DatePrecision.choices)
    geo_precision = forms.TypedChoiceField(
        required=False, choices=[(str(v), label) for v, label in GeoPrecision.choices], coerce=int
    )
    event_type = forms.ChoiceField(required=False, choices=[("", ""), *EventType.choices])
    sub_event_type = forms.CharField(required=False, max_length=60)
    actors = forms.JSONField(required=False)
    fatalities = forms.IntegerField(required=False, min_value=0, max_value=MAX_FATALITIES)
    summary = forms.CharField(required=False, max_length=5000)

    def clean_date(self) -> datetime.date | None:
        day = self.cleaned_data["date"]
        if day and not EARLIEST_DATE <= day <= timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("The date must lie between 1900 and today."))
        return day

    def clean_actors(self) -> tuple[list[str], dict[str, int]] | None:
        value = self.cleaned_data["actors"]
        return None if value is None else clean_actors(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("date_precision", "geo_precision"):
            if name in self.data and data.get(name) in ("", None) and name not in self.errors:
                self.add_error(name, _("This field cannot be empty."))
        if not [name for name in self.fields if name != "version" and name in self.data]:
            raise forms.ValidationError(_("Name at least one field to correct."))
        return data

    def changes(self) -> dict[str, Any]:
        """Return the validated fields the request named, as Incident attributes."""
        out: dict[str, Any] = {}
        for name in self.fields:
            if name == "version" or name not in self.data:
                continue
            value = self.cleaned_data[name]
            if name == "actors":
                out["actors"], out["actor_sides"] = value or ([], {})
            else:
                out[name] = "" if value is None and name in TEXT_FIELDS else value
        return out


class RelocateForm(VersionForm):
    """Another place for the incident: a gazetteer place, or a point an analyst clicks on the map."""

    place = forms.ModelChoiceField(queryset=Place.objects.defer("area"), required=False)
    mention = forms.ModelChoiceField(queryset=Mention.objects.all(), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    name = forms.CharField(required=False, max_length=200)
    kind = forms.ChoiceField(required=False, choices=PlaceKind.choices)
    note = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        clicked = data.get("lat") is not None or data.get("lon") is not None
        if bool(data.get("place")) == clicked:
            raise forms.ValidationError(_("Give either a place id or a point (lat and lon), not both."))
        if clicked:
            if data.get("lat") is None or data.get("lon") is None:
                raise forms.ValidationError(_("A point needs both lat and lon."))
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Name the new place."))
        return data

    def point(self) -> Point:
        return Point(self.cleaned_data["lon"], self.cleaned_data["lat"], srid=4326)


class MentionForm(VersionForm):
    """A mention of the incident that is not a place, or not this event."""

    mention = forms.ModelChoiceField(queryset=Mention.objects.all())
    not_place = forms.BooleanField(required=False)


class SplitForm(VersionForm):
    mentions = forms.ModelMultipleChoiceField(queryset=Mention.objects.all())


class MergeForm(VersionForm):
    other = forms.ModelChoiceField(queryset=Incident.objects.live())
    other_version = forms.IntegerField(min_value=1)


class RevertForm(VersionForm):
    history_id = forms.IntegerField(min_value=1)

    def clean_history_id(self) -> Any:
        record = Incident.history.filter(history_id=self.cleaned_data["history_id"]).first()
        if record is None:
            raise forms.ValidationError(_("No such change."))
        return record


class EventMergeForm(forms.Form):
    other = forms.ModelChoiceField(queryset=Event.objects.live())


class EventSplitForm(forms.Form):
    reports = forms.ModelMultipleChoiceField(queryset=Incident.objects.live())


class EventReportForm(forms.Form):
    report = forms.ModelChoiceField(queryset=Incident.objects.live())


class EventFatalitiesForm(forms.Form):
    # Empty: back to the rule of the settings (the lowest, or the highest, reported figure).
    fatalities = forms.IntegerField(required=False, min_value=0, max_value=1_000_000)
