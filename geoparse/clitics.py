"""Arabic clitics: the prefixes (و ب ل ف ك, and "لل" for an assimilated ال) a word may carry."""

from __future__ import annotations

from functools import lru_cache

# Clitic prefixes allowed before a name; "لل" only before a name that drops its ال.
CLITICS = frozenset(("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "وف"))
LL_CLITICS = frozenset(("لل", "ولل", "فلل"))
# An event keyword or cue also counts with its article ("الغارات", "بالقصف"); names do not.
ART_CLITICS = frozenset(("ال", "وال", "بال", "فال", "كال", "وبال", "لل", "ولل"))
ART_TAGS = frozenset(("event", "background", "pattern"))
_STRIP_ORDER = ("وبال", "فبال", "وال", "بال", "فال", "كال", "ولل", "فلل", "لل", "وب", "ول", "وك", "فب", "فل",
                "و", "ف", "ب", "ل", "ك")  # fmt: skip
DIRECTIONS_AR = {"الشرقي": "east", "الغربي": "west", "الشمالي": "north", "الجنوبي": "south",
                 "الشرقيه": "east", "الغربيه": "west", "الشماليه": "north", "الجنوبيه": "south"}  # fmt: skip


@lru_cache(maxsize=50_000)
def strip_clitics(word: str) -> tuple[str, str]:
    """Return (word without a leading Arabic clitic, the clitic); keeps ال on the word."""
    for prefix in _STRIP_ORDER:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            if prefix.endswith("ال"):
                return "ال" + rest, prefix[:-2]
            if prefix.endswith("لل"):
                return "ال" + rest, prefix[:-2] or "ل"
            return rest, prefix
    return word, ""
