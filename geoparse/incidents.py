"""Turn incident mentions into incidents: location, ACLED geo-precision, date, type, actors.

Mentions of one sentence that name one location (a neighbourhood and its city, coordinated
neighbourhoods, "between X and Y") make one incident; a sentence naming separate places
makes one incident per place. A place that only says where another is ("X in the countryside
of Y", "on the Y road", "near Y") is no incident of its own. Incidents with the same place and
date are merged, and an incident dated only by the publication joins one of a stated date at
its place; the first in the text is the primary one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from itertools import pairwise

from .context import Context
from .dates import DateExpr, find_dates
from .events import EventCall, Phrase, classify, fatalities
from .extract import Extraction
from .headlines import title_end
from .normalize import normalize
from .offsets import Offset, offset_before
from .places import distance_km, moved, within
from .triggers import BETWEEN, COUNTRYSIDE, NEAR, ROAD
from .types import (
    ADMIN_KINDS,
    AREA,
    CAMP,
    COMMUNITY,
    DAY,
    DISTRICT,
    FACILITY,
    GOVERNORATE,
    INCIDENT,
    NEIGHBOURHOOD,
    REPORTING,
    SUBDISTRICT,
    IncidentDraft,
    Mention,
    PlaceRecord,
)

_DIRECTION_AR = {"east": "الشرقي", "west": "الغربي", "north": "الشمالي", "south": "الجنوبي"}
_DIRECTION_EN = {"east": "Eastern", "west": "Western", "north": "Northern", "south": "Southern"}
_SPACES = re.compile(r"\s+")
SUMMARY_CHARS = 280


@dataclass(slots=True)
class _Group:
    sentence: int
    members: list[int] = field(default_factory=list)  # mention indexes, in text order


def _union(parent: dict[int, int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _find(parent: dict[int, int], a: int) -> int:
    while parent.get(a, a) != a:
        a = parent[a]
    return a


def _groups(ext: Extraction, mentions: list[Mention], ctx: Context) -> list[_Group]:
    """Group a sentence's incident mentions into locations, dropping those that only locate
    another and containers of others."""
    by_sentence: dict[int, list[int]] = {}
    for i, mention in enumerate(mentions):
        if mention.role == INCIDENT and mention.place is not None:
            by_sentence.setdefault(ext.doc.sent[ext.tokens[i][0]], []).append(i)
    coord = {(i, j) for i, j, rel in ext.links if rel == "coord"}
    linked = _linked_locators(ext, mentions)
    out: list[_Group] = []
    for sentence, members in sorted(by_sentence.items()):
        inside = set(members)
        # Locators first: a place near a facility is not dropped as the facility's container.
        kept = _drop_locators(members, mentions, {o for o, inner in linked if inner in inside}, ctx, coord)
        kept = _drop_containers(kept, mentions, ctx, coord)
        parent: dict[int, int] = {}
        for a, b in pairwise(kept):
            if (a, b) in coord and _same_location(mentions[a], mentions[b]):
                _union(parent, a, b)
        roots: dict[int, _Group] = {}
        for i in kept:
            root = _find(parent, i)
            if root not in roots:
                roots[root] = _Group(sentence)
                out.append(roots[root])
            roots[root].members.append(i)
    return out


def _drop_containers(
    members: list[int], mentions: list[Mention], ctx: Context, coord: set[tuple[int, int]]
) -> list[int]:
    """Remove mentions whose place contains, or repeats, another mention's place.

    A governorate capital named like its governorate ("حمص: … الرستن", "Aleppo | … in Mare'")
    stands for the governorate unless the text calls it a city or coordinates it with the other
    place. Mutual containment drops neither."""
    firsts: dict[int, int] = {}
    for i in members:
        place = mentions[i].place
        assert place is not None
        firsts.setdefault(place.id, i)
    members = list(firsts.values())
    if len(members) > MAX_CONTAINER_CHECK:
        return members  # a list of places, not a report: the pairwise check would be quadratic
    holds = {
        (i, j): _holds(mentions[i], mentions[j], ctx, (min(i, j), max(i, j)) in coord)
        for i in members
        for j in members
        if i != j
    }
    return [i for i in members if not any(holds[i, j] and not holds[j, i] for j in members if j != i)]


MAX_CONTAINER_CHECK = 40  # distinct places in one sentence
LOCATOR_KM = 30.0  # a place "near" the incident's own place lies within this; farther, it is another
_SIZE = {
    NEIGHBOURHOOD: 0,
    CAMP: 0,
    FACILITY: 0,
    COMMUNITY: 1,
    AREA: 2,
    SUBDISTRICT: 2,
    DISTRICT: 3,
    GOVERNORATE: 4,
}


def _drop_locators(
    members: list[int], mentions: list[Mention], linked: set[int], ctx: Context, coord: set[tuple[int, int]]
) -> list[int]:
    """Remove the mentions that only say where another one is (see `_locators`)."""
    located = _locators(members, mentions, linked, ctx, coord)
    return [i for i in members if i not in located]


def _locators(
    members: list[int], mentions: list[Mention], linked: set[int], ctx: Context, coord: set[tuple[int, int]]
) -> set[int]:
    """Return the mentions that locate another of the sentence: a larger unit a place is said to
    be in, a road ("on the Amuda road"), a place the incident is near. One always stays."""
    located = {i for i in members if i in linked}
    if len(members) <= MAX_CONTAINER_CHECK:  # the anchor checks are pairwise
        pool = [i for i in members if i not in located]
        located |= {i for i in pool if _anchored(i, pool, mentions, ctx, coord)}
    return located if len(located) < len(members) else set()


def _anchored(
    i: int, pool: list[int], mentions: list[Mention], ctx: Context, coord: set[tuple[int, int]]
) -> bool:
    """Tell whether a road or "near" mention locates another place of its sentence: one that is
    no road (nor, for "near", near something), that does not hold it (the road in "the Ahras road
    in the Aleppo countryside" is the incident's place), and for "near", one close by."""
    place, qualifier = mentions[i].place, mentions[i].span.qualifier
    assert place is not None
    if qualifier not in (NEAR, ROAD):
        return False
    skip = (ROAD,) if qualifier == ROAD else (NEAR, ROAD)
    for a in pool:
        other = mentions[a].place
        if other is None or other.id == place.id or mentions[a].span.qualifier in skip:
            continue
        if _holds(mentions[a], mentions[i], ctx, (min(a, i), max(a, i)) in coord):
            continue
        if qualifier == ROAD or within(place, other, LOCATOR_KM):
            return True
    return False


def _linked_locators(ext: Extraction, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Return (locator, place) mention pairs the text links: "X in the countryside of Y", «X بريف Y»,
    "X, in Y governorate", "Y's X". The gazetteer need not prove that Y holds X."""
    pairs: list[tuple[int, int]] = []
    for i, j, rel in ext.links:
        outer, inner = (i, j) if rel == "contains" else (j, i)
        if rel != "coord" and _locates(mentions[outer], mentions[inner], rel):
            pairs.append((outer, inner))
    return pairs


def _locates(outer: Mention, inner: Mention, rel: str) -> bool:
    """Tell whether a linked mention names a wider unit than the place it is linked to."""
    a, b = outer.place, inner.place
    if a is None or b is None or a.id == b.id or inner.span.qualifier == COUNTRYSIDE:
        return False
    if outer.span.qualifier == COUNTRYSIDE:
        return b.kind not in (GOVERNORATE, DISTRICT)
    if rel == "comma" and a.kind not in (*ADMIN_KINDS, AREA):
        return False  # "Ghuwayran, Maadan": a list of places, not a place and its region
    size_a, size_b = _SIZE.get(a.kind, 1), _SIZE.get(b.kind, 1)
    return size_a > size_b or (rel == "contains" and size_a == size_b)


def _holds(outer: Mention, inner: Mention, ctx: Context, coordinated: bool) -> bool:
    """Tell whether one mention's place holds another's (see `_drop_containers`)."""
    a, b = outer.place, inner.place
    if a is None or b is None or a.id == b.id:
        return False
    if ctx.places.encloses(a, b, outer.span.qualifier == COUNTRYSIDE):
        return True
    if (
        coordinated
        or outer.span.kind_hint
        or not a.admin1
        or a.admin1 not in (b.admin1, _region_of(b.admin1))
    ):
        return False
    return a.kind != GOVERNORATE and _names_governorate(outer, ctx)


def _region_of(admin1: str) -> str:
    """Return the governorate whose name also covers this one: Rural Damascus surrounds the
    capital, and a bare "Damascus" (دمشق) in a headline stands for either."""
    return "SY01" if admin1 == "SY03" else admin1


def _names_governorate(mention: Mention, ctx: Context) -> bool:
    """Tell whether a mention's name is also the name of its place's governorate."""
    place = mention.place
    assert place is not None
    return any(
        p.kind == GOVERNORATE and p.admin1 == place.admin1 for p, _ in ctx.lookup.exact(mention.span.key)
    )


def _same_location(a: Mention, b: Mention) -> bool:
    """Tell whether two coordinated mentions name one location (neighbourhoods, "between", the
    two ends of a road)."""
    if a.span.qualifier == b.span.qualifier and a.span.qualifier in (BETWEEN, ROAD):
        return True
    return a.place is not None and b.place is not None and a.place.kind == b.place.kind == NEIGHBOURHOOD


_OFFSETS = frozenset((NEAR, BETWEEN, ROAD))  # qualifiers that put the incident off the place's point


def _precision(place: PlaceRecord, qualifiers: AbstractSet[str]) -> int:
    """Return the ACLED geo-precision of a location."""
    if place.kind == GOVERNORATE and not qualifiers & _OFFSETS:
        return 3
    if place.kind in (DISTRICT, SUBDISTRICT, AREA) or qualifiers & (_OFFSETS | {COUNTRYSIDE}):
        return 2
    return 1


NEAR_RADIUS_KM = 5.0  # "near X", "on the X road": within a few km of X
REGION_RADIUS_KM = 15.0  # a countryside, district or area drawn without its polygon
MIN_RADIUS_KM = 2.0


def _radius(
    places: Sequence[PlaceRecord], qualifiers: AbstractSet[str], precision: int, offset: Offset | None
) -> float:
    """Return the radius of the uncertainty circle round a location's point (see IncidentDraft)."""
    if precision != 2:
        return 0.0
    if offset is not None:
        return max(MIN_RADIUS_KM, offset.km / 2 if offset.bearing is not None else offset.km)
    if qualifiers & {BETWEEN, ROAD} and len(places) > 1:  # anywhere between the two ends
        return max(NEAR_RADIUS_KM, distance_km(places[0], places[-1]) / 2)
    if qualifiers & _OFFSETS:
        return NEAR_RADIUS_KM
    return REGION_RADIUS_KM


def _countryside_area(place: PlaceRecord, direction: str, ctx: Context) -> PlaceRecord | None:
    """Return the curated "ريف X الشرقي" area place (or the "ريف X" governorate) for X's countryside."""
    base = place.name_ar
    names = [f"ريف {base} {_DIRECTION_AR[direction]}"] if direction in _DIRECTION_AR else []
    names.append(f"ريف {base}")
    for name in names:
        for cand, _ in ctx.lookup.exact(normalize(name)):
            # "ريف دمشق" is a governorate of its own (Rural Damascus), not an area of Damascus'.
            if cand.kind == AREA or (cand.kind == GOVERNORATE and cand.admin1 != place.admin1):
                return cand
    return None


def _labels(
    places: Sequence[PlaceRecord], qualifiers: AbstractSet[str], direction: str, ctx: Context
) -> tuple[str, str]:
    """Return the English and Arabic labels of a location."""
    first = places[0]
    en = " / ".join(p.name_en for p in places)
    ar = " / ".join(p.name_ar for p in places)
    if COUNTRYSIDE in qualifiers and first.kind != AREA:
        dir_en = _DIRECTION_EN.get(direction, "")
        en = f"{dir_en} {en} countryside".strip()
        ar = f"ريف {ar} {_DIRECTION_AR.get(direction, '')}".strip()
    elif first.kind == NEIGHBOURHOOD and first.parent_id is not None:
        city = ctx.gazetteer.place(first.parent_id)
        if city is not None:
            en, ar = f"{en}, {city.name_en}", f"{ar}، {city.name_ar}"
    return en, ar


def _sentence_summary(ext: Extraction, sentence: int) -> str:
    """Return the original text of a sentence, shortened."""
    first, last = ext.doc.sentence_text(sentence)
    if first > last:
        return ""
    text = _SPACES.sub(" ", ext.doc.text[ext.doc.starts[first] : ext.doc.ends[last]]).strip()
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


@dataclass(slots=True)
class _SentenceFacts:
    dates: dict[int, list[DateExpr]]
    events: dict[int, list[Phrase]]
    actors: dict[int, list[str]]
    article_actors: list[str]
    # Computed once per sentence: a long sentence may hold hundreds of incidents.
    _fatalities: dict[int, int | None] = field(default_factory=dict)
    _summaries: dict[int, str] = field(default_factory=dict)
    _calls: dict[int, EventCall] = field(default_factory=dict)

    def call(self, sentence: int) -> EventCall:
        """Return the event type and actors of a sentence (the article's first actors if none)."""
        if sentence not in self._calls:
            actors = self.actors.get(sentence) or self.article_actors[:3]
            self._calls[sentence] = classify(self.events.get(sentence, []), actors)
        return self._calls[sentence]

    def fatalities(self, ext: Extraction, sentence: int) -> int | None:
        """Return the deaths a sentence states."""
        if sentence not in self._fatalities:
            first, last = ext.doc.sentence_text(sentence)
            self._fatalities[sentence] = fatalities(ext.doc.norm_of(first, last)) if first <= last else None
        return self._fatalities[sentence]

    def summary(self, ext: Extraction, sentence: int) -> str:
        """Return a sentence's text, shortened."""
        if sentence not in self._summaries:
            self._summaries[sentence] = _sentence_summary(ext, sentence)
        return self._summaries[sentence]


def _facts(ext: Extraction, pub: dt.date | None, sentences: set[int]) -> _SentenceFacts:
    """Collect the dates, event keywords and actors of the sentences that hold incidents."""
    doc = ext.doc
    facts = _SentenceFacts({}, {}, {}, [])
    for sent in sentences:
        first, last = doc.sentence_text(sent)
        if first <= last:
            facts.dates[sent] = find_dates(doc.norm_of(first, last), pub)
    for hit in ext.hits:
        sent = doc.sent[hit.first]
        if hit.phrase.tag == "event" and sent in sentences:
            facts.events.setdefault(sent, []).append(hit.phrase)
        elif hit.phrase.tag == "event" and sent - 1 in sentences and sent - 1 not in facts.events:
            # "اعزاز 15_2_2016. إصابات جراء القصف": a place-less sentence right after an incident's
            # tells what happened there, when the incident's own sentence does not.
            facts.events.setdefault(sent - 1, []).append(hit.phrase)
        elif hit.phrase.tag == "actor":
            facts.actors.setdefault(sent, []).append(hit.phrase.payload)
            facts.article_actors.append(hit.phrase.payload)
    return facts


def build_incidents(
    ext: Extraction, mentions: list[Mention], ctx: Context, pub: dt.date | None
) -> list[IncidentDraft]:
    """Return the incidents of a text, primary first."""
    groups = _groups(ext, mentions, ctx)
    facts = _facts(ext, pub, {g.sentence for g in groups})
    drafts = [d for d in (_draft(ext, mentions, g, ctx, facts, pub) for g in groups) if d is not None]
    return _primary_first(_merge(drafts, ctx), mentions, title_end(ext.doc.text))


def _primary_first(
    drafts: list[IncidentDraft], mentions: list[Mention], title_end: int
) -> list[IncidentDraft]:
    """Put first the incident whose governorate the text names most often (a vote across the
    headlines of a digest, or the clauses of a headline); ties keep text order. An article with
    a title keeps text order: its title, or its lead, names the incident."""
    if len(drafts) < 2 or title_end:
        return drafts
    votes: dict[str, int] = {}
    for mention in mentions:
        if mention.place is not None and mention.role != REPORTING and mention.place.admin1:
            votes[mention.place.admin1] = votes.get(mention.place.admin1, 0) + 1
    best = max(range(len(drafts)), key=lambda k: (votes.get(drafts[k].place.admin1, 0), -k))
    return [drafts[best], *drafts[:best], *drafts[best + 1 :]]


def _draft(
    ext: Extraction,
    mentions: list[Mention],
    group: _Group,
    ctx: Context,
    facts: _SentenceFacts,
    pub: dt.date | None,
) -> IncidentDraft | None:
    """Build one incident from a location group and its sentence's facts."""
    loc = _location(ext, mentions, group, ctx)
    if loc is None:
        return None
    place, precision = loc.place, loc.precision
    label_en, label_ar = _labels(loc.places, loc.qualifiers, loc.direction, ctx)
    dates = facts.dates.get(group.sentence, [])
    if dates:
        date, date_precision = dates[0].date.isoformat(), dates[0].precision
    elif isinstance(pub, dt.date):
        date, date_precision = pub.isoformat(), DAY
    else:
        date, date_precision = None, DAY
    call = facts.call(group.sentence)
    score = sum(mentions[i].score for i in group.members) / len(group.members)
    return IncidentDraft(
        place=place,
        lat=round(loc.lat, 6),
        lon=round(loc.lon, 6),
        geo_precision=precision,
        date=date,
        date_precision=date_precision,
        event_type=call.event_type,
        actors=call.actors,
        fatalities=facts.fatalities(ext, group.sentence),
        summary=facts.summary(ext, group.sentence),
        confidence=round(score * (1.0 if call.event_type else 0.85), 3),
        mentions=tuple(group.members),
        area_place_ids=(place.id,) if precision >= 2 else (),
        label_en=label_en,
        label_ar=label_ar,
        sub_event_type=call.sub_event_type,
        place_ids=tuple(dict.fromkeys(p.id for p in loc.places)),
        radius_km=loc.radius_km,
        date_stated=bool(dates),
    )


@dataclass(frozen=True, slots=True)
class _Location:
    """Where a location group puts its incident."""

    place: PlaceRecord
    places: tuple[PlaceRecord, ...]
    qualifiers: frozenset[str]
    direction: str
    precision: int
    lat: float
    lon: float
    radius_km: float


def _location(ext: Extraction, mentions: list[Mention], group: _Group, ctx: Context) -> _Location | None:
    """Return a location group's place, ACLED precision, point and uncertainty radius."""
    places = [p for p in (mentions[i].place for i in group.members) if p is not None]
    if not places:
        return None
    spans = [mentions[i].span for i in group.members]
    qualifiers = {s.qualifier for s in spans if s.qualifier}
    direction = next((s.direction for s in spans if s.direction), "")
    place = places[0]
    if COUNTRYSIDE in qualifiers and place.kind != AREA:
        area = _countryside_area(place, direction, ctx)
        if area is not None:
            place, places, qualifiers = area, [area], qualifiers - {COUNTRYSIDE}
    offset = next(filter(None, (offset_before(ext.doc, ext.tokens[i][0]) for i in group.members)), None)
    precision = _precision(place, qualifiers | ({NEAR} if offset else set()))
    lat = sum(p.lat for p in places) / len(places)  # "between X and Y", "the X-Y road": halfway
    lon = sum(p.lon for p in places) / len(places)
    seat = ctx.places.coded_town(place) if precision == 2 else None
    if seat is not None:
        # ACLED codes "the countryside of X" at X itself; the area is kept for drawing.
        lat, lon = seat.lat, seat.lon
    if offset is not None and offset.bearing is not None:
        lat, lon = moved(lat, lon, offset.km, offset.bearing)
    radius = _radius(places, qualifiers, precision, offset)
    return _Location(place, tuple(places), frozenset(qualifiers), direction, precision, lat, lon, radius)


def _merge(drafts: list[IncidentDraft], ctx: Context) -> list[IncidentDraft]:
    """Merge incidents with the same (or a containing) place and date; an incident dated only by
    the publication joins one whose sentence states a date, and takes that date. Keep text order."""
    if len(drafts) > MAX_MERGE_CHECK:
        return _merge_same_places(drafts)
    out: list[IncidentDraft] = []
    for draft in drafts:
        for k, kept in enumerate(out):
            keep = _joins(kept, draft, ctx)
            if keep is not None:
                merged = _combine(kept, draft, keep_place=keep)
                out[k] = _dated_by(merged, draft) if draft.date_stated and not kept.date_stated else merged
                break
        else:
            out.append(draft)
    return out


def _joins(kept: IncidentDraft, draft: IncidentDraft, ctx: Context) -> IncidentDraft | None:
    """Return which of two incidents' places a merge keeps (the inner one), or None if they stay apart."""
    if kept.date != draft.date and kept.date_stated == draft.date_stated:
        return None
    if set(kept.place_ids) & set(draft.place_ids) or ctx.places.contains(draft.place, kept.place):
        return kept
    return draft if ctx.places.contains(kept.place, draft.place) else None


MAX_MERGE_CHECK = 200  # incidents: past this, only the same places merge (linear time)


def _merge_same_places(drafts: list[IncidentDraft]) -> list[IncidentDraft]:
    """Merge incidents with the same places and date, an unstated date taking the first stated one
    at those places; keep text order."""
    stated_at: dict[tuple[int, ...], IncidentDraft] = {}
    for draft in drafts:
        if draft.date_stated:
            stated_at.setdefault(draft.place_ids, draft)
    out: dict[tuple[str | None, tuple[int, ...]], IncidentDraft] = {}
    for draft in drafts:
        if not draft.date_stated and draft.place_ids in stated_at:
            draft = _dated_by(draft, stated_at[draft.place_ids])
        key = (draft.date, draft.place_ids)
        out[key] = _combine(out[key], draft, keep_place=out[key]) if key in out else draft
    return list(out.values())


def _dated_by(draft: IncidentDraft, dated: IncidentDraft) -> IncidentDraft:
    """Give an incident the date of another."""
    return replace(draft, date=dated.date, date_precision=dated.date_precision, date_stated=dated.date_stated)


def _combine(a: IncidentDraft, b: IncidentDraft, keep_place: IncidentDraft) -> IncidentDraft:
    """Join two incidents: one place, the union of mentions and actors, the stronger type."""
    base = replace(
        a,
        place=keep_place.place,
        lat=keep_place.lat,
        lon=keep_place.lon,
        geo_precision=keep_place.geo_precision,
        label_en=keep_place.label_en,
        label_ar=keep_place.label_ar,
        area_place_ids=keep_place.area_place_ids,
        place_ids=keep_place.place_ids,
        radius_km=keep_place.radius_km,
    )
    return replace(
        base,
        mentions=tuple(dict.fromkeys(a.mentions + b.mentions)),
        actors=tuple(dict.fromkeys(a.actors + b.actors)),
        event_type=a.event_type or b.event_type,
        sub_event_type=a.sub_event_type or b.sub_event_type,
        fatalities=a.fatalities if a.fatalities is not None else b.fatalities,
        confidence=max(a.confidence, b.confidence),
    )
