"""The one article form behind the web page, the API and the file ingesters."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from . import ingest
from .models import Lang


class BodyField(forms.CharField):
    """A text field whose NUL check is left to ingest.clean_body, which names binary input as such."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    body = BodyField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16, "dir": "auto"}),
        strip=False,  # clean_body tidies whitespace and checks the 1 MB limit in bytes
        error_messages={"required": _("body is empty")},
    )
    published = forms.DateField(
        label=_("Published"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")
    lang = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("detect")), *Lang.choices])

    def clean_body(self) -> ingest.CleanText:
        try:
            return ingest.clean_body(self.cleaned_data["body"])
        except ingest.Rejected as exc:
            raise forms.ValidationError(str(exc), code="rejected") from exc

    def clean_published(self):
        published = self.cleaned_data.get("published")
        try:
            ingest.check_published(published)
        except ingest.Rejected as exc:
            raise forms.ValidationError(str(exc), code="future") from exc
        return published

    def clean(self) -> dict:
        data = super().clean()
        clean, lang = data.get("body"), data.get("lang")
        if isinstance(clean, ingest.CleanText) and lang and lang != clean.lang:
            clean.warnings.append(
                f"language given as {lang!r} but the text reads as {clean.lang!r}; using {clean.lang!r}"
            )
        return data

    def save(self, queue: bool = True) -> ingest.Outcome:
        """Store the article (or find its duplicate) and queue it for geocoding."""
        data = self.cleaned_data
        return ingest.store(
            data["body"],
            title=data.get("title", ""),
            published=data.get("published"),
            source=data.get("source", ""),
            url=data.get("url", ""),
            queue=queue,
        )


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    """Return field errors as plain strings, keyed by field name."""
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}
