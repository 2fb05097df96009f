"""Reports of events for the event tests: hand-made pipeline drafts saved through the real geocode() path.

Call these inside a test that has the small_gazetteer fixture.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.test import Client
from incident_factory import make_article
from rest_framework.authtoken.models import Token

from conflictmap.articles.models import Article, Status
from conflictmap.incidents.geocoding import geocode
from conflictmap.incidents.models import Event, Incident
from gazetteer.index import to_record
from gazetteer.models import Place
from geoparse.types import GeoparseResult, IncidentDraft

DAY = "2024-08-20"


def draft(uid: str = "t:CUR1", date: str | None = DAY, **fields: Any) -> IncidentDraft:
    """A pipeline incident at the gazetteer place `uid` on `date`: a clash of the SDF and ISIS, stated."""
    place = to_record(Place.objects.get(uid=uid))
    values: dict[str, Any] = {
        "geo_precision": 1, "date_precision": "day", "event_type": "battles", "actors": ("SDF", "ISIS"),
        "fatalities": None, "summary": "", "confidence": 0.5, "place_ids": (place.id,), **fields,
    }  # fmt: skip
    return IncidentDraft(
        place=place, lat=place.lat, lon=place.lon, date=date,
        label_en=place.name_en, label_ar=place.name_ar, **values,
    )  # fmt: skip


def parse_as(*drafts: IncidentDraft) -> Any:
    """A parse function answering these drafts whatever the text (what geocode() calls)."""

    def parse(text: str, **kwargs: Any) -> GeoparseResult:
        return GeoparseResult(lang="en", mentions=(), incidents=drafts)

    return parse


def geocode_as(article: Article, *drafts: IncidentDraft) -> list[Incident]:
    """Geocode the article (again) as if the pipeline found these drafts; return its live incidents."""
    Article.objects.filter(pk=article.pk).update(status=Status.PENDING)
    assert geocode(article.pk, parse=parse_as(*drafts)).status == Status.DONE
    return list(article.incidents.live().order_by("rank"))


def report(*drafts: IncidentDraft, **article: Any) -> Incident:
    """A new article (published on DAY unless given) geocoded to these drafts; return its first incident."""
    made = make_article(published=article.pop("published", datetime.date.fromisoformat(DAY)), **article)
    return geocode_as(made, *drafts)[0]


def event_of(incident: Incident) -> Event:
    """The incident's event, as stored now."""
    return Event.objects.get(pk=Incident.objects.get(pk=incident.pk).event_id)


def token_client(user: Any) -> Client:
    """A test client sending the user's API token with every request (None: anonymous)."""
    if user is None:
        return Client()
    return Client(headers={"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"})


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    """POST the data as JSON."""
    return client.post(url, data=json.dumps(data), content_type="application/json")
