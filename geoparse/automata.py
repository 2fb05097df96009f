"""Aho-Corasick automata over the gazetteer's keys and the rule phrases, and their hits in a Doc.

Arabic keys are stored open on the left, so a hit may carry a clitic (و ب ل ف ك, "لل" for an
assimilated ال); Latin keys are stored between spaces, so they match whole words only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick  # type: ignore[import-not-found,import-untyped,unused-ignore]

from .clitics import ART_CLITICS, ART_TAGS, CLITICS, LL_CLITICS
from .events import Phrase, Rules, rule_phrases
from .normalize import is_arabic
from .tokens import Doc

MAX_SPANS = 3000  # place spans kept from one text; hits stop at a multiple of it


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule phrase found in the text."""

    first: int
    last: int
    phrase: Phrase


_Entry = tuple[str, bool]  # (gazetteer key, matched without its ال after "لل")


def place_automaton(keys: Iterable[str]) -> ahocorasick.Automaton:
    """Index each key: Arabic keys open on the left (clitics), Latin keys on word boundaries."""
    table: dict[str, list[_Entry]] = {}
    for key in keys:
        if not isinstance(key, str) or len(key) < 2 or key.isdigit():
            continue
        if is_arabic(key):
            table.setdefault(key + " ", []).append((key, False))
            if key.startswith("ال") and len(key) > 4:
                table.setdefault(key[2:] + " ", []).append((key, True))
        else:
            table.setdefault(" " + key + " ", []).append((key, False))
    automaton = ahocorasick.Automaton()
    for stored, entries in table.items():
        automaton.add_word(stored, (len(stored), tuple(entries)))
    if table:
        automaton.make_automaton()
    return automaton


def rules_automaton(rules: Rules) -> ahocorasick.Automaton:
    """Build the automaton over the rule phrases."""
    # stored text → (arabic, phrases read as written, phrases read after "لل"). One text can be both:
    # «روسيه» is an alias, and «الروسيه» after "لل" («للروسيه») is stored as «روسيه» too.
    table: dict[str, tuple[bool, tuple[Phrase, ...], tuple[Phrase, ...]]] = {}
    for key, phrases in rule_phrases(rules).items():
        arabic = is_arabic(key)
        for stem in (False, True):
            group = tuple(p for p in phrases if p.stem == stem)
            if not group:
                continue
            variants = [(key, False)]
            if arabic and key.startswith("ال") and len(key) > 4:
                variants.append((key[2:], True))  # "للتنظيم": ل + التنظيم with its alef dropped
            for text, needs_ll in variants:
                stored = ("" if arabic else " ") + text + ("" if stem else " ")
                _, plain, after_ll = table.get(stored, (arabic, (), ()))
                table[stored] = (
                    (arabic, plain, after_ll + group) if needs_ll else (arabic, plain + group, after_ll)
                )
    automaton = ahocorasick.Automaton()
    for stored, (arabic, plain, after_ll) in table.items():
        automaton.add_word(stored, (len(stored), arabic, plain, after_ll))
    automaton.make_automaton()
    return automaton


def _locate(doc: Doc, end: int, length: int, arabic: bool, whole: bool) -> tuple[int, int, str] | None:
    """Map an automaton hit to (first token, last token, clitic prefix), or None off word edges."""
    core_start = end - length + 1 + (0 if arabic else 1)
    core_end = end if whole else end + 1
    first = doc.start_at.get(core_start)
    prefix = ""
    if first is None:
        if not arabic:
            return None
        first = bisect_right(doc.nstarts, core_start) - 1
        if first < 0:
            return None
        prefix = doc.norm[doc.nstarts[first] : core_start]
        if " " in prefix or len(prefix) > 3:
            return None
    last = doc.end_at.get(core_end) if whole else bisect_right(doc.nstarts, core_end - 1) - 1
    if last is None or last < first:
        return None
    if last > first and True in doc.hard[first + 1 : last + 1]:
        return None
    return first, last, prefix


def find_rule_hits(doc: Doc, automaton: ahocorasick.Automaton) -> list[RuleHit]:
    """Return every rule phrase (event keyword, actor, organisation, cue) in the text."""
    hits: list[RuleHit] = []
    for end, (length, arabic, plain, after_ll) in automaton.iter(doc.norm):
        loc = _locate(doc, end, length, arabic, whole=not (plain or after_ll)[0].stem)
        if loc is None:
            continue
        first, last, prefix = loc
        for phrase in _phrases_after(prefix, arabic, plain, after_ll):
            if phrase.case_sensitive and not doc.text[doc.starts[first] : doc.ends[last]].isupper():
                continue
            hits.append(RuleHit(first, last, phrase))
        if len(hits) > 20 * MAX_SPANS:
            break
    return hits


def _phrases_after(
    prefix: str, arabic: bool, plain: tuple[Phrase, ...], after_ll: tuple[Phrase, ...]
) -> list[Phrase]:
    """Return the phrases a match stands for after its clitic prefix: those read as written after
    a clitic (or, for event words and cues only, an article), and those read after "لل"."""
    out: list[Phrase] = []
    article = arabic and prefix in ART_CLITICS
    if prefix in CLITICS or article:
        out += [p for p in plain if not article or p.tag in ART_TAGS]
    if prefix in LL_CLITICS:
        out += after_ll
    return out


@dataclass(slots=True)
class Match:
    """A gazetteer key (or, as a blocker, an organisation or actor name) found in the text."""

    first: int
    last: int
    prefix: str
    key: str
    length: int
    blocker: bool = False


def place_matches(doc: Doc, automaton: ahocorasick.Automaton) -> list[Match]:
    """Return every automaton hit that sits on word edges with an allowed clitic."""
    out: list[Match] = []
    for end, (length, entries) in automaton.iter(doc.norm):
        arabic = is_arabic(entries[0][0])
        loc = _locate(doc, end, length, arabic, whole=True)
        if loc is None:
            continue
        first, last, prefix = loc
        for key, needs_ll in entries:
            if (prefix in LL_CLITICS) if needs_ll else (prefix in CLITICS):
                out.append(Match(first, last, prefix, key, length))
                break
        if len(out) > 10 * MAX_SPANS:
            break
    return out


LEAD_DIRECTIONS = frozenset(("eastern", "western", "northern", "southern", "east", "west", "north", "south"))


def _lead(m: Match) -> int:
    """Return 1 for a Latin name that opens with a direction word ("eastern Deir"): on a tie it
    yields to the name it overlaps ("Deir Ezzor"), as the direction usually qualifies that."""
    return 1 if m.key.split(" ", 1)[0] in LEAD_DIRECTIONS else 0


def select(matches: list[Match], n_tokens: int) -> list[Match]:
    """Keep the longest non-overlapping matches, leftmost first on ties."""
    taken = bytearray(n_tokens)
    kept: list[Match] = []
    # On a tie a person, group or agency name wins over the place inside it ("Assad").
    for m in sorted(
        matches, key=lambda m: (-(m.last - m.first) + _lead(m), not m.blocker, -m.length, m.first)
    ):
        if any(taken[m.first : m.last + 1]):
            continue
        taken[m.first : m.last + 1] = b"\x01" * (m.last - m.first + 1)
        kept.append(m)
    kept.sort(key=lambda m: m.first)
    return kept
