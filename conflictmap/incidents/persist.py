"""Turn a GeoparseResult into an article's Mention and Incident rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import transaction
from django.utils import timezone

from conflictmap.articles.models import Article, Mention, Status
from gazetteer.models import Place
from geoparse.types import GeoparseResult, IncidentDraft

from .models import Incident


def union_area(places: Iterable[Place]) -> MultiPolygon | None:
    """Return the union of the places' areas as one MultiPolygon, or None if none has an area."""
    merged: GEOSGeometry | None = None
    for place in places:
        if place.area is None:
            continue
        merged = place.area if merged is None else merged.union(place.area)
    if merged is None:
        return None
    if merged.geom_type == "Polygon":
        merged = MultiPolygon(merged)
    if merged.geom_type != "MultiPolygon":
        return None
    merged.srid = 4326
    return merged


def parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def build_incident(article: Article, rank: int, draft: IncidentDraft, places: dict[int, Place]) -> Incident:
    """Make (without saving) the Incident for one draft."""
    record = draft.place
    return Incident(
        article=article,
        rank=rank,
        date=parse_date(draft.date),
        date_precision=draft.date_precision,
        point=Point(draft.lon, draft.lat, srid=4326),
        area=union_area(places[i] for i in draft.area_place_ids if i in places),
        place=places.get(record.id),
        label_en=record.name_en,
        label_ar=record.name_ar,
        admin1_pcode=record.admin1,
        admin2_pcode=record.admin2,
        admin3_pcode=record.admin3,
        geo_precision=draft.geo_precision,
        event_type=draft.event_type,
        actors=list(draft.actors),
        fatalities=draft.fatalities,
        summary=draft.summary,
        confidence=draft.confidence,
    )


def referenced_places(result: GeoparseResult) -> dict[int, Place]:
    """Fetch the Place rows the result points at; ids missing from the database are left out."""
    ids = {m.place.id for m in result.mentions if m.place}
    for draft in result.incidents:
        ids.add(draft.place.id)
        ids.update(draft.area_place_ids)
    return Place.objects.in_bulk(ids)


def save_result(article: Article, result: GeoparseResult) -> None:
    """Replace the article's mentions and incidents with the result's and mark it done, atomically."""
    places = referenced_places(result)
    with transaction.atomic():
        article.mentions.all().delete()
        article.incidents.all().delete()
        Mention.objects.bulk_create(
            Mention(
                article=article,
                start=m.span.start,
                end=m.span.end,
                text=m.span.text[:500],
                normalized=m.span.key[:500],
                place=places.get(m.place.id) if m.place else None,
                role=m.role,
                score=m.score,
            )
            for m in result.mentions
        )
        Incident.objects.bulk_create(
            build_incident(article, rank, draft, places) for rank, draft in enumerate(result.incidents)
        )
        warnings = [w for w in article.warnings if not w.startswith("geoparse: ")]
        warnings += [f"geoparse: {w}" for w in result.warnings]
        Article.objects.filter(pk=article.pk).update(
            status=Status.DONE,
            status_at=timezone.now(),
            error="",
            warnings=warnings,
            geocoded_at=timezone.now(),
        )
