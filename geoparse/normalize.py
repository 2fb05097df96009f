"""Normalise Arabic and Latin place names and text the same way everywhere.

The gazetteer build, gazetteer lookup and text extraction all call `normalize`, so a
name written one way in a source and another way in an article meet on one key.
Arabic: tatweel and diacritics removed; أ إ آ ٱ → ا; ى → ي; ة → ه.
Latin: casefolded, accents stripped, apostrophes/ʿ/hyphens folded and the article
forms al-/el-/ad-/ar-/as-/ash-/az-… unified to "al".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TATWEEL = "\u0640"
# Harakat, Quranic marks, superscript alef and the combining hamza/madda left by NFKD.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_AR_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        # Persian/Urdu look-alikes that Arabic keyboards and OCR produce.
        "ک": "ك",
        "ی": "ي",
        "ۀ": "ه",
        "ە": "ه",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Apostrophes, ayn/hamza transliteration marks and backticks vanish inside words.
_APOSTROPHES = re.compile("['’‘`´ʿʾʻʼ′]")
_NON_WORD = re.compile(r"[^\w]+|_+")
_SPACES = re.compile(r"\s+")

# Articles joined by a hyphen or apostrophe are unambiguous in any form.
_JOINED_ARTICLES = (
    "al|el|il|ul|ad|ed|adh|ar|er|as|es|ash|esh|az|ez|at|et|ath|an|en|ag|ak|ay|ai|ed|eth"
)  # fmt: skip
_JOINED_ARTICLE = re.compile(rf"(?<![^\W_])(?:{_JOINED_ARTICLES})[-‐‑–'’](?=\w)", re.IGNORECASE)
# Standing alone they are unified only when they cannot be an English word.
_BARE_ARTICLE = re.compile(r"\b(?:al|el|az|ez|adh|ash|esh|ath|ed|er|es)\b")
ARTICLE = "al"


_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f]")


def is_arabic(text: str) -> bool:
    """Tell whether the text contains Arabic letters."""
    return _ARABIC_LETTER.search(text) is not None


def fold_arabic(text: str) -> str:
    """Apply the Arabic letter rules (no casefolding, no punctuation changes)."""
    text = unicodedata.normalize("NFKC", text).replace(TATWEEL, "")
    text = _AR_MARKS.sub("", text)
    return text.translate(_AR_LETTERS)


# Characters that are neither ASCII nor Arabic: the only ones accent stripping touches.
_NOT_ASCII_OR_ARABIC = re.compile("[^\x00-\x7f\u0600-\u06ff\u0750-\u077f]+")


def _strip_run(match: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", match.group())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_latin_accents(text: str) -> str:
    """Drop combining marks from Latin letters, keeping Arabic intact."""
    return _NOT_ASCII_OR_ARABIC.sub(_strip_run, text)


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Return the matching key of a name or text: folded, spaced, lower-case."""
    text = fold_arabic(text).translate(_DIGITS)
    text = _strip_latin_accents(text).casefold()
    text = _JOINED_ARTICLE.sub(f"{ARTICLE} ", text)
    text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _BARE_ARTICLE.sub(ARTICLE, text)
    return _SPACES.sub(" ", text).strip()


def drop_articles(key: str) -> str:
    """Remove Latin articles from a normalised key ("al raqqa" → "raqqa")."""
    if is_arabic(key):
        return key
    return " ".join(tok for tok in key.split(" ") if tok != ARTICLE)


def match_keys(name: str) -> tuple[str, ...]:
    """Return the distinct keys a name is indexed under, most specific first."""
    return key_variants(normalize(name))


def key_variants(key: str) -> tuple[str, ...]:
    """Return a normalised key with its article-free and (Arabic) space-free variants."""
    if not key:
        return ()
    keys = [key]
    bare = drop_articles(key)
    if bare and bare != key:
        keys.append(bare)
    compact = key.replace(" ", "")
    if is_arabic(key) and compact != key:
        # Arabic names are often written with or without inner spaces (كفر نبودة / كفرنبودة).
        keys.append(compact)
    return tuple(keys)


_PHONETIC_PAIRS = (
    ("kh", "h"), ("gh", "k"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"),
    ("q", "k"), ("g", "k"), ("c", "k"), ("j", "k"), ("x", "ks"), ("z", "s"),
)  # fmt: skip
_PHONETIC_END = re.compile(r"(?:eh|ah|a|e|h)$")
_INNER_ARTICLES = frozenset(("an", "ar", "as", "at", "ad", "ash", "az", "el", "es", "ez", "en", "er", "ed"))
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLES = re.compile(r"(.)\1+")


def phonetic_key(key: str) -> str:
    """Reduce a normalised Latin name to a consonant skeleton shared by its transliterations.

    Ghoweran / Ghweiran / Ghuwayran → "krn"; Hasakeh / Hassakeh / Hasakah → "hsk". Arabic
    keys are returned without spaces (their spelling variation is handled by `normalize`).
    """
    if is_arabic(key):
        return key.replace(" ", "")
    tokens = [tok for tok in key.split(" ") if tok != ARTICLE]
    # Inside a multiword name an/ar/as… are articles too ("Maarat an Numan" / "Maarat al-Numan").
    tokens = [tok for i, tok in enumerate(tokens) if i == 0 or tok not in _INNER_ARTICLES]
    word = "".join(ch for ch in "".join(tokens) if ch.isalpha())
    if not word:
        return ""
    word = _PHONETIC_END.sub("", word) or word
    for old, new in _PHONETIC_PAIRS:
        word = word.replace(old, new)
    head = "a" if word[0] in "aeiouy" else word[0]
    return _DOUBLES.sub(r"\1", head + _VOWELS.sub("", word[1:]))
