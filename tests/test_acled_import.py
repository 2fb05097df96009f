"""manage.py import_acled: ACLED's CSV in both date styles, upserted by ACLED's ids, our admin P-codes from the
gazetteer's polygons, missing columns refused, bad rows refused as a whole unless --skip-bad."""

from __future__ import annotations

import ast
import csv
import datetime
import io
from pathlib import Path

import pytest
from acled_data import ARABIC_NOTES, IDS, SAMPLE
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conflictmap.acled import models as acled_models
from conflictmap.acled import parse
from conflictmap.acled.models import AcledEvent


def sample_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def edited(tmp_path: Path, event_id: str, **values: str) -> Path:
    """The sample with some columns of one row changed."""
    header, rows = sample_rows()
    for row in rows:
        if row[0] == event_id:
            for name, value in values.items():
                row[header.index(name)] = value
    return write_csv(tmp_path / "edited.csv", header, rows)


def run(path: Path, *flags: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_acled", str(path), *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-08-20", datetime.date(2024, 8, 20)),
        ("20 August 2024", datetime.date(2024, 8, 20)),
        ("5 September 2024", datetime.date(2024, 9, 5)),
    ],
)
def test_both_date_styles_are_read(raw, expected):
    header, rows = sample_rows()
    rows[0][header.index("event_date")] = raw
    text = io.StringIO()
    csv.writer(text).writerows([header, rows[0]])
    (record,) = parse.read_lines(io.StringIO(text.getvalue(), newline=""))
    assert record.event_date == expected


def test_the_parser_imports_no_django():
    tree = ast.parse(Path(parse.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in modules if m.split(".")[0] in {"django", "celery", "conflictmap"}}


def test_import_keeps_acleds_columns_and_ids(small_gazetteer):
    out, err = run(SAMPLE)
    assert out.splitlines()[0] == "created 6, updated 0, skipped 0"
    assert "writing" in err  # the tqdm bar, on stderr
    assert sorted(AcledEvent.objects.values_list("event_id_cnty", flat=True)) == IDS
    clash = AcledEvent.objects.get(event_id_cnty="SYR1001")
    assert (clash.event_date, clash.event_type, clash.sub_event_type) == (
        datetime.date(2024, 8, 20), "Battles", "Armed clash"
    )  # fmt: skip
    assert (clash.actor1, clash.actor2, clash.fatalities) == (
        "Syrian Democratic Forces", "Islamic State (Syria)", 2
    )  # fmt: skip
    assert (round(clash.point.y, 4), round(clash.point.x, 4)) == (36.5054, 40.7429)
    assert '"near the Panorama roundabout"' in clash.notes
    assert clash.timestamp == 1724716800
    shelling = AcledEvent.objects.get(event_id_cnty="SYR1002")
    assert shelling.event_date == datetime.date(2024, 8, 21)
    assert shelling.notes.endswith("shelled Ghweiran neighbourhood.\nNo casualties were reported.")
    assert (shelling.inter1, shelling.interaction) == ("8", "38")  # an older export's numeric codes, as text


def test_arabic_notes_are_kept_intact(small_gazetteer):
    run(SAMPLE)
    assert AcledEvent.objects.get(event_id_cnty="SYR1003").notes == ARABIC_NOTES


@pytest.mark.parametrize(
    ("event_id", "codes"),
    [
        ("SYR1001", ("SY08", "SY0800", "SY080000")),  # al-Hasakah city: inside all three boxes
        ("SYR1002", ("SY08", "SY0800", "SY080000")),
        ("SYR1003", ("SY11", "", "")),  # Raqqa: the test gazetteer outlines only its governorate
        ("SYR1004", ("SY08", "", "")),  # Qamishli: in the governorate, north of the district's box
        ("SYR1005", ("", "", "")),  # Damascus: outside every outline of the test gazetteer
    ],
)
def test_admin_pcodes_come_from_the_gazetteers_polygons(small_gazetteer, event_id, codes):
    run(SAMPLE)
    event = AcledEvent.objects.get(event_id_cnty=event_id)
    assert (event.admin1_pcode, event.admin2_pcode, event.admin3_pcode) == codes


def test_one_spatial_query_per_chunk(small_gazetteer, monkeypatch):
    monkeypatch.setattr(acled_models, "CHUNK", 2)
    with CaptureQueriesContext(connection) as queries:
        run(SAMPLE)
    spatial = [q for q in queries.captured_queries if "intersects" in q["sql"].lower()]
    assert len(spatial) == 3  # six rows in chunks of two
    assert AcledEvent.objects.count() == 6


@pytest.mark.parametrize(
    ("second", "summary", "check"),
    [
        ("same", "created 0, updated 6, skipped 0", ("SYR1001", "fatalities", 2)),
        ("fatalities", "created 0, updated 6, skipped 0", ("SYR1001", "fatalities", 5)),
        ("moved", "created 0, updated 6, skipped 0", ("SYR1005", "admin1_pcode", "SY11")),
        ("one_new", "created 1, updated 6, skipped 0", ("SYR1007", "fatalities", 1)),
    ],
)
def test_reimport_updates_rows_and_never_duplicates_them(small_gazetteer, tmp_path, second, summary, check):
    run(SAMPLE)
    if second == "same":
        path = SAMPLE
    elif second == "fatalities":
        path = edited(tmp_path, "SYR1001", fatalities="5", timestamp="1725000000")
    elif second == "moved":  # ACLED corrected the location: the P-codes follow
        path = edited(tmp_path, "SYR1005", latitude="35.95", longitude="39.01", location="Ar-Raqqa")
    else:
        header, rows = sample_rows()
        new = [*rows[0]]
        new[0], new[header.index("fatalities")] = "SYR1007", "1"
        path = write_csv(tmp_path / "more.csv", header, [*rows, new])
    out, _ = run(path)
    assert out.splitlines()[0] == summary
    assert AcledEvent.objects.count() == len(IDS) + (second == "one_new")
    event_id, name, value = check
    assert getattr(AcledEvent.objects.get(event_id_cnty=event_id), name) == value


@pytest.mark.parametrize(
    "dropped", [["latitude"], ["fatalities", "event_date"], ["event_id_cnty", "notes", "longitude"]]
)
def test_a_file_missing_required_columns_is_refused_naming_them(small_gazetteer, tmp_path, dropped):
    header, rows = sample_rows()
    keep = [i for i, name in enumerate(header) if name not in dropped]
    path = write_csv(tmp_path / "short.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    with pytest.raises(CommandError) as refused:
        run(path)
    assert f"lacks the required column(s): {', '.join(n for n in parse.REQUIRED if n in dropped)}" in str(
        refused.value
    )
    assert not AcledEvent.objects.exists()


def test_an_older_export_without_the_newer_columns_imports(small_gazetteer, tmp_path):
    header, rows = sample_rows()
    newer = {"disorder_type", "civilian_targeting", "tags", "timestamp"}
    keep = [i for i, name in enumerate(header) if name not in newer]
    path = write_csv(tmp_path / "old.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    out, _ = run(path)
    assert out.startswith("created 6,")
    assert AcledEvent.objects.get(event_id_cnty="SYR1003").civilian_targeting == ""


# Line numbers count the physical lines: SYR1002's notes take two, so SYR1003 starts on line 5.
BAD = [
    ("SYR1001", {"event_date": "2024-13-01"}, "line 2 (SYR1001): event_date '2024-13-01' is not a date"),
    ("SYR1003", {"latitude": "north"}, "line 5 (SYR1003): latitude 'north' is not a number of degrees"),
    ("SYR1004", {"longitude": "200"}, "line 6 (SYR1004): longitude '200' is not a number of degrees"),
    ("SYR1006", {"fatalities": "many"}, "line 8 (SYR1006): fatalities 'many' is not a whole number"),
    ("SYR1006", {"fatalities": ""}, "line 8 (SYR1006): fatalities is empty"),
    ("SYR1005", {"event_id_cnty": "SYR1001"}, "line 7 (SYR1001): event_id_cnty repeats line 2"),
]


@pytest.mark.parametrize(("event_id", "values", "message"), BAD)
def test_a_bad_row_refuses_the_whole_file(small_gazetteer, tmp_path, event_id, values, message):
    with pytest.raises(CommandError) as refused:
        run(edited(tmp_path, event_id, **values))
    assert "1 bad row(s) and 5 good one(s); nothing was imported" in str(refused.value)
    assert message in str(refused.value)
    assert not AcledEvent.objects.exists()


@pytest.mark.parametrize(("event_id", "values", "message"), BAD)
def test_skip_bad_imports_the_good_rows_and_lists_the_bad(
    small_gazetteer, tmp_path, event_id, values, message
):
    out, _ = run(edited(tmp_path, event_id, **values), "--skip-bad")
    lines = out.splitlines()
    assert lines[0] == "created 5, updated 0, skipped 1"
    assert lines[1].startswith(f"  skipped {message}")
    assert AcledEvent.objects.count() == 5


def test_a_bad_row_leaves_earlier_imports_as_they_were(small_gazetteer, tmp_path):
    run(SAMPLE)
    header, rows = sample_rows()
    rows[0][header.index("fatalities")] = "9"
    rows[1][header.index("event_date")] = "someday"
    with pytest.raises(CommandError):
        run(write_csv(tmp_path / "half.csv", header, rows))
    assert AcledEvent.objects.get(event_id_cnty="SYR1001").fatalities == 2


def test_dry_run_counts_and_writes_nothing(small_gazetteer):
    out, _ = run(SAMPLE, "--dry-run")
    assert out.splitlines()[0] == "would create 6, updated 0, skipped 0"
    assert not AcledEvent.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"event_id_cnty,event_date\n\xff\xfe\n", "not UTF-8 text"),
    ],
)
def test_an_unreadable_file_is_refused(small_gazetteer, tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)


def test_the_hxl_row_of_an_export_is_passed_over(small_gazetteer, tmp_path):
    header, rows = sample_rows()
    hxl = ["#event+code", *["#x"] * (len(header) - 1)]
    out, _ = run(write_csv(tmp_path / "hxl.csv", header, [hxl, *rows]))
    assert out.startswith("created 6,")
