"""Score geoparse predictions against gold sets (the dev-eval JSONL format), without Django.

The metrics follow shared/dev-eval/README.md, "Prediction format and scoring":
- n and coverage: the share of rows whose primary (first) incident has coordinates;
- for rows with a point gold of precision 1: the share within 1, 5 and 25 km (great-circle),
  a miss counting as a failure, and the median km with a miss as infinity (also over predicted
  rows only);
- admin1 accuracy over rows with an admin1 gold: the primary point lies in the gold governorate
  polygon or an `admin1_accept` one, a point up to 3 km outside every polygon taking the nearest
  (the rule that assigned the gold's own admin1).
Rows with a null gold count only towards n and coverage.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geopy.distance import great_circle  # type: ignore[import-untyped]
from shapely import STRtree  # type: ignore[import-untyped]
from shapely.geometry import Point  # type: ignore[import-untyped]
from shapely.ops import nearest_points  # type: ignore[import-untyped]

from .jsonl import BadLine, read_text_line
from .normalize import is_arabic, match_keys, normalize, phonetic_key

THRESHOLDS_KM = (1.0, 5.0, 25.0)
BORDER_TOLERANCE_KM = 3.0
# 3 km is at most 0.035 degrees of longitude at Syria's latitudes; search a little wider.
_TOLERANCE_DEG = 0.06
FAR_KM = 5.0  # beyond this a point row counts as an error in the error report

# Failure categories of the error report, most upstream first.
OK = "ok"
NO_OUTPUT = "no_output"  # no prediction line, or the pipeline raised
NO_MENTION = "no_mention"  # nothing in the text was taken for a place
UNRESOLVED = "unresolved"  # place-like spans found, none resolved to a gazetteer place
NO_INCIDENT = "no_incident"  # places resolved, but none made an incident
OTHER_INCIDENT = "other_incident"  # a later incident is right: the primary choice is wrong
MENTION_NEAR = "mention_near"  # a resolved mention is right but did not become the primary incident
COARSE = "coarse"  # primary is an area (precision 2/3) in the right governorate, far from the point
WRONG_ADMIN1 = "wrong_admin1"  # primary in another governorate
FAR_SAME_ADMIN1 = "far_same_admin1"  # right governorate, wrong place
CATEGORIES = (
    OK,
    NO_OUTPUT,
    NO_MENTION,
    UNRESOLVED,
    NO_INCIDENT,
    OTHER_INCIDENT,
    MENTION_NEAR,
    COARSE,
    WRONG_ADMIN1,
    FAR_SAME_ADMIN1,
)

# A place id → (name, lat, lon, admin1), for judging mentions that the prediction lists by id.
PlaceInfo = Callable[[int], "tuple[str, float, float, str] | None"]


class BadRow(ValueError):
    """A gold line that cannot be scored."""


@dataclass(frozen=True, slots=True)
class Gold:
    name: str
    lat: float | None
    lon: float | None
    admin1: str
    accept: frozenset[str]
    precision: int

    @property
    def has_point(self) -> bool:
        """Tell whether the row is scored on distance (a point of precision 1)."""
        return self.lat is not None and self.lon is not None and self.precision == 1


@dataclass(frozen=True, slots=True)
class GoldRow:
    id: str
    text: str
    lang: str | None
    published: dt.date | None
    gold: Gold | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Predicted:
    """The primary incident of a prediction."""

    lat: float
    lon: float
    name: str
    admin1: str = ""
    precision: int | None = None


@dataclass(frozen=True, slots=True)
class RowScore:
    id: str
    predicted: Predicted | None
    distance_km: float | None  # None: not a point row; inf: a point row with no prediction
    admin1_ok: bool | None  # None: no admin1 gold
    predicted_admin1: tuple[str, ...] = ()  # governorates the predicted point falls in


@dataclass(frozen=True, slots=True)
class Metrics:
    n: int
    covered: int
    n_point: int
    within: dict[float, float]  # threshold km → % of point rows
    median_km: float | None  # inf when more than half of the point rows are misses
    median_km_predicted: float | None
    n_admin1: int
    admin1_pct: float | None
    coverage_pct: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "coverage_pct", _pct(self.covered, self.n))

    def as_dict(self) -> dict[str, Any]:
        """Return the metrics as JSON-safe values (infinity as the string "inf")."""
        return {
            "n": self.n,
            "covered": self.covered,
            "coverage": _round(self.coverage_pct),
            "n_point": self.n_point,
            **{f"within_{k:g}km": _round(v) for k, v in self.within.items()},
            "median_km": _json_km(self.median_km),
            "median_km_predicted": _json_km(self.median_km_predicted),
            "n_admin1": self.n_admin1,
            "admin1": _round(self.admin1_pct),
        }


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else float("nan")


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 1)


def _json_km(value: float | None) -> float | str | None:
    if value is None:
        return None
    return "inf" if math.isinf(value) else round(value, 1)


# --- gold ------------------------------------------------------------------------------------


def _float(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadRow(f"{what} {value!r} is not a number")
    return float(value)


def parse_gold(raw: Any) -> Gold | None:
    """Check one row's gold object; raise BadRow when it cannot be scored."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadRow("gold must be an object or null")
    lat, lon = _float(raw.get("lat"), "lat"), _float(raw.get("lon"), "lon")
    if (lat is None) != (lon is None):
        raise BadRow("gold has only one of lat and lon")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadRow(f"gold ({lat}, {lon}) is not a latitude/longitude pair")
    admin1 = raw.get("admin1_pcode") or ""
    accept = raw.get("admin1_accept") or []
    if (
        not isinstance(admin1, str)
        or not isinstance(accept, list)
        or not all(isinstance(a, str) for a in accept)
    ):
        raise BadRow("admin1_pcode must be a string and admin1_accept a list of strings")
    precision = raw.get("precision", 1 if lat is not None else 3)
    if precision not in (1, 2, 3):
        raise BadRow(f"precision {precision!r} is not 1, 2 or 3")
    if lat is None and not admin1:
        raise BadRow("gold has neither a point nor an admin1_pcode")
    name = raw.get("name") or ""
    return Gold(str(name), lat, lon, admin1, frozenset({admin1, *accept} - {""}), int(precision))


def parse_gold_line(raw: str, line: int = 0) -> GoldRow:
    """Parse one JSONL gold line; raise BadRow with the reason."""
    try:
        item = read_text_line(raw)
    except BadLine as exc:
        raise BadRow(str(exc)) from exc
    row_id = item.get("id")
    if not isinstance(row_id, str | int) or isinstance(row_id, bool) or str(row_id) == "":
        raise BadRow("id must be a non-empty string")
    lang = item.get("lang")
    return GoldRow(
        str(row_id), item["text"], lang if lang in ("ar", "en") else None, item["published"],
        parse_gold(item.get("gold")), line,
    )  # fmt: skip


def load_gold(lines: Iterable[str]) -> tuple[list[GoldRow], list[tuple[int, str]]]:
    """Parse a gold file's lines; return the rows and the (line number, reason) of bad ones."""
    rows: list[GoldRow] = []
    bad: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            row = parse_gold_line(raw, number)
        except BadRow as exc:
            bad.append((number, str(exc)))
            continue
        if row.id in seen:
            bad.append((number, f"repeated id {row.id!r}"))
            continue
        seen.add(row.id)
        rows.append(row)
    return rows, bad


# --- geometry --------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle (haversine) distance in km."""
    return float(great_circle((lat1, lon1), (lat2, lon2)).km)


class Admin1Locator:
    """Place a point in the governorate polygons, with the gold's 3 km coast and border tolerance."""

    def __init__(self, polygons: Mapping[str, Any], tolerance_km: float = BORDER_TOLERANCE_KM):
        self.codes = list(polygons)
        self.geoms = [polygons[c] for c in self.codes]
        self.tree = STRtree(self.geoms)
        self.tolerance_km = tolerance_km

    def locate(self, lat: float, lon: float) -> tuple[str, ...]:
        """Return the governorates containing the point, else the nearest within tolerance, else ()."""
        point = Point(lon, lat)
        inside = self.tree.query(point, predicate="intersects")
        if len(inside):
            return tuple(sorted(self.codes[i] for i in inside))
        best: tuple[float, str] | None = None
        for i in self.tree.query(point.buffer(_TOLERANCE_DEG)):
            near = nearest_points(self.geoms[i], point)[0]
            km = distance_km(lat, lon, near.y, near.x)
            if km <= self.tolerance_km and (best is None or km < best[0]):
                best = (km, self.codes[i])
        return (best[1],) if best else ()


# --- predictions -----------------------------------------------------------------------------


def primary(prediction: Mapping[str, Any] | None) -> Predicted | None:
    """Return the first incident if it has coordinates, else None (a miss)."""
    incidents = (prediction or {}).get("incidents") or []
    if not isinstance(incidents, list) or not incidents or not isinstance(incidents[0], dict):
        return None
    return _as_predicted(incidents[0])


def _as_predicted(inc: Mapping[str, Any]) -> Predicted | None:
    lat, lon = inc.get("lat"), inc.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    precision = inc.get("geo_precision")
    return Predicted(
        float(lat),
        float(lon),
        str(inc.get("name") or inc.get("name_ar") or ""),
        str(inc.get("admin1_pcode") or ""),
        precision if isinstance(precision, int) else None,
    )


def score_row(row: GoldRow, prediction: Mapping[str, Any] | None, locator: Admin1Locator) -> RowScore:
    """Score one row's primary incident against its gold."""
    pred = primary(prediction)
    gold = row.gold
    where = locator.locate(pred.lat, pred.lon) if pred else ()
    if gold is None:
        return RowScore(row.id, pred, None, None, where)
    dist: float | None = None
    if gold.has_point:
        assert gold.lat is not None and gold.lon is not None
        dist = distance_km(gold.lat, gold.lon, pred.lat, pred.lon) if pred else math.inf
    admin1_ok = bool(gold.accept & set(where)) if gold.accept else None
    return RowScore(row.id, pred, dist, admin1_ok, where)


def summarise(rows: Sequence[GoldRow], scores: Sequence[RowScore]) -> Metrics:
    """Aggregate row scores into the README's metrics."""
    dists = [s.distance_km for s in scores if s.distance_km is not None]
    predicted = [d for d in dists if math.isfinite(d)]
    admin1 = [s.admin1_ok for s in scores if s.admin1_ok is not None]
    return Metrics(
        n=len(rows),
        covered=sum(s.predicted is not None for s in scores),
        n_point=len(dists),
        within={k: _pct(sum(d <= k for d in dists), len(dists)) for k in THRESHOLDS_KM},
        median_km=statistics.median(dists) if dists else None,
        median_km_predicted=statistics.median(predicted) if predicted else None,
        n_admin1=len(admin1),
        admin1_pct=_pct(sum(admin1), len(admin1)) if admin1 else None,
    )


# --- error report ----------------------------------------------------------------------------


_TYPE_SUFFIXES = (
    " town",
    " village",
    " city",
    " governorate",
    " district",
    " subdistrict",
    " camp",
    " nahiyah",
)
EXACT, SIMILAR = "exact", "similar"


def gold_in_text(gold: Gold, text: str) -> str:
    """Return how the gold name is in the text: "exact", "similar" (Kafar Zeta / KafrZita) or ""."""
    name = gold.name
    for suffix in _TYPE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    haystack = f" {normalize(text)} "
    if any(f" {key} " in haystack or f" {key.replace(' ', '')} " in haystack for key in match_keys(name)):
        return EXACT
    target = phonetic_key(normalize(name))
    if len(target) < 3 or is_arabic(target):
        return ""
    words = haystack.split()
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            if phonetic_key(" ".join(words[start : start + size])) == target:
                return SIMILAR
    return ""


def _mentions(prediction: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    mentions = (prediction or {}).get("mentions") or []
    return [m for m in mentions if isinstance(m, dict)] if isinstance(mentions, list) else []


def _other_incidents(prediction: Mapping[str, Any] | None) -> list[Predicted]:
    incidents = (prediction or {}).get("incidents") or []
    if not isinstance(incidents, list):
        return []
    found = (_as_predicted(inc) for inc in incidents[1:] if isinstance(inc, dict))
    return [p for p in found if p is not None]


def _good(gold: Gold, lat: float, lon: float, admin1: str, far_km: float) -> bool:
    """Tell whether a point would satisfy the gold (near the point, or in the governorate)."""
    if gold.has_point:
        assert gold.lat is not None and gold.lon is not None
        return distance_km(gold.lat, gold.lon, lat, lon) <= far_km
    return admin1 in gold.accept


def categorise(
    row: GoldRow,
    prediction: Mapping[str, Any] | None,
    score: RowScore,
    places: PlaceInfo | None = None,
    far_km: float = FAR_KM,
) -> tuple[str, str]:
    """Return (category, why) for a row: why it failed, or "ok"."""
    gold, pred = row.gold, score.predicted
    if gold is None:
        return OK, "no gold"
    failed = (score.distance_km is not None and score.distance_km > far_km) or (
        score.distance_km is None and score.admin1_ok is False
    )
    if not failed:
        return OK, "ok"
    if pred is None:
        return _miss(prediction, places)
    for other in _other_incidents(prediction):
        if _good(gold, other.lat, other.lon, other.admin1, far_km):
            return OTHER_INCIDENT, f"primary {pred.name!r}; a later incident {other.name!r} is right"
    near = _right_mention(gold, prediction, places, far_km)
    if near:
        return MENTION_NEAR, f"primary {pred.name!r}; mention {near!r} resolved right but is not the incident"
    where = "/".join(score.predicted_admin1) or "outside Syria"
    dist = f"{score.distance_km:.1f} km, " if score.distance_km is not None else ""
    picked = f"picked {pred.name!r} instead of gold {gold.name!r}"
    if score.admin1_ok:
        if (pred.precision or 1) > 1:
            return COARSE, f"coarse ({dist}precision {pred.precision}): {picked}"
        return FAR_SAME_ADMIN1, f"far ({dist}right governorate): {picked}"
    return WRONG_ADMIN1, f"wrong governorate ({dist}{where} not {'/'.join(sorted(gold.accept))}): {picked}"


def _miss(prediction: Mapping[str, Any] | None, places: PlaceInfo | None) -> tuple[str, str]:
    """Explain a row with no primary incident."""
    if prediction is None:
        return NO_OUTPUT, "no prediction"
    if prediction.get("error"):
        return NO_OUTPUT, f"pipeline error: {prediction['error']}"
    mentions = _mentions(prediction)
    if not mentions:
        return NO_MENTION, "no incident: no place mention found"
    resolved = [m for m in mentions if m.get("place_id") is not None]
    if not resolved:
        names = ", ".join(repr(m.get("text")) for m in mentions[:5])
        return UNRESOLVED, f"no incident: mention(s) {names} not resolved"
    described = ", ".join(f"{_mention_name(m, places)!r} ({m.get('role')})" for m in resolved[:5])
    return NO_INCIDENT, f"no incident: resolved only as {described}"


def _mention_name(mention: Mapping[str, Any], places: PlaceInfo | None) -> str:
    info = places(mention["place_id"]) if places else None
    return f"{mention.get('text')}→{info[0]}" if info else str(mention.get("text"))


def _right_mention(
    gold: Gold, prediction: Mapping[str, Any] | None, places: PlaceInfo | None, far_km: float
) -> str:
    """Return the text of a resolved mention that would have satisfied the gold, or ""."""
    if places is None:
        return ""
    for mention in _mentions(prediction):
        info = places(mention["place_id"]) if mention.get("place_id") is not None else None
        if info and _good(gold, info[1], info[2], info[3], far_km):
            return str(mention.get("text"))
    return ""


def error_record(
    row: GoldRow,
    prediction: Mapping[str, Any] | None,
    score: RowScore,
    places: PlaceInfo | None = None,
    far_km: float = FAR_KM,
) -> dict[str, Any]:
    """Return one row of the error report (CSV-ready values)."""
    category, why = categorise(row, prediction, score, places, far_km)
    gold, pred = row.gold, score.predicted
    return {
        "id": row.id,
        "category": category,
        "why": why,
        "distance_km": "" if score.distance_km is None else _json_km(score.distance_km),
        "admin1_ok": "" if score.admin1_ok is None else int(score.admin1_ok),
        "gold_name": gold.name if gold else "",
        "gold_lat": gold.lat if gold and gold.lat is not None else "",
        "gold_lon": gold.lon if gold and gold.lon is not None else "",
        "gold_admin1": "/".join(sorted(gold.accept)) if gold else "",
        "gold_precision": gold.precision if gold else "",
        "gold_in_text": gold_in_text(gold, row.text) if gold and gold.name else "",
        "pred_name": pred.name if pred else "",
        "pred_lat": pred.lat if pred else "",
        "pred_lon": pred.lon if pred else "",
        "pred_admin1": "/".join(score.predicted_admin1),
        "pred_precision": pred.precision if pred and pred.precision else "",
        "mentions": " | ".join(_mention_name(m, places) for m in _mentions(prediction)),
        "text": row.text,
    }


ERROR_FIELDS = (
    "id", "category", "why", "distance_km", "admin1_ok", "gold_name", "gold_lat", "gold_lon", "gold_admin1",
    "gold_precision", "gold_in_text", "pred_name", "pred_lat", "pred_lon", "pred_admin1", "pred_precision",
    "mentions", "text",
)  # fmt: skip


def category_counts(records: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """Count error-report rows per category."""
    return Counter(str(r["category"]) for r in records)


# --- table -----------------------------------------------------------------------------------


def _cell(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "–"
    return "inf" if math.isinf(value) else f"{value:.{digits}f}"


TABLE_HEADER = (
    "file", "n", "bad", "coverage", "≤1 km", "≤5 km", "≤25 km", "median km", "median km (predicted)",
    "admin1", "articles/s",
)  # fmt: skip


def table_row(name: str, metrics: Metrics, bad: int, rate: float | None) -> list[str]:
    """Return one file's cells in TABLE_HEADER order."""
    within = [_cell(metrics.within[k]) if metrics.n_point else "–" for k in THRESHOLDS_KM]
    return [
        name,
        str(metrics.n),
        str(bad),
        _cell(metrics.coverage_pct),
        *within,
        _cell(metrics.median_km),
        _cell(metrics.median_km_predicted),
        _cell(metrics.admin1_pct),
        _cell(rate, 0),
    ]


def markdown_table(rows: Iterable[Sequence[str]]) -> str:
    """Render rows under TABLE_HEADER as a Markdown table."""
    lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|" + "---|" * len(TABLE_HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
