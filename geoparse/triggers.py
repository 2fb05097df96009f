"""Trigger words: nouns that announce a place name and fix its kind."""

from __future__ import annotations

import re

from .normalize import normalize
from .types import AREA, CAMP, COMMUNITY, FACILITY, GOVERNORATE, NEIGHBOURHOOD, SUBDISTRICT

# Keys are normalised forms, so "مدينة" is listed as "مدينه" after ة → ه.
_ARABIC = {
    "حي": NEIGHBOURHOOD,
    "احياء": NEIGHBOURHOOD,
    "حيي": NEIGHBOURHOOD,
    "مدينه": COMMUNITY,
    "بلده": COMMUNITY,
    "قريه": COMMUNITY,
    "قري": COMMUNITY,
    "بلدات": COMMUNITY,
    "محافظه": GOVERNORATE,
    "ناحيه": SUBDISTRICT,
    "مخيم": CAMP,
    "سجن": FACILITY,
    "مطار": FACILITY,
    "سد": FACILITY,
    "جسر": FACILITY,
    "دوار": FACILITY,
}
_ENGLISH_BEFORE = {
    "city of": COMMUNITY,
    "town of": COMMUNITY,
    "village of": COMMUNITY,
    "neighbourhood of": NEIGHBOURHOOD,
    "neighborhood of": NEIGHBOURHOOD,
    "district of": NEIGHBOURHOOD,
    "governorate of": GOVERNORATE,
    "province of": GOVERNORATE,
    "camp of": CAMP,
}
_ENGLISH_AFTER = {
    "city": COMMUNITY,
    "town": COMMUNITY,
    "village": COMMUNITY,
    "neighbourhood": NEIGHBOURHOOD,
    "neighborhood": NEIGHBOURHOOD,
    "governorate": GOVERNORATE,
    "province": GOVERNORATE,
    "camp": CAMP,
    "prison": FACILITY,
}


def split_trigger(key: str) -> tuple[str, str]:
    """Split a normalised name into (kind hint, bare name); the hint is "" if none."""
    key = key.removeprefix("the ")
    words = key.split(" ")
    if len(words) > 1 and words[0] in _ARABIC:
        return _ARABIC[words[0]], " ".join(words[1:])
    for phrase, kind in _ENGLISH_BEFORE.items():
        if key.startswith(phrase + " ") and len(key) > len(phrase) + 1:
            return kind, key[len(phrase) + 1 :].removeprefix("the ")
    if len(words) > 1 and words[-1] in _ENGLISH_AFTER:
        return _ENGLISH_AFTER[words[-1]], " ".join(words[:-1])
    return "", key


ARABIC_TRIGGERS = frozenset(_ARABIC)
assert all(normalize(word) == word for word in _ARABIC), "trigger keys must be normalised"

# Running-text triggers used by extraction: normalised word → (kind hint, plural, qualifier).
# Kept apart from split_trigger so that names such as "ريف دمشق" still index as a whole.
COUNTRYSIDE = "countryside"
NEAR = "near"
BETWEEN = "between"
ROAD = "road"  # "on the Amuda road", «على طريق الحسكة»: the incident is on the road to a place
TextTrigger = tuple[str, bool, str]
TEXT_TRIGGERS_AR: dict[str, TextTrigger] = {
    "حي": (NEIGHBOURHOOD, False, ""),
    "حيي": (NEIGHBOURHOOD, True, ""),
    "احياء": (NEIGHBOURHOOD, True, ""),
    "مدينه": (COMMUNITY, False, ""),
    "مدينتي": (COMMUNITY, True, ""),
    "مدن": (COMMUNITY, True, ""),
    "بلده": (COMMUNITY, False, ""),
    "بلدتي": (COMMUNITY, True, ""),
    "بلدات": (COMMUNITY, True, ""),
    "قريه": (COMMUNITY, False, ""),
    "قريتي": (COMMUNITY, True, ""),
    "قري": (COMMUNITY, True, ""),
    "ريف": ("", False, COUNTRYSIDE),
    "ارياف": ("", True, COUNTRYSIDE),
    "باديه": (AREA, False, COUNTRYSIDE),
    "محافظه": (GOVERNORATE, False, ""),
    "محافظتي": (GOVERNORATE, True, ""),
    "ناحيه": (SUBDISTRICT, False, ""),
    "منطقه": ("", False, ""),
    "مخيم": (CAMP, False, ""),
    "مخيمي": (CAMP, True, ""),
    "سجن": (FACILITY, False, ""),
    "مطار": (FACILITY, False, ""),
    "سد": (FACILITY, False, ""),
    "جسر": (FACILITY, False, ""),
    "دوار": (FACILITY, False, ""),
    "معبر": (FACILITY, False, ""),
    "حقل": (FACILITY, False, ""),
    "طريق": ("", False, ROAD),
    "اوتوستراد": ("", False, ROAD),
}
# English nouns after a name ("Raqqa countryside", "Ghweiran neighbourhood").
TEXT_TRIGGERS_EN_AFTER: dict[str, TextTrigger] = {
    "city": (COMMUNITY, False, ""),
    "town": (COMMUNITY, False, ""),
    "village": (COMMUNITY, False, ""),
    "villages": (COMMUNITY, True, ""),
    "towns": (COMMUNITY, True, ""),
    "neighbourhood": (NEIGHBOURHOOD, False, ""),
    "neighborhood": (NEIGHBOURHOOD, False, ""),
    "neighbourhoods": (NEIGHBOURHOOD, True, ""),
    "neighborhoods": (NEIGHBOURHOOD, True, ""),
    "district": ("", False, ""),
    "governorate": (GOVERNORATE, False, ""),
    "province": (GOVERNORATE, False, ""),
    "countryside": ("", False, COUNTRYSIDE),
    # "Damascus suburbs" translates ريف دمشق, the countryside (Rural Damascus), not the outskirts.
    "suburbs": ("", False, COUNTRYSIDE),
    "suburb": ("", False, COUNTRYSIDE),
    "outskirts": ("", False, NEAR),
    "desert": ("", False, COUNTRYSIDE),  # "al-Bokamal desert": the Badia around X, as «بادية X»
    "camp": (CAMP, False, ""),
    "prison": (FACILITY, False, ""),
    "airport": (FACILITY, False, ""),
    "dam": (FACILITY, False, ""),
    "bridge": (FACILITY, False, ""),
    "roundabout": (FACILITY, False, ""),
    "road": ("", False, ROAD),
    "highway": ("", False, ROAD),
}
# English nouns before "of" ("the village of X", "the countryside of X").
TEXT_TRIGGERS_EN_OF: dict[str, TextTrigger] = {
    **{
        k: v
        for k, v in TEXT_TRIGGERS_EN_AFTER.items()
        if k not in ("camp", "prison", "dam", "bridge", "road", "highway")
    },
    "outskirts": ("", False, NEAR),
    "vicinity": ("", False, NEAR),
    "suburbs": ("", False, NEAR),
}
assert all(normalize(word) == word for word in TEXT_TRIGGERS_AR), "trigger keys must be normalised"


def arabic_trigger(word: str) -> TextTrigger | None:
    """Return the trigger a (possibly prefixed) Arabic word is, if it is one."""
    found = TEXT_TRIGGERS_AR.get(word)
    if found is not None:
        return found
    for prefix in ("و", "ب", "ل", "ف", "وب", "ول", "فب", "فل", "لل", "ك"):
        if word.startswith(prefix):
            found = TEXT_TRIGGERS_AR.get(word[len(prefix) :])
            if found is not None:
                return found
    return None


def settlements_of(trigger: str) -> bool:
    """Tell whether a trigger word is a plural settlement noun ("قرى", «لبلدات», «والقرى»,
    "villages"): the name after it may be a region that holds them ("قرى جبل الأكراد")."""
    bare = re.sub("^[وبف]?ال", "", trigger)  # the article, which triggers before a name rarely carry
    found = TEXT_TRIGGERS_EN_AFTER.get(trigger) or arabic_trigger(trigger) or arabic_trigger(bare)
    return found is not None and found[1] and found[0] == COMMUNITY
