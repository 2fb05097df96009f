"""English names: stop words, capitalised runs, and the unknown names worth a fuzzy lookup."""

from __future__ import annotations

from functools import lru_cache

from .candidates import PlaceLookup
from .common import COMMON_ZIPF_EN, IMPORTANT, zipf
from .drafts import Draft
from .normalize import drop_articles
from .tokens import Doc
from .triggers import TEXT_TRIGGERS_EN_AFTER, TEXT_TRIGGERS_EN_OF

DIRECTIONS_EN = {"eastern": "east", "western": "west", "northern": "north", "southern": "south",
                  "east": "east", "west": "west", "north": "north", "south": "south"}  # fmt: skip
EN_PLACE_PREPS = frozenset(
    (
        "in", "near", "at", "from", "outside", "around", "toward", "towards", "into", "of", "between",
        "across", "reached", "entered", "stormed", "hit", "on", "to", "bombed", "targeted", "shelled",
        "struck", "attacked", "targeting", "shelling", "bombing", "captured", "seized", "besieged",
        "bombard", "bombards", "bombarded", "target", "targets", "shell", "shells", "raided", "pounded",
        "pound", "pounding", "over", "above", "hitting"
    )
)  # fmt: skip
RUN_QUALITY = 88.0  # a capitalised run replaces the exact names inside it only on a close match
IDAFA_RUN_QUALITY = 85.0  # the same for a run joined by an inner article ("X al-Y")
MAX_RUN = 4
EN_STOP = frozenset(
    (
        "the", "a", "an", "and", "or", "but", "in", "on", "at", "of", "for", "to", "from", "with", "by",
        "as", "is", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "he", "she",
        "they", "we", "you", "i", "his", "her", "their", "our", "my", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "mr", "mrs", "ms", "dr",
        "president", "minister", "general", "colonel", "syrian", "syria", "russian", "turkish", "kurdish",
        "arab", "american", "iranian", "government", "army", "forces", "ministry", "observatory", "reuters",
        "ap", "afp", "state", "news", "agency", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec"
    )
)  # fmt: skip

_GENERIC_EN = frozenset(
    (
        "al", "the", "eastern", "western", "northern", "southern", "east", "west", "north", "south",
        "rural", "greater"
    )
)  # fmt: skip


_REGION_EN = frozenset(("countryside", "province", "governorate", "suburbs"))


def names_region(doc: Doc, draft: Draft) -> bool:
    """Tell whether an English span is, or is followed by, a countryside or province word."""
    if draft.qualifier == "countryside" or draft.key.rsplit(" ", 1)[-1] in _REGION_EN:
        return True
    nxt = draft.last + 1
    return nxt < len(doc.norms) and not doc.hard[nxt] and doc.norms[nxt] in _REGION_EN


def capitalised(doc: Doc, draft: Draft) -> bool:
    """Tell whether an English name is written with a capital (articles, directions and trigger
    nouns aside: "the countryside of Idlib")."""
    for k in range(draft.first, draft.last + 1):
        if doc.norms[k] in _GENERIC_EN or doc.norms[k] in TEXT_TRIGGERS_EN_OF or doc.norms[k] == "of":
            continue
        ch = doc.text[doc.starts[k]]
        return ch.isupper() or not ch.isalpha()
    return True


def lower_ok(doc: Doc, draft: Draft) -> bool:
    """Tell whether an uncapitalised English name still counts: one rare word after a place
    preposition ("remnants in latamneh")."""
    f = draft.first
    return (
        f == draft.last
        and f > 0
        and not doc.hard[f]
        and doc.norms[f - 1] in EN_PLACE_PREPS
        and len(draft.key) >= 5
        and not word_like(draft.key)
    )


def english_candidate(doc: Doc, k: int, occupied: bytearray) -> Draft | None:
    """Return a run of capitalised words holding a rare word (not an English word) as a fuzzy
    span, or a lower-case rare word after a place preposition ("in latamneh")."""
    if not doc.cased or doc.norms[k] in EN_STOP:
        return None
    after_prep = k > 0 and doc.norms[k - 1] in EN_PLACE_PREPS and not doc.hard[k]
    if not doc.text[doc.starts[k]][:1].isupper():
        key = doc.norms[k]
        ok = (
            after_prep
            and not word_like(key)
            and len(key) >= 5
            and key.isalpha()
            and (k + 1 >= len(doc.norms) or not occupied[k + 1])
        )
        return Draft(k, k, "", key, source="fuzzy") if ok else None
    last = k
    while (
        last + 1 < len(doc.norms)
        and last - k < 2
        and not occupied[last + 1]
        and not doc.hard[last + 1]
        and (doc.text[doc.starts[last + 1]][:1].isupper() or doc.norms[last + 1] == "al")
        and doc.norms[last + 1] not in EN_STOP
        and doc.norms[last + 1] not in TEXT_TRIGGERS_EN_AFTER  # "al-Bokamal Desert", "Al-Hol Camp"
        and doc.norms[last + 1] not in _LOCAL_BODIES
    ):
        last += 1
    while last > k and doc.norms[last] == "al":
        last -= 1
    words = [w for w in doc.norms[k : last + 1] if w != "al"]
    if len(doc.norm_of(k, last)) < 4 or not words:
        return None
    # A capitalised English word is no place name by itself; a rare word may be one anywhere.
    rare = [w for w in words if not word_like(w) and w.isalpha()]
    headed = len(words) > 1 and words[0] in _NAME_HEADS_EN  # "Ain Issa": a place-name head
    if not rare and headed:
        rare = words[1:]
    if not rare or (not after_prep and not headed and all(len(w) < 5 for w in rare)):
        return None  # a short first word may open a name: "Teir Maalah"
    return Draft(k, last, "", doc.norm_of(k, last), source="fuzzy")


# Words that open the name of a town's own body after the town: "Lattameneh Civil Defense",
# "Maara Media Center", "Saraqib Local Council".
_LOCAL_BODIES = frozenset(("civil", "media", "local"))
# Arabic generic heads of place names in transliteration (spring, hill, monastery, village, bridge,
# cape, inn, house, gate, mountain, valley, meadow); not "Abu"/"Umm", which open people's names too.
_NAME_HEADS_EN = frozenset(
    ("ain", "ein", "ayn", "tal", "tell", "tall", "deir", "dayr", "kafr", "kfar", "kafar", "jisr", "ras",
     "khan", "beit", "bayt", "bab", "jabal", "jebel", "wadi", "marj")
)  # fmt: skip


def word_like(key: str) -> bool:
    """Tell whether a Latin token is an English word or a plural/possessive of a stop word
    ("Syrias"), which fuzzy matching must not turn into a village."""
    if zipf(key) >= COMMON_ZIPF_EN:
        return True
    stem = key[:-1] if key.endswith("s") else ""
    return (bool(stem) and (stem in EN_STOP or zipf(stem) >= COMMON_ZIPF_EN)) or _misspelt_word(key)


TYPO_ZIPF = 4.0  # a swap away from a frequent word is a typo of it ("Russain", "Eastren")
TYPO_MIN_LEN = 6


@lru_cache(maxsize=50_000)
def _misspelt_word(key: str) -> bool:
    """Tell whether swapping two adjacent letters turns a token into a frequent English word."""
    if len(key) < TYPO_MIN_LEN or not key.isalpha():
        return False
    for i in range(len(key) - 1):
        if key[i] != key[i + 1]:
            swapped = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
            if zipf(swapped) >= TYPO_ZIPF:
                return True
    return False


def capital_run(doc: Doc, draft: Draft) -> tuple[int, int]:
    """Return the run of capitalised words (articles allowed inside) around an English name."""

    def joins(k: int) -> bool:
        if doc.norms[k] in EN_STOP or doc.sent[k] != doc.sent[draft.first]:
            return False
        return doc.text[doc.starts[k]][:1].isupper() or doc.norms[k] == "al"

    first, last = draft.first, draft.last
    while first > 0 and not doc.hard[first] and last - first + 1 < MAX_RUN and joins(first - 1):
        first -= 1
    while (
        last + 1 < len(doc.norms)
        and not doc.hard[last + 1]
        and last - first + 1 < MAX_RUN
        and joins(last + 1)
    ):
        last += 1
    while doc.norms[last] == "al" and last > draft.last:
        last -= 1
    return first, last


def with_direction_en(doc: Doc, draft: Draft, lookup: PlaceLookup) -> Draft | None:
    """Return the longer name when a minor English name has a direction word before or after it
    that belongs to a gazetteer name ("eastern Al Ghariya", "Al Ghariya eastern" → Eastern
    Ghariyeh); a major place keeps the direction as a qualifier ("eastern Aleppo")."""
    n = len(doc.norms)
    before = draft.first - 1 if draft.first > 0 and not doc.hard[draft.first] else -1
    after = draft.last + 1 if draft.last + 1 < n and not doc.hard[draft.last + 1] else -1
    side = next((k for k in (before, after) if k >= 0 and doc.norms[k] in DIRECTIONS_EN), -1)
    if side < 0 or doc.sent[side] != doc.sent[draft.first]:
        return None
    if any(place.importance >= IMPORTANT for place, _ in lookup.exact(draft.key)):
        return None
    key = f"{doc.norms[side]} {draft.key}"
    if lookup.close_match(key, RUN_QUALITY):
        return Draft(min(side, draft.first), max(side, draft.last), "", key, source="fuzzy")
    return None


def idafa_head(doc: Doc, draft: Draft, run_last: int, lookup: PlaceLookup) -> bool:
    """Tell whether a minor place's name is only the head of an unknown "X al-Y" name
    ("Jabal al-Zawiya", "Sahl al-Ghab"): the text names another feature."""
    nxt = draft.last + 1
    if run_last <= nxt or doc.norms[nxt] != "al":
        return False
    return all(place.importance < IMPORTANT for place, _ in lookup.exact(draft.key))


def run_draft(doc: Doc, first: int, last: int, lookup: PlaceLookup) -> Draft | None:
    """Return a fuzzy draft for a run when the gazetteer has a close match for it."""
    key = doc.norm_of(first, last)
    if len(drop_articles(key).replace(" ", "")) < 6:
        return None
    # "X al-Y" is one name ("Muadamiyat al-Sham"), so a looser match holds; "Dumaa Damascus" is two.
    cutoff = IDAFA_RUN_QUALITY if " al " in key else RUN_QUALITY
    if lookup.close_match(key, cutoff):
        return Draft(first, last, "", key, source="fuzzy")
    return None
