"""Incidents: the worked example, ACLED geo-precision, several incidents, event types, actors."""

from __future__ import annotations

import datetime as dt

import pytest
from geoparse_places import FIXTURE_PARSER

from geoparse.events import BATTLES, EXPLOSIONS, PROTESTS, STRATEGIC, VIOLENCE_AGAINST_CIVILIANS
from geoparse.pipeline import Geoparser
from geoparse.types import CONTEXT, INCIDENT

PUB = dt.date(2023, 8, 20)

# Written for this test: a security operation in two al-Hasakah neighbourhoods, an earlier
# operation in the eastern Raqqa countryside, and background on Deir ez-Zor and the Badia.
WORKED_EXAMPLE = (
    "داهمت قوات سوريا الديمقراطية (قسد) بمساندة من التحالف الدولي مواقع لخلية تابعة لتنظيم داعش "
    "في حيي النشوة وغويران بمدينة الحسكة، واعتقلت ثلاثة من عناصرها.\n"
    "وقال مصدر أمني لمنصة SY24 إن الخلية كانت ترصد منذ أسابيع محيط سجن الصناعة في حي غويران، "
    "الذي يضم آلاف المحتجزين من عناصر التنظيم.\n"
    "وأضاف المصدر أن القوات الأمنية تمكنت مطلع آب/أغسطس الجاري من تفكيك خليتين للتنظيم في ريف الرقة الشرقي.\n"
    "وتشهد أرياف دير الزور هجمات متكررة تنفذها خلايا التنظيم ضد مواقع قسد منذ مطلع العام، "
    "فيما ينشط التنظيم منذ سنوات في البادية السورية."
)


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return FIXTURE_PARSER


@pytest.fixture(scope="module")
def worked(parser):
    return parser.parse(WORKED_EXAMPLE, published=PUB)


def test_worked_example_main_incident_is_the_hasakah_raid(worked):
    main = worked.incidents[0]
    assert set(main.place_ids) == {201, 202}  # Ghuwayran and al-Nashwa
    assert main.geo_precision == 1
    assert main.place.admin1 == "SY08"
    assert (main.date, main.date_precision) == ("2023-08-20", "day")
    assert (main.event_type, main.sub_event_type) == (STRATEGIC, "Arrests")
    assert {"SDF", "International Coalition", "ISIS"} <= set(main.actors)
    assert "غويران" in main.label_ar and "Ghuwayran" in main.label_en and "Al-Hasakeh" in main.label_en


def test_worked_example_second_incident_is_the_eastern_raqqa_countryside(worked):
    second = worked.incidents[1]
    assert second.place.id == 401 and second.place.kind == "area"
    assert second.geo_precision == 2
    assert (second.date, second.date_precision) == ("2023-08-01", "month")
    assert second.area_place_ids == (401,)


def test_worked_example_background_places_are_context_mentions_only(worked):
    assert len(worked.incidents) == 2
    by_text = {m.span.text: m for m in worked.mentions}
    assert by_text["دير الزور"].role == CONTEXT and by_text["البادية السورية"].role == CONTEXT
    assert by_text["البادية السورية"].place is not None and by_text["البادية السورية"].place.id == 403
    incident_places = {pid for inc in worked.incidents for pid in inc.place_ids}
    assert not incident_places & {9, 114, 402, 403}
    assert all(WORKED_EXAMPLE[m.span.start : m.span.end] == m.span.text for m in worked.mentions)
    assert [m.role for m in worked.mentions if m.span.text == "النشوة"] == [INCIDENT]


def primary(text, parser, pub=PUB):
    result = parser.parse(text, published=pub)
    assert result.incidents, result
    return result.incidents[0]


@pytest.mark.parametrize(
    ("text", "place_id", "precision"),
    [
        ("قصف مدفعي على حي غويران في الحسكة", 201, 1),  # neighbourhood
        ("قصف مدفعي على بلدة معدان", 119, 1),  # town
        ("انفجار داخل سجن الصناعة في الحسكة", 301, 1),  # facility
        ("اشتباكات داخل مخيم الهول", 302, 1),  # camp
        ("قصف مدفعي على ريف معدان", 119, 2),  # countryside of a town without a curated area
        ("Shelling hit the eastern Raqqa countryside", 401, 2),  # curated area, English
        ("قصف على ريف الرقة الشرقي", 401, 2),  # curated area, Arabic
        ("انفجار عبوة ناسفة قرب معدان", 119, 2),  # near
        ("Clashes near Maadan", 119, 2),
        ("اشتباكات بين معدان والرقة", 119, 2),  # between
        ("قصف على محافظة الحسكة", 8, 3),  # governorate
        ("Airstrikes hit Idlib province", 7, 3),
    ],
)
def test_geo_precision_is_coded_as_acled_does(parser, text, place_id, precision):
    incident = primary(text, parser)
    assert (incident.place.id, incident.geo_precision) == (place_id, precision)


def test_between_two_places_uses_their_midpoint(parser):
    incident = primary("اشتباكات بين معدان والرقة", parser)
    assert incident.lat == pytest.approx((35.75521 + 35.953075) / 2, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "event_type", "actor"),
    [
        ("اشتباكات عنيفة بين قوات النظام وقسد في معدان", BATTLES, "Regime forces"),
        ("Clashes between SDF fighters and regime forces in Maadan", BATTLES, "SDF"),
        ("قصف جوي روسي على كفر نبودة", EXPLOSIONS, "Russia"),
        ("A Turkish drone strike hit a car in Qamishli", EXPLOSIONS, "Turkey"),
        ("اغتيال مختار بلدة هجين برصاص مسلحين", VIOLENCE_AGAINST_CIVILIANS, None),
        ("Gunmen kidnapped a teacher in Hajin", VIOLENCE_AGAINST_CIVILIANS, None),
        ("حملة اعتقالات لهيئة تحرير الشام في سراقب", STRATEGIC, "HTS"),
        ("The Coalition carried out an airdrop raid in Hajin", STRATEGIC, "International Coalition"),
        ("Russian aviation raids on the town of Maadan", EXPLOSIONS, "Russia"),  # an air raid
        ("Security forces raided a house in Hajin and arrested two men", STRATEGIC, None),
        ("مجزرة بغارات للطيران الروسي على معدان", EXPLOSIONS, "Russia"),  # air raids, whoever dies
        ("الطيران الروسي يستهدف معدان بالصواريخ", EXPLOSIONS, "Russia"),
        ("غارة جوية روسية على معدان", EXPLOSIONS, "Russia"),  # «روسية» as written, also «للروسية»
        ("معدان 15_2_2016. إصابات جراء القصف الروسي للمدينة", EXPLOSIONS, "Russia"),  # the next sentence
        ("مظاهرة في منبج ضد الجيش الوطني", PROTESTS, "SNA"),
        ("Residents protested in Menbij", PROTESTS, None),
    ],
)
def test_event_type_and_actors_come_from_the_rules(parser, text, event_type, actor):
    incident = primary(text, parser)
    assert incident.event_type == event_type
    if actor is not None:
        assert actor in incident.actors


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("مقتل 4 مدنيين بقصف على معدان", 4),
        ("مقتل ثلاثة عناصر باشتباكات في معدان", 3),
        ("Shelling killed 7 people in Maadan", 7),
        ("Two civilians were killed by a mine in Maadan", 2),
        ("Shelling hit Maadan", None),
    ],
)
def test_fatalities_are_read_when_stated(parser, text, killed):
    assert primary(text, parser).fatalities == killed


def test_an_article_yields_one_incident_per_place_and_date(parser):
    text = (
        "قصفت قوات النظام بلدة معدان أمس. "
        "وفي 3 آب الجاري استهدفت مسيرة تركية سيارة في القامشلي. "
        "كما قصفت قوات النظام بلدة معدان مرة أخرى أمس."
    )
    result = parser.parse(text, published=PUB)
    got = [(i.place.id, i.date, i.date_precision) for i in result.incidents]
    assert got == [(119, "2023-08-19", "day"), (113, "2023-08-03", "day")]


def test_a_text_with_only_background_has_no_incident(parser):
    text = "Activity has risen in Raqqa and Deir ez-Zor since the start of the year."
    result = parser.parse(text, published=PUB)
    assert result.incidents == () and {m.role for m in result.mentions} == {CONTEXT}


def test_without_a_publication_date_the_incident_has_no_date(parser):
    incident = primary("Shelling hit Maadan yesterday", parser, pub=None)
    assert incident.date is None
