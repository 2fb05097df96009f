"""An analyst's decision on a mention: choose_place teaches the gazetteer, mark_not_place the stop list."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conflictmap.articles.ingest import clean_body, store
from conflictmap.incidents.models import Decision, Mention
from conflictmap.rules.models import NotPlace
from gazetteer.models import NameOrigin, Place, PlaceName

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-for-tests")


def mention(text: str, key: str, place: Place | None = None) -> Mention:
    body = f"قصف على {text} / Shelling hit {text}"
    article = store(clean_body(body), queue=False).article
    start = body.index(text)
    return Mention.objects.create(article=article, start=start, end=start + len(text), text=text,
                                  normalized=key, place=place)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "key", "name", "lang"),
    [
        ("Hasake", "hasake", "Hasake", "en"),  # the text as written when it is the key's spelling
        ("al-Hasake", "al hasake", "al-Hasake", "en"),
        ("الحسكة الجديدة", "الحسكه الجديده", "الحسكة الجديدة", "ar"),
        ("لحسكة", "الحسكه", "الحسكه", "ar"),  # «للحسكة»: the key, which has the ال the text assimilated
        ("وبغويران", "غويران", "غويران", "ar"),
    ],
)
def test_choosing_a_place_saves_the_spelling_as_the_analysts_name(
    small_gazetteer, analyst, text, key, name, lang
):
    city = Place.objects.get(pcode="C4360")
    row = mention(text, key, place=Place.objects.get(pcode="SY08"))
    before = timezone.now()
    row.choose_place(city, analyst)
    row.refresh_from_db()
    assert (row.place, row.decision, row.decided_by) == (city, Decision.PLACE, analyst)
    assert row.decided_at >= before
    taught = PlaceName.objects.get(place=city, name=name)
    assert (taught.lang, taught.origin, taught.added_by) == (lang, NameOrigin.ANALYST, analyst)
    assert taught.added_at >= before


def test_choosing_again_adds_no_second_name(small_gazetteer, analyst):
    city = Place.objects.get(pcode="C4360")
    count = PlaceName.objects.count()
    mention("Hasake", "hasake").choose_place(city, analyst)
    mention("HASAKE", "hasake").choose_place(city, analyst)  # the same normalised name, spelt otherwise
    assert PlaceName.objects.count() == count + 1


def test_a_build_name_of_that_spelling_becomes_the_analysts(small_gazetteer, analyst):
    city = Place.objects.get(pcode="C4360")
    count = PlaceName.objects.count()
    mention("الحسكة", "الحسكه").choose_place(city, analyst)
    assert PlaceName.objects.count() == count
    name = PlaceName.objects.get(place=city, name="الحسكة", lang="ar")
    assert (name.origin, name.added_by) == (NameOrigin.ANALYST, analyst)


@pytest.mark.parametrize(
    ("text", "key", "form"),
    [("Karama", "karama", "Karama"), ("بالكرامة", "الكرامه", "الكرامه"), ("الكرامة", "الكرامه", "الكرامة")],
)
def test_not_a_place_adds_the_spelling_to_the_stop_list(small_gazetteer, analyst, text, key, form):
    row = mention(text, key, place=Place.objects.get(pcode="SY08"))
    row.mark_not_place(analyst, note="an operation's name")
    row.refresh_from_db()
    assert (row.place, row.decision, row.decided_by) == (None, Decision.NOT_PLACE, analyst)
    word = NotPlace.objects.get()
    assert (word.form, word.normalized, word.note, word.added_by) == (
        form,
        key,
        "an operation's name",
        analyst,
    )


def test_marking_a_word_twice_keeps_one_entry(small_gazetteer, analyst):
    mention("Karama", "karama").mark_not_place(analyst)
    mention("KARAMA", "karama").mark_not_place(analyst, note="again")
    assert list(NotPlace.objects.values_list("normalized", "note")) == [("karama", "")]
