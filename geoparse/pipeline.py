"""The geoparse entry point: normalize → extract → candidates → resolve → incidents."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .context import Context
from .events import Rules, default_rules
from .extract import extract
from .incidents import build_incidents
from .resolve import resolve
from .tokens import MAX_WORDS, detect_language
from .types import Gazetteer, GeoparseResult, IncidentDraft, Mention

MAX_CHARS = 1_000_000
__all__ = ["MAX_CHARS", "MAX_WORDS", "Geoparser"]


class Geoparser:
    """One gazetteer and one rule set, parsed against text after text; it owns the automata and
    caches built over them (the gazetteer is read once, when the parser is made)."""

    def __init__(self, gazetteer: Gazetteer, rules: Rules | None = None) -> None:
        self._ctx = Context(gazetteer, rules if rules is not None else default_rules())

    @property
    def gazetteer(self) -> Gazetteer:
        """Return the gazetteer this parser reads."""
        return self._ctx.gazetteer

    @property
    def rules(self) -> Rules:
        """Return the rule set this parser applies."""
        return self._ctx.rules

    def parse(self, text: str, published: dt.date | None = None, lang: str | None = None) -> GeoparseResult:
        """Find the places, mentions and incidents of one text."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        warnings: list[str] = []
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            warnings.append(f"text truncated to its first {MAX_CHARS} characters")
        if isinstance(published, dt.datetime):
            published = published.date()
        lang = lang if lang in ("ar", "en") else detect_language(text)
        ext = extract(text, self._ctx, lang)
        if ext.doc.read_to >= 0:
            warnings.append(
                f"only the first {MAX_WORDS} words (up to character {ext.doc.read_to}) were geoparsed"
            )
        mentions = resolve(ext, self._ctx)
        incidents = build_incidents(ext, mentions, self._ctx, published)
        mentions_out, incidents_out = _drop_empty_fuzzy(mentions, incidents)
        if published is None:
            warnings.append("no publication date: relative dates were not resolved")
        unresolved = sum(1 for m in mentions_out if m.place is None)
        if unresolved:
            warnings.append(f"{unresolved} mention(s) left unresolved")
        return GeoparseResult(
            lang=lang, mentions=mentions_out, incidents=tuple(incidents_out), warnings=tuple(warnings)
        )


def _drop_empty_fuzzy(
    mentions: list[Mention], incidents: list[IncidentDraft]
) -> tuple[tuple[Mention, ...], list[IncidentDraft]]:
    """Drop fuzzy proposals that found no place, renumbering incident mention indexes."""
    keep = [i for i, m in enumerate(mentions) if not (m.place is None and m.span.source == "fuzzy")]
    new_index = {old: new for new, old in enumerate(keep)}
    fixed = [
        replace(inc, mentions=tuple(new_index[i] for i in inc.mentions if i in new_index))
        for inc in incidents
    ]
    return tuple(mentions[i] for i in keep), fixed
