"""Stated offsets before a place name: "10 km west of X", «على بعد 10 كم غرب مدينة X»."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .tokens import Doc

_NUM = r"(?P<n>\d{1,3}(?:[.,]\d{1,2})?)"
_EN_BEARING = r"(?P<dir>(?:north|south)(?:\s?(?:east|west))?|east|west)"
_EN = re.compile(
    rf"{_NUM}\s*(?P<unit>km|kms|kilometres?|kilometers?|miles?)\s+(?:to\s+the\s+)?"
    rf"(?:{_EN_BEARING}\s+of|from|outside|off)\s+(?:the\s+)?(?:(?:city|town|village|camp)\s+of\s+(?:the\s+)?)?$"
)
_AR_SIDE = r"(?:ال)?(?:شمال|جنوب|شرق|غرب)ي?"
_AR = re.compile(
    rf"{_NUM}\s*(?P<unit>كم|كلم|كيلو\s?مترا?|كيلومترا?|كيلومترات|كيلو\s?مترات)\s+"
    rf"(?:(?:الي\s+)?(?P<dir>{_AR_SIDE}(?:\s+{_AR_SIDE})?)(?:\s+من)?|من|عن)\s+"
    r"(?:(?:مدينه|بلده|قريه|مخيم|حي|ناحيه)\s+)?$"
)
_SIDES = {"north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0}
_SIDES_AR = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}
MILE_KM = 1.609
MAX_OFFSET_KM = 100.0  # a stated offset past this is another place's distance, not a location
TAIL_CHARS = 80  # normalised characters read back from a name for its offset


@dataclass(frozen=True, slots=True)
class Offset:
    """A distance from a named place, and the compass bearing towards the incident if stated."""

    km: float
    bearing: float | None  # degrees clockwise from north; None: only the distance is stated


def offset_before(doc: Doc, first: int) -> Offset | None:
    """Return the offset stated just before the name that starts at token first, in its sentence."""
    opening = doc.sentence_text(doc.sent[first])[0]
    start = max(doc.nstarts[opening], doc.nstarts[first] - TAIL_CHARS)
    tail = doc.norm[start : doc.nstarts[first]].rstrip() + " "
    match = _EN.search(tail) or _AR.search(tail)
    if match is None:
        return None
    km = float(match.group("n").replace(",", ".")) * (
        MILE_KM if match.group("unit").startswith("mile") else 1
    )
    if not 0 < km <= MAX_OFFSET_KM:
        return None
    return Offset(km, _bearing(match.group("dir") or ""))


def _bearing(words: str) -> float | None:
    """Return the bearing of "north west", «شمال غربي» or "southeast"; None for no direction."""
    sides = re.findall(r"north|south|east|west", words) or [
        _SIDES_AR[w] for w in re.findall("شمال|جنوب|شرق|غرب", words)
    ]
    if not sides:
        return None
    x = sum(math.sin(math.radians(_SIDES[s])) for s in sides)
    y = sum(math.cos(math.radians(_SIDES[s])) for s in sides)
    return math.degrees(math.atan2(x, y)) % 360.0
