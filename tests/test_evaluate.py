"""manage.py evaluate and the scoring rules of the dev-eval README, on gold rows of our own making."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box

from geoparse.evaluation import (
    COARSE,
    FAR_SAME_ADMIN1,
    MENTION_NEAR,
    NO_INCIDENT,
    NO_MENTION,
    NO_OUTPUT,
    OK,
    OTHER_INCIDENT,
    UNRESOLVED,
    WRONG_ADMIN1,
    Admin1Locator,
    BadRow,
    Gold,
    GoldRow,
    Predicted,
    RowScore,
    categorise,
    distance_km,
    gold_in_text,
    load_gold,
    parse_gold,
    primary,
    score_row,
    summarise,
)

FIXTURE = Path(__file__).parent / "fixtures" / "eval" / "small_en_ar.jsonl"
INF = math.inf
KM_PER_DEGREE = 111.195  # great circle on the 6371.009 km sphere: pi / 180 * 6371.009


def run_json(*args: str) -> list[dict]:
    """Run evaluate with --json and return the parsed rows."""
    import io

    out = io.StringIO()
    call_command("evaluate", *args, "--json", "--quiet", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


# The fixture's nine good rows and one broken line, worked out by hand (gold points sit on the
# small_gazetteer places except t-4, 0.01° = 1.11 km north of al-Nashwa):
# point rows t-1..t-5, t-7: distances 0, 0, 0, 1.11, miss, ~167 → ≤1 km 3/6, ≤5 and ≤25 km 4/6,
# median (0 + 1.11) / 2 = 0.56, over predicted rows 0; admin1 rows (all but t-8's null gold):
# t-5 is a miss and t-7 in Raqqa with gold Hasakah → 6/8; coverage 8/9 (only t-5 finds no place).
EXPECTED = {
    "n": 9,
    "bad_lines": 1,
    "covered": 8,
    "coverage": 88.9,
    "n_point": 6,
    "within_1km": 50.0,
    "within_5km": 66.7,
    "within_25km": 66.7,
    "median_km": 0.6,
    "median_km_predicted": 0.0,
    "n_admin1": 8,
    "admin1": 75.0,
    "pipeline_errors": 0,
}


@pytest.fixture
def fixture_scores(small_gazetteer) -> dict:
    return run_json(str(FIXTURE))[0]


@pytest.mark.parametrize(("metric", "expected"), EXPECTED.items())
def test_evaluate_scores_the_fixture_as_computed_by_hand(fixture_scores, metric, expected):
    assert fixture_scores[metric] == expected


def test_evaluate_reports_throughput_and_failure_categories(fixture_scores):
    assert fixture_scores["articles_per_s"] > 0
    assert fixture_scores["categories"] == {OK: 7, NO_MENTION: 1, WRONG_ADMIN1: 1}


def test_evaluate_prints_one_table_row_per_file(small_gazetteer, capsys):
    call_command("evaluate", str(FIXTURE), str(FIXTURE), "--limit", "3", "--quiet")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split()[:4] == ["file", "n", "bad", "coverage"]
    assert [line.split()[:2] for line in lines[1:]] == [["small_en_ar.jsonl", "3"]] * 2


def test_evaluate_writes_predictions_and_error_report(small_gazetteer, tmp_path):
    predictions, errors = tmp_path / "pred.jsonl", tmp_path / "errors.csv"
    run_json(str(FIXTURE), "--predictions", str(predictions), "--errors", str(errors))
    lines = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in lines] == ["t-1", "t-2", "t-3", "t-4", "t-5", "t-6", "t-7", "t-8", "t-10"]
    assert lines[1]["incidents"][0]["name_ar"] == "غويران"
    with errors.open(encoding="utf-8") as fh:
        report = {row["id"]: row for row in csv.DictReader(fh)}
    assert report["t-5"]["category"] == NO_MENTION
    assert report["t-7"]["category"] == WRONG_ADMIN1
    assert "picked 'Ar-Raqqa' instead of gold 'Al-Hasakeh'" in report["t-7"]["why"]
    assert report["t-2"]["text"] == "اشتباكات عنيفة في حي غويران بمدينة الحسكة صباح اليوم"


def test_evaluate_refuses_a_missing_file(small_gazetteer, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("evaluate", str(tmp_path / "absent.jsonl"), "--quiet")


def test_evaluate_needs_governorate_polygons(db, tmp_path):
    with pytest.raises(CommandError, match="governorate polygons"):
        call_command("evaluate", str(FIXTURE), "--quiet")


# --- the metric functions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((36.0, 40.0), (36.0, 40.0), 0.0),
        ((36.0, 40.0), (37.0, 40.0), KM_PER_DEGREE),
        ((0.0, 10.0), (0.0, 11.0), KM_PER_DEGREE),  # a degree of longitude on the equator
        ((36.0, 40.0), (36.01, 40.0), KM_PER_DEGREE / 100),
    ],
)
def test_distance_is_great_circle_km(a, b, km):
    assert distance_km(*a, *b) == pytest.approx(km, abs=0.01)


LOCATOR = Admin1Locator({"SYA": box(36.0, 35.0, 37.0, 36.0), "SYB": box(37.0, 35.0, 38.0, 36.0)})


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (35.5, 36.5, ("SYA",)),
        (35.5, 37.5, ("SYB",)),
        (35.5, 37.0, ("SYA", "SYB")),  # on the shared border: both
        (36.02, 36.5, ("SYA",)),  # 2.2 km outside: the nearest, within the 3 km tolerance
        (36.04, 36.5, ()),  # 4.4 km outside
        (35.5, 38.03, ("SYB",)),  # 2.7 km east of SYB at this latitude
        (35.5, 38.05, ()),  # 4.5 km east
    ],
)
def test_admin1_locator_applies_the_3km_tolerance(lat, lon, expected):
    assert LOCATOR.locate(lat, lon) == expected


def point_row(lat=35.5, lon=36.5, admin1="SYA", precision=1, accept=()) -> GoldRow:
    gold = Gold("Gold", lat, lon, admin1, frozenset({admin1, *accept}), precision)
    return GoldRow("r", "text", "en", None, gold)


def prediction(*points, mentions=None) -> dict:
    incidents = [{"lat": lat, "lon": lon, "name": name, "geo_precision": p} for lat, lon, name, p in points]
    return {"id": "r", "incidents": incidents, "mentions": mentions or []}


@pytest.mark.parametrize(
    ("row", "pred", "distance", "admin1_ok"),
    [
        (point_row(), prediction((35.5, 36.5, "X", 1)), 0.0, True),
        (point_row(), prediction((35.51, 36.5, "X", 1)), KM_PER_DEGREE / 100, True),
        (point_row(), prediction((35.5, 37.5, "X", 1)), 90.5, False),
        (point_row(), prediction(), INF, False),  # empty incidents: a miss
        (point_row(), {"id": "r", "incidents": [{"name": "no point"}]}, INF, False),
        (point_row(), None, INF, False),  # no line for the id
        (point_row(precision=3), prediction((35.5, 37.5, "X", 1)), None, False),  # admin1 only
        (point_row(lat=None, lon=None, precision=3), prediction((35.5, 36.1, "X", 1)), None, True),
        (point_row(admin1="SYB", accept=("SYA",)), prediction((35.5, 36.1, "X", 1)), 36.2, True),
    ],
)
def test_score_row(row, pred, distance, admin1_ok):
    score = score_row(row, pred, LOCATOR)
    if distance is None:
        assert score.distance_km is None
    else:
        assert score.distance_km == pytest.approx(distance, abs=0.1)
    assert score.admin1_ok is admin1_ok


def scores(distances, admin1) -> list[RowScore]:
    made = [RowScore("r", None if d == INF else Predicted(0, 0, "x"), d, None) for d in distances]
    return made + [RowScore("a", Predicted(0, 0, "x"), None, ok) for ok in admin1]


@pytest.mark.parametrize(
    ("distances", "admin1", "within", "median", "median_predicted", "admin1_pct"),
    [
        ([0.5, 3.0, 10.0, INF], [], (25.0, 50.0, 75.0), 6.5, 3.0, None),
        ([1.0, 5.0, 25.0], [True], (100 / 3, 200 / 3, 100.0), 5.0, 5.0, 100.0),  # thresholds are inclusive
        ([INF, INF, 1.0], [True, False], (100 / 3, 100 / 3, 100 / 3), INF, 1.0, 50.0),
        ([INF, INF], [False], (0.0, 0.0, 0.0), INF, None, 0.0),
    ],
)
def test_summarise(distances, admin1, within, median, median_predicted, admin1_pct):
    rows = [point_row()] * (len(distances) + len(admin1))
    metrics = summarise(rows, scores(distances, admin1))
    assert tuple(metrics.within.values()) == pytest.approx(within)
    assert metrics.median_km == median
    assert metrics.median_km_predicted == median_predicted
    assert metrics.admin1_pct == admin1_pct
    assert metrics.n_point == len(distances)


def test_summarise_counts_unlabelled_rows_only_for_coverage():
    rows = [GoldRow("u1", "t", None, None, None), GoldRow("u2", "t", None, None, None)]
    metrics = summarise(
        rows, [RowScore("u1", Predicted(0, 0, "x"), None, None), RowScore("u2", None, None, None)]
    )
    assert (metrics.n, metrics.covered, metrics.coverage_pct) == (2, 1, 50.0)
    assert (metrics.n_point, metrics.median_km, metrics.admin1_pct) == (0, None, None)


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        ({}, None),
        ({"incidents": []}, None),
        ({"incidents": [{"name": "x"}, {"lat": 1, "lon": 2}]}, None),  # only the first incident counts
        (
            {"incidents": [{"lat": 1, "lon": 2, "name": "x", "geo_precision": 2}]},
            Predicted(1.0, 2.0, "x", "", 2),
        ),
        ({"incidents": [{"lat": "1", "lon": 2}]}, None),
    ],
)
def test_primary_is_the_first_incident_with_coordinates(pred, expected):
    assert primary(pred) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "gold",
        {"lat": 35.0, "lon": None, "admin1_pcode": "SY01"},
        {"lat": "35", "lon": 36.0, "admin1_pcode": "SY01"},
        {"lat": 135.0, "lon": 36.0, "admin1_pcode": "SY01"},
        {"lat": None, "lon": None, "name": "x"},  # nothing to score
        {"lat": 35.0, "lon": 36.0, "precision": 5},
        {"lat": None, "lon": None, "admin1_pcode": "SY01", "admin1_accept": "SY03"},
    ],
)
def test_parse_gold_rejects_unscorable_gold(raw):
    with pytest.raises(BadRow):
        parse_gold(raw)


def test_load_gold_counts_bad_and_repeated_lines_and_goes_on():
    lines = [
        '{"id": "a", "text": "x", "gold": null}',
        "{broken",
        "",
        '{"id": "a", "text": "again", "gold": null}',
        '{"id": "b", "text": "y", "published": "2020-13-40", "gold": null}',
        '{"id": "c", "text": "z", "published": "2020-01-02", "gold": {"lat": 35, "lon": 36, "admin1_pcode": "SY01"}}',
    ]
    rows, bad = load_gold(lines)
    assert [r.id for r in rows] == ["a", "c"]
    assert [number for number, _ in bad] == [2, 4, 5]
    assert rows[1].gold is not None and rows[1].gold.has_point and rows[1].gold.precision == 1


PLACES = {
    1: ("Right", 35.5, 36.5, "SYA"),
    2: ("Wrong", 35.5, 37.5, "SYB"),
}


@pytest.mark.parametrize(
    ("pred", "category", "why"),
    [
        (prediction((35.5, 36.51, "Right", 1)), OK, "ok"),
        (None, NO_OUTPUT, "no prediction"),
        ({"id": "r", "error": "RuntimeError: boom"}, NO_OUTPUT, "pipeline error: RuntimeError: boom"),
        (prediction(), NO_MENTION, "no place mention"),
        (prediction(mentions=[{"text": "Qaryat", "place_id": None}]), UNRESOLVED, "'Qaryat' not resolved"),
        (prediction(mentions=[{"text": "R", "place_id": 1, "role": "context"}]), NO_INCIDENT, "R→Right"),
        (prediction((35.5, 37.5, "Wrong", 1), (35.5, 36.5, "Right", 1)), OTHER_INCIDENT, "later incident"),
        (
            prediction((35.5, 37.5, "Wrong", 1), mentions=[{"text": "R", "place_id": 1, "role": "context"}]),
            MENTION_NEAR,
            "mention 'R'",
        ),
        (prediction((35.7, 36.5, "Area", 3)), COARSE, "precision 3"),
        (prediction((35.7, 36.5, "Other", 1)), FAR_SAME_ADMIN1, "right governorate"),
        (
            prediction((35.5, 37.5, "Wrong", 1)),
            WRONG_ADMIN1,
            "SYB not SYA): picked 'Wrong' instead of gold 'Gold'",
        ),
    ],
)
def test_categorise_explains_each_failure(pred, category, why):
    row = point_row()
    got = categorise(row, pred, score_row(row, pred, LOCATOR), PLACES.get)
    assert got[0] == category
    assert why in got[1]


def test_categorise_admin1_only_rows_by_governorate():
    row = point_row(lat=None, lon=None, precision=3)
    wrong, right = prediction((35.5, 37.5, "Wrong", 1)), prediction((35.2, 36.2, "Elsewhere", 1))
    assert categorise(row, wrong, score_row(row, wrong, LOCATOR))[0] == WRONG_ADMIN1
    assert categorise(row, right, score_row(row, right, LOCATOR))[0] == OK


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        ("Urum al Kubra town", "Shelling on Urum al-Kubra west of Aleppo", "exact"),
        ("كفر نبودة", "قصف على كفرنبودة بريف حماة", "exact"),
        ("دوما", "غارات على دوما", "exact"),
        ("KafrZita", "Russian warplanes shell the Kafar Zeta city", "similar"),
        ("latamneh", "cluster bombs on the Lattameneh area", "similar"),
        ("Duma", "Shelling of Damascus", ""),
        ("Al-Bab", "clashes in Babila and al-Babiri", ""),
        ("دوما", "قصف على دمشق", ""),
    ],
)
def test_gold_in_text(name, text, found):
    gold = Gold(name, None, None, "SY01", frozenset({"SY01"}), 3)
    assert gold_in_text(gold, text) == found
