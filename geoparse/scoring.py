"""How well a gazetteer place fits a name: the one ranking of the pipeline and the place search."""

from __future__ import annotations

from .triggers import settlements_of
from .types import (
    AREA,
    CAMP,
    COMMUNITY,
    DISTRICT,
    FACILITY,
    GOVERNORATE,
    NEIGHBOURHOOD,
    SUBDISTRICT,
    PlaceRecord,
    Span,
)

# Prior weight of a kind when nothing else is known: towns are what news names most.
KIND_PRIOR = {
    COMMUNITY: 0.30,
    GOVERNORATE: 0.25,
    AREA: 0.30,
    CAMP: 0.20,
    FACILITY: 0.20,
    DISTRICT: 0.10,
    SUBDISTRICT: 0.05,
    NEIGHBOURHOOD: 0.05,
}
IMPORTANCE_WEIGHT = 0.4
_ADMIN = (GOVERNORATE, DISTRICT, SUBDISTRICT)


def kind_fit(kind_hint: str, kind: str) -> float:
    """Score how well a trigger's kind hint fits a place kind."""
    if not kind_hint:
        return 0.0
    if kind_hint == kind:
        return 0.6
    if kind_hint == COMMUNITY and kind in (DISTRICT, SUBDISTRICT):
        return 0.1
    if kind_hint == FACILITY and kind in (CAMP, AREA):
        return 0.2
    if kind_hint == GOVERNORATE and kind in _ADMIN:
        return 0.2
    return -0.4


def match_score(place: PlaceRecord, quality: float) -> float:
    """Score a place matched at a 0–100 quality by the match, its kind and its importance."""
    return quality / 100.0 + KIND_PRIOR.get(place.kind, 0.0) + IMPORTANCE_WEIGHT * place.importance


def place_score(place: PlaceRecord, quality: float, kind_hint: str = "") -> float:
    """Score a place matched at a 0–100 quality, with how it fits the kind a trigger asked for."""
    return match_score(place, quality) + kind_fit(kind_hint, place.kind)


def prior(span: Span, place: PlaceRecord, quality: float) -> float:
    """Return a candidate's score from the match, its kind, importance and the span's context."""
    if span.trigger and place.kind in (AREA, DISTRICT, SUBDISTRICT) and settlements_of(span.trigger):
        score = match_score(place, quality) + 0.1  # "قرى جبل الأكراد": the villages of a region
    else:
        score = place_score(place, quality, span.kind_hint)
    if span.qualifier == "countryside" and place.kind == NEIGHBOURHOOD:
        score -= 0.5
    if span.source != "exact":
        score -= 0.2
    return score
