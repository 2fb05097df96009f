"""Forms for the gazetteer pages."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from geoparse.normalize import normalize

from .models import LEVEL_KIND, PCODE_LEVEL, Place, PlaceKind

MAX_QUERY = 200
_SPACES = re.compile(r"\s+")
# Governorate SY08, district SY0800, sub-district SY080000.
ADMIN_PCODE = re.compile(r"^SY\d{2}(?:\d{2}){0,2}$")


def _has_control(text: str) -> bool:
    """Tell whether the text holds control characters (whitespace aside)."""
    return any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in text)


def _has_letter(text: str) -> bool:
    """Tell whether the text holds at least one letter, in any script."""
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def region_choices() -> list[tuple[str, object]]:
    """Return governorates with their districts as grouped <select> choices."""
    units = Place.objects.filter(kind__in=[PlaceKind.GOVERNORATE, PlaceKind.DISTRICT]).exclude(pcode="")
    units = units.order_by("pcode").values_list("kind", "pcode", "name_en", "name_ar")
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for kind, pcode, name_en, name_ar in units:
        label = f"{name_en} / {name_ar}" if name_ar else name_en
        if kind == PlaceKind.GOVERNORATE:
            labels[pcode] = label
            groups.setdefault(pcode, []).insert(0, (pcode, label))
        else:
            groups.setdefault(pcode[:4], []).append((pcode, f"— {label}"))
    choices: list[tuple[str, object]] = [("", _("All of Syria"))]
    for gov, options in sorted(groups.items()):
        choices.append((labels.get(gov, gov), options))
    return choices


class GazetteerSearchForm(forms.Form):
    """Validate a gazetteer query: a name in Arabic or English, plus optional filters."""

    q = forms.CharField(
        label=_("Place name"),
        max_length=MAX_QUERY,
        required=False,
        strip=True,
        error_messages={
            "max_length": _(
                "That query is too long: use at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "dir": "auto",
                "autocomplete": "off",
                "placeholder": _("e.g. غويران, Ghweiran, Raqqa"),
            }
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *PlaceKind.choices]
    )
    region = forms.CharField(label=_("Within"), required=False, widget=forms.Select)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = region_choices()
        wanted = (self.data.get("region") or "").strip() if self.is_bound else ""
        known = {value for _group, options in choices[1:] for value, _label in options}  # type: ignore[union-attr]
        if wanted and wanted not in known and ADMIN_PCODE.match(wanted):
            # A sub-district from a shared link: show it although the picker lists districts only.
            choices.append((wanted, wanted))
        self.fields["region"].widget.choices = choices

    def clean_q(self) -> str:
        """Collapse spaces and refuse text that cannot be a place name."""
        q = _SPACES.sub(" ", self.cleaned_data["q"]).strip()
        if not q:
            raise forms.ValidationError(
                _("Type a place name to search, in Arabic or English."), code="required"
            )
        if _has_control(q):
            raise forms.ValidationError(
                _("The query contains control characters. Type a place name instead."), code="control"
            )
        if not _has_letter(q) or not normalize(q):
            raise forms.ValidationError(
                _("The query has no letters. Type a place name such as غويران or Raqqa."), code="absurd"
            )
        return q

    def clean_region(self) -> str:
        """Accept an empty region or the P-code of a known admin unit."""
        region = (self.cleaned_data.get("region") or "").strip().upper()
        if not region:
            return ""
        if not ADMIN_PCODE.match(region) or not Place.objects.region(region).exists():
            raise forms.ValidationError(_("Unknown region: choose a governorate or district from the list."))
        return region


class BoundariesForm(forms.Form):
    """Validate a boundaries query: one admin level (governorates by default), or one unit by P-code."""

    level = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in LEVEL_KIND],
        coerce=int,
        error_messages={"required": "must be 1, 2 or 3", "invalid_choice": "must be 1, 2 or 3"},
    )
    pcode = forms.CharField(required=False, max_length=8)

    def __init__(self, query: QueryDict) -> None:
        super().__init__({"level": "1", **query.dict()})

    def clean_pcode(self) -> str:
        """Accept an empty P-code or one shaped like a governorate, district or sub-district's."""
        pcode = self.cleaned_data["pcode"].strip().upper()
        if pcode and not ADMIN_PCODE.match(pcode):
            raise forms.ValidationError("must be a governorate, district or sub-district P-code like SY08")
        return pcode

    def clean(self) -> dict:
        """Read the level from the P-code when one is given."""
        data = super().clean()
        if data.get("pcode"):
            data["level"] = PCODE_LEVEL[len(data["pcode"])]
        return data
