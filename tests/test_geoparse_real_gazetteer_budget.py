"""Cost grows linearly with the real gazetteer too: a text naming thousands of different places in
one long sentence (the worst case for grouping and merging incidents)."""

from __future__ import annotations

import random

import pytest
from cost import growth

from gazetteer.index import get_index
from geoparse.pipeline import Geoparser

pytestmark = pytest.mark.django_db


def _many_places(names: list[str], count: int) -> str:
    """One sentence of `count` strikes, each on a place drawn from names."""
    rng = random.Random(3)
    return "، ".join("غارة على " + rng.choice(names) for _ in range(count))


def test_strikes_on_many_places_in_one_sentence_cost_linear_operations(real_gazetteer):
    index = get_index()
    parser = Geoparser(index)
    names = [k for k in sorted(index.keys()) if " " not in k]
    results = []

    def run(text: str) -> None:
        results.append(parser.parse(text))

    # 300 and 3,000 strikes: both past the container check (40 places) and the merge check (200).
    ratio = growth(lambda n: _many_places(names, n), run, 300)
    assert len(results[-1].incidents) > 100  # a real result, not an early exit
    assert ratio < 12, f"ten times the places cost {ratio:.1f} times the operations"
