"""This process's Geoparser: the loaded gazetteer with the rule tables, remade when either changes."""

from __future__ import annotations

import threading

from conflictmap.rules.provider import current_rules
from gazetteer.index import get_index
from geoparse.pipeline import Geoparser

_lock = threading.Lock()
_current: list[Geoparser] = []


def default_geoparser() -> Geoparser:
    """Return the Geoparser over this process's gazetteer index and rules."""
    index, rules = get_index(), current_rules()
    with _lock:
        if not _current or _current[0].gazetteer is not index or _current[0].rules is not rules:
            _current[:] = [Geoparser(index, rules)]
        return _current[0]
