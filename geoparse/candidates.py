"""Propose gazetteer places for each span: exact key lookups, fuzzy ones for unknown names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .normalize import drop_articles, is_arabic, normalize, phonetic_key
from .places import CITY_IMPORTANCE
from .scoring import kind_fit, prior
from .triggers import split_trigger
from .types import COMMUNITY, GOVERNORATE, Candidate, Gazetteer, PlaceRecord, Span

MAX_CANDIDATES = 25
FUZZY_CUTOFF = 86.0
FUZZY_LIMIT = 5
_FUZZY_CACHE_SIZE = 20_000


class PlaceLookup:
    """The gazetteer's name lookups for one Geoparser, remembering fuzzy results and the indexes
    built from its keys (names recur across articles)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._fuzzy: dict[str, list[tuple[PlaceRecord, str, float]]] = {}
        self._by_word: dict[str, list[tuple[str, bool]]] | None = None

    def exact(self, key: str) -> list[tuple[PlaceRecord, str]]:
        """Return the places indexed under a key, with the name that matched."""
        return self.gazetteer.exact(key)

    def fuzzy(self, key: str) -> list[tuple[PlaceRecord, str, float]]:
        """Return the places whose keys are near a key, with a 0–100 quality."""
        hit = self._fuzzy.get(key)
        if hit is None:
            if len(self._fuzzy) >= _FUZZY_CACHE_SIZE:
                self._fuzzy.clear()  # bounded: a long-running worker sees unbounded spellings
            hit = self._fuzzy[key] = self.gazetteer.fuzzy(key, FUZZY_LIMIT, FUZZY_CUTOFF)
        return hit

    def close_match(self, key: str, quality: float) -> bool:
        """Tell whether some gazetteer name is spelt at least this close to a key."""
        return any(q >= quality for _, _, q in self.fuzzy(key))

    def keys_by_word(self) -> dict[str, list[tuple[str, bool]]]:
        """Map the first and last word (without its article) of each multiword Arabic key to the
        keys, with whether the word opens the key (built on first use)."""
        if self._by_word is None:
            self._by_word = _index_words(self.gazetteer.keys())
        return self._by_word


def _index_words(keys: Iterable[str]) -> dict[str, list[tuple[str, bool]]]:
    """Index multiword Arabic keys by their first and last word, without its article."""
    index: dict[str, list[tuple[str, bool]]] = {}
    for key in keys:
        words = key.split(" ")
        if len(words) > 1 and is_arabic(key):
            for word, head in ((words[0], True), (words[-1], False)):
                index.setdefault(without_article(word), []).append((key, head))
    return index


def without_article(word: str) -> str:
    """Return an Arabic word without its article."""
    return word[2:] if word.startswith("ال") else word


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


def _near_skeleton(key: str, lookup: PlaceLookup) -> dict[int, tuple[PlaceRecord, str, float]]:
    """Return the places within the trigger cutoff whose consonant skeleton is one edit from the
    key's ("kfnbd" ~ "kfrnbd"): spelling and sound must both agree."""
    sound = phonetic_key(key)
    found: dict[int, tuple[PlaceRecord, str, float]] = {}
    for place, name, quality in lookup.gazetteer.fuzzy(key, FUZZY_LIMIT, TRIGGER_CUTOFF):
        if Levenshtein.distance(sound, phonetic_key(normalize(name))) > 1:
            continue
        if place.id not in found or found[place.id][2] < quality:
            found[place.id] = (place, name, float(quality))
    return found


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


def candidates_for(span: Span, lookup: PlaceLookup) -> list[Candidate]:
    """Return the candidate places of one span, best first."""
    found: dict[int, tuple[PlaceRecord, str, float]] = {}
    hint, rest = _inner_trigger(span)
    if span.source == "exact":
        exact = lookup.exact(span.key)
        kept = _hamza_kept(span, exact)
        if exact and not kept:
            return []  # the word is spelt as no place is: a fuzzy look-up would only find it again
        for place, name in kept:
            found.setdefault(place.id, (place, name, 100.0))
        if rest:
            # A name written with its trigger ("مدينة إدلب") also names the bare place; the trigger
            # then says which of the places of that name is meant.
            for place, name in lookup.exact(rest):
                found.setdefault(place.id, (place, name, 100.0))
    if not found:
        keys = [span.key]
        bare = drop_articles(span.key)
        if bare != span.key:
            keys.append(bare)
        if is_arabic(span.key) and span.key.startswith("ال"):
            keys.append(span.key[2:])
        for key in keys:
            for place, name, quality in lookup.fuzzy(key):
                if place.id not in found or found[place.id][2] < quality:
                    found[place.id] = (place, name, float(quality))
            if found:
                break
        if not found and _announced_long(span):
            found = _near_skeleton(span.key, lookup)
        if is_arabic(span.key):
            found = _closest(found)  # transliterations vary too much for the margin to hold
    if span.kind_hint == GOVERNORATE:
        found = _with_governorates(found, lookup.gazetteer)
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


def _with_governorates(
    found: dict[int, tuple[PlaceRecord, str, float]], gazetteer: Gazetteer
) -> dict[int, tuple[PlaceRecord, str, float]]:
    """Add the governorate of each governorate capital found: "Deir Ezzor province" names the unit even
    where the gazetteer spells "Deir Ezzor" only for the city."""
    if any(p.kind == GOVERNORATE for p, _, _ in found.values()):
        return found
    out = dict(found)
    for place, name, quality in found.values():
        if place.kind != COMMUNITY or place.importance < CITY_IMPORTANCE:
            continue
        unit = _governorate_of(place, gazetteer)
        if unit is not None:
            out.setdefault(unit.id, (unit, name, quality))
    return out


def _governorate_of(place: PlaceRecord, gazetteer: Gazetteer) -> PlaceRecord | None:
    """Return the governorate on a place's parent chain."""
    current: PlaceRecord | None = place
    for _ in range(8):
        if current is None or current.parent_id is None:
            return None
        current = gazetteer.place(current.parent_id)
        if current is not None and current.kind == GOVERNORATE:
            return current
    return None


def candidates(spans: Sequence[Span], lookup: PlaceLookup) -> list[list[Candidate]]:
    """Return the candidates of every span."""
    return [candidates_for(span, lookup) for span in spans]
