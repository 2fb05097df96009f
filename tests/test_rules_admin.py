"""Event rules and actors live in database tables analysts edit in the admin; the pipeline follows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from geoparse_places import fixture_gazetteer

from conflictmap.rules import provider
from conflictmap.rules.models import Actor, ActorAlias, EventRule
from geoparse.events import EXPLOSIONS, PROTESTS, UNKNOWN_EVENT, default_rules
from geoparse.pipeline import Geoparser

PUB = dt.date(2024, 8, 20)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def gaz():
    return fixture_gazetteer()


@pytest.fixture(autouse=True)
def fresh_rules():
    """Start and end every test without cached rules: rolled-back transactions fire no signals."""
    provider.invalidate()
    yield
    provider.invalidate()


def primary(text, gaz):
    # The rules change between calls (the admin edits them), so each call needs its own parser.
    result = Geoparser(gaz, provider.current_rules()).parse(text, published=PUB)
    assert result.incidents, text
    return result.incidents[0]


def default_counts():
    rules = default_rules()
    keywords = {(r.event_type, r.sub_event_type, k) for r in rules.events for k in r.keywords}
    aliases = {(a.name, alias) for a in rules.actors for alias in a.aliases}
    return len(keywords), len(rules.actors), len(aliases)


def table_counts():
    return EventRule.objects.count(), Actor.objects.count(), ActorAlias.objects.count()


def test_the_migration_fills_the_tables_with_the_defaults():
    assert table_counts() == default_counts()
    assert Actor.objects.get(name="SDF").aliases.filter(alias="قسد", language="ar").exists()


def test_loading_the_defaults_again_adds_nothing(capsys):
    before = table_counts()
    call_command("load_default_rules")
    call_command("load_default_rules")
    assert table_counts() == before
    assert "Added 0 event rules, 0 actors, 0 aliases." in capsys.readouterr().out


def test_loading_the_defaults_restores_a_deleted_row_only():
    EventRule.objects.filter(keyword="protest*").delete()
    Actor.objects.filter(name="Russia").delete()
    call_command("load_default_rules")
    assert table_counts() == default_counts()


def test_the_default_tables_build_the_default_rules():
    assert provider.build_rules() == default_rules()


def test_empty_tables_fall_back_to_the_defaults():
    EventRule.objects.all().delete()
    Actor.objects.all().delete()
    assert provider.current_rules() is default_rules()


@pytest.mark.parametrize(
    ("text", "actor", "alias"),
    [
        ("اشتباكات عنيفة بين قوات النظام ولواء الباقر في معدان", "Iran-backed militias", "لواء الباقر"),
        (
            "Clashes between regime forces and the Baqir Brigade in Maadan",
            "Iran-backed militias",
            "Baqir Brigade",
        ),
        ("Gunmen of the Hamza Division kidnapped a teacher in Hajin", "SNA", "Hamza Division"),
    ],
)
def test_an_alias_added_in_the_database_names_the_actor(gaz, text, actor, alias):
    assert actor not in primary(text, gaz).actors
    ActorAlias.objects.create(actor=Actor.objects.get(name=actor), alias=alias)
    assert actor in primary(text, gaz).actors


def test_a_new_actor_added_in_the_database_is_reported(gaz):
    text = "قصف مدفعي لقوات الدفاع الوطني على كفر نبودة"
    assert "NDF" not in primary(text, gaz).actors
    ndf = Actor.objects.create(name="NDF", name_ar="قوات الدفاع الوطني", kind="state")
    ActorAlias.objects.create(actor=ndf, alias="الدفاع الوطني")
    assert "NDF" in primary(text, gaz).actors


def test_a_deactivated_actor_is_not_reported(gaz):
    text = "قصف جوي روسي على كفر نبودة"
    assert "Russia" in primary(text, gaz).actors
    russia = Actor.objects.get(name="Russia")
    russia.active = False
    russia.save()
    assert "Russia" not in primary(text, gaz).actors


@pytest.mark.parametrize(
    ("text", "keyword", "before", "after"),
    [
        ("Residents protested in Menbij", "protest*", PROTESTS, UNKNOWN_EVENT),
        ("تظاهر مئات في منبج", "تظاهر*", PROTESTS, UNKNOWN_EVENT),
        ("قصف مدفعي على كفر نبودة", "قصف*", EXPLOSIONS, UNKNOWN_EVENT),
    ],
)
def test_deactivating_an_event_rule_changes_the_event_type(gaz, text, keyword, before, after):
    assert primary(text, gaz).event_type == before
    rule = EventRule.objects.get(keyword=keyword)
    rule.active = False
    rule.save()
    assert primary(text, gaz).event_type == after


@pytest.mark.parametrize(
    ("text", "keyword", "language"),
    [("Residents marched in Menbij", "marched", "en"), ("إضراب عام في منبج", "اضراب", "ar")],
)
def test_an_event_rule_added_in_the_database_sets_the_event_type(gaz, text, keyword, language):
    assert primary(text, gaz).event_type != PROTESTS
    rule = EventRule.objects.create(event_type=PROTESTS, sub_event_type="protest", keyword=keyword)
    assert rule.language == language
    assert primary(text, gaz).event_type == PROTESTS


def test_current_rules_are_cached_until_a_row_changes():
    first = provider.current_rules()
    assert provider.current_rules() is first
    ActorAlias.objects.create(actor=Actor.objects.get(name="HTS"), alias="الهيئة")
    second = provider.current_rules()
    assert second is not first
    assert "الهيئة" in next(a for a in second.actors if a.name == "HTS").aliases


def test_another_process_edit_is_noticed_through_the_token(monkeypatch):
    monkeypatch.setattr(provider._rules, "recheck", 0.0)
    first = provider.current_rules()
    # A queryset update fires no signal, as an edit made by another process would not here.
    EventRule.objects.filter(keyword="protest*").update(active=False, updated_at=timezone.now())
    second = provider.current_rules()
    assert second is not first
    assert all("protest*" not in rule.keywords for rule in second.events)


@pytest.fixture
def admin_client_ar(client, django_user_model):
    user = django_user_model.objects.create_superuser("analyst", "analyst@example.org", "pw-for-tests")
    client.force_login(user)
    return client


def test_the_actor_change_page_shows_arabic_right_to_left(admin_client_ar):
    sdf = Actor.objects.get(name="SDF")
    page = admin_client_ar.get(f"/admin/rules/actor/{sdf.pk}/change/").content.decode()
    assert 'value="قسد"' in page and 'value="قوات سوريا الديمقراطيه"' in page
    assert page.count('dir="auto"') >= sdf.aliases.count()


def test_the_event_rule_change_page_shows_arabic_right_to_left(admin_client_ar):
    rule = EventRule.objects.get(keyword="عبوه ناسفه")
    page = admin_client_ar.get(f"/admin/rules/eventrule/{rule.pk}/change/").content.decode()
    assert 'dir="auto"' in page and 'value="عبوه ناسفه"' in page


@pytest.mark.parametrize(
    ("url", "present", "absent"),
    [
        ("/admin/rules/actor/?q=قسد", "قسد", "Russia"),
        ("/admin/rules/actor/?q=Daesh", "داعش", "Turkey"),
        ("/admin/rules/eventrule/?q=اغتيال", "اغتيال", "clash*"),
        ("/admin/rules/eventrule/?event_type__exact=protests&language__exact=ar", "مظاهره", "protest*"),
    ],
)
def test_the_lists_search_and_filter_in_both_languages(admin_client_ar, url, present, absent):
    response = admin_client_ar.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert present in page and absent not in page


def test_an_alias_added_through_the_admin_reaches_the_pipeline(admin_client_ar):
    hts = Actor.objects.get(name="HTS")
    aliases = list(hts.aliases.all())
    form = {
        "name": hts.name,
        "name_ar": hts.name_ar,
        "kind": hts.kind,
        "active": "on",
        "note": "",
        "aliases-TOTAL_FORMS": str(len(aliases) + 1),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for n, alias in enumerate(aliases):
        form |= {f"aliases-{n}-id": str(alias.pk), f"aliases-{n}-actor": str(hts.pk)}
        form |= {f"aliases-{n}-alias": alias.alias, f"aliases-{n}-language": alias.language}
    form |= {f"aliases-{len(aliases)}-alias": "هيئة الشام", f"aliases-{len(aliases)}-language": ""}
    response = admin_client_ar.post(f"/admin/rules/actor/{hts.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    added = ActorAlias.objects.get(actor=hts, alias="هيئة الشام")
    assert added.language == "ar"
    assert "هيئة الشام" in next(a for a in provider.current_rules().actors if a.name == "HTS").aliases
