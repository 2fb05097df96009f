"""What differs between the SpatiaLite and PostGIS backends, in one place: the SQL each one needs."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True)
class Dialect:
    """The SQL fragments and storage habits of one database backend."""

    # The case-insensitive LIKE: SQLite's LIKE already ignores (ASCII) case, PostgreSQL needs ILIKE.
    like_operator: str
    # SQLite keeps JSONField text as Django's ASCII-escaped dump, PostgreSQL stores real characters.
    json_escapes_unicode: bool
    # Aggregate rows into one JSON array string; {inner} is a query of p_id, p_lat, p_lon, p_type, p_day, p_prec.
    rows_json_sql: str
    # Snap x, y to whole grid cells of %s degrees (two parameters).
    grid_cell_sql: str

    # Rows of {table} whose {column} box meets a lon/lat box (west, south, east, north), by the spatial index.
    bbox_where: str

    def bbox_sql(
        self, table: str, column: str, west: float, south: float, east: float, north: float
    ) -> tuple[str, list[float]]:
        """Return a WHERE clause (and its parameters) keeping rows in the box, answered by the spatial index."""
        return self.bbox_where.format(table=table, column=column), [west, south, east, north]

    def json_text(self, text: str) -> str:
        """Return the text as it appears inside a JSON column's stored text."""
        return json.dumps(text)[1:-1] if self.json_escapes_unicode else text


SQLITE = Dialect(
    like_operator="LIKE",
    json_escapes_unicode=True,
    rows_json_sql=(
        "SELECT json_group_array(json_array(p_id, round(p_lat, 5), round(p_lon, 5), p_type, p_day, p_prec)),"
        " count(*) FROM ({inner}) AS r"
    ),
    # SQLite has FLOOR only as a Python function; the shifted coordinates are never negative, so CAST's
    # truncation is the floor there.
    grid_cell_sql="CAST((x + 180.0) / %s AS INTEGER), CAST((y + 90.0) / %s AS INTEGER)",
    # GeoDjango's SpatiaLite lookups scan the table; its R*Tree (made by CreateSpatialIndex) is queried directly.
    bbox_where=(
        '"{table}"."id" IN (SELECT pkid FROM "idx_{table}_{column}" WHERE xmax >= %s AND ymax >= %s'
        " AND xmin <= %s AND ymin <= %s)"
    ),
)

POSTGRESQL = Dialect(
    like_operator="ILIKE",
    json_escapes_unicode=False,
    # json_agg would add a space after every comma and trailing zeros: 13% more bytes to gzip and send.
    rows_json_sql=(
        "SELECT '[' || coalesce(string_agg(format('[%%s,%%s,%%s,%%s,%%s,%%s]', p_id,"
        " round(p_lat::numeric, 5)::float8, round(p_lon::numeric, 5)::float8, coalesce(p_type::text, 'null'),"
        " coalesce(to_json(p_day)::text, 'null'), p_prec), ','), '') || ']', count(*) FROM ({inner}) AS r"
    ),
    grid_cell_sql="FLOOR((x + 180.0) / %s)::int, FLOOR((y + 90.0) / %s)::int",
    bbox_where='"{table}"."{column}" && ST_MakeEnvelope(%s, %s, %s, %s, 4326)',
)

DIALECTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def dialect(connection: BaseDatabaseWrapper) -> Dialect:
    """Return the dialect of the connection's backend (SpatiaLite or PostGIS)."""
    return DIALECTS[connection.vendor]
