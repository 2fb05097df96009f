"""Within-article rules (issue #11): places that only locate another, offsets, dates, datelines.

Every text here was written for these tests. The parser runs over the fixture gazetteer plus a
few al-Hasakah places (approximate OCHA coordinates) the rows need.
"""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import ROWS, fixture_places, place

from geoparse import incidents as incidents_stage
from geoparse.fake import FakeGazetteer
from geoparse.offsets import offset_before
from geoparse.pipeline import Geoparser
from geoparse.places import distance_km, moved
from geoparse.tokens import build_doc
from geoparse.types import INCIDENT, REPORTING, IncidentDraft, PlaceRecord

PUB = dt.date(2024, 3, 13)  # a Wednesday
QAMISHLI, MAADAN, RAQQA, TABQA, MENBIJ, HAJIN, AL_HOL_CAMP = 113, 119, 118, 122, 104, 116, 302
NASHWA_GHUWAYRAN = {201, 202}
AMUDA, TAL_TAMER, DERDARA, AZAZ = 901, 902, 903, 904
EXTRA = [
    place(AMUDA, "community", "Amuda", "عامودا", 37.1026, 40.9313, "SY08", 0.5, admin2="SY0802"),
    place(TAL_TAMER, "community", "Tal Tamer", "تل تمر", 36.6534, 40.3718, "SY08", 0.5, admin2="SY0800"),
    place(DERDARA, "community", "Derdara", "الدردارة", 36.7033, 40.4011, "SY08", 0.2, admin2="SY0800"),
    place(AZAZ, "community", "Azaz", "اعزاز", 36.5849, 37.0432, "SY02", 0.6, admin2="SY0203"),
]


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    aliases = [(row[0], alias) for row in ROWS for alias in row[12]]
    return Geoparser(FakeGazetteer([*fixture_places(), *EXTRA], aliases))


def incidents(parser: Geoparser, text: str, pub: dt.date = PUB) -> tuple[IncidentDraft, ...]:
    return parser.parse(text, published=pub).incidents


def point(parser: Geoparser, pid: int) -> PlaceRecord:
    found = parser.gazetteer.place(pid)
    assert found is not None
    return found


# (text, place ids of the one incident, precision)
LOCATED = [
    # "X near Y", «X قرب Y», «بمحيط»: the incident is at X; Y only says where X is.
    ("Clashes broke out in Hajin near Abu Kamal on Monday.", {HAJIN}, 1),
    ("انفجرت عبوة ناسفة بسيارة مدنية في الدردارة قرب تل تمر.", {DERDARA}, 1),
    (
        "SDF and Coalition forces raided an ISIS cell in the al-Nashwa and Ghuwayran neighbourhoods "
        "of al-Hasakah city, near al-Sina'a prison.",
        NASHWA_GHUWAYRAN,
        1,
    ),
    ("داهمت قسد خلية لداعش في حيي النشوة وغويران بمدينة الحسكة قرب سجن الصناعة.", NASHWA_GHUWAYRAN, 1),
    # Countryside: "X in the countryside of Y", "X, in the Y countryside", «X في ريف Y», «X بريف Y».
    ("Turkish shelling hit the village of Derdara in the countryside of Tal Tamer.", {DERDARA}, 1),
    ("Gunmen killed a shepherd in Derdara, in the Tal Tamer countryside.", {DERDARA}, 1),
    ("قصفت القوات التركية قرية الدردارة في ريف تل تمر.", {DERDARA}, 1),
    ("قصفت القوات التركية قرية الدردارة بريف تل تمر.", {DERDARA}, 1),
    # Roads: "on the road to Y", "on the Y road", «على طريق Y»; "the X-Y road" is one location.
    ("An explosive device went off in Derdara on the road to Tal Tamer.", {DERDARA}, 1),
    ("A drone struck a car in Derdara on the Tal Tamer road.", {DERDARA}, 1),
    ("استهدفت طائرة مسيرة تركية سيارة في الدردارة على طريق تل تمر.", {DERDARA}, 1),
    ("A Turkish drone struck a car 10 km west of Qamishli on the Amuda road.", {QAMISHLI}, 2),
    ("An IED exploded on the Qamishli-Amuda road.", {QAMISHLI, AMUDA}, 2),
    ("انفجرت عبوة ناسفة على طريق القامشلي - عامودا.", {QAMISHLI, AMUDA}, 2),
    # "Y's X", and a town with its governorate.
    ("Gunmen killed a man in Hasakah's Ghuwayran neighbourhood.", {201}, 1),
    ("Shelling hit Azaz, in Aleppo governorate.", {AZAZ}, 1),
]


@pytest.mark.parametrize(("text", "place_ids", "precision"), LOCATED)
def test_a_place_that_only_locates_another_is_no_incident_of_its_own(parser, text, place_ids, precision):
    found = incidents(parser, text)
    assert [(set(i.place_ids), i.geo_precision) for i in found] == [(place_ids, precision)]


@pytest.mark.parametrize(
    "text",
    [
        "Regime shelling hit Maadan and the outskirts of Tabqa.",  # 96 km apart: two places
        "قصفت قوات النظام معدان وأطراف مدينة الطبقة.",
    ],
)
def test_a_far_place_near_which_something_happened_is_another_incident(parser, text):
    assert [(i.place.id, i.geo_precision) for i in incidents(parser, text)] == [(MAADAN, 1), (TABQA, 2)]


def test_the_locating_place_stays_a_mention(parser):
    result = parser.parse("A drone struck a car in Derdara on the Tal Tamer road.", published=PUB)
    by_name = {m.span.text: m for m in result.mentions}
    assert by_name["Tal Tamer"].place is not None and by_name["Tal Tamer"].place.id == TAL_TAMER
    assert by_name["Tal Tamer"].role == INCIDENT
    assert all(result.mentions.index(by_name["Tal Tamer"]) not in i.mentions for i in result.incidents)


# (text, place id, km moved, bearing or None, radius_km)
OFFSETS = [
    ("A Turkish drone struck a car 10 km west of Qamishli.", QAMISHLI, 10, 270, 5),
    ("انفجرت عبوة ناسفة على بعد 10 كم غرب القامشلي.", QAMISHLI, 10, 270, 5),
    ("انفجرت عبوة ناسفة على بعد ١٠ كم غرب مدينة القامشلي.", QAMISHLI, 10, 270, 5),
    ("A roadside bomb exploded 10 kilometres north of Maadan.", MAADAN, 10, 0, 5),
    ("Artillery hit a checkpoint 20 km south-east of Menbij.", MENBIJ, 20, 135, 10),
    ("قصفت المدفعية موقعا على بعد 20 كم شمال شرقي معدان.", MAADAN, 20, 45, 10),
    ("A drone strike hit a car 8 km from Maadan.", MAADAN, 0, None, 8),
    ("A landmine exploded 3 km east of Maadan.", MAADAN, 3, 90, 2),
    ("Shelling hit the outskirts of Menbij.", MENBIJ, 0, None, 5),
    ("انفجرت عبوة على أطراف منبج.", MENBIJ, 0, None, 5),
    ("انفجرت عبوة ناسفة بمحيط بلدة تل تمر.", TAL_TAMER, 0, None, 5),
    ("سقطت قذيفة قرب معدان.", MAADAN, 0, None, 5),
    ("Clashes near Maadan.", MAADAN, 0, None, 5),
    ("A bomb exploded on the Maadan road.", MAADAN, 0, None, 5),
    ("انفجرت عبوة ناسفة على طريق معدان.", MAADAN, 0, None, 5),
]


@pytest.mark.parametrize(("text", "pid", "km", "bearing", "radius"), OFFSETS)
def test_offsets_are_precision_two_with_the_point_moved_along_the_bearing(
    parser, text, pid, km, bearing, radius
):
    (incident,) = incidents(parser, text)
    assert (incident.place.id, incident.geo_precision) == (pid, 2)
    town = point(parser, pid)
    lat, lon = moved(town.lat, town.lon, km, bearing) if bearing is not None else (town.lat, town.lon)
    assert (incident.lat, incident.lon) == (pytest.approx(lat, abs=1e-5), pytest.approx(lon, abs=1e-5))
    assert incident.radius_km == pytest.approx(radius)


def _sign(x: float) -> int:
    return (x > 1e-6) - (x < -1e-6)


@pytest.mark.parametrize(
    ("text", "north", "east"),
    [
        ("A bomb exploded 10 km north of Maadan.", 1, 0),
        ("A bomb exploded 10 km south of Maadan.", -1, 0),
        ("A bomb exploded 10 km east of Maadan.", 0, 1),
        ("انفجرت عبوة على بعد 10 كم غرب معدان.", 0, -1),
        ("انفجرت عبوة على بعد 10 كم جنوب غربي معدان.", -1, -1),
    ],
)
def test_the_point_moves_the_stated_way_and_distance(parser, text, north, east):
    (incident,) = incidents(parser, text)
    town = point(parser, MAADAN)
    assert (_sign(incident.lat - town.lat), _sign(incident.lon - town.lon)) == (north, east)
    moved_to = PlaceRecord(0, "community", "", "", incident.lat, incident.lon)
    assert distance_km(town, moved_to) == pytest.approx(10, abs=0.1)


@pytest.mark.parametrize(
    ("text", "radius"),
    [
        ("Shelling hit Maadan.", 0.0),  # a point
        ("قصف على محافظة الحسكة", 0.0),  # a governorate: its polygon
    ],
)
def test_radius_of_other_locations(parser, text, radius):
    assert incidents(parser, text)[0].radius_km == radius


def test_between_two_places_the_radius_reaches_both(parser):
    (incident,) = incidents(parser, "اشتباكات بين معدان والرقة")
    half = distance_km(point(parser, MAADAN), point(parser, RAQQA)) / 2
    assert (incident.geo_precision, incident.radius_km) == (2, pytest.approx(half))
    assert half > 25


def test_offset_before_reads_only_a_stated_distance():
    doc = build_doc("Fighting 150 km east of Raqqa and near Maadan", "en", frozenset())
    assert offset_before(doc, doc.norms.index("raqqa")) is None  # too far to locate anything
    assert offset_before(doc, doc.norms.index("maadan")) is None


# (text, published, incidents as (place id, date, date precision))
DATED = [
    (  # the headline's default date and the body's "on Monday" at one place
        "Turkish drone strike kills two near Tal Tamer\n\n"
        "A Turkish drone struck a car near Tal Tamer on Monday, killing two security members.",
        PUB,
        [(TAL_TAMER, "2024-03-11", "day")],
    ),
    (
        "مقتل شاب برصاص مجهولين في هجين\n\nقتل شاب أمس برصاص مسلحين مجهولين في بلدة هجين.",
        PUB,
        [(HAJIN, "2024-03-12", "day")],
    ),
    (  # a body sentence without a date joins the stated one before it
        "Gunmen shot dead a teacher in Hajin on Monday. The gunmen fled Hajin after the attack.",
        PUB,
        [(HAJIN, "2024-03-11", "day")],
    ),
    (  # two stated dates are two incidents
        "Shelling hit Maadan on Monday. Shelling hit Maadan again on Tuesday.",
        PUB,
        [(MAADAN, "2024-03-11", "day"), (MAADAN, "2024-03-12", "day")],
    ),
    (  # a month stated in the body
        "حملة أمنية لقسد في معدان\n\nأطلقت قسد مطلع الشهر الجاري حملة أمنية في بلدة معدان.",
        PUB,
        [(MAADAN, "2024-03-01", "month")],
    ),
]


CONTAINED = (  # the headline's city holds the body's neighbourhood: the neighbourhood, the stated date
    "Shooting in Hasakah\n\nGunmen killed a guard at a checkpoint in Ghuwayran neighbourhood yesterday.",
    PUB,
    [(201, "2024-03-12", "day")],
)


@pytest.mark.parametrize(("text", "pub", "expected"), [*DATED, CONTAINED])
def test_an_incident_dated_by_the_publication_joins_one_of_a_stated_date(parser, text, pub, expected):
    found = incidents(parser, text, pub)
    assert [(i.place.id, i.date, i.date_precision) for i in found] == expected


@pytest.mark.parametrize(("text", "pub", "expected"), DATED)
def test_the_linear_merge_of_huge_inputs_joins_them_too(parser, monkeypatch, text, pub, expected):
    monkeypatch.setattr(incidents_stage, "MAX_MERGE_CHECK", 0)  # past it, only the same places merge
    found = incidents(parser, text, pub)
    assert [(i.place.id, i.date, i.date_precision) for i in found] == expected


# (text, the name that is a dateline, the incident's place)
DATELINES = [
    (
        "Woman shot dead inside al-Hol camp\n\n"
        "QAMISHLI, Syria (Demo Wire) — A woman was shot dead inside al-Hol camp on Tuesday.",
        "QAMISHLI",
        AL_HOL_CAMP,
    ),
    (
        "QAMISHLI, Syria (Demo Wire) — A woman was shot dead inside al-Hol camp on Tuesday.",
        "QAMISHLI",
        AL_HOL_CAMP,
    ),
    ("Clashes in Maadan\n\nRAQQA (AP) — Clashes broke out in Maadan on Tuesday.", "RAQQA", MAADAN),
    ("اشتباكات في معدان\n\nالرقة (سانا) — اندلعت اشتباكات في بلدة معدان أمس.", "الرقة", MAADAN),
]


@pytest.mark.parametrize(("text", "dateline", "pid"), DATELINES)
def test_a_dateline_opening_the_body_is_reporting(parser, text, dateline, pid):
    result = parser.parse(text, published=PUB)
    assert [m.role for m in result.mentions if m.span.text == dateline] == [REPORTING]
    assert [i.place.id for i in result.incidents] == [pid]


@pytest.mark.parametrize(
    "text",
    [
        "Clashes in Maadan\n\nMaadan saw heavy clashes on Tuesday, a local source said.",
        "اشتباكات في بلدة معدان\n\nمعدان - شهدت البلدة اشتباكات عنيفة أمس.",
    ],
)
def test_a_place_opening_the_body_in_prose_is_still_the_incident(parser, text):
    result = parser.parse(text, published=PUB)
    assert [m.role for m in result.mentions if m.place is not None] == [INCIDENT, INCIDENT]
    assert [i.place.id for i in result.incidents] == [MAADAN]
