"""Typo- and transliteration-tolerant search over normalised name keys.

Shared by the real gazetteer index and the in-memory fake, so both match alike.
Keys are bucketed by their first sound, so a search scores a few thousand keys, not all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from .normalize import is_arabic, phonetic_key

SOUND_QUALITY = 90.0  # a same-skeleton transliteration (Ghweiran / Ghuwayran) counts as near-exact
SOUND_MIN_RATIO = 60.0
SOUND_SLOPE = 0.1  # quality lost per point of spelling distance within one skeleton


def sound_quality(ratio: float) -> float:
    """Return the quality of a same-skeleton match: near-exact, ranked by spelling closeness so
    Jobar prefers Jober to Jebru."""
    return max(ratio, SOUND_QUALITY - SOUND_SLOPE * (100.0 - ratio))


def bucket(key: str) -> str:
    """Return the first sound of a key: its search bucket."""
    if is_arabic(key):
        bare = key.removeprefix("ال")
        return bare[:1] or key[:1]
    return phonetic_key(key)[:1]


class FuzzyKeys:
    """Search normalised keys by edit similarity and by phonetic skeleton."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._seen: set[str] = set()
        self._buckets: dict[str, list[str]] = defaultdict(list)
        self._by_sound: dict[str, set[str]] = defaultdict(set)
        for key in keys:
            self.add(key)

    def add(self, key: str) -> None:
        """Index one key (repeats are ignored)."""
        if key in self._seen:
            return
        self._seen.add(key)
        self._buckets[bucket(key)].append(key)
        self._by_sound[phonetic_key(key)].add(key)

    def search(self, key: str, limit: int, cutoff: float) -> list[tuple[str, float]]:
        """Return up to `limit` (key, 0–100 quality) pairs, best first."""
        scores: dict[str, float] = {}
        pool = self._buckets.get(bucket(key), [])
        for near, quality, _ in process.extract(
            key, pool, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        ):
            scores[near] = float(quality)
        sound = phonetic_key(key)
        if len(sound) >= 3:
            for near in self._by_sound.get(sound, ()):
                ratio = float(fuzz.ratio(key, near))
                if ratio >= SOUND_MIN_RATIO:
                    scores[near] = max(scores.get(near, 0.0), sound_quality(ratio))
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
