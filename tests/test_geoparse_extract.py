"""Extraction: clitics, spelling variants, triggers, longest match, context for common words."""

from __future__ import annotations

import pytest
from geoparse_places import fixture_gazetteer

from geoparse.clitics import strip_clitics
from geoparse.context import Context
from geoparse.events import default_rules
from geoparse.extract import extract
from geoparse.normalize import normalize
from geoparse.tokens import detect_language


@pytest.fixture(scope="module")
def ctx():
    return Context(fixture_gazetteer(), default_rules())


def spans_of(text, ctx, lang=None):
    ext = extract(text, ctx, lang or detect_language(text))
    return ext.spans


def keys_of(text, ctx):
    return [s.key for s in spans_of(text, ctx)]


@pytest.mark.parametrize(
    ("text", "surface", "key"),
    [
        ("اشتباكات عنيفة وغويران تحت الحصار", "غويران", "غويران"),  # و
        ("وصلت التعزيزات بمدينة الحسكة صباحا", "الحسكة", "الحسكه"),  # trigger with ب
        ("وصلت قافلة للحسكة قادمة من القامشلي", "للحسكة", "الحسكه"),  # لل: assimilated ال
        ("سافر إلى الحسكة والقامشلي", "القامشلي", "القامشلي"),  # وال
        ("قصف بريف دير الزور", "دير الزور", "دير الزور"),  # ب + ريف trigger
        ("توتر في ادلب اليوم", "ادلب", "ادلب"),  # hamza dropped
        ("توتر في إدلب اليوم", "إدلب", "ادلب"),  # hamza written
        ("قصف على الحسكه مساء", "الحسكه", "الحسكه"),  # ة written ه
        ("قصف على كفرنبودة مساء", "كفرنبودة", "كفرنبوده"),  # space dropped inside the name
        ("قصف على كفر نبودة مساء", "كفر نبودة", "كفر نبوده"),
        ("قصف على الحَسَكة مساء", "الحَسَكة", "الحسكه"),  # diacritics
        ("Shelling hit al-Hasakah on Monday", "al-Hasakah", "al hasakah"),
        ("Shelling hit Al Hasakah on Monday", "Al Hasakah", "al hasakah"),
        ("Shelling hit Hassakeh on Monday", "Hassakeh", "hassakeh"),
        ("Fighting in Deir ez-Zor resumed", "Deir ez-Zor", "deir al zor"),
        ("Ar-Raqqa's mayor spoke", "Ar-Raqqa", "al raqqa"),
    ],
)
def test_a_name_is_found_through_clitics_and_spelling_variants(ctx, text, surface, key):
    spans = spans_of(text, ctx)
    assert key in [s.key for s in spans]
    span = next(s for s in spans if s.key == key)
    assert text[span.start : span.end] == span.text
    assert span.text.endswith(surface[-3:]) and surface.endswith(span.text[-3:])


def test_a_clitic_is_not_part_of_the_mention_offsets(ctx):
    text = "دخلت القوات وغويران بعد الظهر"
    span = next(s for s in spans_of(text, ctx) if s.key == "غويران")
    assert text[span.start : span.end] == "غويران"


@pytest.mark.parametrize(
    ("text", "key", "kind_hint", "qualifier"),
    [
        ("داهمت القوات حي غويران", "غويران", "neighbourhood", ""),
        ("دخلت القوات مدينة الحسكة", "الحسكه", "community", ""),
        ("في محافظة الحسكة", "الحسكه", "governorate", ""),
        ("قصف على ريف حماة", "حماه", "", "countryside"),
        ("هجوم قرب معدان", "معدان", "", "near"),
        ("اشتباكات بين معدان والرقة", "معدان", "", "between"),
        ("Clashes in the village of Maadan", "maadan", "community", ""),
        ("Clashes in Maadan town", "maadan", "community", ""),
        ("Shelling on the Hama countryside", "hama", "", "countryside"),
        ("Fighting near Maadan", "maadan", "", "near"),
        ("A blast in the Ghweiran neighbourhood", "ghweiran", "neighbourhood", ""),
    ],
)
def test_trigger_words_fix_the_kind_and_qualifier(ctx, text, key, kind_hint, qualifier):
    span = next(s for s in spans_of(text, ctx) if s.key == key)
    assert (span.kind_hint, span.qualifier) == (kind_hint, qualifier)


def test_dual_trigger_covers_both_coordinated_names(ctx):
    spans = spans_of("داهمت القوات حيي النشوة وغويران بمدينة الحسكة", ctx)
    hints = {s.key: s.kind_hint for s in spans}
    assert hints == {"النشوه": "neighbourhood", "غويران": "neighbourhood", "الحسكه": "community"}


def test_a_singular_trigger_does_not_spread_over_a_coordination(ctx):
    spans = spans_of("داهمت القوات حي النشوة والقامشلي", ctx)
    assert {s.key: s.kind_hint for s in spans}["القامشلي"] == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("تفكيك خلايا في ريف الرقة الشرقي", ["ريف الرقه الشرقي"]),  # the curated area, not الرقة
        ("عودة عائلات إلى مخيم الهول", ["مخيم الهول"]),  # the camp, not the town
        ("Returns to the Al-Hol camp", ["al hol camp"]),
        ("انتشار أمني في محيط سجن الصناعة", ["سجن الصناعه"]),
    ],
)
def test_the_longest_name_wins(ctx, text, expected):
    assert keys_of(text, ctx) == expected


@pytest.mark.parametrize(
    "text",
    [
        "تراجع قطاع الصناعة في البلاد",  # industry
        "عبر الأهالي عن النشوة بالانتصار",  # elation
        "تحدث عن الحرية والكرامة",  # freedom
        "ذكرى انطلاق الثورة السورية",  # revolution
        "قالت وكالة قاسيون إن الوضع هادئ",  # the agency, not the Damascus neighbourhood
        "سيطرت هيئة تحرير الشام على المعبر",  # HTS, not al-Sham
        "وقال مصدر لمنصة SY24 إن الهدوء عاد",
        "The Syrian Democratic Forces said",
    ],
)
def test_common_words_and_organisation_names_are_not_places(ctx, text):
    assert keys_of(text, ctx) == []


def test_lower_case_english_words_are_not_places_in_cased_text(ctx):
    assert keys_of("They walked past the hole in the wall near Raqqa.", ctx) == ["raqqa"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("مداهمة في حي النشوة", "النشوه"),  # trigger
        ("اشتباكات في حي الحرية بمدينة الرقة", "الحريه"),
        ("اعتقالات في الحسكة والرقة", "الرقه"),  # a nearby place
        ("Clashes in Hurriyeh and Raqqa", "hurriyeh"),
    ],
)
def test_common_word_names_count_with_context(ctx, text, key):
    assert key in keys_of(text, ctx)


def test_unknown_name_after_a_trigger_is_kept_for_lookup(ctx):
    spans = spans_of("قصف على قرية الطيانة شرق دير الزور", ctx)
    assert ("الطيانه", "trigger") in [(s.key, s.source) for s in spans]


def test_capitalised_unknown_english_name_is_proposed_for_fuzzy_lookup(ctx):
    spans = spans_of("Clashes erupted in Ghoweran overnight", ctx)
    assert ("ghoweran", "fuzzy") in [(s.key, s.source) for s in spans]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("وغويران", ("غويران", "و")), ("بمدينه", ("مدينه", "ب")), ("للحسكه", ("الحسكه", "ل")),
     ("والرقه", ("الرقه", "و")), ("بريف", ("ريف", "ب")), ("حلب", ("حلب", ""))],
)  # fmt: skip
def test_strip_clitics(word, expected):
    assert strip_clitics(normalize(word)) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("قصف على حلب", "ar"),
        ("Shelling on Aleppo", "en"),
        ("Aleppo: قصف عنيف على المدينة اليوم", "ar"),
        ("", "en"),
    ],
)
def test_language_is_detected(text, lang):
    assert detect_language(text) == lang
