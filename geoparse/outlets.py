"""Outlet names: a place inside a newsroom's name ("شام برس", "AL Shamal press") is no place."""

from __future__ import annotations

from .clitics import strip_clitics
from .drafts import Draft
from .normalize import normalize
from .places import CITY_IMPORTANCE
from .tokens import Doc
from .types import Gazetteer

# Words that close a newsroom's name: "X Press", "X News", "X نيوز" name an outlet, not a place.
_MEDIA_WORDS = frozenset(
    normalize(w) for w in ("press", "news", "observatory", "agency", "network", "برس", "نيوز")
)


def media_name(doc: Doc, draft: Draft, gazetteer: Gazetteer) -> bool:
    """Tell whether a name is part of an outlet's name ("AL Shamal press", "شام برس", "شبكة صدى
    الثورة"); a city's outlet ("Aleppo News") still says where the reporting is from, so the city stays."""
    nxt = draft.last + 1
    closed = nxt < len(doc.norms) and not doc.hard[nxt] and doc.norms[nxt] in _MEDIA_WORDS
    if draft.trigger or not (closed or _in_outlet_name(doc, draft)):
        return False
    return not any(p.importance >= CITY_IMPORTANCE for p, _ in gazetteer.exact(draft.key))


# Nouns that open a newsroom's name: "شبكة صدى الثورة" is a network, not the town al-Thawra.
_OUTLET_HEADS = frozenset(
    # Not "موقع" (a military position too) nor "قناة" (a canal).
    normalize(w)
    for w in ("شبكة", "وكالة", "إذاعة", "صحيفة", "جريدة", "منصة", "مجلة")
)
OUTLET_REACH = 2  # words from the head noun to the name ("شبكة صدى الثورة")


def _in_outlet_name(doc: Doc, draft: Draft) -> bool:
    """Tell whether a name sits a few words after the head noun of an outlet's name."""
    for k in range(draft.first - 1, max(-1, draft.first - 1 - OUTLET_REACH), -1):
        if doc.hard[k + 1]:
            return False
        if strip_clitics(doc.norms[k])[0] in _OUTLET_HEADS:
            return True
    return False
