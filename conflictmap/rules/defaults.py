"""Fill the rule tables from the pipeline's built-in tables, adding only what is missing."""

from __future__ import annotations

from typing import Any

from geoparse.events import default_rules
from geoparse.normalize import is_arabic

# The kind of each built-in actor: the pipeline's table has no such column.
DEFAULT_KINDS = {
    "SDF": "armed_group",
    "International Coalition": "international",
    "ISIS": "armed_group",
    "Regime forces": "state",
    "SNA": "armed_group",
    "Turkey": "state",
    "Russia": "state",
    "HTS": "armed_group",
    "Iran-backed militias": "armed_group",
    "Civilians": "civilians",
}


def _lang(text: str) -> str:
    return "ar" if is_arabic(text) else "en"


def load_defaults(event_rule: Any, actor: Any, actor_alias: Any) -> tuple[int, int, int]:
    """Create the missing default rows; return how many event rules, actors and aliases were added.

    Takes the model classes so the data migration can pass its historical models.
    """
    rules = default_rules()
    added = [0, 0, 0]
    for rule in rules.events:
        for keyword in rule.keywords:
            _, created = event_rule.objects.get_or_create(
                event_type=rule.event_type,
                sub_event_type=rule.sub_event_type,
                keyword=keyword,
                defaults={"language": _lang(keyword), "priority": rule.priority},
            )
            added[0] += created
    for default in rules.actors:
        row, created = actor.objects.get_or_create(
            name=default.name,
            defaults={"name_ar": default.name_ar, "kind": DEFAULT_KINDS.get(default.name, "other")},
        )
        added[1] += created
        for alias in default.aliases:
            _, created = actor_alias.objects.get_or_create(
                actor=row, alias=alias, defaults={"language": _lang(alias)}
            )
            added[2] += created
    return added[0], added[1], added[2]
