"""Drafts: the spans the extraction stage is still shaping, and the public Spans they become."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tokens import MARKS, Doc
from .types import Span


def _original_offset(doc: Doc, index: int, prefix: str) -> int:
    """Return the original offset of a token after skipping a normalised clitic prefix."""
    start = doc.starts[index]
    if not prefix:
        return start
    text = doc.text
    count = 0
    pos = start
    while pos < doc.ends[index] and count < len(prefix):
        if not re.match(rf"[{MARKS}\u0640]", text[pos]):
            count += 1
        pos += 1
    while pos < doc.ends[index] and re.match(rf"[{MARKS}\u0640]", text[pos]):
        pos += 1
    return pos


@dataclass(slots=True)
class Draft:
    """A span being shaped: token range, clitic prefix, key, and what its neighbours say."""

    first: int
    last: int
    prefix: str
    key: str
    source: str = "exact"
    kind_hint: str = ""
    trigger: str = ""
    qualifier: str = ""
    direction: str = ""
    plural: bool = False
    container: bool = False  # holds the span just before it ("حي جوبر الدمشقي", "السعن حمص")


def to_span(doc: Doc, d: Draft) -> Span:
    """Build the public Span of a draft, pointing at original characters."""
    start = _original_offset(doc, d.first, d.prefix)
    end = doc.ends[d.last]
    return Span(
        start=start,
        end=end,
        text=doc.text[start:end],
        key=d.key,
        kind_hint=d.kind_hint,
        trigger=d.trigger,
        qualifier=d.qualifier,
        direction=d.direction,
        source=d.source,
    )
