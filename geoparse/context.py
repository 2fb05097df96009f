"""What the stages share for one gazetteer and rule set: automata, lookups and their caches."""

from __future__ import annotations

import ahocorasick  # type: ignore[import-not-found,import-untyped,unused-ignore]

from .arabic import ElidedAlef, alef_names
from .automata import place_automaton, rules_automaton
from .candidates import PlaceLookup
from .events import Rules
from .normalize import drop_articles, normalize
from .places import Places
from .types import Gazetteer


class Context:
    """The automata and caches over one gazetteer and rule set, built once by a Geoparser; the
    gazetteer is read when the context is built, so add names to it before."""

    def __init__(self, gazetteer: Gazetteer, rules: Rules) -> None:
        self.gazetteer = gazetteer
        self.rules = rules
        self.lookup = PlaceLookup(gazetteer)
        self.places = Places(gazetteer)
        self.place_automaton: ahocorasick.Automaton = place_automaton(gazetteer.keys())
        self.rules_automaton: ahocorasick.Automaton = rules_automaton(rules)
        self.ambiguous = frozenset(normalize(name) for name in rules.ambiguous_names)
        # Latin articles are dropped as the gazetteer's own keys drop them ("al-Sinaa" ~ "Sinaa").
        self.not_places = frozenset(drop_articles(normalize(key)) for key in rules.not_places)
        self._elided: ElidedAlef | None = None

    def elided(self) -> ElidedAlef:
        """Return the important names written with an initial alef (built on the first Arabic text)."""
        if self._elided is None:
            self._elided = alef_names(self.gazetteer)
        return self._elided
