"""The not-a-place words analysts mark reach every worker's rules, without a restart."""

from __future__ import annotations

import pytest

from conflictmap.rules import provider
from conflictmap.rules.models import Actor, EventRule, NotPlace
from geoparse.events import default_rules

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("form", "key"), [("الكرامة", "الكرامه"), ("Al-Karama", "al karama")])
def test_a_marked_word_is_in_the_rules_normalised(form, key):
    assert provider.current_rules().not_places == ()
    NotPlace.objects.create(form=form)
    assert provider.current_rules().not_places == (key,)


def test_another_process_mark_is_noticed_through_the_token():
    first, token = provider.current_rules(), provider.current_token()
    # bulk_create fires no signal, as a mark made by another process would not here.
    NotPlace.objects.bulk_create([NotPlace(form="Karama", normalized="karama")])
    assert provider.current_token() != token
    second = provider.current_rules()
    assert second is not first and second.not_places == ("karama",)
    NotPlace.objects.filter(normalized="karama").delete()
    assert provider.current_rules().not_places == ()


def test_only_the_words_change_when_the_rule_tables_are_empty():
    Actor.objects.all().delete()
    EventRule.objects.all().delete()
    assert provider.current_rules() is default_rules()
    NotPlace.objects.create(form="Karama")
    rules = provider.current_rules()
    assert rules.not_places == ("karama",)
    assert (rules.events, rules.actors) == (default_rules().events, default_rules().actors)
