"""Trigger words: nouns that announce a place name and fix its kind."""

from __future__ import annotations

from .normalize import normalize
from .types import CAMP, COMMUNITY, FACILITY, GOVERNORATE, NEIGHBOURHOOD, SUBDISTRICT

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
