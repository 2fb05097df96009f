"""manage.py geoparse: one output line per input line, in order, errors inline, no database writes."""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
from django.core.management import call_command

from geoparse.types import GeoparseResult, IncidentDraft, Mention, PlaceRecord, Span

HASAKAH = PlaceRecord(
    id=7,
    kind="community",
    name_en="Al-Hasakeh",
    name_ar="الحسكة",
    lat=36.5,
    lon=40.74,
    admin1="SY08",
    admin2="SY0800",
    admin3="SY080000",
)


def fake_parse(text: str, published=None, lang=None) -> GeoparseResult:
    """Finds "الحسكة" or "Hasakah" and reports one incident there; raises on the word BOOM."""
    if "BOOM" in text:
        raise RuntimeError("pipeline broke")
    mentions, incidents = [], []
    for name in ("الحسكة", "Hasakah"):
        if name in text:
            start = text.index(name)
            mentions.append(Mention(Span(start, start + len(name), name, name), HASAKAH, 0.9, "incident"))
            incidents.append(
                IncidentDraft(
                    place=HASAKAH,
                    lat=36.5,
                    lon=40.74,
                    geo_precision=1,
                    date=published.isoformat() if published else None,
                    date_precision="day",
                    event_type="attack",
                    actors=("unknown",),
                    fatalities=None,
                    summary=text[:40],
                    confidence=0.7,
                )
            )
    return GeoparseResult(lang=lang or "en", mentions=tuple(mentions), incidents=tuple(incidents))


def run(tmp_path, lines: list[str]) -> tuple[list[dict], str]:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()
    with mock.patch(
        "conflictmap.incidents.management.commands.geoparse.default_parse", return_value=fake_parse
    ):
        call_command("geoparse", "--input", str(src), "--output", str(dst), "--quiet", stderr=err)
    return [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()], err.getvalue()


@pytest.mark.django_db
def test_outputs_follow_inputs_with_the_issue_format(tmp_path):
    out, err = run(
        tmp_path,
        [
            json.dumps({"id": "a", "text": "هجوم في الحسكة", "published": "2024-08-10", "lang": "ar"}),
            json.dumps({"id": "b", "text": "Nothing here"}),
            "",
            json.dumps({"id": "c", "text": "Raid in Hasakah"}),
        ],
    )
    assert [o["id"] for o in out] == ["a", "b", "c"]
    first = out[0]["incidents"][0]
    assert set(first) == {
        "lat",
        "lon",
        "name",
        "name_ar",
        "place_id",
        "admin1_pcode",
        "admin2_pcode",
        "admin3_pcode",
        "geo_precision",
        "radius_km",
        "date",
        "date_precision",
        "event_type",
        "sub_event_type",
        "actors",
        "fatalities",
        "confidence",
        "label",
        "label_ar",
        "place_ids",
        "mentions",
    }
    assert (first["name_ar"], first["date"], first["admin1_pcode"], first["actors"]) == (
        "الحسكة",
        "2024-08-10",
        "SY08",
        ["unknown"],
    )
    assert out[0]["mentions"] == [
        {"text": "الحسكة", "start": 8, "end": 14, "place_id": 7, "role": "incident"}
    ]
    assert out[1]["incidents"] == [] and out[1]["mentions"] == []
    assert "3 texts (0 errors)" in err and "texts/s" in err


BAD_LINES = [
    ("{nope", "not valid JSON"),
    ("[1]", "JSON object"),
    (json.dumps({"id": "x"}), "text must be a string"),
    (json.dumps({"id": "x", "text": "t", "published": "10/08/2024"}), "YYYY-MM-DD"),
    (json.dumps({"id": "x", "text": "t", "lang": "fr"}), "not ar or en"),
    (json.dumps({"id": "x", "text": "BOOM"}), "RuntimeError: pipeline broke"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("line", "error"), BAD_LINES)
def test_bad_line_gives_an_error_line_and_the_run_goes_on(tmp_path, line, error):
    out, err = run(tmp_path, [line, json.dumps({"id": "next", "text": "in Hasakah"})])
    assert len(out) == 2
    assert error in out[0]["error"]
    assert out[1]["id"] == "next" and len(out[1]["incidents"]) == 1
    assert "(1 errors)" in err


@pytest.mark.django_db
def test_real_pipeline_with_the_loaded_gazetteer(tmp_path, small_gazetteer):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        json.dumps(
            {"id": "g", "text": "اشتباكات في حي غويران بمدينة الحسكة", "published": "2024-08-02"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    call_command("geoparse", "--input", str(src), "--output", str(dst), "--quiet", stderr=io.StringIO())
    (out,) = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert out["id"] == "g" and out["incidents"]
    assert out["incidents"][0]["admin1_pcode"] == "SY08"
    assert any(m["text"] == "غويران" and m["place_id"] for m in out["mentions"])
