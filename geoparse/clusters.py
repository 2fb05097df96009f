"""Score a clustering of reports into events against gold labels: pairwise and B-cubed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """Pairwise precision, recall and F1, and B-cubed precision, recall and F1 (0–1)."""

    pair_precision: float
    pair_recall: float
    pair_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    gold_pairs: int
    predicted_pairs: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusterScores:
    """Score predicted cluster ids against gold event ids, both keyed by report id."""
    ids = sorted(gold)
    if set(predicted) != set(ids):
        raise ValueError("gold and predicted must label the same reports")
    same_gold = {(a, b) for a, b in combinations(ids, 2) if gold[a] == gold[b]}
    same_pred = {(a, b) for a, b in combinations(ids, 2) if predicted[a] == predicted[b]}
    hits = len(same_gold & same_pred)
    p = hits / len(same_pred) if same_pred else 1.0
    r = hits / len(same_gold) if same_gold else 1.0
    joint = Counter((gold[i], predicted[i]) for i in ids)
    gold_size, pred_size = Counter(gold[i] for i in ids), Counter(predicted[i] for i in ids)
    bp = sum(joint[gold[i], predicted[i]] / pred_size[predicted[i]] for i in ids) / len(ids)
    br = sum(joint[gold[i], predicted[i]] / gold_size[gold[i]] for i in ids) / len(ids)
    return ClusterScores(p, r, _f1(p, r), bp, br, _f1(bp, br), len(same_gold), len(same_pred))
