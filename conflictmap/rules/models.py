"""The rule tables analysts edit: event keywords, actors and their aliases."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from geoparse import events
from geoparse.normalize import is_arabic, normalize


class EventType(models.TextChoices):
    BATTLES = events.BATTLES, "Battles"
    EXPLOSIONS = events.EXPLOSIONS, "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = events.VIOLENCE_AGAINST_CIVILIANS, "Violence against civilians"
    STRATEGIC = events.STRATEGIC, "Strategic developments"
    PROTESTS = events.PROTESTS, "Protests"


class Language(models.TextChoices):
    AR = "ar", "Arabic"
    EN = "en", "English"


class ActorKind(models.TextChoices):
    STATE = "state", "State forces"
    ARMED_GROUP = "armed_group", "Armed group"
    INTERNATIONAL = "international", "International force"
    CIVILIANS = "civilians", "Civilians"
    OTHER = "other", "Other"


def guess_language(text: str) -> str:
    """Return "ar" for Arabic-script text, else "en"."""
    return Language.AR if is_arabic(text) else Language.EN


class EventRule(models.Model):
    """One keyword or phrase that marks an event type in a sentence."""

    event_type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    sub_event_type = models.CharField(max_length=100, blank=True)
    keyword = models.CharField(
        max_length=200,
        help_text="Written naturally; a trailing * matches longer forms of the word (داهم* → داهمت).",
    )
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    priority = models.IntegerField(
        null=True,
        blank=True,
        help_text="When several types match, the highest wins. Blank: the type's default.",
    )
    active = models.BooleanField(default=True, db_index=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("event_type", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("event_type", "sub_event_type", "keyword"), name="unique_event_keyword"
            )
        ]

    def __str__(self) -> str:
        return f"{self.keyword} → {self.get_event_type_display()}"

    def save(self, *args, **kwargs) -> None:
        """Fill the language from the script when it was left blank."""
        self.language = self.language or guess_language(self.keyword)
        super().save(*args, **kwargs)


class Actor(models.Model):
    """A named actor; its aliases are matched in the text in both languages."""

    name = models.CharField(max_length=120, unique=True, help_text="Canonical name reported on incidents.")
    name_ar = models.CharField("Arabic name", max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.ARMED_GROUP)
    active = models.BooleanField(default=True, db_index=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.name} ({self.name_ar})" if self.name_ar else self.name


class ActorAlias(models.Model):
    """Another way an actor is written: an acronym, a spelling, a translation."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)
        verbose_name_plural = "actor aliases"
        constraints = [models.UniqueConstraint(fields=("actor", "alias"), name="unique_actor_alias")]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs) -> None:
        """Fill the language from the script when it was left blank."""
        self.language = self.language or guess_language(self.alias)
        super().save(*args, **kwargs)


class NotPlace(models.Model):
    """A word an analyst marked "not a place": the pipeline never reads it as a place again."""

    form = models.CharField(max_length=200, help_text="As written in the article.")
    normalized = models.CharField(max_length=200, unique=True, editable=False)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["normalized"]
        verbose_name = "not-a-place word"

    def __str__(self) -> str:
        return self.form

    def save(self, *args, **kwargs) -> None:
        self.normalized = normalize(self.form)
        super().save(*args, **kwargs)
