"""The incident resource as GeoJSON: `Incident.to_dict()` wrapped as a Feature, and the query it needs."""

from __future__ import annotations

from typing import Any

from geopy.distance import geodesic

from gazetteer.models import Place

from . import aggregates
from .models import MIN_COLUMNS, Incident, IncidentQuerySet, Mention

# The candidates the queue lists for each mention.
TOP_CANDIDATES = 5
# What the review detail says of the article's other incidents (the merge picks among them).
SIBLING_FIELDS = ("id", "version", "rank", "date", "label_en", "label_ar", "event_type", "review")


def incident_feature(incident: Incident, fields: str = "full") -> dict[str, Any]:
    """Serialize an incident as a GeoJSON Point Feature."""
    point = [round(incident.point.x, 5), round(incident.point.y, 5)]
    return {
        "type": "Feature",
        "id": incident.pk,
        "geometry": {"type": "Point", "coordinates": point},
        "properties": incident.to_dict(fields),
    }


def for_serializing(qs: IncidentQuerySet, fields: str = "full") -> IncidentQuerySet:
    """Load what the key set reads, in one query."""
    if fields == "min":
        return qs.only(*MIN_COLUMNS)
    return qs.select_related("article").defer("article__body").prefetch_related("place_links")


def review_detail(incident: Incident) -> dict[str, Any]:
    """The incident as the review queue shows it: fields, places, the excerpt, and every mention
    of the article with the gazetteer candidates the pipeline weighed for it."""
    mentions, own = aggregates.incident_mentions(incident)
    part = aggregates.excerpt(incident.article.body, mentions, own)
    own_ids = {m.pk for m in own}
    ids = {c["id"] for m in mentions for c in m.candidates} | {m.place_id for m in mentions if m.place_id}
    places = Place.objects.defer("area").in_bulk(ids)
    chains = admin_names({code for p in places.values() for code in admin_codes(p)})
    return {
        **incident.to_dict(),
        "places": [link.place.to_dict() for link in incident.place_links.select_related("place")],
        "excerpt": part["text"],
        "excerpt_offset": part["offset"],
        "mentions": [mention_detail(m, m.pk in own_ids, places, chains) for m in mentions],
        "siblings": list(
            incident.article.incidents.live().exclude(pk=incident.pk).order_by("rank").values(*SIBLING_FIELDS)
        ),
        "reviewed_by": incident.reviewed_by.get_username() if incident.reviewed_by else "",
        "reviewed_at": incident.reviewed_at.isoformat() if incident.reviewed_at else None,
        "page_url": incident.get_absolute_url(),
        "event": incident.event.to_dict() if incident.event_id and incident.event else None,
    }


def mention_detail(
    mention: Mention, own: bool, places: dict[int, Place], chains: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """One mention with its top candidates: kind, admin chain, score and distance to the chosen place."""
    chosen = places.get(mention.place_id) if mention.place_id else None
    ranked = [c for c in mention.candidates if c["id"] in places][:TOP_CANDIDATES]
    if chosen is not None and all(c["id"] != chosen.pk for c in ranked):
        ranked = [{"id": chosen.pk, "score": None}, *ranked][:TOP_CANDIDATES]
    return {
        "id": mention.pk,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "role": mention.role,
        "score": mention.score,
        "decision": mention.decision,
        "in_incident": own,
        "place_id": mention.place_id,
        "candidates": [candidate_detail(places[c["id"]], c["score"], chosen, chains) for c in ranked],
    }


def candidate_detail(
    place: Place, score: float | None, chosen: Place | None, chains: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """One candidate place as the queue lists it."""
    km = None
    if chosen is not None:
        km = round(geodesic((chosen.point.y, chosen.point.x), (place.point.y, place.point.x)).km, 1)
    return {
        **place.to_dict(),
        "score": score,
        "chosen": chosen is not None and chosen.pk == place.pk,
        "distance_km": km,
        "admin_chain": [chains[c] for c in admin_codes(place) if c in chains and c != place.pcode],
    }


def admin_codes(place: Place | Incident) -> list[str]:
    """The governorate, district and sub-district P-codes a place or an incident carries, as far as coded."""
    return [c for c in (place.admin1_pcode, place.admin2_pcode, place.admin3_pcode) if c]


def admin_names(pcodes: set[str]) -> dict[str, dict[str, str]]:
    """Return the English and Arabic names of the admin units with these P-codes, in one query."""
    units = Place.objects.admin_units().filter(pcode__in=pcodes).values("pcode", "name_en", "name_ar")
    return {
        u["pcode"]: {"pcode": u["pcode"], "name_en": u["name_en"], "name_ar": u["name_ar"]} for u in units
    }
