"""Rows the history tests share: articles, incidents at the small gazetteer's places, users with a role."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from conflictmap.accounts.roles import assign_role
from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, IncidentPlace, Mention
from gazetteer.models import Place

_serial = itertools.count(1)


def make_article(title: str = "Clashes in al-Hasakah", body: str = "", **fields: Any) -> Article:
    n = next(_serial)
    return Article.objects.create(
        body=body or f"Report {n}: fighters clashed in Ghuwayran and al-Nashwa, al-Hasakah.",
        lang=fields.pop("lang", "en"),
        content_hash=f"{n:064d}",
        title=title,
        source=fields.pop("source", "Example News"),
        url=fields.pop("url", f"https://news.example/{n}"),
        status="done",
        **fields,
    )


def make_incident(uid: str = "t:CUR1", article: Article | None = None, **fields: Any) -> Incident:
    """An incident at the gazetteer place `uid`, saved as the pipeline saves (no user), with its place link."""
    place = Place.objects.get(uid=uid)
    values = {
        "date": datetime.date(2024, 8, 1),
        "geo_precision": 1,
        "event_type": "battles",
        "sub_event_type": "Armed clash",
        "actors": ["SDF", "ISIS"],
        "actor_sides": {"SDF": 1, "ISIS": 2},
        "fatalities": 2,
        "summary": "Clashes between SDF and ISIS cells",
        "confidence": 0.8,
        **fields,
    }
    incident = Incident.objects.create(
        article=article or make_article(),
        point=Point(place.point.x, place.point.y, srid=4326),
        place=place,
        label_en=place.name_en,
        label_ar=place.name_ar,
        admin1_pcode=place.admin1_pcode,
        admin2_pcode=place.admin2_pcode,
        admin3_pcode=place.admin3_pcode,
        **values,
    )
    IncidentPlace.objects.create(incident=incident, place=place, rank=0)
    return incident


def add_mention(incident: Incident, uid: str) -> Mention:
    """A mention of the gazetteer place `uid` in the incident's article, linked to the incident."""
    place = Place.objects.get(uid=uid)
    body = incident.article.body
    start = max(body.find(place.name_en.split("-")[-1]), 0)
    mention = Mention.objects.create(
        article=incident.article,
        start=start,
        end=start + 5,
        text=body[start : start + 5],
        place=place,
        role="incident",
    )
    incident.mentions.add(mention)
    IncidentPlace.objects.get_or_create(
        incident=incident, place=place, defaults={"rank": incident.place_links.count()}
    )
    return mention


def user_with_role(username: str, role: str) -> Any:
    user = get_user_model().objects.create_user(username)  # no password: tests log in with force_login
    assign_role(user, role)
    return get_user_model().objects.get(pk=user.pk)  # a fresh object: no stale permission cache
