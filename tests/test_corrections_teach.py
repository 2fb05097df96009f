"""Corrections teach the pipeline: correct a mention once, and the next article with that spelling
comes out right, in a worker that was never restarted."""

from __future__ import annotations

import datetime

import pytest

from conflictmap.articles.ingest import clean_body, store
from conflictmap.articles.models import Article, Status
from conflictmap.incidents.geocoding import run_geocode
from conflictmap.incidents.geoparser import default_geoparser
from conflictmap.rules import provider
from gazetteer import index
from gazetteer.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_another_process(monkeypatch):
    """Mute this process's cache drops on save: the worker must see the correction as a worker in
    another process does, through the fingerprints (conftest checks them on every use)."""
    monkeypatch.setattr(index, "invalidate", lambda: None)
    monkeypatch.setattr(provider, "invalidate", lambda: None)


@pytest.fixture
def analyst(django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-for-tests")


@pytest.fixture
def namesakes(small_gazetteer, make_place):
    """Two villages of one name: the pipeline prefers the more important one, in Hama."""
    north = make_place("t:M1", "community", "Al-Malikiyah", "المالكية", 37.17, 42.14, "SY08", importance=0.3)
    west = make_place("t:M2", "community", "Al-Malikiyah", "المالكية", 35.0, 36.0, "SY05", importance=0.7)
    return north, west


def geocode(body: str) -> Article:
    """Ingest an article and geocode it in this process, as the worker would."""
    article = store(clean_body(body), published=datetime.date(2024, 8, 20), queue=False).article
    assert run_geocode(article.pk) == Status.DONE
    return article


def places_read(body: str) -> dict[str, int | None]:
    """Map each mention's text to its place id, as the worker's parser reads the body now."""
    return {m.span.text: m.place.id if m.place else None for m in default_geoparser().parse(body).mentions}


@pytest.mark.parametrize(
    ("first", "word", "second"),
    [
        ("سقطت قذائف على المالكية صباح اليوم.", "المالكية", "اشتباكات عنيفة في المالكية مساء الأحد."),
        ("وصلت تعزيزات للمالكية صباح اليوم.", "المالكية", "اشتباكات عنيفة في المالكية مساء الأحد."),  # لل
        (
            "Shelling hit al-Malikiyah on Monday.",
            "al-Malikiyah",
            "Clashes broke out in al-Malikiyah overnight.",
        ),
    ],
)
def test_a_place_chosen_once_is_the_place_of_the_next_article(namesakes, analyst, first, word, second):
    north, west = namesakes
    wrong = geocode(first)
    (mention,) = wrong.mentions.all()
    assert mention.place == west
    assert [c["id"] for c in mention.candidates] == [west.pk, north.pk]  # what the review queue shows
    assert places_read(second)[word] == west.pk
    parser, token = default_geoparser(), index.current_token()

    mention.choose_place(north, analyst)

    assert index.current_token() != token
    assert default_geoparser() is not parser  # rebuilt from the new index, no restart
    right = geocode(second)
    assert [(m.text, m.place) for m in right.mentions.all()] == [(word, north)]
    assert [incident.place for incident in right.incidents.all()] == [north]
    assert wrong.mentions.get().place == north  # the corrected mention keeps the analyst's place


@pytest.mark.parametrize(
    ("first", "word", "second", "other"),
    [
        (
            "قصف على الكرامة والحسكة يوم الاثنين.",
            "الكرامة",
            "اشتباكات في الكرامة والحسكة يوم الثلاثاء.",
            "الحسكة",
        ),
        (
            "Operation Karama began in Hasakah on Monday.",
            "Karama",
            "Karama fighters clashed in Hasakah on Tuesday.",
            "Hasakah",
        ),
    ],
)
def test_a_word_marked_not_a_place_is_no_mention_in_the_next_article(
    small_gazetteer, make_place, analyst, first, word, second, other
):
    karama = make_place("t:K1", "community", "Karama", "الكرامة", 35.95, 39.4, "SY11", importance=0.4)
    city = Place.objects.get(pcode="C4360")
    marked = geocode(first)
    mention = marked.mentions.get(text=word)
    assert mention.place == karama
    assert places_read(second)[word] == karama.pk
    token = provider.current_token()

    mention.mark_not_place(analyst, note="an operation's name")

    assert provider.current_token() != token
    after = geocode(second)
    assert [(m.text, m.place) for m in after.mentions.all()] == [(other, city)]
    assert [incident.place for incident in after.incidents.all()] == [city]
