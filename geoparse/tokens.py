"""Tokenise a text: each token's normalised form, with offsets back to the original characters.

The text is tokenised and each token normalised with `normalize`, so names meet the gazetteer on
the same keys; the normalised text (tokens joined by spaces) keeps a map back to the original.
Sentences and clauses are numbered, and punctuation between tokens is recorded ("hard").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .clitics import strip_clitics
from .normalize import normalize

MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# Only scripts a Syrian place name can be written in: other letters separate words.
_LATIN = "A-Za-z0-9\u00c0-\u024f\u02b0-\u02ff\u1e00-\u1eff"  # Latin with accents, modifier letters (ʿ)
ARABIC = (
    "\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff"  # Arabic letters and marks
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe"  # Arabic supplements and presentation forms
)
_DIGITS = "\u0660-\u0669\u06f0-\u06f9"  # Arabic-Indic digits
_APOSTROPHES = "'’‘`´ʿʾʻʼ′"
# Arabic letters and digits make separate tokens: headlines glue dates to names ("الغنطو28/10").
# Ta marbuta only ends a word, so a letter after it starts a new one ("قريةزيتان" = قرية زيتان).
_TOKEN = re.compile(
    rf"[{ARABIC}]+?\u0629[\u064b-\u0652]*(?=[\u0621-\u064a])|[{ARABIC}]+(?:[{_APOSTROPHES}][{ARABIC}]+)*|[{_LATIN}{_DIGITS}]+(?:[{_APOSTROPHES}][{_LATIN}{_DIGITS}]+)*"
)
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

MAX_TOKEN = 80
# Words read from one text, ten times a long report; the rest is left with a warning. Reading
# is linear in words: 50,000 words of place names back to back take about 0.5 s of one slow core
# (bench: tests/test_geoparse_robustness.py, and the real gazetteer in the closing note).
MAX_WORDS = 50_000


@dataclass(frozen=True, slots=True)
class Doc:
    """The text as tokens, with each token's normalised form and original offsets."""

    text: str
    lang: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    norms: tuple[str, ...]
    nstarts: tuple[int, ...]  # where each token starts in `norm`
    sent: tuple[int, ...]
    clause: tuple[int, ...]  # sentences split again at "في حين" / "while"
    hard: tuple[bool, ...]  # punctuation between this token and the previous one
    possessive: tuple[bool, ...]
    norm: str  # the normalised tokens joined by spaces, with a space at each end
    start_at: Mapping[int, int]  # offset in `norm` → the token starting there
    end_at: Mapping[int, int]  # offset in `norm` → the token ending there
    cased: bool  # the text mixes capitals and small letters, so capitals carry meaning
    read_to: int  # where reading stopped after MAX_WORDS words (-1: the whole text was read)

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


def detect_language(text: str) -> str:
    """Tell Arabic from English by counting letters in the first part of the text."""
    sample = text[:5000]
    arabic = len(_ARABIC_LETTER.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    return "ar" if arabic >= latin and arabic > 0 else "en"


_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")


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
    parts = [" "]
    pos = 1
    prev_end = 0
    sent = clause = 0
    upper = lower = 0
    force_hard = False
    read_to = -1
    norms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    nstarts: list[int] = []
    sents: list[int] = []
    clauses: list[int] = []
    hards: list[bool] = []
    possessives: list[bool] = []
    start_at: dict[int, int] = {}
    end_at: dict[int, int] = {}
    # This loop runs once per token, up to ~200,000 times for 1 MB of text: locals only.
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
            read_to = start
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
    return Doc(
        text=text,
        lang=lang,
        starts=tuple(starts),
        ends=tuple(ends),
        norms=tuple(norms),
        nstarts=tuple(nstarts),
        sent=tuple(sents),
        clause=tuple(clauses),
        hard=tuple(hards),
        possessive=tuple(possessives),
        norm="".join(parts),
        start_at=start_at,
        end_at=end_at,
        cased=upper > 0 and lower > 0 and upper < 0.8 * (upper + lower),
        read_to=read_to,
    )
