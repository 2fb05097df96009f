"""Find place names in text with one Aho-Corasick automaton over every gazetteer key.

The text is tokenised and each token normalised with `normalize`, so names meet the
gazetteer on the same keys; the normalised text keeps a map back to the original
characters. Arabic names may carry clitics (و ب ل ف ك, and "لل" for an assimilated ال).
Trigger words, qualifiers ("ريف", "near") and links between names (coordination,
containment) are recorded for the later stages.
"""

from __future__ import annotations

import contextlib
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick  # type: ignore[import-not-found,import-untyped,unused-ignore]

from .candidates import cached_fuzzy
from .common import zipf
from .events import Phrase, Rules, rule_phrases
from .normalize import drop_articles, is_arabic, normalize
from .triggers import (
    BETWEEN,
    COUNTRYSIDE,
    NEAR,
    TEXT_TRIGGERS_AR,
    TEXT_TRIGGERS_EN_AFTER,
    TEXT_TRIGGERS_EN_OF,
    arabic_trigger,
)
from .types import Gazetteer, Span

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# Only scripts a Syrian place name can be written in: other letters separate words.
_LATIN = "A-Za-z0-9\u00c0-\u024f\u02b0-\u02ff\u1e00-\u1eff"  # Latin with accents, modifier letters (ʿ)
_ARABIC = (
    "\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff"  # Arabic letters and marks
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe"  # Arabic supplements and presentation forms
)
_DIGITS = "\u0660-\u0669\u06f0-\u06f9"  # Arabic-Indic digits
_APOSTROPHES = "'’‘`´ʿʾʻʼ′"
# Arabic letters and digits make separate tokens: headlines glue dates to names ("الغنطو28/10").
# Ta marbuta only ends a word, so a letter after it starts a new one ("قريةزيتان" = قرية زيتان).
_TOKEN = re.compile(
    rf"[{_ARABIC}]+?\u0629[\u064b-\u0652]*(?=[\u0621-\u064a])|[{_ARABIC}]+(?:[{_APOSTROPHES}][{_ARABIC}]+)*|[{_LATIN}{_DIGITS}]+(?:[{_APOSTROPHES}][{_LATIN}{_DIGITS}]+)*"
)
_HARAKAT = re.compile("[\u064b-\u0652]")
_RIF = frozenset(("ريف", "بريف", "وريف", "لريف", "الريف", "بالريف", "والريف"))
_SENTENCE_END = re.compile(r"[.!?؟\n;؛]")
# Words that open a contrasting clause: "X happened in A, while B has seen attacks" gives B
# its own clause, so background cues there do not demote A.
_CLAUSE_OPENERS = frozenset({"بينما", "وبينما", "while", "whereas", "meanwhile"})
_HARD = re.compile(r"[^\s\-‐‑–\u0640\"'“”«»()\[\]]")
_JOINERS = "-‐‑–'’"
_JOINED_ARTICLES = frozenset(
    (
        "al", "el", "il", "ul", "ad", "ed", "adh", "ar", "er", "as", "es", "ash", "esh", "az", "ez", "at",
        "et", "ath", "an", "en", "ag", "ak", "ay", "ai", "eth"
    )
)  # fmt: skip
# Clitic prefixes allowed before a name; "لل" only before a name that drops its ال.
_CLITICS = frozenset(("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "وف"))
_LL_CLITICS = frozenset(("لل", "ولل", "فلل"))
# An event keyword or cue also counts with its article ("الغارات", "بالقصف"); names do not.
_ART_CLITICS = frozenset(("ال", "وال", "بال", "فال", "كال", "وبال", "لل", "ولل"))
_ART_TAGS = frozenset(("event", "background", "pattern"))
_STRIP_ORDER = ("وبال", "فبال", "وال", "بال", "فال", "كال", "ولل", "فلل", "لل", "وب", "ول", "وك", "فب", "فل",
                "و", "ف", "ب", "ل", "ك")  # fmt: skip
_DIRECTIONS_AR = {"الشرقي": "east", "الغربي": "west", "الشمالي": "north", "الجنوبي": "south",
                  "الشرقيه": "east", "الغربيه": "west", "الشماليه": "north", "الجنوبيه": "south"}  # fmt: skip
_DIRECTIONS_EN = {"eastern": "east", "western": "west", "northern": "north", "southern": "south",
                  "east": "east", "west": "west", "north": "north", "south": "south"}  # fmt: skip
_EN_PLACE_PREPS = frozenset(
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
_EN_STOP = frozenset(
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
_AR_STOP = frozenset(
    (
        "في", "من", "الي", "علي", "عن", "مع", "هذه", "هذا", "التي", "الذي", "التابعه", "التابع", "حيث",
        "كما", "بعد", "قبل", "خلال", "بين", "عند"
    )
)  # fmt: skip
_AR_NAMED_TRIGGERS = frozenset(("حي", "قريه", "بلده", "مخيم", "سجن", "ناحيه", "مطار", "سد", "حيي", "احياء"))
_AR_NAMED_ENDS = tuple(_AR_NAMED_TRIGGERS)
_GENERIC_EN = frozenset(
    (
        "al", "the", "eastern", "western", "northern", "southern", "east", "west", "north", "south",
        "rural", "greater"
    )
)  # fmt: skip
# A name this frequent in general text is a word first: it needs context unless it names an
# important place (a city, a district seat); past VERY_COMMON_ZIPF it needs context always.
COMMON_ZIPF_AR = 3.0
COMMON_ZIPF_EN = 3.0
VERY_COMMON_ZIPF = 5.5
IMPORTANT = 0.5
_AR_PLACE_PREPS = frozenset(("في", "داخل", "قرب", "علي", "الي", "نحو", "باتجاه"))
MAX_SPANS = 3000
MAX_FUZZY = 4
MAX_TOKEN = 80
# Words read from one text, ten times a long report; the rest is left with a warning. Reading
# is linear in words: 50,000 words of place names back to back take about 0.5 s of one slow core
# (bench: tests/test_geoparse_robustness.py, and the real gazetteer in the closing note).
MAX_WORDS = 50_000


@dataclass(slots=True)
class Doc:
    """The text as tokens, with each token's normalised form and original offsets."""

    text: str
    lang: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)
    nstarts: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    clause: list[int] = field(default_factory=list)  # sentences split again at "في حين" / "while"
    hard: list[bool] = field(default_factory=list)  # punctuation between this token and the previous one
    possessive: list[bool] = field(default_factory=list)
    norm: str = " "
    start_at: dict[int, int] = field(default_factory=dict)
    end_at: dict[int, int] = field(default_factory=dict)
    cased: bool = True  # the text mixes capitals and small letters, so capitals carry meaning
    read_to: int = -1  # where reading stopped after MAX_WORDS words (-1: the whole text was read)

    def sentence_text(self, sent: int) -> tuple[int, int]:
        """Return the token range [first, last] of a sentence."""
        first = bisect_right(self.sent, sent - 1)
        last = bisect_right(self.sent, sent) - 1
        return first, last

    def clause_text(self, clause: int) -> tuple[int, int]:
        """Return the token range [first, last] of a clause."""
        first = bisect_right(self.clause, clause - 1)
        last = bisect_right(self.clause, clause) - 1
        return first, last

    def norm_of(self, first: int, last: int) -> str:
        """Return the normalised text of tokens first..last."""
        return " ".join(self.norms[first : last + 1])

    def bare(self, index: int) -> str:
        """Return a token's normalised form without Arabic clitics."""
        return strip_clitics(self.norms[index])[0]


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule phrase found in the text."""

    first: int
    last: int
    phrase: Phrase


@dataclass(slots=True)
class Extraction:
    """Spans found in a text, with their token ranges, links and the rule phrases seen."""

    doc: Doc
    spans: list[Span]
    tokens: list[tuple[int, int]]  # (first, last) token of each span
    links: list[tuple[int, int, str]]  # (span i, span j, "coord" | "in" | "comma" | "contains")
    hits: list[RuleHit]


def detect_language(text: str) -> str:
    """Tell Arabic from English by counting letters in the first part of the text."""
    sample = text[:5000]
    arabic = len(_ARABIC_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    return "ar" if arabic >= latin and arabic > 0 else "en"


_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")


@lru_cache(maxsize=50_000)
def strip_clitics(word: str) -> tuple[str, str]:
    """Return (word without a leading Arabic clitic, the clitic); keeps ال on the word."""
    for prefix in _STRIP_ORDER:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            if prefix.endswith("ال"):
                return "ال" + rest, prefix[:-2]
            if prefix.endswith("لل"):
                return "ال" + rest, prefix[:-2] or "ل"
            return rest, prefix
    return word, ""


# A governorate capital glued to the end of a word: "الغنطوحمص" = الغنطو + حمص.
_GLUED_CAPITAL = re.compile(rf"([{_ARABIC}]{{3,}}?)(?:حمص|حلب|إدلب|ادلب|حماة|حماه|دمشق|درعا)(?![{_ARABIC}])")


def _glued_capitals(text: str, gazetteer: Gazetteer) -> frozenset[int]:
    """Return where to cut words that are a known place with a capital glued after it."""
    cuts: set[int] = set()
    for match in _GLUED_CAPITAL.finditer(text):
        start, cut = match.span(1)
        if start and text[start - 1] not in " \t\n#_-–:|/(\"'«":
            continue  # the match must start a word
        if gazetteer.exact(normalize(match.group(1))) and not gazetteer.exact(normalize(match.group())):
            cuts.add(cut)
    return frozenset(cuts)


def _pieces(text: str, splits: frozenset[int]) -> Iterable[tuple[int, int, str]]:
    """Return (start, end, raw) of every token, cut at the given character positions."""
    if not splits:
        return [(*m.span(), m.group()) for m in _TOKEN.finditer(text)]
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, int, str]] = []
    for start, end, _ in tokens:
        for cut in sorted(c for c in splits if start < c < end):
            out.append((start, cut, text[start:cut]))
            start = cut
        out.append((start, end, text[start:end]))
    return out


def build_doc(text: str, lang: str, splits: frozenset[int] = frozenset()) -> Doc:
    """Tokenise and normalise a text, keeping offsets back to the original; `splits` are
    character positions where a token is cut (a city glued to the name before it)."""
    doc = Doc(text=text, lang=lang)
    parts = [" "]
    pos = 1
    prev_end = 0
    sent = clause = 0
    upper = lower = 0
    force_hard = False
    # Bound methods: this loop runs once per token, up to ~200,000 times for 1 MB of text.
    norms, starts, ends, nstarts = doc.norms, doc.starts, doc.ends, doc.nstarts
    sents, clauses, hards, possessives = doc.sent, doc.clause, doc.hard, doc.possessive
    start_at, end_at = doc.start_at, doc.end_at
    for start, end, raw in _pieces(text, splits):
        gap = text[prev_end:start]
        if gap == " ":
            plain_gap, hard = True, False
        else:
            # A hashtag "#ريف_دمشق" names the countryside: "_" after ريف joins like a space.
            plain_gap = gap == "_" and bool(norms) and norms[-1] in _RIF
            hard = not plain_gap and bool(_HARD.search(gap))
            if norms and not plain_gap and _SENTENCE_END.search(gap):
                sent += 1
                clause += 1
        if end - start > MAX_TOKEN:
            # No name is this long; skip it but never let a name bridge over it.
            prev_end, force_hard = end, True
            continue
        possessive = False
        # "Hama’s" is Hama's; "Ra’s al-Ain" keeps its two-letter head.
        if len(raw) > 4 and raw[-2] in "'’" and raw[-1] in "sS" and raw[:-2].isascii():
            raw, end, possessive = raw[:-2], end - 2, True
        if (
            len(raw) < 4
            and raw.lower() in _JOINED_ARTICLES
            and text[end : end + 1] in _JOINERS
            and text[end + 1 : end + 2].isalpha()
        ):
            key = "al"
        else:
            key = normalize(raw)
        prev_end = end
        if not key:
            continue
        if len(norms) == MAX_WORDS:
            doc.read_to = start
            break
        first_char = raw[0]
        if first_char.isupper():
            upper += 1
        elif first_char.islower():
            lower += 1
        index = len(norms)
        starts.append(start)
        ends.append(end)
        norms.append(key)
        nstarts.append(pos)
        sents.append(sent)
        if key in _CLAUSE_OPENERS and index and clauses[-1] == clause:
            clause += 1
        elif key == "حين" and index and norms[index - 1] in ("في", "وفي"):
            clause += 1
            clauses[-1] = clause  # "في" opens the clause with "حين"
        clauses.append(clause)
        hards.append(force_hard or hard)
        force_hard = False
        possessives.append(possessive)
        start_at[pos] = index
        pos += len(key)
        end_at[pos] = index
        parts.append(key)
        parts.append(" ")
        pos += 1
    doc.norm = "".join(parts)
    doc.cased = upper > 0 and lower > 0 and upper < 0.8 * (upper + lower)
    return doc


# --- automata ---------------------------------------------------------------------------

_Entry = tuple[str, bool]  # (gazetteer key, matched without its ال after "لل")
_CACHE_ATTR = "_geoparse_automaton"
_fallback_cache: dict[int, tuple[object, object]] = {}


def place_automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """Return the automaton over the gazetteer's keys, built once per gazetteer object."""
    cached = getattr(gazetteer, _CACHE_ATTR, None)
    if cached is None:
        held = _fallback_cache.get(id(gazetteer))
        if held is not None and held[0] is gazetteer:
            cached = held[1]
    if cached is not None:
        return cached
    automaton = _build_place_automaton(gazetteer.keys())
    try:
        setattr(gazetteer, _CACHE_ATTR, automaton)
    except (AttributeError, TypeError):
        _fallback_cache[id(gazetteer)] = (gazetteer, automaton)
    return automaton


def _build_place_automaton(keys: object) -> ahocorasick.Automaton:
    """Index each key: Arabic keys open on the left (clitics), Latin keys on word boundaries."""
    table: dict[str, list[_Entry]] = {}
    for key in keys:  # type: ignore[attr-defined]
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


_rules_automata: dict[int, tuple[Rules, ahocorasick.Automaton]] = {}


def rules_automaton(rules: Rules) -> ahocorasick.Automaton:
    """Return the automaton over the rule phrases, built once per Rules object."""
    held = _rules_automata.get(id(rules))
    if held is not None and held[0] is rules:
        return held[1]
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
    if len(_rules_automata) > 16:
        _rules_automata.clear()
    _rules_automata[id(rules)] = (rules, automaton)
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


def find_rule_hits(doc: Doc, rules: Rules) -> list[RuleHit]:
    """Return every rule phrase (event keyword, actor, organisation, cue) in the text."""
    hits: list[RuleHit] = []
    for end, (length, arabic, plain, after_ll) in rules_automaton(rules).iter(doc.norm):
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
    article = arabic and prefix in _ART_CLITICS
    if prefix in _CLITICS or article:
        out += [p for p in plain if not article or p.tag in _ART_TAGS]
    if prefix in _LL_CLITICS:
        out += after_ll
    return out


# --- spans --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Match:
    first: int
    last: int
    prefix: str
    key: str
    length: int
    blocker: bool = False


def _place_matches(doc: Doc, gazetteer: Gazetteer) -> list[_Match]:
    """Return every automaton hit that sits on word edges with an allowed clitic."""
    out: list[_Match] = []
    for end, (length, entries) in place_automaton(gazetteer).iter(doc.norm):
        arabic = is_arabic(entries[0][0])
        loc = _locate(doc, end, length, arabic, whole=True)
        if loc is None:
            continue
        first, last, prefix = loc
        for key, needs_ll in entries:
            if (prefix in _LL_CLITICS) if needs_ll else (prefix in _CLITICS):
                out.append(_Match(first, last, prefix, key, length))
                break
        if len(out) > 10 * MAX_SPANS:
            break
    return out


_LEAD_DIRECTIONS = frozenset(("eastern", "western", "northern", "southern", "east", "west", "north", "south"))


def _lead(m: _Match) -> int:
    """Return 1 for a Latin name that opens with a direction word ("eastern Deir"): on a tie it
    yields to the name it overlaps ("Deir Ezzor"), as the direction usually qualifies that."""
    return 1 if m.key.split(" ", 1)[0] in _LEAD_DIRECTIONS else 0


def _select(matches: list[_Match], n_tokens: int) -> list[_Match]:
    """Keep the longest non-overlapping matches, leftmost first on ties."""
    taken = bytearray(n_tokens)
    kept: list[_Match] = []
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


def _orig_offset(doc: Doc, index: int, prefix: str) -> int:
    """Return the original offset of a token after skipping a normalised clitic prefix."""
    start = doc.starts[index]
    if not prefix:
        return start
    text = doc.text
    count = 0
    pos = start
    while pos < doc.ends[index] and count < len(prefix):
        if not re.match(rf"[{_MARKS}\u0640]", text[pos]):
            count += 1
        pos += 1
    while pos < doc.ends[index] and re.match(rf"[{_MARKS}\u0640]", text[pos]):
        pos += 1
    return pos


@dataclass(slots=True)
class _Draft:
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


def _ends_at(hits: list[RuleHit], tag: str) -> dict[int, RuleHit]:
    return {h.last: h for h in hits if h.phrase.tag == tag}


def _annotate(doc: Doc, draft: _Draft, near_by_end: dict[int, RuleHit]) -> None:
    """Set the trigger, qualifier and direction of a draft span from its neighbours."""
    f, last = draft.first, draft.last
    n = len(doc.norms)
    same = doc.sent
    if doc.lang == "ar" or is_arabic(draft.key):
        if f > 0 and same[f - 1] == same[f] and not doc.hard[f]:
            trig = arabic_trigger(doc.norms[f - 1])
            if trig is not None:
                draft.kind_hint, draft.plural, draft.qualifier = trig
                draft.trigger = doc.norms[f - 1]
                if f > 1 and draft.qualifier == "" and _near_before(doc, f - 1, near_by_end):
                    draft.qualifier = NEAR
        if last + 1 < n and not doc.hard[last + 1] and draft.qualifier == COUNTRYSIDE:
            draft.direction = _DIRECTIONS_AR.get(doc.norms[last + 1], "")
        if not draft.qualifier and _near_before(doc, f, near_by_end):
            draft.qualifier = NEAR
    else:
        after = doc.norms[last + 1] if last + 1 < n and not doc.hard[last + 1] else ""
        trig = TEXT_TRIGGERS_EN_AFTER.get(after)
        if trig is None and after in _DIRECTIONS_EN and last + 2 < n and doc.norms[last + 2] == "countryside":
            trig, draft.direction = TEXT_TRIGGERS_EN_AFTER["countryside"], _DIRECTIONS_EN[after]
        if trig is not None:
            draft.kind_hint, draft.plural, draft.qualifier = trig
            draft.trigger = after
        elif f >= 2 and doc.norms[f - 1] == "of" and doc.norms[f - 2] in TEXT_TRIGGERS_EN_OF:
            draft.kind_hint, draft.plural, draft.qualifier = TEXT_TRIGGERS_EN_OF[doc.norms[f - 2]]
            draft.trigger = doc.norms[f - 2]
        if f >= 1 and doc.norms[f - 1] == "rural":
            draft.qualifier = COUNTRYSIDE
        if draft.qualifier == COUNTRYSIDE and not draft.direction and f >= 1:
            draft.direction = _DIRECTIONS_EN.get(doc.norms[f - 1], "") if doc.norms[f - 1] in (
                "eastern", "western", "northern", "southern") else ""  # fmt: skip
        if not draft.qualifier and _near_before(doc, f, near_by_end):
            draft.qualifier = NEAR
    if f > 0 and {doc.norms[f - 1], doc.bare(f - 1)} & {"بين", "وبين", "between"} and not doc.hard[f]:
        draft.qualifier = BETWEEN


def _near_before(doc: Doc, index: int, near_by_end: dict[int, RuleHit]) -> bool:
    """Tell whether a near-cue ("قرب", "near", "east of") ends just before token index."""
    hit = near_by_end.get(index - 1)
    return hit is not None and doc.sent[hit.last] == doc.sent[index] and not doc.hard[index]


_IN_EN = frozenset(
    [
        "in",
        "of",
        "the",
        "city",
        "town",
        "village",
        "neighbourhood",
        "neighborhood",
        "district",
        "area",
        "countryside",
        "province",
        "governorate",
        "rural",
        "eastern",
        "western",
        "northern",
        "southern",
        "al",
    ]
)
_IN_AR = frozenset(("في", "داخل", "التابع", "التابعه", "ضمن", "شرقي", "غربي", "شمالي", "جنوبي"))


def _link(doc: Doc, a: _Draft, b: _Draft) -> str:
    """Return how span b relates to the span a before it: coord, in, comma, contains or ""."""
    gap = range(a.last + 1, b.first)
    if doc.sent[a.last] != doc.sent[b.first] or len(gap) > 3:
        return ""
    words = [doc.norms[k] for k in gap]
    bare_words = [doc.bare(k) for k in gap]
    if is_arabic(b.key):
        if b.container and not words:
            return "in"
        if not words and b.prefix.startswith("و") and not doc.hard[b.first]:
            return "coord"
        if words == ["و"] and not doc.hard[b.first]:
            return "coord"
        if not words and doc.hard[b.first]:
            return "comma"
        into = b.prefix.endswith("ب") or b.prefix == "ل" or b.prefix.endswith("لل")
        for word, bare in zip(words, bare_words, strict=True):
            if word in _IN_AR or word.startswith("التابع"):
                into = True
            elif arabic_trigger(word) is not None:
                into = into or word.startswith(("ب", "وب", "ل"))
            elif bare not in _DIRECTIONS_AR:
                return ""
        return "in" if into else ""
    if doc.possessive[a.last] and len(words) <= 1:
        return "contains"
    if not words and not doc.hard[b.first] and _names_region_en(doc, b):
        return "in"  # "Hamoria Damascus countryside", "Morek Hama province": the region holds X
    if words in (["and"], ["or"]) and not doc.hard[b.first]:
        return "coord"
    if not words and doc.hard[b.first]:
        return "comma"
    if words and all(w in _IN_EN for w in words) and ("in" in words or "of" in words):
        return "in"
    return ""


_REGION_EN = frozenset(("countryside", "province", "governorate", "suburbs"))


def _names_region_en(doc: Doc, draft: _Draft) -> bool:
    """Tell whether an English span is, or is followed by, a countryside or province word."""
    if draft.qualifier == "countryside" or draft.key.rsplit(" ", 1)[-1] in _REGION_EN:
        return True
    nxt = draft.last + 1
    return nxt < len(doc.norms) and not doc.hard[nxt] and doc.norms[nxt] in _REGION_EN


def _capitalised(doc: Doc, draft: _Draft) -> bool:
    """Tell whether an English name is written with a capital (articles, directions and trigger
    nouns aside: "the countryside of Idlib")."""
    for k in range(draft.first, draft.last + 1):
        if doc.norms[k] in _GENERIC_EN or doc.norms[k] in TEXT_TRIGGERS_EN_OF or doc.norms[k] == "of":
            continue
        ch = doc.text[doc.starts[k]]
        return ch.isupper() or not ch.isalpha()
    return True


def _has_context(doc: Doc, draft: _Draft, kept: list[_Draft], links: set[int], index: int) -> bool:
    """Tell whether an ambiguous name has a trigger, a link or a non-ambiguous place nearby."""
    if draft.trigger or draft.qualifier or index in links:
        return True
    for other in kept:
        if other is draft or other.source != "exact":
            continue
        if doc.sent[other.first] == doc.sent[draft.first] and abs(other.first - draft.first) <= 6:
            return True
    return False


def extract(text: str, gazetteer: Gazetteer, rules: Rules, lang: str) -> Extraction:
    """Find candidate place spans in a text (see the module docstring)."""
    doc = build_doc(text, lang, _glued_capitals(text, gazetteer) if lang == "ar" else frozenset())
    hits = find_rule_hits(doc, rules)
    near_by_end = _ends_at(hits, "near")
    matches = _place_matches(doc, gazetteer)
    for hit in hits:
        if hit.phrase.tag in ("org", "actor"):
            length = len(doc.norm_of(hit.first, hit.last)) + 1
            matches.append(_Match(hit.first, hit.last, "", hit.phrase.payload, length, blocker=True))
    selected = [m for m in _select(matches, len(doc.norms)) if not m.blocker]
    drafts = [_Draft(m.first, m.last, m.prefix, m.key) for m in selected[:MAX_SPANS]]
    occupied = bytearray(len(doc.norms))
    for m in _select(matches, len(doc.norms)):
        occupied[m.first : m.last + 1] = b"\x01" * (m.last - m.first + 1)
    drafts.extend(_fuzzy_drafts(doc, occupied))
    if doc.lang == "ar":
        drafts.extend(_elided_alef(doc, occupied, gazetteer))
    drafts.sort(key=lambda d: d.first)
    drafts = _runs(doc, drafts, gazetteer)
    if doc.lang == "ar":
        drafts = _containers_ar(doc, drafts)
    for draft in drafts:
        _annotate(doc, draft, near_by_end)
    drafts = _filter(doc, drafts, rules, gazetteer)
    if doc.lang == "ar":
        _bare_countryside(doc, drafts)
    links = _links(doc, drafts)
    return Extraction(
        doc, [_to_span(doc, d) for d in drafts], [(d.first, d.last) for d in drafts], links, hits
    )


# Nisba adjectives name the governorate city a place belongs to: "حي جوبر الدمشقي" is in Damascus.
PAIR_QUALITY = 92.0  # two known names read as one only when the pair is very close to a longer name
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


def _containers_ar(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Add the city a nisba adjective names after a place, and mark an unmarked capital after the
    first place of a headline as its container."""
    out: list[_Draft] = []
    taken = {k for d in drafts for k in range(d.first, d.last + 1)}
    for j, d in enumerate(drafts):
        out.append(d)
        nxt = d.last + 1
        if nxt < len(doc.norms) and nxt not in taken and doc.sent[nxt] == doc.sent[d.last]:
            city = _NISBA_AR.get(doc.norms[nxt])
            if city is not None and not doc.hard[nxt]:
                out.append(_Draft(nxt, nxt, "", city, container=True))
        if j == 1 and _unmarked_capital(doc, drafts[0], d):
            d.container = True
    return out


_BARE_RIF = frozenset(("الريف", "بالريف", "والريف", "وبالريف", "للريف", "فالريف"))


def _bare_countryside(doc: Doc, drafts: list[_Draft]) -> None:
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
        direction = _DIRECTIONS_AR.get(doc.norms[k + 1], "")
        if norm in _BARE_RIF and direction and not doc.hard[k + 1] and doc.sent[k] in sentences:
            for d in capitals:
                d.qualifier, d.direction = COUNTRYSIDE, direction
            return


def _unmarked_capital(doc: Doc, first: _Draft, second: _Draft) -> bool:
    """Tell whether a headline opens "place capital" with nothing between ("السعن حمص")."""
    if first.first != 0 or second.first != 1 or second.prefix or doc.hard[1]:
        return False
    return second.key in _CAPITALS_AR and first.key not in _CAPITALS_AR


def _links(doc: Doc, drafts: list[_Draft]) -> list[tuple[int, int, str]]:
    """Link each span to the one before it, and carry plural triggers along coordinations."""
    links: list[tuple[int, int, str]] = []
    for j in range(1, len(drafts)):
        a, b = drafts[j - 1], drafts[j]
        rel = _link(doc, a, b)
        if not rel:
            continue
        links.append((j - 1, j, rel))
        if rel == "coord":
            if a.plural and not b.trigger:
                b.kind_hint, b.trigger, b.plural = a.kind_hint, a.trigger, True
                b.qualifier = b.qualifier or a.qualifier
            if a.qualifier == BETWEEN:
                b.qualifier = BETWEEN
    return links


def _filter(doc: Doc, drafts: list[_Draft], rules: Rules, gazetteer: Gazetteer) -> list[_Draft]:
    """Drop ambiguous or common-word names without context and uncapitalised English names."""
    ambiguous = _ambiguous_keys(rules)
    rels = {j: _link(doc, drafts[j - 1], drafts[j]) for j in range(1, len(drafts))}
    prelim_links = {j for j, rel in rels.items() if rel}
    prelim_links |= {j - 1 for j in prelim_links}
    common = [_is_common(doc, d, gazetteer) for d in drafts]
    kept: list[_Draft] = []
    for index, draft in enumerate(drafts):
        latin = not is_arabic(draft.key)
        if latin and doc.cased and not _capitalised(doc, draft) and not _lower_ok(doc, draft):
            continue
        if _is_trigger_word(draft.key) or _media_name(doc, draft, gazetteer):
            continue
        if draft.key in ambiguous and not _has_context(doc, draft, drafts, prelim_links, index):
            continue
        if latin and draft.source == "exact" and draft.key in _EN_STOP:
            continue
        if common[index] and _construct_head(doc, draft, drafts, index):
            continue
        if common[index] and not _strong_context(doc, drafts, rels, common, index):
            continue
        kept.append(draft)
    return kept


# Words that close a newsroom's name: "X Press", "X News", "X نيوز" name an outlet, not a place.
_MEDIA_WORDS = frozenset(
    normalize(w) for w in ("press", "news", "observatory", "agency", "network", "برس", "نيوز")
)


def _media_name(doc: Doc, draft: _Draft, gazetteer: Gazetteer) -> bool:
    """Tell whether a name is part of an outlet's name ("AL Shamal press", "شام برس", "شبكة صدى
    الثورة"); a city's outlet ("Aleppo News") still says where the reporting is from, so the city stays."""
    nxt = draft.last + 1
    closed = nxt < len(doc.norms) and not doc.hard[nxt] and doc.norms[nxt] in _MEDIA_WORDS
    if draft.trigger or not (closed or _in_outlet_name(doc, draft)):
        return False
    return not any(p.importance >= _CITY_IMPORTANCE for p, _ in gazetteer.exact(draft.key))


_CITY_IMPORTANCE = 0.9  # governorate capitals (as in resolve)
# Nouns that open a newsroom's name: "شبكة صدى الثورة" is a network, not the town al-Thawra.
_OUTLET_HEADS = frozenset(
    # Not "موقع" (a military position too) nor "قناة" (a canal).
    normalize(w)
    for w in ("شبكة", "وكالة", "إذاعة", "صحيفة", "جريدة", "منصة", "مجلة")
)
OUTLET_REACH = 2  # words from the head noun to the name ("شبكة صدى الثورة")


def _in_outlet_name(doc: Doc, draft: _Draft) -> bool:
    """Tell whether a name sits a few words after the head noun of an outlet's name."""
    for k in range(draft.first - 1, max(-1, draft.first - 1 - OUTLET_REACH), -1):
        if doc.hard[k + 1]:
            return False
        if strip_clitics(doc.norms[k])[0] in _OUTLET_HEADS:
            return True
    return False


def _construct_head(doc: Doc, draft: _Draft, drafts: list[_Draft], index: int) -> bool:
    """Tell whether an Arabic common word is the head of a construct ("مدرسة مرج السلطان",
    "بمسجد النور"): a noun followed by the name or word that it belongs to, not a place."""
    if not is_arabic(draft.key) or draft.trigger or draft.qualifier or draft.key.startswith("ال"):
        return False
    nxt = draft.last + 1
    if nxt >= len(doc.norms) or doc.hard[nxt] or doc.sent[nxt] != doc.sent[draft.last]:
        return False
    follows = index + 1 < len(drafts) and drafts[index + 1].first == nxt
    return follows or (doc.norms[nxt].startswith("ال") and doc.norms[nxt] not in _DIRECTIONS_AR)


def _lower_ok(doc: Doc, draft: _Draft) -> bool:
    """Tell whether an uncapitalised English name still counts: one rare word after a place
    preposition ("remnants in latamneh")."""
    f = draft.first
    return (
        f == draft.last
        and f > 0
        and not doc.hard[f]
        and doc.norms[f - 1] in _EN_PLACE_PREPS
        and len(draft.key) >= 5
        and not _word_like(draft.key)
    )


def _is_trigger_word(key: str) -> bool:
    """Tell whether a key is only a trigger noun ("مدينة", "قرية", "village"): never a place."""
    bare = strip_clitics(key)[0] if is_arabic(key) else key
    return bare in TEXT_TRIGGERS_AR or key in TEXT_TRIGGERS_AR or key in TEXT_TRIGGERS_EN_AFTER


def common_word(key: str) -> float:
    """Return the Zipf frequency of a one-word name (articles aside), 0 for longer names."""
    bare = key if is_arabic(key) else drop_articles(key)
    if " " in bare or not bare:
        return 0.0
    return zipf(bare)


def _vocalised(doc: Doc, draft: _Draft) -> bool:
    """Tell whether an Arabic span is written with short-vowel marks: headlines mark a verb that
    spells like a place ("تُدمر", destroys, not Tadmor), never the place's name."""
    return bool(_HARAKAT.search(doc.text, doc.starts[draft.first], doc.ends[draft.last]))


def _is_common(doc: Doc, draft: _Draft, gazetteer: Gazetteer) -> bool:
    """Tell whether a span's name is a frequent word that does not name an important place."""
    if draft.source != "exact":
        return False
    freq = common_word(draft.key)
    if freq < (COMMON_ZIPF_AR if is_arabic(draft.key) else COMMON_ZIPF_EN):
        return False
    if freq >= VERY_COMMON_ZIPF or _vocalised(doc, draft):
        return True
    return all(place.importance < IMPORTANT for place, _ in gazetteer.exact(draft.key))


def _strong_context(
    doc: Doc, drafts: list[_Draft], rels: dict[int, str], common: list[bool], index: int
) -> bool:
    """Tell whether a common-word name is framed as a place: a trigger, a qualifier, a place
    preposition, or containment/coordination with a name that is not itself a common word."""
    draft = drafts[index]
    if draft.trigger or draft.qualifier:
        return True
    f = draft.first
    if is_arabic(draft.key):
        if draft.prefix.endswith("ب") or (f > 0 and not doc.hard[f] and doc.norms[f - 1] in _AR_PLACE_PREPS):
            return True
    elif f > 0 and not doc.hard[f] and doc.norms[f - 1] in _EN_PLACE_PREPS:
        return True
    for j in (index, index + 1):
        rel = rels.get(j, "")
        other = j - 1 if j == index else j
        if rel and rel != "comma" and not common[other]:
            return True
    return index > 0 and not common[index - 1] and _headline_field(doc, drafts, index)


_FIELD_DASH = re.compile(r"\s[-‐‑–—]+\s|^[-‐‑–—]+\s")


def _field_break(doc: Doc, k: int) -> bool:
    """Tell whether token k opens a new field: punctuation, or a dash with spaces round it."""
    return doc.hard[k] or bool(_FIELD_DASH.search(doc.text[doc.ends[k - 1] : doc.starts[k]]))


HEADLINE_LEAD = 3  # tokens before a headline's first place ("سوريا -", "وكالة قاسيون:")


def _headline_field(doc: Doc, drafts: list[_Draft], index: int) -> bool:
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


_ambiguous_cache: dict[int, tuple[Rules, frozenset[str]]] = {}


def _ambiguous_keys(rules: Rules) -> frozenset[str]:
    held = _ambiguous_cache.get(id(rules))
    if held is not None and held[0] is rules:
        return held[1]
    keys = frozenset(normalize(name) for name in rules.ambiguous_names)
    _ambiguous_cache[id(rules)] = (rules, keys)
    return keys


def _fuzzy_drafts(doc: Doc, occupied: bytearray) -> list[_Draft]:
    """Propose unknown names in place contexts as spans for fuzzy lookup."""
    out: list[_Draft] = []
    n = len(doc.norms)
    k = 0
    while k < n and len(out) < MAX_FUZZY:
        if occupied[k]:
            k += 1
            continue
        draft = (
            _arabic_candidate(doc, k, occupied)
            if is_arabic(doc.norms[k])
            else _english_candidate(doc, k, occupied)
        )
        if draft is None:
            k += 1
            continue
        out.append(draft)
        k = draft.last + 1
    return out


def _elided_alef(doc: Doc, occupied: bytearray, gazetteer: Gazetteer) -> list[_Draft]:
    """Read a word as a major town whose name opens with hamza-alef written without it
    ("بعزاز" for بأعزاز): only unknown, uncommon words and important towns."""
    elided = _alef_names(gazetteer)
    out: list[_Draft] = []
    for k, norm in enumerate(doc.norms):
        if occupied[k] or norm[-2:] not in elided.endings:
            continue
        rest, prefix = strip_clitics(norm)
        if rest in elided.rests:
            out.append(_Draft(k, k, prefix, "ا" + rest))
    return out


@dataclass(frozen=True, slots=True)
class _Elided:
    rests: frozenset[str]  # important one-word names after their initial alef: "عزاز"
    endings: frozenset[str]  # their last two letters, a cheap first test


_ELIDED_ATTR = "_geoparse_elided_alef"


def _alef_names(gazetteer: Gazetteer) -> _Elided:
    """Return the important one-word names that open with alef (not ال), without it; built once
    per gazetteer (words that are frequent without the alef are left out)."""
    held: _Elided | None = getattr(gazetteer, _ELIDED_ATTR, None)
    if held is not None:
        return held
    keys = gazetteer.keys() if hasattr(gazetteer, "keys") else []
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
    held = _Elided(rests, frozenset(r[-2:] for r in rests))
    with contextlib.suppress(AttributeError, TypeError):  # else rebuilt on each call: only slower
        setattr(gazetteer, _ELIDED_ATTR, held)
    return held


def _arabic_candidate(doc: Doc, k: int, occupied: bytearray) -> _Draft | None:
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
    if doc.norms[k] in _AR_STOP or (len(doc.norms[k]) < 3 and doc.norms[k] != "تل"):
        return None  # "تل" (hill) opens many two-word names: "قرية تل السلطان"
    last = k
    nxt = doc.norms[k + 1] if k + 1 < len(doc.norms) and not doc.hard[k + 1] else ""
    if nxt.startswith("ال") and not occupied[k + 1] and nxt not in _AR_STOP and nxt not in _DIRECTIONS_AR:
        last = k + 1
    return _Draft(k, last, "", doc.norm_of(k, last), source="trigger")


def _english_candidate(doc: Doc, k: int, occupied: bytearray) -> _Draft | None:
    """Return a run of capitalised words holding a rare word (not an English word) as a fuzzy
    span, or a lower-case rare word after a place preposition ("in latamneh")."""
    if not doc.cased or doc.norms[k] in _EN_STOP:
        return None
    after_prep = k > 0 and doc.norms[k - 1] in _EN_PLACE_PREPS and not doc.hard[k]
    if not doc.text[doc.starts[k]][:1].isupper():
        key = doc.norms[k]
        ok = (
            after_prep
            and not _word_like(key)
            and len(key) >= 5
            and key.isalpha()
            and (k + 1 >= len(doc.norms) or not occupied[k + 1])
        )
        return _Draft(k, k, "", key, source="fuzzy") if ok else None
    last = k
    while (
        last + 1 < len(doc.norms)
        and last - k < 2
        and not occupied[last + 1]
        and not doc.hard[last + 1]
        and (doc.text[doc.starts[last + 1]][:1].isupper() or doc.norms[last + 1] == "al")
        and doc.norms[last + 1] not in _EN_STOP
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
    rare = [w for w in words if not _word_like(w) and w.isalpha()]
    headed = len(words) > 1 and words[0] in _NAME_HEADS_EN  # "Ain Issa": a place-name head
    if not rare and headed:
        rare = words[1:]
    if not rare or (not after_prep and not headed and all(len(w) < 5 for w in rare)):
        return None  # a short first word may open a name: "Teir Maalah"
    return _Draft(k, last, "", doc.norm_of(k, last), source="fuzzy")


# Words that open the name of a town's own body after the town: "Lattameneh Civil Defense",
# "Maara Media Center", "Saraqib Local Council".
_LOCAL_BODIES = frozenset(("civil", "media", "local"))
# Arabic generic heads of place names in transliteration (spring, hill, monastery, village, bridge,
# cape, inn, house, gate, mountain, valley, meadow); not "Abu"/"Umm", which open people's names too.
_NAME_HEADS_EN = frozenset(
    ("ain", "ein", "ayn", "tal", "tell", "tall", "deir", "dayr", "kafr", "kfar", "kafar", "jisr", "ras",
     "khan", "beit", "bayt", "bab", "jabal", "jebel", "wadi", "marj")
)  # fmt: skip


def _word_like(key: str) -> bool:
    """Tell whether a Latin token is an English word or a plural/possessive of a stop word
    ("Syrias"), which fuzzy matching must not turn into a village."""
    if zipf(key) >= COMMON_ZIPF_EN:
        return True
    stem = key[:-1] if key.endswith("s") else ""
    return (bool(stem) and (stem in _EN_STOP or zipf(stem) >= COMMON_ZIPF_EN)) or _misspelt_word(key)


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


def _capital_run(doc: Doc, draft: _Draft) -> tuple[int, int]:
    """Return the run of capitalised words (articles allowed inside) around an English name."""

    def joins(k: int) -> bool:
        if doc.norms[k] in _EN_STOP or doc.sent[k] != doc.sent[draft.first]:
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


def _runs(doc: Doc, drafts: list[_Draft], gazetteer: Gazetteer) -> list[_Draft]:
    """Replace exact English names that are part of a longer capitalised name ("Kafar Naha",
    "Khan Al Sheikh", "Tal Msaybin") by the whole run when it matches a gazetteer name closely."""
    out: list[_Draft] = []
    covered = -1
    for j, draft in enumerate(drafts):
        if draft.first <= covered:
            continue
        if draft.source == "exact" and is_arabic(draft.key):
            longer = _with_direction(doc, draft, gazetteer)
            if longer is None and j + 1 < len(drafts):
                longer = _with_next(doc, draft, drafts[j + 1], gazetteer)
            if longer is not None:
                covered = longer.last
            out.append(longer or draft)
            continue
        sided = _with_direction_en(doc, draft, gazetteer) if draft.source != "trigger" else None
        if sided is not None:
            while out and out[-1].last >= sided.first:
                out.pop()
            out.append(sided)
            covered = sided.last
            continue
        if draft.source != "exact" or not doc.cased:
            out.append(draft)
            continue
        first, last = _capital_run(doc, draft)
        run = _run_draft(doc, first, last, gazetteer) if (first, last) != (draft.first, draft.last) else None
        while run is None and last > draft.last and doc.norms[last] in _LEAD_DIRECTIONS:
            last -= 1  # "Marj al-Sultan Eastern Ghouta": the direction opens the next name
            run = (
                _run_draft(doc, first, last, gazetteer)
                if (first, last) != (draft.first, draft.last)
                else None
            )
        if run is None:
            if not _idafa_head(doc, draft, last, gazetteer):
                out.append(draft)
            continue
        while out and out[-1].last >= first:
            out.pop()
        out.append(run)
        covered = last
    return out


def _with_direction(doc: Doc, draft: _Draft, gazetteer: Gazetteer) -> _Draft | None:
    """Return the longer name when an Arabic name is followed by a direction adjective that is part
    of a gazetteer name written a little differently ("الغارية الغربية" for OCHA's
    "الغارية الغريبة"): exact names are already whole matches, so only a close fuzzy match counts."""
    nxt = draft.last + 1
    if nxt >= len(doc.norms) or doc.hard[nxt] or doc.norms[nxt] not in _DIRECTIONS_AR:
        return None
    if draft.key.startswith("ريف") or (draft.first > 0 and doc.bare(draft.first - 1) in ("ريف", "الريف")):
        return None  # "ريف حلب الشمالي": the direction qualifies the countryside
    key = f"{draft.key} {doc.norms[nxt]}"
    if any(q >= RUN_QUALITY for _, _, q in cached_fuzzy(gazetteer, key)):
        return _Draft(draft.first, nxt, draft.prefix, key, source="fuzzy")
    return None


def _with_next(doc: Doc, draft: _Draft, nxt: _Draft, gazetteer: Gazetteer) -> _Draft | None:
    """Return one name for two adjacent Arabic names that together are a gazetteer name written a
    little differently ("معرة النعسان" for OCHA's "معارة النعسان"), rather than two places."""
    if nxt.first != draft.last + 1 or nxt.prefix or nxt.source != "exact" or doc.hard[nxt.first]:
        return None
    if doc.sent[nxt.first] != doc.sent[draft.last] or not is_arabic(nxt.key):
        return None
    key = f"{draft.key} {doc.norm_of(nxt.first, nxt.last)}"
    if any(q >= PAIR_QUALITY for _, _, q in cached_fuzzy(gazetteer, key)):
        return _Draft(draft.first, nxt.last, draft.prefix, key, source="fuzzy")
    return None


def _with_direction_en(doc: Doc, draft: _Draft, gazetteer: Gazetteer) -> _Draft | None:
    """Return the longer name when a minor English name has a direction word before or after it
    that belongs to a gazetteer name ("eastern Al Ghariya", "Al Ghariya eastern" → Eastern
    Ghariyeh); a major place keeps the direction as a qualifier ("eastern Aleppo")."""
    n = len(doc.norms)
    before = draft.first - 1 if draft.first > 0 and not doc.hard[draft.first] else -1
    after = draft.last + 1 if draft.last + 1 < n and not doc.hard[draft.last + 1] else -1
    side = next((k for k in (before, after) if k >= 0 and doc.norms[k] in _DIRECTIONS_EN), -1)
    if side < 0 or doc.sent[side] != doc.sent[draft.first]:
        return None
    if any(place.importance >= IMPORTANT for place, _ in gazetteer.exact(draft.key)):
        return None
    key = f"{doc.norms[side]} {draft.key}"
    if any(q >= RUN_QUALITY for _, _, q in cached_fuzzy(gazetteer, key)):
        return _Draft(min(side, draft.first), max(side, draft.last), "", key, source="fuzzy")
    return None


def _idafa_head(doc: Doc, draft: _Draft, run_last: int, gazetteer: Gazetteer) -> bool:
    """Tell whether a minor place's name is only the head of an unknown "X al-Y" name
    ("Jabal al-Zawiya", "Sahl al-Ghab"): the text names another feature."""
    nxt = draft.last + 1
    if run_last <= nxt or doc.norms[nxt] != "al":
        return False
    return all(place.importance < IMPORTANT for place, _ in gazetteer.exact(draft.key))


def _run_draft(doc: Doc, first: int, last: int, gazetteer: Gazetteer) -> _Draft | None:
    """Return a fuzzy draft for a run when the gazetteer has a close match for it."""
    key = doc.norm_of(first, last)
    if len(drop_articles(key).replace(" ", "")) < 6:
        return None
    # "X al-Y" is one name ("Muadamiyat al-Sham"), so a looser match holds; "Dumaa Damascus" is two.
    cutoff = IDAFA_RUN_QUALITY if " al " in key else RUN_QUALITY
    if any(q >= cutoff for _, _, q in cached_fuzzy(gazetteer, key)):
        return _Draft(first, last, "", key, source="fuzzy")
    return None


def _to_span(doc: Doc, d: _Draft) -> Span:
    """Build the public Span of a draft, pointing at original characters."""
    start = _orig_offset(doc, d.first, d.prefix)
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
