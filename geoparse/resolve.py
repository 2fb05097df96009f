"""Choose one place per span (or none) and give each mention its role.

Evidence, strongest first: explicit containment ("غويران بمدينة الحسكة", "in the X
neighbourhood of Y city", "X, Hama"), the other places of the text and their distance,
a governorate named in the text, then kind and importance (already in the prior).
Roles: reporting (datelines, "مراسلنا في X"), context (background sentences, sentences
without an event), incident (the rest).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from .candidates import candidates, without_article
from .common import COMMON_ZIPF_AR, zipf
from .context import Context
from .extract import Extraction
from .headlines import title_end
from .normalize import is_arabic
from .places import CITY_IMPORTANCE, CITY_KM, within
from .scoring import prior
from .tokens import Doc
from .triggers import COUNTRYSIDE, NEAR, split_trigger
from .types import (
    AREA,
    COMMUNITY,
    CONTEXT,
    DISTRICT,
    GOVERNORATE,
    INCIDENT,
    NEIGHBOURHOOD,
    REPORTING,
    SUBDISTRICT,
    Candidate,
    Mention,
    PlaceRecord,
    Span,
)

DECLINE_BELOW = 1.0  # a best score under this leaves the mention unresolved
NEAR_KM = 40.0
NEAR_CONTAINER_KM = 25.0  # a place said to be in X, but that the gazetteer puts just outside it
CAPITAL_ADMIN1 = "SY01"  # Damascus
MAX_ANCHORS = 60
_DATELINE = re.compile(
    r"^\s*(?:,[^()\n]{0,40})?\s*\((?:AP|AFP|Reuters|SANA|AA|Xinhua|dpa|UPI|سانا|رويترز)\)\s*[-—–:]?"
    r"|^\s*[-—–:]\s"
)

_AGENCY = re.compile(r"^\s*(?:,[^()\n]{0,40})?\s*\(")
# "QAMISHLI, Syria (Demo Wire) — …": a capitalised dateline names any outlet before its dash.
_CAPS_DATELINE = re.compile(r"^\s*(?:,[^()\n]{0,40})?\s*(?:\([^()\n]{1,40}\))?\s*[-—–:]\s")
DATELINE_LEAD = 3  # tokens before a dateline's place ("By Jane Doe", "Syria:")


MAX_RANKED = 5  # candidates handed out per mention (the review queue shows them)


@dataclass(slots=True)
class _State:
    cands: list[list[Candidate]]
    bonus: list[dict[int, float]]
    spans: Sequence[Span]
    rural: list[bool]
    town: PlaceRecord | None = None  # the reporter's city (_reporter_town)

    def best(self, i: int) -> tuple[Candidate, float] | None:
        top: tuple[Candidate, float] | None = None
        for cand in self.cands[i]:
            total = cand.score + self.bonus[i].get(cand.place.id, 0.0)
            if top is None or total > top[1]:
                top = (cand, total)
        return top

    def ranked(self, i: int, chosen: PlaceRecord | None) -> tuple[tuple[int, float], ...]:
        """Return the top (place id, total) pairs of span i, best first, the chosen place first."""
        cands, bonus = self.cands[i], self.bonus[i]
        if len(cands) < 2:  # most spans: nothing to rank
            return tuple((c.place.id, round(c.score + bonus.get(c.place.id, 0.0), 3)) for c in cands)
        totals: dict[int, float] = {}
        for cand in cands:
            pid, total = cand.place.id, cand.score + bonus.get(cand.place.id, 0.0)
            if pid not in totals or total > totals[pid]:  # a place proposed twice keeps its best
                totals[pid] = total
        order = sorted(totals, key=totals.__getitem__, reverse=True)
        if chosen is not None and chosen.id in totals and order[0] != chosen.id:
            # A district's seat is chosen over the unit that outscored it (_seat_for_unit).
            order.remove(chosen.id)
            order.insert(0, chosen.id)
        return tuple((pid, round(totals[pid], 3)) for pid in order[:MAX_RANKED])


def _containment(ext: Extraction, state: _State, ctx: Context) -> None:
    """Reward candidate pairs that the text states contain one another."""
    groups = _coord_groups(ext)
    for i, j, rel in ext.links:
        if rel == "coord":
            continue
        inner_outer = [(i, j)] if rel in ("in", "comma") else [(j, i)]
        if rel == "in":
            inner_outer = [(k, j) for k in groups.get(i, [i])]
        for inner, outer in inner_outer:
            rural = ext.spans[outer].qualifier == "countryside"
            if ext.spans[inner].kind_hint == NEIGHBOURHOOD and not rural:
                _quarter_in_town(state, inner, outer, ctx)
                continue
            _reward_pair(state, inner, outer, ctx, strong=rel != "comma", rural=rural)


def _quarter_in_town(state: _State, inner: int, outer: int, ctx: Context) -> None:
    """Read "حي X بحلب" as a quarter of the town: reward the town, and quarters near it; a quarter
    the gazetteer only knows far away is left unresolved, so the town stands for it."""
    towns = [c.place for c in state.cands[outer] if c.place.kind == COMMUNITY]
    if not towns:
        return
    for town in towns:
        state.bonus[outer][town.id] = max(state.bonus[outer].get(town.id, 0.0), 0.5)
    near_any = False
    for cand in state.cands[inner]:
        near = any(within(town, cand.place, CITY_KM) for town in towns)
        near_any |= near
        state.bonus[inner][cand.place.id] = state.bonus[inner].get(cand.place.id, 0.0) + (
            1.0 if near else -1.0
        )
    if not near_any:
        _partial_in_container(state, inner, outer, ctx, quarter=True)


def _reward_pair(state: _State, inner: int, outer: int, ctx: Context, strong: bool, rural: bool) -> None:
    found = False
    for ci in state.cands[inner]:
        for co in state.cands[outer]:
            if ctx.places.encloses(co.place, ci.place, rural):
                found = True
                state.bonus[inner][ci.place.id] = max(state.bonus[inner].get(ci.place.id, 0.0), 1.0)
                state.bonus[outer][co.place.id] = max(state.bonus[outer].get(co.place.id, 0.0), 0.5)
    if strong and not found:
        # The stated container holds none of the places of that name: keep those near it, and
        # leave the rest unresolved, so the container stands for the place.
        towns = [co.place for co in state.cands[outer] if co.place.kind not in _BROAD]
        near_any = False
        for ci in state.cands[inner]:
            near = any(within(town, ci.place, NEAR_CONTAINER_KM) for town in towns)
            near_any |= near
            state.bonus[inner][ci.place.id] = state.bonus[inner].get(ci.place.id, 0.0) - (
                0.1 if near else 1.0
            )
        if not near_any:
            _partial_in_container(state, inner, outer, ctx, quarter=False)


PARTIAL_QUALITY = 80.0
MAX_PARTIAL = 1  # two places holding the word in the container: the short name says too little


def _partial_in_container(state: _State, inner: int, outer: int, ctx: Context, quarter: bool) -> None:
    """Read a one-word Arabic name as the one place in its stated container whose longer name
    holds it: a village's name opens with it ("السعن حمص" → سعن الأسود, "قرية الركايا بريف إدلب"
    → ركايا سجنة); a quarter's name may also end with it ("حي القاطرجي بحلب" → كرم القاطرجي).
    A village's last word is often a region or a town ("معضمية القلمون"): never matched alone."""
    # "حي X بحلب" is context enough for a word that is also common ("حي الصالحين").
    word = _bare_word(state.spans[inner].key, common_ok=quarter)
    if word is None:
        return
    outers = [c for c in state.cands[outer] if not quarter or c.place.kind == COMMUNITY]
    found: dict[int, tuple[PlaceRecord, str]] = {}
    for key, head in ctx.lookup.keys_by_word().get(word, ()):
        for place, name in ctx.lookup.exact(key):
            fits = place.kind == NEIGHBOURHOOD or (place.kind == COMMUNITY and head and not quarter)
            if fits and any(ctx.places.encloses(co.place, place, state.rural[outer]) for co in outers):
                found.setdefault(place.id, (place, name))
    if not 0 < len(found) <= MAX_PARTIAL:
        return
    for place, name in found.values():  # one place (MAX_PARTIAL), or none
        cand = Candidate(place, name, PARTIAL_QUALITY, prior(state.spans[inner], place, PARTIAL_QUALITY))
        state.cands[inner] = [*state.cands[inner], cand]
        state.bonus[inner][place.id] = 1.0


def _bare_word(key: str, common_ok: bool) -> str | None:
    """Return a one-word Arabic key without its article, if long enough (and rare enough) to be
    a name."""
    if " " in key or not is_arabic(key) or (zipf(key) >= COMMON_ZIPF_AR and not common_ok):
        return None
    word = without_article(key)
    return word if len(word) >= 3 else None


def _coord_groups(ext: Extraction) -> dict[int, list[int]]:
    """Map each span to the spans coordinated with it ("حيي النشوة وغويران")."""
    groups: dict[int, list[int]] = {}
    for i, j, rel in ext.links:
        if rel == "coord":
            group = groups.get(i, [i])
            group.append(j)
            for k in group:
                groups[k] = group
    return groups


_BROAD = frozenset((GOVERNORATE, DISTRICT, SUBDISTRICT))


def _names_governorate(place: PlaceRecord) -> bool:
    """Tell whether naming a place says which governorate the text is about: the governorate, an
    area inside one ("Idlib southern countryside"), or a governorate capital."""
    if not place.admin1:
        return False
    if place.kind in (GOVERNORATE, AREA):
        return True
    return place.kind == COMMUNITY and place.importance >= CITY_IMPORTANCE


def _coherence(ext: Extraction, state: _State) -> None:
    """Reward candidates near the other places of the text or inside a governorate it names."""
    anchors: list[tuple[int, PlaceRecord]] = []
    seen: set[int] = set()
    for i in range(len(ext.spans)):
        top = state.best(i)
        if top is not None and len(anchors) < MAX_ANCHORS and top[0].place.id not in seen:
            seen.add(top[0].place.id)
            anchors.append((i, top[0].place))
    governorates = {p.admin1 for _, p in anchors if _names_governorate(p)}
    _outside_named(ext, state, anchors)
    # An admin unit's centroid says nothing about which same-named town is meant.
    anchors = [(j, p) for j, p in anchors if p.kind not in _BROAD]
    for i, cands in enumerate(state.cands):
        if len(cands) < 2:
            continue
        key = ext.spans[i].key
        for cand in cands:
            extra = 0.0
            if cand.place.admin1 in governorates and cand.place.kind != GOVERNORATE:
                extra += 0.3
            for j, place in anchors:
                other = j != i and ext.spans[j].key != key and place.id != cand.place.id
                if other and within(place, cand.place, NEAR_KM):
                    extra += 0.3
                    break
            if extra:
                state.bonus[i][cand.place.id] = state.bonus[i].get(cand.place.id, 0.0) + extra


OUTSIDE_PENALTY = 1.0  # a reading outside every governorate the text names is another place
MINOR_IMPORTANCE = 0.5  # villages below this yield even when spelt exactly (one named governorate)


def _outside_named(ext: Extraction, state: _State, anchors: list[tuple[int, PlaceRecord]]) -> None:
    """Decline readings outside every governorate the text names as a region ("… in Aleppo
    province", "Hama countryside", «ريف حلب»): a loose (fuzzy) spelling matched some other village,
    and so did an exact minor village when the text names a single governorate; the named
    governorate then stands for the place (a precision-3 fallback)."""
    for i, cands in enumerate(state.cands):
        regions = [(j, p) for j, p in anchors if j != i and _firm_region(ext.spans[j], p)]
        named = {p.admin1 for _, p in regions}
        if not named:
            continue
        # An exact name yields only to a single governorate named in its own sentence: another
        # sentence's "أرياف دير الزور" may be background.
        sent = ext.doc.sent[ext.tokens[i][0]]
        single = len(named) == 1 and all(ext.doc.sent[ext.tokens[j][0]] == sent for j, _ in regions)
        # Damascus lies inside Rural Damascus: "Damascus suburbs" and "Damascus" name either.
        named |= {_ENCLAVE[a] for a in named if a in _ENCLAVE}
        for cand in cands:
            minor = single and cand.place.importance < MINOR_IMPORTANCE
            loose = (cand.match_quality < 100.0 or minor) and cand.place.kind not in _FIRM
            if loose and cand.place.admin1 not in named:
                state.bonus[i][cand.place.id] = state.bonus[i].get(cand.place.id, 0.0) - OUTSIDE_PENALTY


_FIRM = frozenset((GOVERNORATE, AREA))
_ENCLAVE = {"SY01": "SY03", "SY03": "SY01"}


def _firm_region(span: Span, place: PlaceRecord) -> bool:
    """Tell whether a span names a governorate as a region: the governorate or an area in it, or a
    capital read as its countryside, province or surroundings ("Hama countryside", «ريف حلب»,
    "north of Aleppo")."""
    if not _names_governorate(place):
        return False
    return place.kind in _FIRM or span.qualifier in (COUNTRYSIDE, NEAR) or span.kind_hint == GOVERNORATE


def weigh(ext: Extraction, cands: list[list[Candidate]], ctx: Context) -> _State:
    """Return the spans' candidates with the bonuses the text's evidence gives them."""
    state = _State(cands, [{} for _ in cands], ext.spans, [s.qualifier == COUNTRYSIDE for s in ext.spans])
    _containment(ext, state, ctx)
    state.town = _reporter_town(ext, ctx)
    if state.town is not None:
        _reporter_container(ext, state, state.town)
    _coherence(ext, state)
    return state


def choose(ext: Extraction, state: _State) -> list[tuple[Candidate | None, float]]:
    """Return the chosen candidate and total score of each span (None when declined)."""
    out: list[tuple[Candidate | None, float]] = []
    for i in range(len(state.cands)):
        top = state.best(i)
        if top is None or top[1] < DECLINE_BELOW:
            out.append(_town_for_quarter(ext, i, state.town, top))
        else:
            out.append(_seat_for_unit(ext.spans[i], state, i, top))
    return out


def _reporter_town(ext: Extraction, ctx: Context) -> PlaceRecord | None:
    """Return the city an organisation's name holds ("شبكة حلب نيوز", "Idlib Press"): it says
    where the reporter is, a weak container for names the text does not place otherwise."""
    for hit in ext.hits:
        # A one-word name ("Sham") or an article-led word ("Ahrar al-Sham") is a region's name, not
        # the seat of a newsroom.
        if hit.phrase.tag != "org" or hit.first == hit.last:
            continue
        for k in range(hit.first, hit.last + 1):
            if _article_led(ext, k):
                continue
            for place, _ in ctx.lookup.exact(ext.doc.norms[k]):
                # The capital's name stands for the state ("Damascus government").
                capital = place.admin1 == CAPITAL_ADMIN1
                if place.kind == COMMUNITY and place.importance >= CITY_IMPORTANCE and not capital:
                    return place
    return None


def _article_led(ext: Extraction, k: int) -> bool:
    """Tell whether token k carries an article or follows one."""
    norms = ext.doc.norms
    return norms[k].startswith(("ال", "al-", "el-")) or (k > 0 and norms[k - 1] in _ARTICLES_EN)


_ARTICLES_EN = frozenset(("al", "el", "ash", "as", "ad", "ar", "az"))


def _placed(ext: Extraction) -> set[int]:
    """Return the spans the text itself puts inside another place."""
    inner: set[int] = set()
    for i, j, rel in ext.links:
        if rel in ("in", "comma"):
            inner.add(i)
        elif rel == "contains":
            inner.add(j)
    return inner


def _quarter(span: Span) -> bool:
    """Tell whether a span names a quarter, by its trigger or the trigger inside its name."""
    return NEIGHBOURHOOD in (span.kind_hint, split_trigger(span.key)[0])


def _reporter_container(ext: Extraction, state: _State, town: PlaceRecord) -> None:
    """Read an unplaced quarter ("حي X") as one of the reporter's city: those far from it are
    left unresolved, so the city stands for the quarter."""
    placed = _placed(ext)
    for i, span in enumerate(ext.spans):
        if not _quarter(span) or i in placed:
            continue
        for cand in state.cands[i]:
            if not within(town, cand.place, CITY_KM):
                state.bonus[i][cand.place.id] = state.bonus[i].get(cand.place.id, 0.0) - 1.0


def _town_for_quarter(
    ext: Extraction, i: int, town: PlaceRecord | None, top: tuple[Candidate, float] | None
) -> tuple[Candidate | None, float]:
    """Let the reporter's city stand for an unplaced quarter the gazetteer does not hold near it."""
    score = top[1] if top else 0.0
    span = ext.spans[i]
    if town is None or not _quarter(span) or i in _placed(ext):
        return None, score
    return Candidate(town, span.text, 0.0, DECLINE_BELOW), DECLINE_BELOW


def _seat_for_unit(
    span: Span, state: _State, i: int, top: tuple[Candidate, float]
) -> tuple[Candidate, float]:
    """Take the town a district or sub-district is named after: a bare name ("اعزاز", "Azaz")
    means the town, as ACLED codes it; a trigger ("منطقة اعزاز", "Azaz district") keeps the unit."""
    unit = top[0].place
    if unit.kind not in (DISTRICT, SUBDISTRICT) or span.kind_hint or span.trigger or top[0].kind_hint:
        return top
    for cand in state.cands[i]:
        place = cand.place
        if place.kind == COMMUNITY and unit.pcode in (place.admin2, place.admin3):
            return cand, top[1]
    return top


# Casualty words make a sentence report an event even when no event-type keyword is in it.
_CASUALTY = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|dead|died|wounded|injur(?:ed|ing|ies)|casualties)\b"
    r"|(?:^|\s)[وفب]?(?:قتل\w*|مقتل|استشهاد|شهداء|شهيد\w*|جرحي|اصاب\w*|ضحايا)(?=\s|$)"
)


def _casualty_clauses(ext: Extraction) -> set[int]:
    """Return the clauses that state people killed or wounded."""
    doc = ext.doc
    out: set[int] = set()
    for clause in sorted({doc.clause[ext.tokens[i][0]] for i in range(len(ext.spans))}):
        first, last = doc.clause_text(clause)
        if first <= last and _CASUALTY.search(doc.norm_of(first, last)):
            out.add(clause)
    return out


def _sentence_flags(ext: Extraction) -> tuple[set[int], set[int], dict[int, int]]:
    """Return event clauses, background clauses and reporting-cue end tokens."""
    events: set[int] = _casualty_clauses(ext)
    background: set[int] = set()
    reporting: dict[int, int] = {}
    sent = ext.doc.clause
    for hit in ext.hits:
        tag = hit.phrase.tag
        if tag == "event":
            events.add(sent[hit.first])
        elif tag in ("background", "pattern"):
            background.add(sent[hit.first])
        elif tag == "reporting":
            reporting[hit.last] = hit.first
    return events, background, reporting


def _pattern_clauses(ext: Extraction) -> set[int]:
    """Return the clauses that state a pattern over time: never an incident, even as a fallback."""
    return {ext.doc.clause[hit.first] for hit in ext.hits if hit.phrase.tag == "pattern"}


def _is_reporting(ext: Extraction, i: int, reporting: dict[int, int]) -> bool:
    """Tell whether a span is a dateline or follows a reporting cue."""
    first = ext.tokens[i][0]
    doc = ext.doc
    opening = _paragraph_opening(doc, first)
    if opening is not None and _is_dateline(doc, ext.spans[i], opening):
        return True
    return any(first - back in reporting and doc.sent[first - back] == doc.sent[first] for back in (1, 2, 3))


def _paragraph_opening(doc: Doc, first: int) -> int | None:
    """Return where the paragraph a dateline may open starts (the text's, or the body's after a
    title) when token first is among its first tokens, else None."""
    if doc.sent[first] == 0:
        return 0 if first <= DATELINE_LEAD else None
    end = title_end(doc.text)
    body = bisect_left(doc.starts, end) if end else -1
    return doc.starts[body] if 0 <= body <= first <= body + DATELINE_LEAD else None


def _is_dateline(doc: Doc, span: Span, opening: int) -> bool:
    """Tell whether a name at a paragraph's opening is its dateline: "BEIRUT (AP) —", "BEIRUT —" or
    "Damascus (SANA) -"; a headline's "Azaz: …" names the place."""
    after = doc.text[span.end : span.end + 60]
    if doc.text[opening : span.start].strip() and not doc.text[opening : span.start].strip().isupper():
        return False
    if span.text.isupper() and _CAPS_DATELINE.match(after):
        return True
    return bool(_DATELINE.match(after)) and bool(_AGENCY.match(after))


def assign_roles(ext: Extraction, chosen: list[tuple[Candidate | None, float]]) -> list[str]:
    """Return the role of every span."""
    events, background, reporting = _sentence_flags(ext)
    roles: list[str] = []
    for i in range(len(ext.spans)):
        sent = ext.doc.clause[ext.tokens[i][0]]
        if _is_reporting(ext, i, reporting):
            roles.append(REPORTING)
        elif sent in background or sent not in events:
            roles.append(CONTEXT)
        else:
            roles.append(INCIDENT)
    if not any(role == INCIDENT and cand is not None for role, (cand, _) in zip(roles, chosen, strict=True)):
        _fallback_incident(ext, chosen, roles, (background - events) | _pattern_clauses(ext))
    return roles


def _fallback_incident(
    ext: Extraction, chosen: list[tuple[Candidate | None, float]], roles: list[str], background: set[int]
) -> None:
    """With no event sentence, make the first resolved, non-background sentence the incident;
    `background` holds the background sentences without an event word: a headline whose
    "تصاعد الدخان جراء الغارات" reads as a trend but reports a strike can still hold the incident."""
    for i, (cand, _) in enumerate(chosen):
        sent = ext.doc.clause[ext.tokens[i][0]]
        if cand is not None and roles[i] == CONTEXT and sent not in background:
            for k in range(len(roles)):
                if ext.doc.clause[ext.tokens[k][0]] == sent and roles[k] == CONTEXT:
                    roles[k] = INCIDENT
            return


def resolve(ext: Extraction, ctx: Context) -> list[Mention]:
    """Return one Mention per kept span, resolved or not, with its role."""
    state = weigh(ext, candidates(ext.spans, ctx.lookup), ctx)
    chosen = choose(ext, state)
    roles = assign_roles(ext, chosen)
    mentions: list[Mention] = []
    for i, (span, (cand, total), role) in enumerate(zip(ext.spans, chosen, roles, strict=True)):
        place = cand.place if cand is not None else None
        score = round(min(1.0, max(0.0, total) / 2.5), 3)
        mentions.append(Mention(span, place, score, role, state.ranked(i, place)))
    return mentions
