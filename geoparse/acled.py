"""ACLED's codebook as its CSV files spell it: the columns, in ACLED's order, with their HXL hashtags.

The exports write these columns and the ACLED import reads them (pure data: no Django)."""

from __future__ import annotations

ACLED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id_cnty", "#event+code"),
    ("event_date", "#date+occurred"),
    ("year", "#date+year"),
    ("time_precision", "#date+precision"),
    ("disorder_type", "#event+disorder"),
    ("event_type", "#event+type"),
    ("sub_event_type", "#event+type+sub"),
    ("actor1", "#group+name+first"),
    ("assoc_actor_1", "#group+name+first+assoc"),
    ("inter1", "#group+type+first"),
    ("actor2", "#group+name+second"),
    ("assoc_actor_2", "#group+name+second+assoc"),
    ("inter2", "#group+type+second"),
    ("interaction", "#group+interaction"),
    ("civilian_targeting", "#event+civilians"),
    ("iso", "#country+code+num"),
    ("region", "#region+name"),
    ("country", "#country+name"),
    ("admin1", "#adm1+name"),
    ("admin2", "#adm2+name"),
    ("admin3", "#adm3+name"),
    ("location", "#loc+name"),
    ("latitude", "#geo+lat"),
    ("longitude", "#geo+lon"),
    ("geo_precision", "#geo+precision"),
    ("source", "#meta+source"),
    ("source_scale", "#meta+source+scale"),
    ("notes", "#description"),
    ("fatalities", "#affected+killed"),
    ("tags", "#meta+tags"),
    ("timestamp", "#date+updated"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in ACLED_COLUMNS)
