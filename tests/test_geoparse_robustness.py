"""Robustness: any text returns a well-formed result, never crashes, and costs in proportion to its length."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from cost import growth
from geoparse_places import FIXTURE_PARSER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoparse.pipeline import MAX_CHARS, MAX_WORDS

PARSER = FIXTURE_PARSER
PUB = dt.date(2023, 8, 20)
WORDS = [
    "حي", "غويران", "وغويران", "بمدينة", "الحسكة", "ريف", "الرقة", "الشرقي", "قصف", "مطلع", "آب/أغسطس",
    "الجاري", "أمس", "Hasakah", "al-", "Raqqa's", "countryside", "near", "between", "and", "(AP)", "—", "٢٩",
    "12", "2015",
    "،", ".", "\n", "؟", "ـــ", "َ", "'", "’s", "ﷲ", "𝔸", "\u200f", "\u202e", "\x00", "🙂",
]  # fmt: skip


def check(result, text):
    """Every mention points at the text; every incident is in range and well-formed."""
    for mention in result.mentions:
        assert 0 <= mention.span.start <= mention.span.end <= len(text)
        assert text[mention.span.start : mention.span.end] == mention.span.text
        assert 0.0 <= mention.score <= 1.0
    for incident in result.incidents:
        assert incident.geo_precision in (1, 2, 3)
        assert -90 <= incident.lat <= 90 and -180 <= incident.lon <= 180
        assert incident.date is None or incident.date <= PUB.isoformat()
        assert all(0 <= i < len(result.mentions) for i in incident.mentions)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_unicode_never_crashes(text):
    check(PARSER.parse(text, published=PUB), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join))
def test_mixed_script_word_salad_never_crashes(text):
    check(PARSER.parse(text, published=PUB), text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40).map("".join), st.sampled_from(["ar", "en", None, "fr"]))
def test_glued_words_and_any_language_hint_never_crash(text, lang):
    check(PARSER.parse(text, published=PUB, lang=lang), text)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=3), st.integers(min_value=1000, max_value=50_000))
def test_very_long_tokens_never_crash(chunk, repeat):
    text = chunk * repeat
    check(PARSER.parse(text, published=PUB), text)


@pytest.mark.parametrize("text", ["", " ", "\n\n", "،،،", "ـ", "\u200f"])
def test_empty_and_blank_texts_give_an_empty_result(text):
    result = PARSER.parse(text, published=PUB)
    assert result.mentions == () and result.incidents == ()


def test_non_text_input_is_a_clear_error():
    with pytest.raises(TypeError, match="text must be str"):
        PARSER.parse(b"bytes")  # type: ignore[arg-type]


def test_text_over_the_limit_is_truncated_with_a_warning():
    result = PARSER.parse("قصف على معدان. " * (MAX_CHARS // 10), published=PUB)
    assert any("truncated" in w for w in result.warnings)


def test_words_past_the_budget_are_left_with_a_warning():
    head = "قصف على معدان. " * (MAX_WORDS // 3)  # three words a sentence: the budget ends here
    result = PARSER.parse(head + "انفجار في الهول", published=PUB)
    assert any(f"first {MAX_WORDS} words" in w for w in result.warnings)
    assert result.mentions and all(m.span.end <= len(head) for m in result.mentions)
    assert "الهول" not in {m.span.text for m in result.mentions}


def _text(kind: str, size: int) -> str:
    """A text of `size` characters: a dense article repeated, a word salad, or random characters."""
    rng = random.Random(7)
    if kind == "article":
        unit = "داهمت قوات قسد حيي النشوة وغويران بمدينة الحسكة أمس، وقصفت ريف الرقة الشرقي. "
        unit += "Clashes near Raqqa. "
        return (unit * (size // len(unit) + 1))[:size]
    if kind == "salad":
        return " ".join(rng.choice(WORDS) for _ in range(size // 4))[:size]
    return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(size))


KINDS = ["article", "salad", "random"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_megabyte_gives_a_well_formed_result(kind):
    text = _text(kind, MAX_CHARS)
    check(PARSER.parse(text, published=PUB), text)


# Sizes whose tenfold stays under the word budget and the span cap, so the whole text is read both times.
@pytest.mark.parametrize(("kind", "small"), [("article", 5_000), ("salad", 15_000), ("random", 15_000)])
def test_cost_grows_linearly_with_the_text(kind, small):
    ratio = growth(lambda n: _text(kind, n), lambda text: PARSER.parse(text, published=PUB), small)
    assert ratio < 12, f"{kind}: ten times the text cost {ratio:.1f} times the operations"
