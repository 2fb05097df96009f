"""Geocode one article: claim it, run the Geoparser, and store its mentions and incidents (see rerun.py)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import NamedTuple

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from conflictmap.articles.models import Article, Status
from gazetteer.models import Place
from geoparse import types
from geoparse.types import GeoparseResult, IncidentDraft

from . import rerun
from .geoparser import default_geoparser
from .models import Event, Incident, Mention
from .rerun import Draft, Plan, PlanOutdated

logger = logging.getLogger(__name__)

# Errors worth retrying: the database or broker is briefly away. Anything else is a bug or bad data.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError)
# A poison article (one that kills its worker every time) is given up after this many claims.
MAX_ATTEMPTS = 8
# Plans made before saving gives up when reviewers keep saving the article's incidents meanwhile.
PLAN_ATTEMPTS = 3

Parse = Callable[..., GeoparseResult]


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
        label_en=(draft.label_en or record.name_en)[:300],
        label_ar=(draft.label_ar or record.name_ar)[:300],
        admin1_pcode=record.admin1,
        admin2_pcode=record.admin2,
        admin3_pcode=record.admin3,
        geo_precision=draft.geo_precision,
        event_type=draft.event_type,
        sub_event_type=draft.sub_event_type[:60],
        date_stated=draft.date_stated,
        radius_km=draft.radius_km,
        actors=list(draft.actors),
        fatalities=draft.fatalities,
        summary=draft.summary,
        confidence=draft.confidence,
    )


def draft_place_ids(draft: IncidentDraft) -> list[int]:
    """Every place the draft names, its point's place first, each once."""
    return list(dict.fromkeys((draft.place.id, *draft.place_ids)))


def referenced_places(result: GeoparseResult) -> dict[int, Place]:
    """Fetch the Place rows the result points at; ids missing from the database are left out."""
    ids = {m.place.id for m in result.mentions if m.place}
    ids.update(pid for m in result.mentions for pid, _ in m.candidates)
    for draft in result.incidents:
        ids.update(draft_place_ids(draft))
        ids.update(draft.area_place_ids)
    return Place.objects.in_bulk(ids)


def plan_update(article: Article, result: GeoparseResult) -> Plan:
    """Plan storing the result over the article's earlier run (reviewed incidents untouched); write nothing."""
    places = referenced_places(result)
    drafts = [
        Draft(
            build_incident(article, rank, draft, places),
            tuple(pid for pid in draft_place_ids(draft) if pid in places),
            draft.mentions,
        )
        for rank, draft in enumerate(result.incidents)
    ]
    return rerun.plan(article, drafts, [build_mention(article, m, places) for m in result.mentions])


def store(article: Article, result: GeoparseResult) -> Plan:
    """Plan and apply the result and mark the article done, in one transaction."""
    with transaction.atomic():
        plan = plan_update(article, result)
        rerun.apply(plan)
        article.mark_done(result.warnings)
    return plan


def save_result(article: Article, result: GeoparseResult) -> Plan:
    """Store the result over the article's earlier run and mark it done, atomically; return what was done."""
    # A reviewer may save an incident between the plan and its apply: plan again from what they left.
    for _ in range(PLAN_ATTEMPTS - 1):
        with suppress(PlanOutdated):
            return store(article, result)
    return store(article, result)


def build_mention(article: Article, mention: types.Mention, places: dict[int, Place]) -> Mention:
    """Make (without saving) the Mention row for one pipeline mention."""
    return Mention(
        article=article,
        start=mention.span.start,
        end=mention.span.end,
        text=mention.span.text[:500],
        normalized=mention.span.key[:500],
        place=places.get(mention.place.id) if mention.place else None,
        role=mention.role,
        score=mention.score,
        candidates=[{"id": pid, "score": score} for pid, score in mention.candidates if pid in places],
    )


def parse_article(article: Article, parse: Parse | None = None) -> GeoparseResult:
    """Run the pipeline (the default Geoparser unless given another) over the article's text."""
    parse = parse or default_geoparser().parse
    return parse(article.body, published=article.published, lang=article.lang or None)


class Outcome(NamedTuple):
    status: str
    plan: Plan | None  # what was stored, when the article ends done


def geocode(article_id: int, worker: str = "", parse: Parse | None = None) -> Outcome:
    """Geocode one article in this process; return the status it ends in and what was stored."""
    article = Article.objects.claim(article_id, worker)
    if article is None:
        return Outcome("skipped", None)
    if article.attempts > MAX_ATTEMPTS:
        Article.objects.mark_failed(
            article_id, f"gave up after {MAX_ATTEMPTS} attempts (the worker died or timed out each time)"
        )
        return Outcome(Status.FAILED, None)
    try:
        plan = save_result(article, parse_article(article, parse))
        # Apart from the store: linking queries per incident, and an article stored unlinked is linked
        # by the next `manage.py link_events`.
        Event.objects.link_each(plan.to_link())
    except TRANSIENT:
        raise
    except Exception as exc:  # a permanent error: record it on the article instead of crashing the worker
        logger.exception("geocoding article %s failed", article_id)
        Article.objects.mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        return Outcome(Status.FAILED, None)
    return Outcome(Status.DONE, plan)


def run_geocode(article_id: int, worker: str = "", parse: Parse | None = None) -> str:
    """Geocode one article in this process; return the status it ends in."""
    return geocode(article_id, worker, parse).status
