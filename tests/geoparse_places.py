"""A fixture gazetteer for the geoparse tests: real places with approximate coordinates.

Coordinates and P-codes were copied by hand from the OCHA Syria populated-places and admin
tables (2020 release); curated areas (countryside parts, the Badia) are rough centroids.
"""

from __future__ import annotations

import datetime as dt

from geoparse.fake import FakeGazetteer
from geoparse.pipeline import Geoparser
from geoparse.types import IncidentDraft, PlaceRecord

# id, kind, name_en, name_ar, lat, lon, admin1, admin2, admin3, pcode, parent, importance, aliases
# fmt: off
ROWS: list[tuple[int, str, str, str, float, float, str, str, str, str, int | None, float, tuple[str, ...]]] = [
    (1, 'governorate', 'Damascus', 'دمشق', 33.51, 36.29, 'SY01', '', '', 'SY01', None, 0.7, ()),
    (2, 'governorate', 'Aleppo', 'حلب', 36.2, 37.6, 'SY02', '', '', 'SY02', None, 0.7, ()),
    (3, 'governorate', 'Rural Damascus', 'ريف دمشق', 33.5, 36.6, 'SY03', '', '', 'SY03', None, 0.6, ()),
    (4, 'governorate', 'Homs', 'حمص', 34.6, 37.8, 'SY04', '', '', 'SY04', None, 0.6, ()),
    (5, 'governorate', 'Hama', 'حماة', 35.2, 36.9, 'SY05', '', '', 'SY05', None, 0.6, ()),
    (7, 'governorate', 'Idleb', 'إدلب', 35.8, 36.6, 'SY07', '', '', 'SY07', None, 0.6, ('Idlib',)),
    (8, 'governorate', 'Al-Hasakeh', 'الحسكة', 36.6, 40.8, 'SY08', '', '', 'SY08', None, 0.6, ('Hasakah', 'Hassakeh', 'Al-Hasakah')),
    (9, 'governorate', 'Deir-ez-Zor', 'دير الزور', 35.0, 40.5, 'SY09', '', '', 'SY09', None, 0.6, ('Deir ez-Zor', 'Deir Ezzor')),
    (11, 'governorate', 'Ar-Raqqa', 'الرقة', 35.9, 38.9, 'SY11', '', '', 'SY11', None, 0.6, ('Raqqa',)),
    (70, 'district', 'Idleb', 'مركز إدلب', 35.89, 36.79, 'SY07', 'SY0700', '', 'SY0700', 7, 0.5, ('مدينة إدلب',)),
    (80, 'district', 'Al-Hasakeh', 'الحسكة', 36.5, 40.7, 'SY08', 'SY0800', '', 'SY0800', 8, 0.4, ()),
    (101, 'community', 'Damascus', 'دمشق', 33.517175, 36.27671, 'SY01', 'SY0100', 'SY010000', 'C1001', 1, 1.0, ()),
    (102, 'community', 'Aleppo', 'حلب', 36.206013, 37.15242, 'SY02', 'SY0200', 'SY020000', 'C1007', 2, 1.0, ()),
    (103, 'community', 'Al Bab', 'الباب', 36.369722, 37.514925, 'SY02', 'SY0202', 'SY020200', 'C1202', 2, 0.7, ('al-Bab',)),
    (104, 'community', 'Menbij', 'منبج', 36.525785, 37.951039, 'SY02', 'SY0205', 'SY020500', 'C1767', 2, 0.7, ('Manbij',)),
    (105, 'community', 'Homs', 'حمص', 34.729961, 36.719731, 'SY04', 'SY0401', 'SY040100', 'C2528', 4, 1.0, ()),
    (106, 'community', 'Tadmor', 'تدمر', 34.565631, 38.287689, 'SY04', 'SY0405', 'SY040500', 'C2889', 4, 0.7, ('Palmyra',)),
    (107, 'community', 'Hama', 'حماة', 35.133742, 36.761291, 'SY05', 'SY0501', 'SY050100', 'C2987', 5, 1.0, ()),
    (108, 'community', 'Idleb', 'إدلب', 35.929008, 36.635276, 'SY07', 'SY0700', 'SY070000', 'C3871', 7, 0.9, ('Idlib',)),
    (109, 'community', 'Saraqab', 'سراقب', 35.861105, 36.80611, 'SY07', 'SY0700', 'SY070003', 'C3916', 7, 0.6, ()),
    (110, 'community', 'Kafr Nabudeh', 'كفر نبودة', 35.433661, 36.49441, 'SY05', 'SY0502', 'SY050203', 'C3183', 5, 0.4, ('Kafr Nabuda',)),
    (111, 'community', 'Al-Hasakeh', 'الحسكة', 36.505375, 40.742899, 'SY08', 'SY0800', 'SY080000', 'C4360', 80, 0.9, ('Hasakah', 'Hassakeh', 'Al-Hasakah')),
    (112, 'community', 'Hole', 'الهول', 36.39048, 41.150571, 'SY08', 'SY0800', 'SY080006', 'C4519', 8, 0.5, ('al-Hol',)),
    (113, 'community', 'Quamishli', 'القامشلي', 37.044748, 41.226183, 'SY08', 'SY0802', 'SY080200', 'C4564', 8, 0.8, ('Qamishli',)),
    (114, 'community', 'Deir-ez-Zor', 'دير الزور', 35.331885, 40.146071, 'SY09', 'SY0901', 'SY090100', 'C5086', 9, 0.9, ('Deir ez-Zor', 'Deir Ezzor')),
    (115, 'community', 'Abu Kamal', 'البوكمال', 34.454632, 40.911555, 'SY09', 'SY0902', 'SY090200', 'C5167', 9, 0.6, ('Albukamal',)),
    (116, 'community', 'Hajin', 'هجين', 34.6869, 40.839203, 'SY09', 'SY0902', 'SY090201', 'C5175', 9, 0.4, ()),
    (117, 'community', 'Al Mayadin', 'الميادين', 35.024792, 40.427994, 'SY09', 'SY0903', 'SY090300', 'C5192', 9, 0.6, ('Mayadin',)),
    (118, 'community', 'Ar-Raqqa', 'الرقة', 35.953075, 39.006062, 'SY11', 'SY1101', 'SY110100', 'C5710', 11, 0.9, ('Raqqa',)),
    (119, 'community', 'Maadan', 'معدان', 35.75521, 39.607451, 'SY11', 'SY1101', 'SY110103', 'C5787', 11, 0.4, ()),
    (120, 'community', 'Tell Abiad', 'تل أبيض', 36.690567, 38.947556, 'SY11', 'SY1102', 'SY110200', 'C5792', 11, 0.6, ('Tal Abyad',)),
    (121, 'community', 'Ein Issa', 'عين عيسى', 36.383689, 38.862789, 'SY11', 'SY1102', 'SY110202', 'C5905', 11, 0.5, ('Ain Issa',)),
    (122, 'community', 'Ath-Thawrah', 'الثورة', 35.836, 38.548, 'SY11', 'SY1103', 'SY110300', 'C5958', 11, 0.6, ('Tabqa', 'الطبقة')),
    (123, 'community', 'Mansura', 'المنصورة', 35.827, 38.763, 'SY11', 'SY1103', 'SY110301', 'C5963', 11, 0.4, ()),
    (124, 'community', 'Mansura', 'المنصورة', 36.141, 37.074, 'SY02', 'SY0200', 'SY020000', 'C1099', 2, 0.2, ()),
    (125, 'community', 'Sabkha', 'الصبخة', 34.708151, 40.755606, 'SY09', 'SY0902', 'SY090202', 'C5176', 9, 0.3, ()),
    (201, 'neighbourhood', 'Ghuwayran', 'غويران', 36.475, 40.76, 'SY08', 'SY0800', 'SY080000', 'N0401', 111, 0.3, ('Ghweiran',)),
    (202, 'neighbourhood', 'Al-Nashwa', 'النشوة', 36.4804, 40.6899, 'SY08', 'SY0800', 'SY080000', 'N0402', 111, 0.3, ()),
    (203, 'neighbourhood', 'Al Thawra', 'الثورة', 36.492529, 40.753625, 'SY08', 'SY0800', 'SY080000', 'N0390', 111, 0.2, ()),
    (204, 'neighbourhood', 'Al Zouhour', 'الزهور', 36.476666, 40.749835, 'SY08', 'SY0800', 'SY080000', 'N0399', 111, 0.2, ()),
    (205, 'neighbourhood', 'Salhiyeh', 'الصالحية', 36.511622, 40.751141, 'SY08', 'SY0800', 'SY080000', 'N0379', 111, 0.2, ()),
    (206, 'neighbourhood', 'Salhiyeh', 'الصالحية', 35.958807, 39.020645, 'SY11', 'SY1101', 'SY110100', 'N0467', 118, 0.2, ()),
    (207, 'neighbourhood', 'Hurriyeh', 'الحرية', 35.962376, 39.005166, 'SY11', 'SY1101', 'SY110100', 'N0462', 118, 0.2, ()),
    (208, 'neighbourhood', 'Sheikh Maqsoud', 'الشيخ مقصود', 36.236606, 37.152847, 'SY02', 'SY0200', 'SY020000', 'N0123', 102, 0.3, ()),
    (209, 'neighbourhood', 'Aziziyah', 'العزيزية', 36.511, 40.735, 'SY08', 'SY0800', 'SY080000', 'N0403', 111, 0.2, ()),
    (301, 'facility', "Al-Sina'a prison", 'سجن الصناعة', 36.4735, 40.7585, 'SY08', 'SY0800', 'SY080000', 'F001', 201, 0.3, ('Ghuwayran prison',)),
    (302, 'camp', 'Al-Hol camp', 'مخيم الهول', 36.38, 41.14, 'SY08', 'SY0800', 'SY080006', 'K001', 112, 0.5, ()),
    (401, 'area', 'Eastern Raqqa countryside', 'ريف الرقة الشرقي', 35.85, 39.5, 'SY11', '', '', 'A001', 11, 0.5, ()),
    (402, 'area', 'Eastern Deir ez-Zor countryside', 'ريف دير الزور الشرقي', 34.9, 40.6, 'SY09', '', '', 'A002', 9, 0.5, ()),
    (404, 'area', 'Aleppo countryside', 'ريف حلب', 36.3, 37.3, 'SY02', '', '', 'A004', 2, 0.45, ('countryside of Aleppo',)),
    (403, 'area', 'Syrian Badia', 'البادية السورية', 34.8, 38.5, '', '', '', 'A003', None, 0.4, ('Syrian desert',)),
    # Villages that exercise the extraction rules (names that are common words, a name's head,
    # a phonetic near-miss of "Syrias", neighbours); OCHA names, coordinates approximate.
    (501, 'community', 'Al Harbi', 'الحربي', 36.95, 40.35, 'SY08', 'SY0802', 'SY080201', 'C7581', 8, 0.2, ()),
    (502, 'community', 'Taht', 'تحت', 35.2, 40.2, 'SY09', 'SY0901', 'SY090101', 'C9001', 9, 0.15, ()),
    (503, 'community', 'Salam', 'السلام', 36.1, 38.2, 'SY02', 'SY0205', 'SY020501', 'C9002', 2, 0.2, ()),
    (504, 'community', 'Kafr Naha', 'كفر ناها', 36.13, 36.93, 'SY02', 'SY0201', 'SY020101', 'C1120', 2, 0.2, ()),
    (505, 'community', 'Naha', 'ناحا', 35.55, 36.35, 'SY07', 'SY0703', 'SY070301', 'C9003', 7, 0.2, ()),
    (506, 'community', 'Al Jabal', 'الجبل', 35.6, 35.9, 'SY06', 'SY0601', 'SY060101', 'C9004', None, 0.15, ()),
    (507, 'community', 'Latamneh', 'اللطامنة', 35.319, 36.622, 'SY05', 'SY0504', 'SY050401', 'C3050', 5, 0.5, ('Al-Lataminah',)),
    (508, 'community', 'Maarkaba', 'معركبة', 35.37, 36.67, 'SY05', 'SY0504', 'SY050401', 'C3051', 5, 0.2, ()),
    (509, 'community', 'Sarisah', 'سريسة', 35.3, 37.1, 'SY10', 'SY1001', 'SY100101', 'C5506', None, 0.2, ()),
]
# fmt: on


def fixture_places() -> list[PlaceRecord]:
    """Return the fixture places as PlaceRecords."""
    return [
        PlaceRecord(
            id=r[0],
            kind=r[1],
            name_en=r[2],
            name_ar=r[3],
            lat=r[4],
            lon=r[5],
            admin1=r[6],
            admin2=r[7],
            admin3=r[8],
            pcode=r[9],
            parent_id=r[10],
            importance=r[11],
            has_area=r[1] in ("governorate", "area"),
        )
        for r in ROWS
    ]


def fixture_gazetteer() -> FakeGazetteer:
    """Return a fresh in-memory gazetteer over the fixture places and their aliases."""
    names = [(r[0], alias) for r in ROWS for alias in r[12]]
    return FakeGazetteer(fixture_places(), names)


def place(
    pid: int, kind: str, en: str, ar: str, lat: float, lon: float, admin1: str, imp: float = 0.1, **kw: str
) -> PlaceRecord:
    """Make a PlaceRecord for a test's own small gazetteer."""
    return PlaceRecord(pid, kind, en, ar, lat, lon, admin1=admin1, importance=imp, **kw)


def primary_incident(text: str, parser: Geoparser, published: dt.date) -> IncidentDraft:
    """Geoparse a text and return its primary incident (there must be one)."""
    result = parser.parse(text, published=published)
    assert result.incidents, text
    return result.incidents[0]


def first_incident(text: str, parser: Geoparser, published: dt.date) -> PlaceRecord:
    """Geoparse a text and return the place of its primary incident (there must be one)."""
    return primary_incident(text, parser, published).place


# One parser over the fixture gazetteer for every test module: its automata are built once.
FIXTURE_PARSER = Geoparser(fixture_gazetteer())
