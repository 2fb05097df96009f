"""The extraction stage: find the place names of a text as spans, with their links.

Names are found with one Aho-Corasick automaton over every gazetteer key (automata.py) on the
normalised text (tokens.py); Arabic names may carry clitics (clitics.py). Unknown names in place
contexts are proposed for a fuzzy lookup (arabic.py, english.py), known names are joined into
longer ones when the gazetteer spells the whole closely, and names that are words, outlets or
trigger nouns are dropped. Trigger words, qualifiers ("ريف", "near") and links between names
(coordination, containment) are recorded for the later stages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .arabic import (
    AR_PLACE_PREPS,
    arabic_candidate,
    bare_countryside,
    construct_head,
    containers,
    elided_alef,
    glued_capitals,
    vocalised,
    with_direction,
    with_next,
)
from .automata import LEAD_DIRECTIONS, MAX_SPANS, Match, RuleHit, find_rule_hits, place_matches, select
from .candidates import PlaceLookup
from .clitics import DIRECTIONS_AR, strip_clitics
from .common import COMMON_ZIPF_AR, COMMON_ZIPF_EN, IMPORTANT, VERY_COMMON_ZIPF, zipf
from .context import Context
from .drafts import Draft, to_span
from .english import (
    DIRECTIONS_EN,
    EN_PLACE_PREPS,
    EN_STOP,
    capital_run,
    capitalised,
    english_candidate,
    idafa_head,
    lower_ok,
    names_region,
    run_draft,
    with_direction_en,
)
from .headlines import headline_field
from .normalize import drop_articles, is_arabic
from .outlets import media_name
from .tokens import Doc, build_doc
from .triggers import (
    BETWEEN,
    COUNTRYSIDE,
    NEAR,
    ROAD,
    TEXT_TRIGGERS_AR,
    TEXT_TRIGGERS_EN_AFTER,
    TEXT_TRIGGERS_EN_OF,
    arabic_trigger,
)
from .types import Span

MAX_FUZZY = 4  # unknown names proposed for a fuzzy lookup per text

_IN_EN = frozenset(
    [
        "in",
        "of",
        "the",
        "city",
        "town",
        "village",
        "neighbourhood",
        "neighborhood",
        "district",
        "area",
        "countryside",
        "province",
        "governorate",
        "rural",
        "eastern",
        "western",
        "northern",
        "southern",
        "al",
    ]
)
_IN_AR = frozenset(("في", "داخل", "التابع", "التابعه", "ضمن", "شرقي", "غربي", "شمالي", "جنوبي"))


@dataclass(frozen=True, slots=True)
class Extraction:
    """Spans found in a text, with their token ranges, links and the rule phrases seen."""

    doc: Doc
    spans: tuple[Span, ...]
    tokens: tuple[tuple[int, int], ...]  # (first, last) token of each span
    links: tuple[tuple[int, int, str], ...]  # (span i, span j, "coord" | "in" | "comma" | "contains")
    hits: tuple[RuleHit, ...]


def _ends_at(hits: list[RuleHit], tag: str) -> dict[int, RuleHit]:
    """Map the last token of each hit with this tag to the hit."""
    return {h.last: h for h in hits if h.phrase.tag == tag}


def _annotate(doc: Doc, draft: Draft, near_by_end: dict[int, RuleHit]) -> None:
    """Set the trigger, qualifier and direction of a draft span from its neighbours."""
    f, last = draft.first, draft.last
    n = len(doc.norms)
    same = doc.sent
    if doc.lang == "ar" or is_arabic(draft.key):
        if f > 0 and same[f - 1] == same[f] and not doc.hard[f]:
            trig = arabic_trigger(doc.norms[f - 1])
            if trig is not None:
                draft.kind_hint, draft.plural, draft.qualifier = trig
                draft.trigger = doc.norms[f - 1]
                if f > 1 and draft.qualifier == "":
                    draft.qualifier = _qualifier_before(doc, f - 1, near_by_end)
        if last + 1 < n and not doc.hard[last + 1] and draft.qualifier == COUNTRYSIDE:
            draft.direction = DIRECTIONS_AR.get(doc.norms[last + 1], "")
        if not draft.qualifier and _near_before(doc, f, near_by_end):
            draft.qualifier = NEAR
    else:
        after = doc.norms[last + 1] if last + 1 < n and not doc.hard[last + 1] else ""
        trig = TEXT_TRIGGERS_EN_AFTER.get(after)
        if trig is None and after in DIRECTIONS_EN and last + 2 < n and doc.norms[last + 2] == "countryside":
            trig, draft.direction = TEXT_TRIGGERS_EN_AFTER["countryside"], DIRECTIONS_EN[after]
        if trig is not None:
            draft.kind_hint, draft.plural, draft.qualifier = trig
            draft.trigger = after
        elif f >= 2 and doc.norms[f - 1] == "of" and doc.norms[f - 2] in TEXT_TRIGGERS_EN_OF:
            draft.kind_hint, draft.plural, draft.qualifier = TEXT_TRIGGERS_EN_OF[doc.norms[f - 2]]
            draft.trigger = doc.norms[f - 2]
        elif f >= 2 and doc.norms[f - 1] in ("to", "from") and doc.norms[f - 2] in ("road", "highway"):
            draft.qualifier = ROAD  # "on the road to Amuda"
        if f >= 1 and doc.norms[f - 1] == "rural":
            draft.qualifier = COUNTRYSIDE
        if draft.qualifier == COUNTRYSIDE and not draft.direction and f >= 1:
            draft.direction = DIRECTIONS_EN.get(doc.norms[f - 1], "") if doc.norms[f - 1] in (
                "eastern", "western", "northern", "southern") else ""  # fmt: skip
        if not draft.qualifier and _near_before(doc, f, near_by_end):
            draft.qualifier = NEAR
    if f > 0 and {doc.norms[f - 1], doc.bare(f - 1)} & {"بين", "وبين", "between"} and not doc.hard[f]:
        draft.qualifier = BETWEEN


def _qualifier_before(doc: Doc, index: int, near_by_end: dict[int, RuleHit]) -> str:
    """Return the qualifier a cue before a trigger noun gives its name: «قرب مدينة X» is near X,
    «على طريق مدينة X» on the road to X."""
    if _near_before(doc, index, near_by_end):
        return NEAR
    trig = arabic_trigger(doc.norms[index - 1]) if not doc.hard[index] else None
    return ROAD if trig is not None and trig[2] == ROAD else ""


def _near_before(doc: Doc, index: int, near_by_end: dict[int, RuleHit]) -> bool:
    """Tell whether a near-cue ("قرب", "near", "east of") ends just before token index."""
    hit = near_by_end.get(index - 1)
    return hit is not None and doc.sent[hit.last] == doc.sent[index] and not doc.hard[index]


_DASHES = frozenset("-‐‑–—")


def _road_ends(doc: Doc, a: Draft, b: Draft) -> bool:
    """Tell whether two adjacent names are the two ends of one road: "the Qamishli-Amuda road",
    «طريق حلب - دمشق», «طريق الرقة دير الزور»."""
    if a.last + 1 != b.first or doc.hard[b.first] or doc.sent[a.last] != doc.sent[b.first]:
        return False
    gap = doc.text[doc.ends[a.last] : doc.starts[b.first]].strip()
    # Only the name right after «طريق» or right before "road" opens a pair: a road has two ends.
    if is_arabic(b.key):
        road = arabic_trigger(a.trigger) if a.trigger else None
        return road is not None and road[2] == ROAD and not b.prefix and (not gap or set(gap) <= _DASHES)
    return b.trigger in ("road", "highway") and bool(gap) and set(gap) <= _DASHES


def _link(doc: Doc, a: Draft, b: Draft) -> str:
    """Return how span b relates to the span a before it: coord, in, comma, contains or ""."""
    gap = range(a.last + 1, b.first)
    if doc.sent[a.last] != doc.sent[b.first] or len(gap) > 3:
        return ""
    if _road_ends(doc, a, b):
        return "coord"
    words = [doc.norms[k] for k in gap]
    bare_words = [doc.bare(k) for k in gap]
    if is_arabic(b.key):
        if b.container and not words:
            return "in"
        if not words and b.prefix.startswith("و") and not doc.hard[b.first]:
            return "coord"
        if words == ["و"] and not doc.hard[b.first]:
            return "coord"
        if not words and doc.hard[b.first]:
            return "comma"
        into = b.prefix.endswith("ب") or b.prefix == "ل" or b.prefix.endswith("لل")
        for word, bare in zip(words, bare_words, strict=True):
            if word in _IN_AR or word.startswith("التابع"):
                into = True
            elif arabic_trigger(word) is not None:
                into = into or word.startswith(("ب", "وب", "ل"))
            elif bare not in DIRECTIONS_AR:
                return ""
        return "in" if into else ""
    if doc.possessive[a.last] and len(words) <= 1:
        return "contains"
    if not words and not doc.hard[b.first] and names_region(doc, b):
        return "in"  # "Hamoria Damascus countryside", "Morek Hama province": the region holds X
    if words in (["and"], ["or"]) and not doc.hard[b.first]:
        return "coord"
    if not words and doc.hard[b.first]:
        return "comma"
    if words and all(w in _IN_EN for w in words) and ("in" in words or "of" in words):
        return "in"
    return ""


def _has_context(doc: Doc, draft: Draft, kept: list[Draft], links: set[int], index: int) -> bool:
    """Tell whether an ambiguous name has a trigger, a link or a non-ambiguous place nearby."""
    if draft.trigger or draft.qualifier or index in links:
        return True
    for other in kept:
        if other is draft or other.source != "exact":
            continue
        if doc.sent[other.first] == doc.sent[draft.first] and abs(other.first - draft.first) <= 6:
            return True
    return False


def extract(text: str, ctx: Context, lang: str) -> Extraction:
    """Find candidate place spans in a text (see the module docstring)."""
    doc = build_doc(text, lang, glued_capitals(text, ctx.gazetteer) if lang == "ar" else frozenset())
    hits = find_rule_hits(doc, ctx.rules_automaton)
    matches = place_matches(doc, ctx.place_automaton)
    for hit in hits:
        if hit.phrase.tag in ("org", "actor"):
            length = len(doc.norm_of(hit.first, hit.last)) + 1
            matches.append(Match(hit.first, hit.last, "", hit.phrase.payload, length, blocker=True))
    drafts, occupied = _exact_drafts(doc, matches)
    drafts.extend(_fuzzy_drafts(doc, occupied))
    if doc.lang == "ar":
        drafts.extend(elided_alef(doc, occupied, ctx.elided()))
    drafts.sort(key=lambda d: d.first)
    drafts = _runs(doc, drafts, ctx.lookup)
    if doc.lang == "ar":
        drafts = containers(doc, drafts)
    near_by_end = _ends_at(hits, "near")
    for draft in drafts:
        _annotate(doc, draft, near_by_end)
    drafts = _filter(doc, drafts, ctx)
    if doc.lang == "ar":
        bare_countryside(doc, drafts)
    links = _links(doc, drafts)
    return Extraction(
        doc,
        tuple(to_span(doc, d) for d in drafts),
        tuple((d.first, d.last) for d in drafts),
        tuple(links),
        tuple(hits),
    )


def _exact_drafts(doc: Doc, matches: list[Match]) -> tuple[list[Draft], bytearray]:
    """Return the drafts of the selected gazetteer matches, and which tokens any match (place or
    blocker) occupies."""
    chosen = select(matches, len(doc.norms))
    drafts = [Draft(m.first, m.last, m.prefix, m.key) for m in chosen if not m.blocker][:MAX_SPANS]
    occupied = bytearray(len(doc.norms))
    for m in chosen:
        occupied[m.first : m.last + 1] = b"\x01" * (m.last - m.first + 1)
    return drafts, occupied


def _links(doc: Doc, drafts: list[Draft]) -> list[tuple[int, int, str]]:
    """Link each span to the one before it, and carry plural triggers along coordinations."""
    links: list[tuple[int, int, str]] = []
    for j in range(1, len(drafts)):
        a, b = drafts[j - 1], drafts[j]
        rel = _link(doc, a, b)
        if not rel:
            continue
        links.append((j - 1, j, rel))
        if rel == "coord" and _road_ends(doc, a, b):
            a.qualifier = b.qualifier = ROAD  # one road: the incident is somewhere along it
        elif rel == "coord":
            if a.plural and not b.trigger:
                b.kind_hint, b.trigger, b.plural = a.kind_hint, a.trigger, True
                b.qualifier = b.qualifier or a.qualifier
            if a.qualifier == BETWEEN:
                b.qualifier = BETWEEN
    return links


def _filter(doc: Doc, drafts: list[Draft], ctx: Context) -> list[Draft]:
    """Drop the names analysts marked not a place, ambiguous or common-word names without context
    and uncapitalised English names."""
    if ctx.not_places:
        # Before the context checks: a word that is no place gives no other name its context.
        drafts = [d for d in drafts if drop_articles(d.key) not in ctx.not_places]
    ambiguous = ctx.ambiguous
    rels = {j: _link(doc, drafts[j - 1], drafts[j]) for j in range(1, len(drafts))}
    prelim_links = {j for j, rel in rels.items() if rel}
    prelim_links |= {j - 1 for j in prelim_links}
    common = [_is_common(doc, d, ctx.lookup) for d in drafts]
    kept: list[Draft] = []
    for index, draft in enumerate(drafts):
        latin = not is_arabic(draft.key)
        if latin and doc.cased and not capitalised(doc, draft) and not lower_ok(doc, draft):
            continue
        if _is_trigger_word(draft.key) or media_name(doc, draft, ctx.gazetteer):
            continue
        if draft.key in ambiguous and not _has_context(doc, draft, drafts, prelim_links, index):
            continue
        if latin and draft.source == "exact" and draft.key in EN_STOP:
            continue
        if common[index] and construct_head(doc, draft, drafts, index):
            continue
        if common[index] and not _strong_context(doc, drafts, rels, common, index):
            continue
        kept.append(draft)
    return kept


def _is_trigger_word(key: str) -> bool:
    """Tell whether a key is only a trigger noun ("مدينة", "قرية", "village"): never a place."""
    bare = strip_clitics(key)[0] if is_arabic(key) else key
    return bare in TEXT_TRIGGERS_AR or key in TEXT_TRIGGERS_AR or key in TEXT_TRIGGERS_EN_AFTER


def common_word(key: str) -> float:
    """Return the Zipf frequency of a one-word name (articles aside), 0 for longer names."""
    bare = key if is_arabic(key) else drop_articles(key)
    if " " in bare or not bare:
        return 0.0
    return zipf(bare)


def _is_common(doc: Doc, draft: Draft, lookup: PlaceLookup) -> bool:
    """Tell whether a span's name is a frequent word that does not name an important place."""
    if draft.source != "exact":
        return False
    freq = common_word(draft.key)
    if freq < (COMMON_ZIPF_AR if is_arabic(draft.key) else COMMON_ZIPF_EN):
        return False
    if freq >= VERY_COMMON_ZIPF or vocalised(doc, draft):
        return True
    return all(place.importance < IMPORTANT for place, _ in lookup.exact(draft.key))


def _strong_context(
    doc: Doc, drafts: list[Draft], rels: dict[int, str], common: list[bool], index: int
) -> bool:
    """Tell whether a common-word name is framed as a place: a trigger, a qualifier, a place
    preposition, or containment/coordination with a name that is not itself a common word."""
    draft = drafts[index]
    if draft.trigger or draft.qualifier:
        return True
    f = draft.first
    if is_arabic(draft.key):
        if draft.prefix.endswith("ب") or (f > 0 and not doc.hard[f] and doc.norms[f - 1] in AR_PLACE_PREPS):
            return True
    elif f > 0 and not doc.hard[f] and doc.norms[f - 1] in EN_PLACE_PREPS:
        return True
    for j in (index, index + 1):
        rel = rels.get(j, "")
        other = j - 1 if j == index else j
        if rel and rel != "comma" and not common[other]:
            return True
    return index > 0 and not common[index - 1] and headline_field(doc, drafts, index)


def _fuzzy_drafts(doc: Doc, occupied: bytearray) -> list[Draft]:
    """Propose unknown names in place contexts as spans for fuzzy lookup."""
    out: list[Draft] = []
    n = len(doc.norms)
    k = 0
    while k < n and len(out) < MAX_FUZZY:
        if occupied[k]:
            k += 1
            continue
        draft = (
            arabic_candidate(doc, k, occupied)
            if is_arabic(doc.norms[k])
            else english_candidate(doc, k, occupied)
        )
        if draft is None:
            k += 1
            continue
        out.append(draft)
        k = draft.last + 1
    return out


def _runs(doc: Doc, drafts: list[Draft], lookup: PlaceLookup) -> list[Draft]:
    """Replace exact English names that are part of a longer capitalised name ("Kafar Naha",
    "Khan Al Sheikh", "Tal Msaybin") by the whole run when it matches a gazetteer name closely."""
    out: list[Draft] = []
    covered = -1
    for j, draft in enumerate(drafts):
        if draft.first <= covered:
            continue
        if draft.source == "exact" and is_arabic(draft.key):
            longer = with_direction(doc, draft, lookup)
            if longer is None and j + 1 < len(drafts):
                longer = with_next(doc, draft, drafts[j + 1], lookup)
            if longer is not None:
                covered = longer.last
            out.append(longer or draft)
            continue
        sided = with_direction_en(doc, draft, lookup) if draft.source != "trigger" else None
        if sided is not None:
            while out and out[-1].last >= sided.first:
                out.pop()
            out.append(sided)
            covered = sided.last
            continue
        if draft.source != "exact" or not doc.cased:
            out.append(draft)
            continue
        first, last = capital_run(doc, draft)
        run = run_draft(doc, first, last, lookup) if (first, last) != (draft.first, draft.last) else None
        while run is None and last > draft.last and doc.norms[last] in LEAD_DIRECTIONS:
            last -= 1  # "Marj al-Sultan Eastern Ghouta": the direction opens the next name
            run = run_draft(doc, first, last, lookup) if (first, last) != (draft.first, draft.last) else None
        if run is None:
            if not idafa_head(doc, draft, last, lookup):
                out.append(draft)
            continue
        while out and out[-1].last >= first:
            out.pop()
        out.append(run)
        covered = last
    return out
