"""Common words: how often a normalised word occurs in general Arabic and English text.

A gazetteer name that is also a frequent word ("الحربي" military, "تحت" under, "East",
"Tal") needs context before it counts as a place. The frequencies are Zipf values
(log10 of occurrences per billion words) from the `wordfreq` package's general-text lists
(Wikipedia, subtitles, news, web; not our evaluation data), normalised with `normalize` and
shipped in data/common_words.tsv.gz, so the pipeline needs no extra package at run time.
Regenerate with `python -m geoparse.common` (needs wordfreq, a dev requirement).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from .normalize import normalize

DATA = Path(__file__).with_name("data") / "common_words.tsv.gz"
MIN_ZIPF = 3.0  # rarer words are not listed
# A name this frequent in general text is a word first: it needs context unless it names an
# important place (a city, a district seat); past VERY_COMMON_ZIPF it needs context always.
COMMON_ZIPF_AR = 3.0
COMMON_ZIPF_EN = 3.0
VERY_COMMON_ZIPF = 5.5
IMPORTANT = 0.5


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    """Load the shipped word → Zipf table (empty when the file is missing)."""
    table: dict[str, float] = {}
    if not DATA.exists():
        return table
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, _, zipf = line.rstrip("\n").partition("\t")
            if word and zipf:
                table[word] = float(zipf)
    return table


def zipf(key: str) -> float:
    """Return the Zipf frequency of a normalised word or phrase (0 when rare or unknown)."""
    return _table().get(key, 0.0)


def generate(path: Path = DATA, langs: tuple[str, ...] = ("ar", "en")) -> int:
    """Write the table from wordfreq's lists; return the number of words written."""
    from wordfreq import get_frequency_dict, zipf_frequency  # dev-only dependency

    best: dict[str, float] = {}
    for lang in langs:
        for word in get_frequency_dict(lang):
            value = zipf_frequency(word, lang)
            if value < MIN_ZIPF:
                break  # the dictionary is ordered by frequency
            key = normalize(word)
            if key and " " not in key and value > best.get(key, 0.0):
                best[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as raw:  # mtime 0: the same lists give the same bytes
        body = "".join(f"{w}\t{z:.2f}\n" for w, z in sorted(best.items()))
        raw.write(body.encode("utf-8"))
    return len(best)


if __name__ == "__main__":
    print(f"wrote {generate()} words to {DATA}")
