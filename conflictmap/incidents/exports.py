"""Exports of filtered incidents or events as streams: ACLED-style CSV (with an optional HXL row), GeoJSON
(RFC 7946) and KML. Each format is a generator of text chunks over `ExportRow`s, read from the database in
chunks, so memory stays flat however many rows there are. The GeoPackage, a file, is geopackage.py's."""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from conflictmap.rules.models import EventType
from geoparse.acled import ACLED_COLUMNS

from .models import DatePrecision, Incident, IncidentQuerySet, Review
from .serializers import admin_names

CHUNK = 2000
T = TypeVar("T")
# ACLED's codebook: its time precision codes, and the disorder type each of its event types belongs to.
TIME_PRECISION = {DatePrecision.DAY: 1, DatePrecision.WEEK: 2, DatePrecision.MONTH: 3, DatePrecision.YEAR: 3}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}
COUNTRIES = {"SY": ("Syria", 760, "Middle East")}

# Our columns after ACLED's (geoparse.acled.ACLED_COLUMNS); each with its HXL hashtag.
OWN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("location_ar", "#loc+name+i_ar"),
    ("admin1_pcode", "#adm1+code"),
    ("admin2_pcode", "#adm2+code"),
    ("admin3_pcode", "#adm3+code"),
    ("date_last", "#date+end"),
    ("date_precision", "#date+precision+text"),
    ("actors", "#group+name+all"),
    ("review_state", "#status+review"),
    ("confidence", "#indicator+confidence"),
    ("report_count", "#indicator+reports"),
    ("incident_id", "#meta+id"),
    ("event_id", "#event+id"),
    ("incident_url", "#meta+url"),
    ("article_urls", "#meta+url+articles"),
    ("source_urls", "#meta+url+sources"),
)
CSV_COLUMNS = tuple(name for name, _ in ACLED_COLUMNS + OWN_COLUMNS)
HXL_TAGS = tuple(tag for _, tag in ACLED_COLUMNS + OWN_COLUMNS)


@dataclass(frozen=True)
class Report:
    """One article reporting the row's incident or event."""

    source: str
    article_url: str
    source_url: str


@dataclass(frozen=True)
class ExportRow:
    """An incident, or an event through its lead report, with the names and links every format writes."""

    incident: Incident
    admin_names: tuple[str, str, str]
    reports: tuple[Report, ...]
    base_url: str

    @property
    def event(self) -> Any:
        return self.incident.event if self.incident.event_id else None

    def date_first(self) -> datetime.date | None:
        return self.event.date_first if self.event else self.incident.date

    def date_last(self) -> datetime.date | None:
        return self.event.date_last if self.event else self.incident.date

    def fatalities(self) -> int | None:
        return self.event.fatalities if self.event else self.incident.fatalities

    def url(self, path: str) -> str:
        return self.base_url + path

    def acled(self) -> dict[str, Any]:
        """The row under ACLED's column names and ours; what the app does not code stays empty."""
        i, first = self.incident, self.date_first()
        country, iso, region = COUNTRIES.get(i.admin1_pcode[:2], ("", "", ""))
        first_side = [a for a, side in i.actor_sides.items() if side == 1]
        second_side = [a for a, side in i.actor_sides.items() if side == 2]
        return {
            "event_id_cnty": f"SYRCM{i.event_id or i.pk}" if self.event else f"SYRCMI{i.pk}",
            "event_date": first.isoformat() if first else "",
            "year": first.year if first else "",
            "time_precision": TIME_PRECISION.get(i.date_precision, ""),  # type: ignore[call-overload]
            "disorder_type": DISORDER.get(acled_type(i.event_type), ""),
            "event_type": acled_type(i.event_type),
            "sub_event_type": i.sub_event_type,
            "actor1": first_side[0] if first_side else "",
            "assoc_actor_1": "; ".join(first_side[1:]),
            "inter1": "",
            "actor2": second_side[0] if second_side else "",
            "assoc_actor_2": "; ".join(second_side[1:]),
            "inter2": "",
            "interaction": "",
            "civilian_targeting": "",
            "iso": iso,
            "region": region,
            "country": country,
            "admin1": self.admin_names[0],
            "admin2": self.admin_names[1],
            "admin3": self.admin_names[2],
            "location": i.label_en or i.label_ar,
            "latitude": round(i.point.y, 5),
            "longitude": round(i.point.x, 5),
            "geo_precision": i.geo_precision,
            "source": "; ".join(dict.fromkeys(r.source for r in self.reports if r.source)),
            "source_scale": "",
            "notes": i.summary,
            "fatalities": "" if self.fatalities() is None else self.fatalities(),
            "tags": "",
            "timestamp": int(i.updated_at.timestamp()),
            "location_ar": i.label_ar,
            "admin1_pcode": i.admin1_pcode,
            "admin2_pcode": i.admin2_pcode,
            "admin3_pcode": i.admin3_pcode,
            "date_last": (self.date_last() or "") and self.date_last().isoformat(),  # type: ignore[union-attr]
            "date_precision": i.date_precision,
            "actors": "; ".join(self.event.actors if self.event else i.actors),
            "review_state": i.review,
            "confidence": round(i.confidence, 3),
            "report_count": len(self.reports),
            "incident_id": i.pk,
            "event_id": i.event_id or "",
            "incident_url": self.url(incident_path(i.pk)),
            "article_urls": " ".join(r.article_url for r in self.reports),
            "source_urls": " ".join(r.source_url for r in self.reports if r.source_url),
        }

    def feature(self) -> dict[str, Any]:
        """The row as a GeoJSON Feature: the incident's own JSON form, its links absolute, the event's dates."""
        i = self.incident
        properties = {
            **i.to_dict(),
            "article_url": self.url(article_path(i.article_id)),
            "incident_url": self.url(incident_path(i.pk)),
            "date_first": _iso(self.date_first()),
            "date_last": _iso(self.date_last()),
            "event_fatalities": self.fatalities(),
            "report_count": len(self.reports),
            "sources": [r.source for r in self.reports],
            "article_urls": [r.article_url for r in self.reports],
        }
        point = [round(i.point.x, 5), round(i.point.y, 5)]
        return {
            "type": "Feature",
            "id": i.pk,
            "geometry": {"type": "Point", "coordinates": point},
            "properties": properties,
        }


SENTINEL = 918273645


@functools.cache
def url_parts(name: str) -> tuple[str, str]:
    """The named URL's path before and after its id: reverse() once, on first use (not at import), not per row."""
    head, _, tail = reverse(name, args=[SENTINEL]).rpartition(str(SENTINEL))
    return head, tail


def incident_path(pk: int) -> str:
    head, tail = url_parts("incidents:page")
    return f"{head}{pk}{tail}"


def article_path(pk: int) -> str:
    head, tail = url_parts("articles:detail")
    return f"{head}{pk}{tail}"


def too_many(count: int) -> str | None:
    """Say why an export of `count` rows is refused, or None when it may go."""
    if count <= settings.EXPORT_MAX_ROWS:
        return None
    return (
        f"{count} rows match; an export holds at most {settings.EXPORT_MAX_ROWS} "
        "(CONFLICTMAP_EXPORT_MAX_ROWS): narrow the region or the dates"
    )


def acled_type(slug: str) -> str:
    """ACLED's name of one of our event types ("battles" → "Battles"); an unknown type as it is."""
    return EventType(slug).label if slug in EventType.values else slug


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def rows(
    qs: IncidentQuerySet, base_url: str, places: bool = True, with_area: bool = False
) -> Iterator[ExportRow]:
    """Yield the queryset's incidents as export rows, reading CHUNK at a time with their names and reports
    (with `places`, the places each names, which the incident's JSON form lists; with `with_area`, its polygon)."""
    ordered = (
        (qs if qs.ordered else qs.order_by("date", "id"))
        .select_related("article", "event")
        .defer("article__body", "event__point", "event__place_ids", "event__scope_ids")
    )
    if not with_area:
        ordered = ordered.defer("area")
    if places:
        ordered = ordered.prefetch_related("place_links")
    for chunk in chunks(ordered.iterator(chunk_size=CHUNK), CHUNK):
        units = admin_names({c for i in chunk for c in (i.admin1_pcode, i.admin2_pcode, i.admin3_pcode) if c})
        names = {pcode: unit["name_en"] for pcode, unit in units.items()}
        reports = _event_reports([i.event_id for i in chunk if i.event_id], base_url)
        for i in chunk:
            own = (Report(i.article.source, base_url + article_path(i.article_id), i.article.url),)
            yield ExportRow(
                incident=i,
                admin_names=(
                    names.get(i.admin1_pcode, ""),
                    names.get(i.admin2_pcode, ""),
                    names.get(i.admin3_pcode, ""),
                ),
                reports=tuple(reports.get(i.event_id, ())) if i.event_id else own,
                base_url=base_url,
            )


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield the items in lists of `size` (the last one shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _event_reports(event_ids: list[int], base_url: str) -> dict[int, list[Report]]:
    """Return each event's live reports' articles, oldest first, in one query."""
    found: dict[int, list[Report]] = defaultdict(list)
    if not event_ids:
        return found
    reports: QuerySet = (
        Incident.objects.live()
        .filter(event_id__in=event_ids)
        .exclude(review=Review.REJECTED)
        .order_by("date", "id")
        .values_list("event_id", "article_id", "article__source", "article__url")
    )
    seen: set[tuple[int, int]] = set()
    for event_id, article_id, source, url in reports:
        if (event_id, article_id) in seen:
            continue
        seen.add((event_id, article_id))
        found[event_id].append(Report(source, base_url + article_path(article_id), url))
    return found


def write_csv(items: Iterable[ExportRow], hxl: bool = False) -> Iterator[str]:
    """ACLED's columns then ours, UTF-8 with a BOM so Excel reads the Arabic; optionally an HXL row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    if hxl:
        writer.writerow(HXL_TAGS)
    yield "\ufeff" + flush()
    for n, row in enumerate(items, 1):
        values = row.acled()
        writer.writerow([values[c] for c in CSV_COLUMNS])
        if n % 500 == 0:
            yield flush()
    yield flush()


def write_geojson(items: Iterable[ExportRow]) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, a feature per line."""
    yield '{"type":"FeatureCollection","features":[\n'
    separator = ""
    for row in items:
        yield separator + json.dumps(row.feature(), ensure_ascii=False, separators=(",", ":"), default=str)
        separator = ",\n"
    yield "\n]}\n"


KML_FIELDS = ("event_date", "date_last", "event_type", "sub_event_type", "admin1", "location_ar", "fatalities",
              "source", "review_state", "report_count", "incident_url", "article_urls")  # fmt: skip


def write_kml(items: Iterable[ExportRow]) -> Iterator[str]:
    """A KML 2.2 document, a Placemark per row named in English and Arabic, with its fields as ExtendedData."""
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'
        "<Document><name>conflictmap export</name>\n"
    )
    for row in items:
        values = row.acled()
        name = " / ".join(n for n in (row.incident.label_en, row.incident.label_ar) if n)
        data = "".join(
            f'<Data name="{field}"><value>{escape(str(values[field]))}</value></Data>' for field in KML_FIELDS
        )
        yield (
            f'<Placemark id="incident-{row.incident.pk}"><name>{escape(name)}</name>'
            f"<description>{escape(values['notes'])}</description>"
            f"<TimeStamp><when>{values['event_date']}</when></TimeStamp>"
            f"<ExtendedData>{data}</ExtendedData>"
            f"<Point><coordinates>{values['longitude']},{values['latitude']}</coordinates></Point></Placemark>\n"
        )
    yield "</Document>\n</kml>\n"


StreamWriter = Callable[[Iterable[ExportRow], bool], Iterator[str]]


@dataclass(frozen=True)
class Format:
    """An export format: its media type, file extension, and writer; with no writer, it is written whole to a
    file (geopackage.py). `places`: the format lists each row's places."""

    media_type: str
    extension: str
    write: StreamWriter | None = None
    places: bool = False


FORMATS: dict[str, Format] = {
    "csv": Format("text/csv; charset=utf-8", "csv", write_csv),
    "geojson": Format(
        "application/geo+json", "geojson", lambda items, _hxl: write_geojson(items), places=True
    ),
    "gpkg": Format("application/geopackage+sqlite3", "gpkg"),
    "kml": Format("application/vnd.google-earth.kml+xml", "kml", lambda items, _hxl: write_kml(items)),
}


def export(
    qs: IncidentQuerySet,
    fmt: str,
    base_url: str,
    hxl: bool = False,
    watch: Callable[[Iterator[ExportRow]], Iterable[ExportRow]] = iter,
) -> Iterator[bytes]:
    """Stream the queryset in the named (streamed) format as UTF-8 bytes; `watch` sees the rows go by."""
    chosen = FORMATS[fmt]
    assert chosen.write is not None, f"{fmt} is written to a file"
    for text in chosen.write(watch(rows(qs, base_url, chosen.places)), hxl):
        if text:
            yield text.encode("utf-8")
