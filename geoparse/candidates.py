"""Propose gazetteer places for each span: exact key lookups, fuzzy ones for unknown names."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .normalize import drop_articles, is_arabic, normalize, phonetic_key
from .triggers import settlements_of, split_trigger
from .types import (
    AREA,
    CAMP,
    COMMUNITY,
    DISTRICT,
    FACILITY,
    GOVERNORATE,
    NEIGHBOURHOOD,
    SUBDISTRICT,
    Candidate,
    Gazetteer,
    PlaceRecord,
    Span,
)

MAX_CANDIDATES = 25
FUZZY_CUTOFF = 86.0
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


def prior(span: Span, place: PlaceRecord, quality: float) -> float:
    """Return a candidate's score from the match, its kind, importance and the trigger."""
    score = quality / 100.0 + KIND_PRIOR.get(place.kind, 0.0) + 0.4 * place.importance
    if span.trigger and place.kind in (AREA, DISTRICT, SUBDISTRICT) and settlements_of(span.trigger):
        score += 0.1  # "قرى جبل الأكراد": the villages of a region
    else:
        score += kind_fit(span.kind_hint, place.kind)
    if span.qualifier == "countryside" and place.kind == NEIGHBOURHOOD:
        score -= 0.5
    if span.source != "exact":
        score -= 0.2
    return score


_FUZZY_ATTR = "_geoparse_fuzzy_cache"
_FUZZY_CACHE_SIZE = 20_000


TRIGGER_CUTOFF = 80.0  # a long name a trigger announces ("the Kafanaboudah city") may be spelt further off
TRIGGER_MIN_LETTERS = 10


def _announced_long(span: Span) -> bool:
    """Tell whether a proposed (not exact) Latin name is announced by a trigger and long enough
    for a looser match to stay specific."""
    letters = sum(ch.isalpha() for ch in span.key)
    return (
        bool(span.trigger)
        and span.source != "exact"
        and not is_arabic(span.key)
        and letters >= TRIGGER_MIN_LETTERS
    )


def _near_skeleton(key: str, gazetteer: Gazetteer) -> dict[int, tuple[PlaceRecord, str, float]]:
    """Return the places within the trigger cutoff whose consonant skeleton is one edit from the
    key's ("kfnbd" ~ "kfrnbd"): spelling and sound must both agree."""
    sound = phonetic_key(key)
    found: dict[int, tuple[PlaceRecord, str, float]] = {}
    for place, name, quality in gazetteer.fuzzy(key, 5, TRIGGER_CUTOFF):
        if Levenshtein.distance(sound, phonetic_key(normalize(name))) > 1:
            continue
        if place.id not in found or found[place.id][2] < quality:
            found[place.id] = (place, name, float(quality))
    return found


def cached_fuzzy(gazetteer: Gazetteer, key: str) -> list[tuple[PlaceRecord, str, float]]:
    """Return gazetteer.fuzzy(key), remembered on the gazetteer object (names recur across articles)."""
    cache: dict[str, list[tuple[PlaceRecord, str, float]]] | None = getattr(gazetteer, _FUZZY_ATTR, None)
    if cache is None:
        cache = {}
        try:
            setattr(gazetteer, _FUZZY_ATTR, cache)  # the Protocol has no slot for it
        except (AttributeError, TypeError):
            return gazetteer.fuzzy(key, 5, FUZZY_CUTOFF)
    hit = cache.get(key)
    if hit is None:
        if len(cache) >= _FUZZY_CACHE_SIZE:
            cache.clear()
        hit = cache[key] = gazetteer.fuzzy(key, 5, FUZZY_CUTOFF)
    return hit


def _inner_trigger(span: Span) -> tuple[str, str]:
    """Return (kind hint, rest) of an Arabic name that opens with a trigger noun ("مدينة إدلب"),
    else ("", "")."""
    if not is_arabic(span.key):
        return "", ""
    kind, rest = split_trigger(span.key)
    return (kind, rest) if kind and rest != span.key else ("", "")


OWN_NAME = 0.1  # a place's own name beats the same name carried as another place's alias


def _aliases_yield(cands: list[Candidate], key: str) -> list[Candidate]:
    """Lower the places of a sub-district that carry its name as an alias when one of them has it
    as its own name (the namesake town); a tie-break, so no declined mention gets resolved."""
    own_units = {
        c.place.admin3
        for c in cands
        if c.place.admin3 and c.match_quality >= 100.0 and _own_name(c.place, key)
    }
    if not own_units:
        return cands
    return [
        replace(c, score=c.score - OWN_NAME)
        if c.place.admin3 in own_units and not _own_name(c.place, key)
        else c
        for c in cands
    ]


def _own_name(place: PlaceRecord, key: str) -> bool:
    """Tell whether a key is the place's own Arabic or English name, not an alias it carries
    (OCHA gives a sub-district's communities its name: "أورم الكبرى" is one village's own)."""
    return key in (_norm(place.name_ar), _norm(place.name_en))


@lru_cache(maxsize=100_000)
def _norm(name: str) -> str:
    return normalize(name)


FUZZY_MARGIN = 4.0  # fuzzy names this far below the closest spell another name, not a variant


def _closest(found: dict[int, tuple[PlaceRecord, str, float]]) -> dict[int, tuple[PlaceRecord, str, float]]:
    """Keep the Arabic fuzzy candidates spelt nearly as close as the best one: importance must not
    let a famous name 4+ points further away ("معرة النعمان") beat the close one ("معارة النعسان")."""
    if not found:
        return found
    best = max(q for _, _, q in found.values())
    return {pid: v for pid, v in found.items() if v[2] >= best - FUZZY_MARGIN}


_HAMZA = frozenset("أإآؤئء")


def _hamza_kept(span: Span, matches: list[tuple[PlaceRecord, str]]) -> list[tuple[PlaceRecord, str]]:
    """Drop the places none of whose names has the hamza a one-word span writes inside it.

    Writers often leave a hamza out but do not add one: «بدأنا» ("we began") is no ب + «دانا».
    A word with the article is a noun, where gazetteers often drop a hamza the text writes («الأشعري»).
    """
    if " " in span.text or span.text.startswith("ال") or not any(ch in _HAMZA for ch in span.text[1:]):
        return matches
    spelt = {place.id for place, name in matches if any(ch in _HAMZA for ch in name)}
    return [(place, name) for place, name in matches if place.id in spelt]


def candidates_for(span: Span, gazetteer: Gazetteer) -> list[Candidate]:
    """Return the candidate places of one span, best first."""
    found: dict[int, tuple[PlaceRecord, str, float]] = {}
    hint, rest = _inner_trigger(span)
    if span.source == "exact":
        exact = gazetteer.exact(span.key)
        kept = _hamza_kept(span, exact)
        if exact and not kept:
            return []  # the word is spelt as no place is: a fuzzy look-up would only find it again
        for place, name in kept:
            found.setdefault(place.id, (place, name, 100.0))
        if rest:
            # A name written with its trigger ("مدينة إدلب") also names the bare place; the trigger
            # then says which of the places of that name is meant.
            for place, name in gazetteer.exact(rest):
                found.setdefault(place.id, (place, name, 100.0))
    if not found:
        keys = [span.key]
        bare = drop_articles(span.key)
        if bare != span.key:
            keys.append(bare)
        if is_arabic(span.key) and span.key.startswith("ال"):
            keys.append(span.key[2:])
        for key in keys:
            for place, name, quality in cached_fuzzy(gazetteer, key):
                if place.id not in found or found[place.id][2] < quality:
                    found[place.id] = (place, name, float(quality))
            if found:
                break
        if not found and _announced_long(span):
            found = _near_skeleton(span.key, gazetteer)
        if is_arabic(span.key):
            found = _closest(found)  # transliterations vary too much for the margin to hold
    out = [
        Candidate(
            place=p,
            matched_name=name,
            match_quality=q,
            score=prior(span, p, q) + (kind_fit(hint, p.kind) if hint and not span.kind_hint else 0.0),
            kind_hint=span.kind_hint or hint,
        )
        for p, name, q in found.values()
    ]
    out = _aliases_yield(out, span.key)
    out.sort(key=lambda c: (-c.score, c.place.id))
    return out[:MAX_CANDIDATES]


def candidates(spans: list[Span], gazetteer: Gazetteer) -> list[list[Candidate]]:
    """Return the candidates of every span."""
    return [candidates_for(span, gazetteer) for span in spans]
