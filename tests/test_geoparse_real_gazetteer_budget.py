"""The one-second budget holds with the real gazetteer too: a megabyte naming thousands of
different places in one long sentence (the worst case for grouping and merging incidents)."""

from __future__ import annotations

import random
import time

import pytest

from conflictmap.geoparse.pipeline import MAX_CHARS, geoparse
from gazetteer.index import get_index

pytestmark = pytest.mark.django_db


def _many_places(keys: list[str]) -> str:
    rng = random.Random(3)
    names = [k for k in keys if " " not in k]
    return "، ".join("غارة على " + rng.choice(names) for _ in range(MAX_CHARS // 10))[:MAX_CHARS]


def test_a_megabyte_of_different_places_returns_within_a_second(real_gazetteer):
    index = get_index()
    text = _many_places(sorted(index.keys()))
    geoparse("غارة على حلب", index)  # warm the automaton
    elapsed = float("inf")
    for _ in range(3):
        start = time.thread_time()
        result = geoparse(text, index)
        elapsed = min(elapsed, time.thread_time() - start)
    assert len(result.incidents) > 100  # a real result, not an early exit
    assert elapsed < 1.0, f"{elapsed:.2f}s"
