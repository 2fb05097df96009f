"""Arabic names: glued capitals, nisba adjectives, elided alef, trigger-led unknown names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .candidates import PlaceLookup
from .clitics import DIRECTIONS_AR, strip_clitics
from .common import COMMON_ZIPF_AR, IMPORTANT, zipf
from .drafts import Draft
from .english import RUN_QUALITY
from .normalize import is_arabic, normalize
from .tokens import ARABIC, Doc
from .triggers import COUNTRYSIDE
from .types import Gazetteer

AR_STOP = frozenset(
    (
        "في", "من", "الي", "علي", "عن", "مع", "هذه", "هذا", "التي", "الذي", "التابعه", "التابع", "حيث",
        "كما", "بعد", "قبل", "خلال", "بين", "عند"
    )
)  # fmt: skip
_AR_NAMED_TRIGGERS = frozenset(("حي", "قريه", "بلده", "مخيم", "سجن", "ناحيه", "مطار", "سد", "حيي", "احياء"))
_AR_NAMED_ENDS = tuple(_AR_NAMED_TRIGGERS)

AR_PLACE_PREPS = frozenset(("في", "داخل", "قرب", "علي", "الي", "نحو", "باتجاه"))

_HARAKAT = re.compile("[\u064b-\u0652]")
# A governorate capital glued to the end of a word: "الغنطوحمص" = الغنطو + حمص.
_GLUED_CAPITAL = re.compile(rf"([{ARABIC}]{{3,}}?)(?:حمص|حلب|إدلب|ادلب|حماة|حماه|دمشق|درعا)(?![{ARABIC}])")


def glued_capitals(text: str, gazetteer: Gazetteer) -> frozenset[int]:
    """Return where to cut words that are a known place with a capital glued after it."""
    cuts: set[int] = set()
    for match in _GLUED_CAPITAL.finditer(text):
        start, cut = match.span(1)
        if start and text[start - 1] not in " \t\n#_-–:|/(\"'«":
            continue  # the match must start a word
        if gazetteer.exact(normalize(match.group(1))) and not gazetteer.exact(normalize(match.group())):
            cuts.add(cut)
    return frozenset(cuts)


PAIR_QUALITY = 92.0  # two known names read as one only when the pair is very close to a longer name
# Nisba adjectives name the governorate city a place belongs to: "حي جوبر الدمشقي" is in Damascus.
_NISBA_AR = {
    normalize(word): normalize(city)
    for city, words in (
        ("دمشق", ("الدمشقي", "الدمشقية")),
        ("حلب", ("الحلبي", "الحلبية")),
        ("حمص", ("الحمصي", "الحمصية")),
        ("إدلب", ("الإدلبي", "الإدلبية", "الادلبي", "الادلبية")),
        ("حماة", ("الحموي", "الحموية")),
        ("الرقة", ("الرقاوي", "الرقاوية")),
        ("دير الزور", ("الديري", "الديرية")),
        ("درعا", ("الدرعاوي", "الدرعاوية")),
    )
    for word in words
}
# Governorate capitals: a headline "السعن حمص" writes the container after the place, unmarked.
_CAPITALS_AR = frozenset(
    normalize(c) for c in ("دمشق", "حلب", "حمص", "إدلب", "ادلب", "حماة", "حماه", "الرقة", "درعا", "اللاذقية")
)


def containers(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """Add the city a nisba adjective names after a place, and mark an unmarked capital after the
    first place of a headline as its container."""
    out: list[Draft] = []
    taken = {k for d in drafts for k in range(d.first, d.last + 1)}
    for j, d in enumerate(drafts):
        out.append(d)
        nxt = d.last + 1
        if nxt < len(doc.norms) and nxt not in taken and doc.sent[nxt] == doc.sent[d.last]:
            city = _NISBA_AR.get(doc.norms[nxt])
            if city is not None and not doc.hard[nxt]:
                out.append(Draft(nxt, nxt, "", city, container=True))
        if j == 1 and _unmarked_capital(doc, drafts[0], d):
            d.container = True
    return out


_BARE_RIF = frozenset(("الريف", "بالريف", "والريف", "وبالريف", "للريف", "فالريف"))


def bare_countryside(doc: Doc, drafts: list[Draft]) -> None:
    """Read a bare "الريف الشمالي" (with its direction) as the countryside of the one governorate
    capital the text names, in the capital's sentence, when it names no other place ("حمص: تحليق
    في سماء الريف الشمالي", "#حمص_الريف_الشمالي"); "المدينة والريف" is no countryside of it."""
    capitals = [d for d in drafts if not d.container]
    if not capitals or any(d.key not in _CAPITALS_AR or d.qualifier for d in capitals):
        return
    if len({d.key for d in capitals}) != 1:
        return
    sentences = {doc.sent[d.first] for d in capitals}
    for k, norm in enumerate(doc.norms[:-1]):
        direction = DIRECTIONS_AR.get(doc.norms[k + 1], "")
        if norm in _BARE_RIF and direction and not doc.hard[k + 1] and doc.sent[k] in sentences:
            for d in capitals:
                d.qualifier, d.direction = COUNTRYSIDE, direction
            return


def _unmarked_capital(doc: Doc, first: Draft, second: Draft) -> bool:
    """Tell whether a headline opens "place capital" with nothing between ("السعن حمص")."""
    if first.first != 0 or second.first != 1 or second.prefix or doc.hard[1]:
        return False
    return second.key in _CAPITALS_AR and first.key not in _CAPITALS_AR


def construct_head(doc: Doc, draft: Draft, drafts: list[Draft], index: int) -> bool:
    """Tell whether an Arabic common word is the head of a construct ("مدرسة مرج السلطان",
    "بمسجد النور"): a noun followed by the name or word that it belongs to, not a place."""
    if not is_arabic(draft.key) or draft.trigger or draft.qualifier or draft.key.startswith("ال"):
        return False
    nxt = draft.last + 1
    if nxt >= len(doc.norms) or doc.hard[nxt] or doc.sent[nxt] != doc.sent[draft.last]:
        return False
    follows = index + 1 < len(drafts) and drafts[index + 1].first == nxt
    return follows or (doc.norms[nxt].startswith("ال") and doc.norms[nxt] not in DIRECTIONS_AR)


def vocalised(doc: Doc, draft: Draft) -> bool:
    """Tell whether an Arabic span is written with short-vowel marks: headlines mark a verb that
    spells like a place ("تُدمر", destroys, not Tadmor), never the place's name."""
    return bool(_HARAKAT.search(doc.text, doc.starts[draft.first], doc.ends[draft.last]))


@dataclass(frozen=True, slots=True)
class ElidedAlef:
    """The important one-word names that open with alef (not ال), indexed without it."""

    rests: frozenset[str]  # the names after their initial alef: "عزاز"
    endings: frozenset[str]  # their last two letters, a cheap first test


def alef_names(gazetteer: Gazetteer) -> ElidedAlef:
    """Collect the important one-word names that open with alef (not ال), without it; words that
    are frequent without the alef are left out."""
    keys = gazetteer.keys()  # the Gazetteer's own method, not a dict's
    rests = frozenset(
        key[1:]
        for key in keys
        if key.startswith("ا")
        and not key.startswith("ال")
        and " " not in key
        and len(key) >= 5
        and is_arabic(key)
        and zipf(key[1:]) < COMMON_ZIPF_AR
        and not gazetteer.exact(key[1:])
        and any(p.importance >= IMPORTANT for p, _ in gazetteer.exact(key))
    )
    return ElidedAlef(rests, frozenset(r[-2:] for r in rests))


def elided_alef(doc: Doc, occupied: bytearray, elided: ElidedAlef) -> list[Draft]:
    """Read a word as a major town whose name opens with hamza-alef written without it
    ("بعزاز" for بأعزاز): only unknown, uncommon words and important towns."""
    out: list[Draft] = []
    for k, norm in enumerate(doc.norms):
        if occupied[k] or norm[-2:] not in elided.endings:
            continue
        rest, prefix = strip_clitics(norm)
        if rest in elided.rests:
            out.append(Draft(k, k, prefix, "ا" + rest))
    return out


def arabic_candidate(doc: Doc, k: int, occupied: bytearray) -> Draft | None:
    """Return the word after a naming trigger (قرية، حي، مخيم…) as a fuzzy span."""
    if (
        k == 0
        or doc.hard[k]
        or doc.sent[k - 1] != doc.sent[k]
        or not doc.norms[k - 1].endswith(_AR_NAMED_ENDS)
    ):
        return None
    trig = doc.bare(k - 1)
    if trig.startswith("ال"):
        trig = trig[2:]
    if trig not in _AR_NAMED_TRIGGERS and doc.norms[k - 1] not in _AR_NAMED_TRIGGERS:
        return None
    if doc.norms[k] in AR_STOP or (len(doc.norms[k]) < 3 and doc.norms[k] != "تل"):
        return None  # "تل" (hill) opens many two-word names: "قرية تل السلطان"
    last = k
    nxt = doc.norms[k + 1] if k + 1 < len(doc.norms) and not doc.hard[k + 1] else ""
    if nxt.startswith("ال") and not occupied[k + 1] and nxt not in AR_STOP and nxt not in DIRECTIONS_AR:
        last = k + 1
    return Draft(k, last, "", doc.norm_of(k, last), source="trigger")


def with_direction(doc: Doc, draft: Draft, lookup: PlaceLookup) -> Draft | None:
    """Return the longer name when an Arabic name is followed by a direction adjective that is part
    of a gazetteer name written a little differently ("الغارية الغربية" for OCHA's
    "الغارية الغريبة"): exact names are already whole matches, so only a close fuzzy match counts."""
    nxt = draft.last + 1
    if nxt >= len(doc.norms) or doc.hard[nxt] or doc.norms[nxt] not in DIRECTIONS_AR:
        return None
    if draft.key.startswith("ريف") or (draft.first > 0 and doc.bare(draft.first - 1) in ("ريف", "الريف")):
        return None  # "ريف حلب الشمالي": the direction qualifies the countryside
    key = f"{draft.key} {doc.norms[nxt]}"
    if lookup.close_match(key, RUN_QUALITY):
        return Draft(draft.first, nxt, draft.prefix, key, source="fuzzy")
    return None


def with_next(doc: Doc, draft: Draft, nxt: Draft, lookup: PlaceLookup) -> Draft | None:
    """Return one name for two adjacent Arabic names that together are a gazetteer name written a
    little differently ("معرة النعسان" for OCHA's "معارة النعسان"), rather than two places."""
    if nxt.first != draft.last + 1 or nxt.prefix or nxt.source != "exact" or doc.hard[nxt.first]:
        return None
    if doc.sent[nxt.first] != doc.sent[draft.last] or not is_arabic(nxt.key):
        return None
    key = f"{draft.key} {doc.norm_of(nxt.first, nxt.last)}"
    if lookup.close_match(key, PAIR_QUALITY):
        return Draft(draft.first, nxt.last, draft.prefix, key, source="fuzzy")
    return None
