"""The pipeline's Rules built from the rule tables, cached per process and rebuilt when rows change."""

from __future__ import annotations

import dataclasses

from django.db.models import Count, Max

from conflictmap.fresh import Fresh
from geoparse import events
from geoparse.events import Rules, default_rules

from .models import Actor, ActorAlias, EventRule, NotPlace


def current_token() -> tuple:
    """Return a cheap fingerprint that changes whenever a rule, actor, alias or not-a-place word changes."""
    token: list[object] = []
    for model in (EventRule, Actor, ActorAlias, NotPlace):
        agg = model.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("updated_at"))
        token.extend(agg.values())
    return tuple(token)


def _default_priorities(defaults: Rules) -> dict[str, int]:
    out: dict[str, int] = {}
    for rule in defaults.events:
        out[rule.event_type] = max(out.get(rule.event_type, rule.priority), rule.priority)
    return out


def event_rules_from_db(defaults: Rules) -> tuple[events.EventRule, ...] | None:
    """Return the active keyword rows grouped into rules, or None when the table is empty."""
    if not EventRule.objects.exists():
        return None
    priorities = _default_priorities(defaults)
    groups: dict[tuple[str, str, int], list[str]] = {}
    rows = EventRule.objects.filter(active=True).order_by("id")
    for event_type, sub, keyword, priority in rows.values_list(
        "event_type", "sub_event_type", "keyword", "priority"
    ):
        rank = priority if priority is not None else priorities.get(event_type, 0)
        groups.setdefault((event_type, sub, rank), []).append(keyword.strip())
    return tuple(events.EventRule(t, sub, tuple(kws), rank) for (t, sub, rank), kws in groups.items())


def actors_from_db() -> tuple[events.Actor, ...] | None:
    """Return the active actors with their aliases, or None when the table is empty."""
    if not Actor.objects.exists():
        return None
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in ActorAlias.objects.order_by("id").values_list("actor_id", "alias"):
        aliases.setdefault(actor_id, []).append(alias.strip())
    rows = Actor.objects.filter(active=True).order_by("id").values_list("id", "name", "name_ar")
    return tuple(events.Actor(name, name_ar, tuple(aliases.get(pk, ()))) for pk, name, name_ar in rows)


def not_places_from_db() -> tuple[str, ...]:
    """Return the normalised words analysts marked not a place."""
    return tuple(NotPlace.objects.order_by("normalized").values_list("normalized", flat=True))


def build_rules() -> Rules:
    """Return the defaults with the event rules and actors replaced by the database's, and its
    not-a-place words."""
    defaults = default_rules()
    found_events = event_rules_from_db(defaults)
    found_actors = actors_from_db()
    not_places = not_places_from_db()
    if found_events is None and found_actors is None and not not_places:
        return defaults
    return dataclasses.replace(
        defaults,
        events=found_events if found_events is not None else defaults.events,
        actors=found_actors if found_actors is not None else defaults.actors,
        not_places=not_places,
    )


_rules: Fresh[Rules] = Fresh(build_rules, current_token)


def current_rules() -> Rules:
    """Return this process's rules, rebuilding them when the tables have changed."""
    return _rules.get()


def invalidate() -> None:
    """Drop the cached rules so the next current_rules() rebuilds them."""
    _rules.invalidate()
