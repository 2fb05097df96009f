"""Headline fields: "إدلب – الناجية: …" and "Idlib | Saraqib - …" open with a prefix of places."""

from __future__ import annotations

import re

from .drafts import Draft
from .tokens import Doc

_FIELD_DASH = re.compile(r"\s[-‐‑–—]+\s|^[-‐‑–—]+\s")


def _field_break(doc: Doc, k: int) -> bool:
    """Tell whether token k opens a new field: punctuation, or a dash with spaces round it."""
    return doc.hard[k] or bool(_FIELD_DASH.search(doc.text[doc.ends[k - 1] : doc.starts[k]]))


TITLE_CHARS = 400


def title_end(text: str) -> int:
    """Return where an article's title ends (a first line followed by a blank line), else 0."""
    end = text.find("\n\n", 0, TITLE_CHARS)
    return end if end > 0 and "\n" not in text[:end] else 0


HEADLINE_LEAD = 3  # tokens before a headline's first place ("سوريا -", "وكالة قاسيون:")


def headline_field(doc: Doc, drafts: list[Draft], index: int) -> bool:
    """Tell whether a name is a whole field of a headline's place prefix after another place
    ("إدلب – الناجية: …", "Idlib | Saraqib - …"): the prefix names places, not words."""
    prev, draft = drafts[index - 1], drafts[index]
    nxt = draft.last + 1
    if prev.last + 1 != draft.first or not _field_break(doc, draft.first):
        return False
    if nxt < len(doc.norms) and not _field_break(doc, nxt):
        return False
    start = prev.first
    while start > 0 and doc.sent[start - 1] == doc.sent[prev.first]:
        start -= 1
    return prev.first - start <= HEADLINE_LEAD
